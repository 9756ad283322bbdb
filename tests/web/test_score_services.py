"""The one versioned save with audit (govsite.surveys.services) that assessing and reviewing share."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govsite.surveys import services
from govsite.surveys.models import AuditEntry, IndicatorScore

pytestmark = pytest.mark.django_db

MANUAL = "aggregation.disclosure.statutory"


def score_entries():  # the scores' entries, not the fixtures' own (the superuser made, the roles granted)
    return AuditEntry.objects.filter(object_type="IndicatorScore")


def _entry(score: str | None, note: str = "") -> services.Assessment:
    return services.Assessment(
        score=None if score is None else Decimal(score), adjust_reason="", checklist={}, note=note, observed_at=None
    )


def test_a_write_that_lost_the_race_is_a_conflict_with_the_score_as_stored(sites, users):
    row = IndicatorScore.objects.create(site=sites[0], code=MANUAL, score=Decimal("10"), version=3)
    IndicatorScore.objects.filter(pk=row.pk).update(score=Decimal("12"), version=4)  # another tab, in between
    with pytest.raises(services.Conflict) as caught:
        services.write_versioned(
            row, 3, users["assessor"], "score_save", {"score": Decimal("5")}, site=sites[0], before={}
        )
    assert (caught.value.row.version, caught.value.row.score) == (4, Decimal("12"))
    assert IndicatorScore.objects.get(pk=row.pk).score == Decimal("12")
    assert not score_entries().exists()


def test_assessing_then_reviewing_bump_one_version_each_and_audit_each_step(sites, users):
    row = services.save_assessment(
        sites[0], MANUAL, users["assessor"], _entry("15", "材料齐全"), version=0, submit=True
    )
    assert (row.version, row.status, row.assessor) == (1, "submitted", users["assessor"])
    row = services.apply_review(row, users["reviewer"], "return", "请补充截图", 1)
    assert (row.version, row.status, row.reviewer, row.review_note) == (2, "returned", users["reviewer"], "请补充截图")
    entries = list(score_entries().order_by("pk"))
    assert [e.action for e in entries] == ["score_submit", "review_return"]
    assert entries[0].after["note"] == "材料齐全" and entries[1].before["status"] == "submitted"
    assert entries[1].after["status"] == "returned" and entries[1].reason == "请补充截图"


def test_an_entry_that_changes_nothing_writes_nothing(sites, users):
    row = services.save_assessment(sites[0], MANUAL, users["assessor"], _entry("15"), version=0)
    again = services.save_assessment(sites[0], MANUAL, users["assessor"], _entry("15.00"), version=row.version)
    assert again.version == row.version == 1
    assert score_entries().count() == 1


def test_a_stale_client_is_a_conflict_before_the_state_lock(sites, users):
    IndicatorScore.objects.create(site=sites[0], code=MANUAL, score=Decimal("15"), status="confirmed", version=5)
    with pytest.raises(services.Conflict):
        services.save_assessment(sites[0], MANUAL, users["assessor"], _entry("14"), version=4)
    with pytest.raises(services.Locked):
        services.save_assessment(sites[0], MANUAL, users["assessor"], _entry("14"), version=5)
    row = IndicatorScore.objects.get(site=sites[0], code=MANUAL)
    with pytest.raises(services.Locked):
        services.apply_review(row, users["reviewer"], "confirm", "", 5)
    assert IndicatorScore.objects.get(pk=row.pk).version == 5 and not score_entries().exists()

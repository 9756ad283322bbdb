"""A site that trips a single-veto rule gets a work order per rule, and no second one while it is open."""

from __future__ import annotations

from datetime import date

import pytest

from govsite.checks.verdict import inspection_verdict
from govsite.findings import Finding as Record
from govsite.surveys.models import Finding, Job, Site, Survey, finding_key_hash
from govsite.workorders.alerts import RULES, raise_veto_alerts, rule_for
from govsite.workorders.models import VetoAlert, WorkOrder

SITE = "http://127.0.0.1:9/"


def _record(type_: str, n: int = 0, **detail) -> Record:
    return Record(type=type_, url=f"{SITE}col{n}/", site=SITE, severity="high", evidence="…", detail=detail)


def _every_rule_tripped() -> list[Record]:
    return [
        _record("site_unreachable"),
        _record("stale_homepage"),
        *[_record("stale_column", n, update_class="dynamic") for n in range(10)],
        *[_record("empty_column", 100 + n) for n in range(5)],
    ]


def test_every_reason_the_verdict_gives_is_a_known_rule():
    verdict = inspection_verdict(_every_rule_tripped())
    assert not verdict.passed and len(verdict.reasons) == len(RULES)
    assert [rule_for(reason).code for reason in verdict.reasons] == [rule.code for rule in RULES]


def test_an_unknown_reason_still_alerts_under_a_stable_code():
    rule = rule_for("网站存在严重表述错误")
    assert rule.code.startswith("other:") and rule == rule_for("网站存在严重表述错误")


@pytest.fixture
def site(db):
    survey = Survey.objects.create(name="监测", year=2025, as_of=date(2025, 11, 30))
    records = _every_rule_tripped()
    site = Site.objects.create(
        survey=survey, name="云川县人民政府", url=SITE, level="county", verdict=inspection_verdict(records).as_dict()
    )
    job = Job.objects.create(site=site, as_of=survey.as_of, status=Job.Status.DONE)
    for record in records:
        Finding.objects.create(
            site=site, type=record.type, url=record.url, severity="high", evidence="…",
            key_hash=finding_key_hash(*record.key), found_at="2025-11-30T00:00:00Z", first_job=job, last_job=job,
        )  # fmt: skip
    return site


def _done_job(site: Site, kind: str = Job.Kind.INCREMENTAL) -> Job:
    return Job.objects.create(site=site, kind=kind, as_of=site.survey.as_of, status=Job.Status.DONE)


def test_one_open_order_per_rule(site):
    opened = raise_veto_alerts(_done_job(site))
    assert len(opened) == len(RULES)
    homepage = WorkOrder.objects.get(veto_alerts__rule="stale_homepage")
    assert homepage.status == WorkOrder.Status.OPEN
    assert homepage.title == "单项否决告警：云川县人民政府——首页栏目信息超过 2 周未更新"
    assert homepage.finding_type == "stale_homepage" and homepage.findings.count() == 1
    assert homepage.events.get().action == "create"
    assert raise_veto_alerts(_done_job(site)) == [], "the orders are still open"
    assert WorkOrder.objects.filter(site=site).count() == len(RULES)

    WorkOrder.objects.filter(pk=homepage.pk).update(status=WorkOrder.Status.CLOSED)
    again = raise_veto_alerts(_done_job(site))
    assert [order.veto_alerts.get().rule for order in again] == ["stale_homepage"]


def test_a_finding_is_not_put_in_two_open_orders(site):
    raise_veto_alerts(_done_job(site))
    dynamic = WorkOrder.objects.get(veto_alerts__rule="stale_dynamic_columns")
    stale = WorkOrder.objects.get(veto_alerts__rule="stale_columns")
    assert dynamic.findings.count() == 10 and stale.findings.count() == 0


def test_no_alert_for_a_passing_site_a_recheck_or_an_unfinished_job(site):
    assert raise_veto_alerts(_done_job(site, Job.Kind.RECHECK)) == []
    running = Job.objects.create(site=site, as_of=site.survey.as_of, status=Job.Status.RUNNING)
    assert raise_veto_alerts(running) == []
    Site.objects.filter(pk=site.pk).update(verdict=inspection_verdict([]).as_dict())
    assert raise_veto_alerts(_done_job(site)) == []
    assert not VetoAlert.objects.exists()

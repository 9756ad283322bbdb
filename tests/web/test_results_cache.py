"""The survey's results are computed once per set of inputs: any change to sites, scores or votes is seen."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govsite.surveys import results
from govsite.surveys.models import CaseVote, IndicatorScore, InnovationCase

pytestmark = pytest.mark.django_db
CODE = "security_ops.daily_ops"


def test_a_repeated_call_reuses_the_outcomes_and_any_change_recomputes_them(users, survey, sites, monkeypatch):
    site = sites[0]
    score = IndicatorScore.objects.create(site=site, code=CODE, score=Decimal("4"), status="confirmed")
    computed = []
    real = results._score
    monkeypatch.setattr(results, "_score", lambda *a: computed.append(1) or real(*a))

    first = results.survey_results(survey)
    again = results.survey_results(survey)
    assert len(computed) == 1
    assert again[site.pk].result.total == first[site.pk].result.total == Decimal("4")
    assert again[site.pk].site is not first[site.pk].site  # this request's own Site rows

    IndicatorScore.objects.filter(pk=score.pk).update(score=Decimal("3"))
    assert results.survey_results(survey)[site.pk].result.total == Decimal("3")
    IndicatorScore.objects.filter(pk=score.pk).update(status="returned")
    assert results.survey_results(survey)[site.pk].result.total == Decimal("0")
    site.name = "甲市人民政府（新）"
    site.save()
    assert results.survey_results(survey)[site.pk].site.name == "甲市人民政府（新）"
    case = InnovationCase.objects.create(site=site, category="x", title="案例", description="说明")
    CaseVote.objects.create(case=case, expert=users["expert"], score=Decimal("1"))
    assert results.survey_results(survey)[site.pk].result.bonus == Decimal("1")
    assert len(computed) == 5

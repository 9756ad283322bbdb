"""Totals, indices, bonus cap and band boundaries."""

from __future__ import annotations

from decimal import Decimal

from govsite import frameworks as fw
from govsite.scoring import score_site
from govsite.scoring.inputs import SiteScores


def _sheet(framework, share: str, bonus: str = "0", skip: tuple[str, ...] = ()) -> SiteScores:
    scores = {leaf.code: leaf.weight * Decimal(share) for leaf in framework.leaves() if leaf.code not in skip}
    return SiteScores(row=2, site="测试市", scores=scores, bonus=Decimal(bonus), not_assessed=skip)


def test_index_is_score_over_weight_at_every_level():
    framework = fw.load("portal_province_2025")
    result = score_site(framework, _sheet(framework, "0.5"))
    for indicator in result.indicators:
        assert indicator.index == Decimal("0.5"), indicator.code
    assert result.base == Decimal(50)
    assert result.index == Decimal("0.5")
    depths = {r.depth for r in result.indicators}
    assert depths == {1, 2, 3}


def test_group_scores_are_the_sum_of_their_leaves():
    framework = fw.load("portal_municipality_2025")
    leaves = list(framework.leaves())
    scores = {leaf.code: leaf.weight for leaf in leaves}  # full marks
    result = score_site(framework, SiteScores(2, "某市", scores, Decimal(0)))
    response = result.by_code()["response"]
    # Printed 11, items add up to 12: the group is scored on what its items can earn.
    assert response.score == 12 and response.weight == 12 and response.index == 1
    assert result.base == 100


def test_bonus_is_capped_at_its_weight_and_added_to_the_total():
    framework = fw.load("digital_gov_2025")
    result = score_site(framework, _sheet(framework, "0.8", bonus="14"))
    assert result.bonus == 10 and result.bonus_claimed == 14
    assert result.total == Decimal(90)


def test_band_boundaries_are_inclusive():
    framework = fw.load("digital_gov_2025")
    assert framework.band_for(Decimal(95)) == "卓越"
    assert framework.band_for(Decimal("94.99")) == "优秀"
    assert framework.band_for(Decimal(85)) == "优秀"
    assert framework.band_for(Decimal(75)) == "良好"
    assert framework.band_for(Decimal(60)) == "发展"
    assert framework.band_for(Decimal("59.9")) == "准备"
    assert framework.band_for(Decimal(0)) == "准备"


def test_not_assessed_indicators_count_zero_and_are_marked():
    framework = fw.load("portal_county_2025")
    skipped = next(framework.leaves()).code
    result = score_site(framework, _sheet(framework, "1", skip=(skipped,)))
    by_code = result.by_code()
    assert by_code[skipped].assessed is False and by_code[skipped].score == 0
    assert result.not_assessed == (skipped,)
    assert result.base == 100 - framework.find(skipped).weight


def test_devzone_scores_use_the_chosen_weight_column():
    etdz = fw.load("devzone_2025:etdz")
    hitech = fw.load("devzone_2025:hitech")
    full_etdz = score_site(etdz, _sheet(etdz, "1"))
    full_hitech = score_site(hitech, _sheet(hitech, "1"))
    assert full_etdz.base == full_hitech.base == 100
    assert full_etdz.by_code()["disclosure.innovation"].score == 4
    assert full_hitech.by_code()["disclosure.innovation"].score == 6

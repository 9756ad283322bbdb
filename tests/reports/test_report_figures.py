"""Every published figure of the fixture survey equals the same figure computed independently.

Expected values come from the raw scores written into the fixture's sheets
(`reportfixture`), the band thresholds typed from the reference text, and
the scan summary as written — never from the report code.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from reportfixture import (
    BANDS,
    HOSTILE,
    SCAN,
    expected_band,
    expected_bands,
    expected_index,
    expected_mean_index,
    expected_total,
    same,
)

from govsite.reports import analysis as an

GROUPS = ("省级", "城市")
BAND_NAMES = [name for name, _ in BANDS]


def _group(survey_data, name):
    return survey_data.group(name)


@pytest.mark.parametrize("group", GROUPS)
def test_band_counts_and_members_match_the_totals_computed_by_hand(fixture_survey, survey_data, group):
    fx = fixture_survey
    bands = expected_bands(fx.framework, fx.scores[group], fx.bonus[group])
    dist = an.band_distribution(_group(survey_data, group))
    assert [b.band for b in dist.bands] == BAND_NAMES
    for b in dist.bands:
        assert b.count == sum(1 for band in bands.values() if band == b.band), b.band
        assert set(b.members) == {site for site, band in bands.items() if band == b.band}
        assert b.share == Decimal(b.count) / len(bands)
    assert dist.sites == len(bands)


def test_band_members_are_listed_by_division_code_with_sites_without_a_code_last(survey_data):
    dist = an.band_distribution(_group(survey_data, "省级"))
    good = next(b for b in dist.bands if b.band == "良好")
    # 河北 130000, 上海 310000, 兵团 sorts as 660000.
    assert good.members == ("河北省", "上海市", "新疆生产建设兵团")


def test_good_or_better_counts_every_band_from_the_top_down_to_the_named_one(fixture_survey, survey_data):
    fx = fixture_survey
    bands = expected_bands(fx.framework, fx.scores["省级"], fx.bonus["省级"])
    dist = an.band_distribution(_group(survey_data, "省级"))
    expected = sum(1 for band in bands.values() if band in ("卓越", "优秀", "良好"))
    assert dist.at_or_above("良好") == expected
    assert dist.at_or_above("准备") == len(bands)


@pytest.mark.parametrize("group", GROUPS)
def test_totals_and_bonus_cap_match_the_sheet(fixture_survey, survey_data, group):
    fx = fixture_survey
    for item in _group(survey_data, group).ranked:
        site = item.result.site
        assert item.result.total == expected_total(fx.framework, fx.scores[group][site], fx.bonus[group][site])
        assert item.band == expected_band(item.result.total)


@pytest.mark.parametrize("group", GROUPS)
def test_average_index_per_first_and_second_level_indicator_matches_an_independent_computation(
    fixture_survey, survey_data, group
):
    fx = fixture_survey
    averages = an.indicator_averages(_group(survey_data, group))
    first = [a for a in averages if a.depth == 1]
    assert [a.code for a in first] == [ind.code for ind in fx.framework.indicators]
    for a in averages:
        assert same(a.mean_index, expected_mean_index(fx.framework, a.code, fx.scores[group])), a.code
        assert a.sites == len(fx.scores[group])
    second = {a.code for a in averages if a.depth == 2}
    assert second == {child.code for ind in fx.framework.indicators for child in ind.children}


def test_an_unassessed_indicator_is_left_out_of_its_average():
    from govsite import frameworks as fw
    from govsite.scoring import score_site
    from govsite.scoring.inputs import SiteScores
    from govsite.scoring.ranking import published_order

    framework = fw.load("portal_county_2025")
    leaves = list(framework.leaves())
    skipped = leaves[0].code
    full = {leaf.code: leaf.weight for leaf in leaves}
    half = {leaf.code: leaf.weight / 2 for leaf in leaves if leaf.code != skipped}
    results = [
        score_site(framework, SiteScores(2, "甲区", full, Decimal(0))),
        score_site(framework, SiteScores(3, "乙区", half, Decimal(0), not_assessed=(skipped,))),
    ]
    group = an.GroupData("区县", framework, tuple(published_order(framework, results)))
    averages = {a.code: a for a in an.indicator_averages(group, max_depth=3)}
    assert averages[skipped].sites == 1 and averages[skipped].mean_index == 1
    assert averages["data_use"].sites == 2 and averages["data_use"].mean_index == Decimal("0.75")


def test_groups_sharing_indicator_codes_are_compared_side_by_side(fixture_survey, survey_data):
    fx = fixture_survey
    comparison = an.compare_groups(survey_data.groups)
    assert comparison.groups == GROUPS
    row = next(r for r in comparison.rows if r.code == "service")
    for value, group in zip(row.values, GROUPS, strict=True):
        assert same(value, expected_mean_index(fx.framework, "service", fx.scores[group]))


def test_portal_frameworks_of_different_levels_are_compared_on_their_shared_codes():
    from govsite import frameworks as fw
    from govsite.scoring import score_site
    from govsite.scoring.inputs import SiteScores
    from govsite.scoring.ranking import published_order

    groups = []
    for name, code, share in (("省", "portal_province_2025", "0.8"), ("区县", "portal_county_2025", "0.6")):
        framework = fw.load(code)
        scores = {leaf.code: leaf.weight * Decimal(share) for leaf in framework.leaves()}
        results = [score_site(framework, SiteScores(2, f"{name}甲", scores, Decimal(0)))]
        groups.append(an.GroupData(name, framework, tuple(published_order(framework, results))))
    comparison = an.compare_groups(groups)
    codes = [r.code for r in comparison.rows]
    assert codes[:2] == ["aggregation", "aggregation.disclosure"]
    assert all(r.values == (Decimal("0.8"), Decimal("0.6")) for r in comparison.rows)
    assert comparison.mean_index == (Decimal("0.8"), Decimal("0.6"))


def test_leading_sites_are_the_highest_totals_with_ties_included(fixture_survey, survey_data):
    fx = fixture_survey
    group = _group(survey_data, "省级")
    totals = {s: expected_total(fx.framework, fx.scores["省级"][s], fx.bonus["省级"][s]) for s in fx.scores["省级"]}
    top3 = sorted(totals, key=lambda s: -totals[s])[:3]
    assert [item.result.site for item in an.leading_sites(group)] == top3
    tied = an.GroupData(group.name, group.framework, tuple(group.ranked[:1]) * 3)
    assert len(an.leading_sites(tied, 1)) == 3


@pytest.mark.parametrize("group", GROUPS)
def test_histogram_bins_count_every_total_once(fixture_survey, survey_data, group):
    fx = fixture_survey
    totals = [expected_total(fx.framework, fx.scores[group][s], fx.bonus[group][s]) for s in fx.scores[group]]
    bins = an.total_histogram(_group(survey_data, group), Decimal(10))
    assert sum(b.count for b in bins) == len(totals)
    assert bins[-1].high == Decimal(110) and bins[-1].closed
    for b in bins:
        assert b.high - b.low == 10
        inside = [t for t in totals if b.low <= t < b.high or (b.closed and t == b.high)]
        assert b.count == len(inside)
    assert bins[0].low <= min(totals) < bins[0].low + 10


def test_finding_shares_are_sites_with_the_type_over_sites_scanned(survey_data):
    summary = an.finding_summary(_group(survey_data, "省级"))
    # 省级 sites with a URL in the scan: 北京, 天津 (trailing slash), 河北 (case, :443), 浙江.
    homepages = {
        "北京市": "https://www.beijing.gov.cn/",
        "天津市": "https://www.tj.gov.cn/",
        "河北省": "https://www.hebei.gov.cn/",
        "浙江省": "https://www.zj.gov.cn/",
    }
    scanned = {site: SCAN[url] for site, url in homepages.items()}
    assert summary.scanned == 4
    assert set(summary.not_scanned) == {"上海市", "新疆生产建设兵团"}
    for share in summary.types:
        with_type = [s for s, (by_type, _, _) in scanned.items() if by_type.get(share.type, 0) > 0]
        assert share.sites == len(with_type), share.type
        assert share.share == Decimal(len(with_type)) / 4
        assert share.findings == sum(by_type.get(share.type, 0) for by_type, _, _ in scanned.values())
    assert {t.type for t in summary.types} == {t for by_type, _, _ in scanned.values() for t in by_type}
    assert summary.types[0].type == "broken_link"  # 3 of 4 sites
    assert summary.passed == 2
    assert [v.site for v in summary.vetoed] == ["天津市", "浙江省"]
    assert summary.vetoed[1].reasons == ("首页栏目信息超过 2 周未更新",)


def test_scan_sites_are_matched_by_url_from_the_sheet_column_and_unmatched_urls_are_reported(survey_data):
    city = _group(survey_data, "城市")
    assert set(city.scans) == {"杭州市", HOSTILE}
    assert survey_data.unmatched_scans == ("https://unknown.example/",)


def test_a_group_without_a_scan_has_no_finding_summary(survey_data):
    group = _group(survey_data, "省级")
    bare = an.GroupData(group.name, group.framework, group.ranked)
    assert an.finding_summary(bare) is None


@pytest.mark.parametrize("group", GROUPS)
def test_year_over_year_band_changes_match_both_years_computed_by_hand(fixture_survey, survey_data, group):
    fx = fixture_survey
    now = expected_bands(fx.framework, fx.scores[group], fx.bonus[group])
    before = expected_bands(fx.framework, fx.previous_scores[group], fx.previous_bonus[group])
    yoy = an.year_over_year(_group(survey_data, group), survey_data.previous.group(group), 2024, "良好")
    place = {name: i for i, name in enumerate(BAND_NAMES)}
    both = [s for s in now if s in before]
    up = {s for s in both if place[now[s]] < place[before[s]]}
    down = {s for s in both if place[now[s]] > place[before[s]]}
    assert {c.site for c in yoy.moved(an.UP)} == up
    assert {c.site for c in yoy.moved(an.DOWN)} == down
    assert {c.site for c in yoy.moved(an.SAME)} == set(both) - up - down
    assert set(yoy.new_sites) == set(now) - set(before)
    assert set(yoy.dropped_sites) == set(before) - set(now)
    for change in yoy.band_counts:
        assert change.previous == sum(1 for b in before.values() if b == change.band)
        assert change.current == sum(1 for b in now.values() if b == change.band)
    good = {"卓越", "优秀", "良好"}
    assert yoy.headline_previous == sum(1 for b in before.values() if b in good)
    assert yoy.headline_current == sum(1 for b in now.values() if b in good)


def test_year_over_year_indicator_deltas_are_this_years_average_minus_last_years(fixture_survey, survey_data):
    fx = fixture_survey
    yoy = an.year_over_year(_group(survey_data, "省级"), survey_data.previous.group("省级"), 2024)
    for d in yoy.indicators:
        previous = expected_mean_index(fx.framework, d.code, fx.previous_scores["省级"])
        current = expected_mean_index(fx.framework, d.code, fx.scores["省级"])
        assert same(d.previous, previous) and same(d.current, current)
        assert same(d.delta, current - previous)


def test_fixture_has_moves_in_every_direction(survey_data):
    """Guards the fixture itself: the YoY tests above would prove little without ups, downs and ties."""
    yoy = an.year_over_year(_group(survey_data, "省级"), survey_data.previous.group("省级"), 2024)
    assert yoy.moved(an.UP) and yoy.moved(an.DOWN) and yoy.moved(an.SAME)


def test_site_card_lists_every_indicator_with_weight_score_and_index(fixture_survey, survey_data):
    fx = fixture_survey
    card = an.site_card(_group(survey_data, "省级"), "北京市")
    assert len(card.lines) == sum(1 for _ in fx.framework.walk())
    for line in card.lines:
        assert same(line.index, expected_index(fx.framework, line.code, fx.scores["省级"]["北京市"]))
    assert card.scan.passed and card.scan.findings_by_type == {"broken_link": 3, "no_ipv6": 1}
    assert an.site_card(_group(survey_data, "省级"), "不存在") is None

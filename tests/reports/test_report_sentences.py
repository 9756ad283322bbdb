"""The generated Chinese sentences carry the numbers computed independently from the fixture survey."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from reportfixture import BANDS, expected_bands, expected_mean_index, two_places

from govsite.reports.narrative import index_text, percent_text

GOOD_OR_BETTER = {"卓越", "优秀", "良好"}


def _group(analysis, name):
    return next(g for g in analysis.groups if g.name == name)


def _percent(part: int, whole: int) -> str:
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value.normalize():f}%"


def test_good_or_better_sentence_counts_the_sites_at_or_above_the_headline_band(fixture_survey, survey_analysis):
    fx = fixture_survey
    for group, noun in (("省级", "省级单位"), ("城市", "城市")):
        bands = expected_bands(fx.framework, fx.scores[group], fx.bonus[group])
        good = sum(1 for b in bands.values() if b in GOOD_OR_BETTER)
        sentence = f"{len(bands)} 个{noun}中 {good} 个达到良好及以上，占 {_percent(good, len(bands))}。"
        assert sentence in _group(survey_analysis, group).band_sentences
        assert sentence in survey_analysis.sentences


def test_band_count_sentence_lists_every_band_and_names_empty_ones(fixture_survey, survey_analysis):
    fx = fixture_survey
    bands = expected_bands(fx.framework, fx.scores["省级"], fx.bonus["省级"])
    counts = {name: sum(1 for b in bands.values() if b == name) for name, _ in BANDS}
    listed = "、".join(f"{name} {count} 个" for name, count in counts.items())
    sentence = _group(survey_analysis, "省级").band_sentences[1]
    assert sentence.startswith(f"各档级省级单位数量：{listed}")
    empty = [name for name, count in counts.items() if count == 0]
    assert empty and f"{'、'.join(empty)}档级没有省级单位" in sentence


def test_first_level_sentence_gives_each_average_index_in_table_order(fixture_survey, survey_analysis):
    fx = fixture_survey
    names = [ind.name for ind in fx.framework.indicators]
    values = [
        two_places(expected_mean_index(fx.framework, ind.code, fx.scores["城市"])) for ind in fx.framework.indicators
    ]
    sentence = _group(survey_analysis, "城市").indicator_sentences[0]
    assert sentence == (
        f"各一级指标平均创新发展指数：{'、'.join(names)}分别为 {'、'.join(values[:-1])} 和 {values[-1]}。"
    )


def test_comparison_sentence_gives_each_groups_mean_index(fixture_survey, survey_analysis):
    fx = fixture_survey

    def mean_site_index(group):
        indices = [sum(s.values(), Decimal(0)) / 100 for s in fx.scores[group].values()]  # base / 100
        return two_places(sum(indices, Decimal(0)) / len(indices))

    expected = f"省级、城市平均创新发展指数分别为 {mean_site_index('省级')} 和 {mean_site_index('城市')}。"
    assert expected in survey_analysis.sentences


def test_year_over_year_sentences_carry_band_changes_counted_by_hand(fixture_survey, survey_analysis):
    fx = fixture_survey
    now = expected_bands(fx.framework, fx.scores["省级"], fx.bonus["省级"])
    before = expected_bands(fx.framework, fx.previous_scores["省级"], fx.previous_bonus["省级"])
    good_now = sum(1 for b in now.values() if b in GOOD_OR_BETTER)
    good_before = sum(1 for b in before.values() if b in GOOD_OR_BETTER)
    assert good_before != good_now
    verb = "增至" if good_now > good_before else "减至"
    sentences = _group(survey_analysis, "省级").yoy_sentences
    assert f"与 2024 年相比，达到良好及以上的省级单位由 {good_before} 个{verb} {good_now} 个。" in sentences
    place = {name: i for i, (name, _) in enumerate(BANDS)}
    both = [s for s in now if s in before]
    up = sum(1 for s in both if place[now[s]] < place[before[s]])
    down = sum(1 for s in both if place[now[s]] > place[before[s]])
    same = len(both) - up - down
    expected = f"两年均参加调查的 {len(both)} 个省级单位中，{up} 个档级上升，{same} 个持平，{down} 个下降。"
    assert expected in sentences
    for name, _ in BANDS:
        old = sum(1 for b in before.values() if b == name)
        new = sum(1 for b in now.values() if b == name)
        phrase = f"{name}档级数量稳定为 {new} 个" if old == new else f"{name}档级由 {old} 个"
        assert phrase in sentences[1], name


def test_finding_sentences_give_scanned_vetoed_and_the_most_widespread_types(survey_analysis):
    sentences = _group(survey_analysis, "省级").finding_sentences
    # Scanned: 北京 (passed), 天津 (vetoed), 河北 (passed), 浙江 (vetoed); broken_link on 北京, 天津, 浙江.
    assert sentences[0] == "已检测的 4 个省级单位网站中，2 个未触发单项否决，2 个被单项否决，合格率 50%。"
    assert sentences[1].startswith("存在问题的网站数最多的类型：“链接不可用”3 个（占 75%）")
    assert sentences[2] == "另有 2 个省级单位没有对应的扫描结果。"


def test_leading_sentence_names_the_highest_totals(survey_analysis):
    group = _group(survey_analysis, "城市")
    names = [item.result.site for item in group.leading]
    assert group.leading_sentence == f"{'、'.join(names)}等 2 个城市得分居前。"


def test_numbers_are_rounded_half_up_as_the_report_prints_them():
    assert index_text(Decimal("0.745")) == "0.75"  # round() would give 0.74
    assert index_text(Decimal("0.5")) == "0.50"
    assert percent_text(Decimal(2) / 3) == "66.7%"
    assert percent_text(Decimal(1)) == "100%"
    assert percent_text(Decimal("0.0005")) == "0.1%"


def test_mean_index_change_sentence_uses_both_years_computed_by_hand(fixture_survey, survey_analysis):
    fx = fixture_survey

    def mean_site_index(scores):
        indices = [sum(s.values(), Decimal(0)) / 100 for s in scores.values()]
        return two_places(sum(indices, Decimal(0)) / len(indices))

    before, now = mean_site_index(fx.previous_scores["城市"]), mean_site_index(fx.scores["城市"])
    assert before != now
    expected = f"城市平均创新发展指数由 2024 年的 {before} 变为 {now}。"
    assert expected in _group(survey_analysis, "城市").yoy_sentences

"""The bundled 2025 frameworks encode the reference's 第五章 tables faithfully."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govsite import frameworks as fw

# Printed first-level totals of each portal table, as "资源汇聚能力 (50)" etc. in 第五章.
PRINTED_GROUP_TOTALS = {
    "portal_ministry_2025": {
        "aggregation": 50,
        "data_use": 6,
        "fusion": 9,
        "delivery": 13,
        "response": 12,
        "security_ops": 10,
    },
    "portal_province_2025": {
        "aggregation": 50,
        "data_use": 9,
        "fusion": 8,
        "delivery": 11,
        "response": 12,
        "security_ops": 10,
    },
    "portal_municipality_2025": {
        "aggregation": 44,
        "data_use": 9,
        "fusion": 14,
        "delivery": 11,
        "response": 11,
        "security_ops": 10,
    },
    "portal_city_2025": {
        "aggregation": 44,
        "data_use": 9,
        "fusion": 14,
        "delivery": 11,
        "response": 12,
        "security_ops": 10,
    },
    "portal_county_2025": {
        "aggregation": 44,
        "data_use": 8,
        "fusion": 14,
        "delivery": 12,
        "response": 12,
        "security_ops": 10,
    },
}

# Leaf counts per framework, counted from the source tables.
LEAF_COUNTS = {
    "digital_gov_2025": 55,
    "portal_ministry_2025": 31,
    "portal_province_2025": 39,
    "portal_municipality_2025": 42,
    "portal_city_2025": 41,
    "portal_county_2025": 42,
    "devzone_2025": 27,
}


def test_every_2025_framework_is_bundled():
    assert set(fw.bundled_names()) == set(LEAF_COUNTS)


@pytest.mark.parametrize("name", sorted(LEAF_COUNTS))
def test_bundled_framework_loads_without_errors(name):
    framework, problems = fw.load_file(fw.bundled_path(name))
    assert framework is not None, [str(p) for p in problems]
    assert [p for p in problems if p.level == "error"] == []


@pytest.mark.parametrize("name", sorted(LEAF_COUNTS))
def test_leaf_count_and_totals(name):
    framework = fw.load(name)
    assert sum(1 for _ in framework.leaves()) == LEAF_COUNTS[name]
    variants = list(framework.variants) or [None]
    for variant in variants:
        resolved = framework.for_variant(variant)
        assert sum(leaf.weight for leaf in resolved.leaves()) == Decimal(100)
        assert resolved.total == 100
        assert resolved.bonus is not None and resolved.bonus.weight == 10
        assert resolved.max_total == 110


@pytest.mark.parametrize("name", sorted(PRINTED_GROUP_TOTALS))
def test_portal_group_totals_match_printed_totals(name):
    framework = fw.load(name)
    printed = PRINTED_GROUP_TOTALS[name]
    assert [g.code for g in framework.indicators] == list(printed)
    for group in framework.indicators:
        assert group.weight == printed[group.code], group.code
        expected = 12 if (name, group.code) == ("portal_municipality_2025", "response") else printed[group.code]
        assert group.leaf_sum() == expected, group.code


def test_only_the_municipality_response_mismatch_is_warned():
    warnings = []
    for name in fw.bundled_names():
        _, problems = fw.load_file(fw.bundled_path(name))
        warnings += [p for p in problems if p.level == "warning"]
    assert len(warnings) == 1
    message = warnings[0].message
    assert "portal_municipality_2025" in message
    assert "诉求响应能力" in message and "11" in message and "12" in message


def test_digital_gov_has_seven_first_level_indicators_and_the_published_bands():
    framework = fw.load("digital_gov_2025")
    assert [i.name for i in framework.indicators] == [
        "管理保障度",
        "平台支撑度",
        "数据赋能度",
        "服务成熟度",
        "治理精准度",
        "公开透明度",
        "社会满意度",
    ]
    assert [(b.name, b.min) for b in framework.bands] == [
        ("卓越", 95),
        ("优秀", 85),
        ("良好", 75),
        ("发展", 60),
        ("准备", 0),
    ]


def test_devzone_interaction_group_follows_chapter_seven():
    framework = fw.load("devzone_2025")
    interaction = framework.find("interaction")
    assert [c.name for c in interaction.children] == ["咨询投诉", "调查征集", "智能问答", "互动知识库"]
    public_service = next(c for c in framework.find("online_service").children if c.name == "公共服务")
    assert public_service is not None


def test_devzone_variants_have_their_own_weights():
    etdz = fw.load("devzone_2025:etdz")
    hitech = fw.load("devzone_2025", variant="hitech")
    assert etdz.find("disclosure.industry").weight == 5
    assert hitech.find("disclosure.industry").weight == 4
    assert etdz.display_code == "devzone_2025:etdz"


def test_history_cleanup_is_a_deduction_item_with_its_conditions():
    framework = fw.load("portal_ministry_2025")
    item = next(i for i in framework.walk() if i.name == "历史信息清理和风险防范")
    assert item.scoring == "deduction"
    assert len(item.deductions) == 7
    old_news = [d for d in item.deductions if "5 年" in d.text or "5年" in d.text]
    assert old_news and "old_news" in old_news[0].finding_types


@pytest.mark.parametrize("name", sorted(LEAF_COUNTS))
def test_every_leaf_says_how_it_is_collected_and_what_is_assessed(name):
    for leaf in fw.load(name).leaves():
        assert leaf.collection in ("auto", "manual", "hybrid")
        assert leaf.assessment, leaf.code


def test_shared_concepts_share_codes_across_local_portal_frameworks():
    names = ["portal_province_2025", "portal_municipality_2025", "portal_city_2025", "portal_county_2025"]
    by_name = [{i.name: i.code for i in fw.load(n).walk()} for n in names]
    common = set.intersection(*(set(m) for m in by_name))
    assert len(common) > 20
    for indicator_name in common:
        codes = {m[indicator_name] for m in by_name}
        assert len(codes) == 1, (indicator_name, codes)

"""The 2025 sample against the counts the report prints, and its division codes."""

from __future__ import annotations

from collections import Counter
from dataclasses import FrozenInstanceError

import pytest

from govsite.sites import divisions
from govsite.sites.sample import DIVISION_LEVELS, SurveyObject, load_sample_2025

# Where the report's list and its own printed counts disagree (listed - printed).
# 陕西省 prints "(24个)" over 25 sites (its 14 区县 end with 安康's 紫阳县), while the
# 850 / 485 totals agree with the 24; the 开发区 rows list 187 经开区 and 148 高新区
# under their headings against the printed 188 / 147 (the total 335 agrees).
SOURCE_DISCREPANCY = {
    ("portal", "区县"): +1,
    ("portal", "陕西省"): +1,
    ("devzone", "经开区"): -1,
    ("devzone", "高新区"): +1,
}

PRINTED_GROUPS = {
    ("digital_gov", "省级"): 32,
    ("digital_gov", "城市"): 34,
    ("portal", "部委"): 63,
    ("portal", "省级"): 32,
    ("portal", "地市"): 32 + 301,
    ("portal", "区县"): 485,
    ("devzone", "经开区"): 188,
    ("devzone", "高新区"): 147,
}

PRINTED_MINISTRY_CATEGORIES = {
    "国务院组成部门": 25,
    "国务院直属特设机构": 1,
    "国务院直属机构": 14,
    "国务院直属事业单位": 6,
    "国务院部委管理的国家局": 17,
}

PRINTED_PORTAL_BY_PROVINCE = {
    "北京市": 17, "天津市": 17, "上海市": 17, "重庆市": 39, "河北省": 34, "山西省": 22,
    "内蒙古自治区": 22, "辽宁省": 38, "吉林省": 21, "黑龙江省": 32, "江苏省": 25,
    "浙江省": 35, "安徽省": 41, "福建省": 30, "江西省": 21, "山东省": 42, "河南省": 30,
    "湖北省": 29, "湖南省": 24, "广东省": 45, "广西壮族自治区": 52, "海南省": 9,
    "四川省": 42, "贵州省": 20, "云南省": 31, "西藏自治区": 16, "陕西省": 24, "甘肃省": 23,
    "青海省": 16, "宁夏回族自治区": 12, "新疆维吾尔自治区": 23, "新疆生产建设兵团": 1,
}  # fmt: skip

PRINTED_DEVZONE_BY_PROVINCE = {
    "北京市": 2, "天津市": 6, "河北省": 11, "山西省": 6, "内蒙古自治区": 5, "辽宁省": 12,
    "吉林省": 9, "黑龙江省": 4, "上海市": 6, "江苏省": 34, "浙江省": 21, "安徽省": 19,
    "福建省": 10, "江西省": 17, "山东省": 26, "河南省": 15, "湖北省": 20, "湖南省": 18,
    "广东省": 21, "广西壮族自治区": 8, "海南省": 2, "重庆市": 7, "四川省": 17, "贵州省": 3,
    "云南省": 7, "西藏自治区": 2, "陕西省": 11, "甘肃省": 6, "青海省": 1,
    "宁夏回族自治区": 2, "新疆维吾尔自治区": 7,
}  # fmt: skip

# Sample sites that name no current GB/T 2260 division: 江北区 and 渝北区 were
# abolished on 2025-11-06 and merged into 两江新区 (500157); 大鹏新区 is a
# Shenzhen 功能区, never an administrative division. 兵团 is left out on purpose.
UNRESOLVED = [("重庆市", "江北区"), ("重庆市", "渝北区"), ("广东省", "大鹏新区")]


@pytest.fixture(scope="module")
def sample() -> list[SurveyObject]:
    return load_sample_2025()


def expected(key: tuple[str, str], printed: int) -> int:
    return printed + SOURCE_DISCREPANCY.get(key, 0)


def test_group_sizes_match_the_printed_counts_up_to_the_documented_source_errors(sample):
    got = Counter((o.survey, o.group) for o in sample)
    assert got == {key: expected(key, n) for key, n in PRINTED_GROUPS.items()}


def test_survey_totals_are_the_printed_ones_plus_shaanxis_extra_county(sample):
    got = Counter(o.survey for o in sample)
    assert got["digital_gov"] == 32 + 34
    assert got["portal"] == 63 + 850 + SOURCE_DISCREPANCY[("portal", "区县")]
    assert got["devzone"] == 335


def test_levels_split_the_groups_as_printed(sample):
    got = Counter((o.survey, o.level) for o in sample)
    assert got[("digital_gov", "municipality")] == 4
    assert got[("digital_gov", "province")] == 28  # 27 provinces and 兵团
    assert got[("digital_gov", "capital")] == 32
    assert got[("digital_gov", "prefecture")] == 2
    assert got[("portal", "ministry")] == 63
    assert got[("portal", "municipality")] + got[("portal", "province")] == 32
    assert got[("portal", "capital")] == 32  # 省会、计划单列市（32 个）
    assert got[("portal", "prefecture")] == 301  # 地级市（301 个）
    assert got[("portal", "county")] == expected(("portal", "区县"), 485)
    assert got[("devzone", "etdz")] == expected(("devzone", "经开区"), 188)
    assert got[("devzone", "hitech")] == expected(("devzone", "高新区"), 147)


def test_ministries_fall_into_the_five_printed_categories(sample):
    got = Counter(o.category for o in sample if o.level == "ministry")
    assert got == PRINTED_MINISTRY_CATEGORIES


def test_each_province_has_its_printed_number_of_portals(sample):
    got = Counter(o.province for o in sample if o.survey == "portal" and o.level != "ministry")
    assert got == {p: expected(("portal", p), n) for p, n in PRINTED_PORTAL_BY_PROVINCE.items()}


def test_each_province_has_its_printed_number_of_development_zones(sample):
    got = Counter(o.province for o in sample if o.survey == "devzone")
    assert got == PRINTED_DEVZONE_BY_PROVINCE


def test_only_lianyungang_and_binzhou_registered_themselves(sample):
    assert [(o.survey, o.name) for o in sample if o.self_registered] == [
        ("digital_gov", "连云港市"),
        ("digital_gov", "滨州市"),
    ]


def test_the_five_planned_cities_are_capitals(sample):
    capitals = {o.name for o in sample if o.level == "capital"}
    assert {"大连市", "宁波市", "厦门市", "青岛市", "深圳市"} <= capitals
    assert len(capitals) == 32


def test_a_site_in_two_surveys_has_one_row_in_each(sample):
    hangzhou = [(o.survey, o.group, o.level) for o in sample if o.name == "杭州市"]
    assert hangzhou == [("digital_gov", "城市", "capital"), ("portal", "地市", "capital")]


def test_every_division_site_resolves_except_the_abolished_and_the_functional_area(sample):
    missing = [
        (o.province, o.name)
        for o in sample
        if o.level in DIVISION_LEVELS and o.division_code is None and o.name != divisions.XPCC_NAME
    ]
    assert missing == UNRESOLVED


def test_codes_have_the_shape_of_their_level_and_name_the_site(sample):
    for o in sample:
        if o.division_code is None:
            continue
        code = o.division_code
        if o.level in ("province", "municipality"):
            assert code.endswith("0000"), o
        elif o.level in ("capital", "prefecture"):
            assert code.endswith("00") and not code.endswith("0000"), o
        else:
            assert o.level == "county" and not code.endswith("00"), o
        assert divisions.name_of(code) == o.division_name, o


def test_non_division_sites_have_no_code(sample):
    assert all(o.division_code is None for o in sample if o.level not in DIVISION_LEVELS)


def test_counties_lie_in_the_prefecture_the_list_puts_them_in(sample):
    for o in sample:
        if o.level == "county" and o.city and o.division_code:
            city_code = divisions.find_code(o.city, province=o.province)
            assert city_code is not None and o.division_code[:4] == city_code[:4], o


@pytest.mark.parametrize(
    ("province", "name", "city", "code"),
    [
        ("吉林省", "朝阳区", "长春市", "220104"),
        ("福建省", "鼓楼区", "福州市", "350102"),
        ("山东省", "市中区", "济南市", "370103"),
        ("安徽省", "郊区", "铜陵市", "340711"),
        ("北京市", "朝阳区", "", "110105"),
        ("湖北省", "仙桃市", "", "429004"),
    ],
)
def test_same_named_counties_get_the_prefecture_of_their_context(province, name, city, code, sample):
    (obj,) = [o for o in sample if o.level == "county" and (o.province, o.name) == (province, name)]
    assert (obj.city, obj.division_code) == (city, code)


def test_short_printed_names_carry_the_official_name(sample):
    official = {o.name: o.official_name for o in sample if o.official_name}
    assert official["石柱县"] == "石柱土家族自治县"
    assert official["延边州"] == "延边朝鲜族自治州"
    assert official["湘西自治州"] == "湘西土家族苗族自治州"
    assert all(divisions.find_code(v) for v in official.values())


def test_xpcc_has_no_code_and_sorts_right_after_xinjiang(sample):
    provincial = [o for o in sample if o.survey == "digital_gov" and o.group == "省级"]
    (xpcc,) = [o for o in provincial if o.name == divisions.XPCC_NAME]
    assert xpcc.division_code is None
    ordered = [o.name for o in sorted(provincial, key=lambda o: o.sort_code)]
    assert ordered[-2:] == ["新疆维吾尔自治区", "新疆生产建设兵团"]
    assert ordered == [o.name for o in provincial]  # the reference's own order


def test_loading_returns_fresh_lists_of_frozen_objects(sample):
    again = load_sample_2025()
    assert again == sample and again is not sample
    with pytest.raises(FrozenInstanceError):
        again[0].url = "https://example.gov.cn"  # type: ignore[misc]

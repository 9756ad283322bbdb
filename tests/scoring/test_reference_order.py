"""Bands and order reproduce the reference's published 数字政府 tables (第六章 第一节).

Each participant gets scores inside the band the report published for it,
handed in shuffled; the output must list the bands' members exactly as the
report does: 同档内按照行政区划序列排序, newly self-registered cities last,
新疆生产建设兵团 after 新疆维吾尔自治区.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from govsite import frameworks as fw
from govsite.cli import run_scoring

# Copied from the reference, 第六章 第一节 一、二 (band: members in published order).
PROVINCES = {
    "卓越": "北京市、上海市、浙江省、福建省、广东省",
    "优秀": "天津市、江苏省、安徽省、江西省、山东省、湖北省、湖南省、广西壮族自治区、海南省、重庆市、四川省、贵州省",
    "良好": "河北省、山西省、内蒙古自治区、辽宁省、吉林省、黑龙江省、河南省、云南省、陕西省、甘肃省、宁夏回族自治区",
    "发展": "西藏自治区、青海省、新疆维吾尔自治区、新疆生产建设兵团",
}
CITIES = {
    "卓越": "杭州市、宁波市、厦门市、青岛市、广州市、深圳市",
    "优秀": "长春市、南京市、合肥市、福州市、济南市、武汉市、长沙市、南宁市、成都市、贵阳市、连云港市",
    "良好": "石家庄市、太原市、呼和浩特市、沈阳市、大连市、哈尔滨市、南昌市、郑州市、海口市、昆明市、西安市、兰州市、银川市、滨州市",
    "发展": "拉萨市、西宁市、乌鲁木齐市",
}
# A share of the base points per band; with bonus these land inside the band.
BAND_SHARES = {"卓越": ("0.9", "7"), "优秀": ("0.8", "6"), "良好": ("0.7", "5.5"), "发展": ("0.6", "2")}


@pytest.mark.parametrize(("published", "count"), [(PROVINCES, 32), (CITIES, 34)])
def test_published_bands_and_order_are_reproduced(published, count, sheet_writer):
    framework = fw.load("digital_gov_2025")
    members = [(band, name) for band, names in published.items() for name in names.split("、")]
    assert len(members) == count
    random.Random(7).shuffle(members)
    # Vary scores inside each band so that order cannot come from the totals.
    rng = random.Random(11)
    shares, bonus = {}, {}
    for band, name in members:
        share, extra = BAND_SHARES[band]
        shares[name] = Decimal(share) + Decimal(rng.randint(0, 4)) / 100
        bonus[name] = Decimal(extra)
    ranked, notes = run_scoring(framework, sheet_writer(framework, shares, bonus=bonus))
    assert notes == []
    got: dict[str, list[str]] = {}
    for item in ranked:
        got.setdefault(item.band, []).append(item.result.site)
    assert {band: "、".join(names) for band, names in got.items()} == published


def test_self_registration_comes_from_the_sample_when_the_sheet_is_silent(sheet_writer):
    framework = fw.load("digital_gov_2025")
    path = sheet_writer(framework, {"滨州市": Decimal("0.7"), "银川市": Decimal("0.7")})
    ranked, _ = run_scoring(framework, path)
    assert [i.result.site for i in ranked] == ["银川市", "滨州市"]
    assert ranked[1].result.self_registered is True
    assert ranked[1].result.division_code == "371600"

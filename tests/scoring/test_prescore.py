"""The monitoring pre-score: findings of the feeding types lower an indicator's suggested score."""

from decimal import Decimal

from govsite import frameworks as fw
from govsite.scoring.prescore import feeding_types, prescore


def _leaf(code: str):
    framework = fw.load("portal_city_2025")
    return next(leaf for group in framework.indicators for leaf in group.leaves() if leaf.code == code)


def test_no_findings_suggests_full_marks():
    leaf = _leaf("security_ops.protection")
    result = prescore(leaf, {})
    assert result.score == leaf.weight and not result.present
    assert "未发现" in result.explanation


def test_each_present_type_costs_an_equal_share_whatever_the_count():
    leaf = _leaf("security_ops.protection")  # fed by no_https, tls_invalid, missing_security_header, server_banner
    types = feeding_types(leaf)
    one = prescore(leaf, {"server_banner": 1})
    many = prescore(leaf, {"server_banner": 500})
    assert one.score == many.score == (leaf.weight - leaf.weight / len(types)).quantize(Decimal("0.01"))
    two = prescore(leaf, {"server_banner": 1, "no_https": 1, "broken_link": 9})  # broken_link does not feed it
    assert two.score == (leaf.weight * (len(types) - 2) / len(types)).quantize(Decimal("0.01"))
    assert set(two.present) == {"server_banner", "no_https"}
    assert "泄露服务器版本 1 处" in two.explanation


def test_deduction_indicator_loses_a_share_per_condition_seen():
    leaf = _leaf("aggregation.history_cleanup")
    assert leaf.scoring == "deduction"
    result = prescore(leaf, {"old_news": 3})
    assert result.score == (leaf.weight - leaf.weight / len(leaf.deductions)).quantize(Decimal("0.01"))
    assert "新闻类信息保存时间超过 5 年的" in result.explanation


def test_indicator_without_finding_types_has_no_prescore():
    framework = fw.load("portal_city_2025")
    manual = next(leaf for g in framework.indicators for leaf in g.leaves() if not feeding_types(leaf))
    assert prescore(manual, {"broken_link": 1}) is None

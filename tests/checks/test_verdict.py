"""The single-veto verdict: per rule pass / fail / unknown with a reason code and sentence, overall the worst."""

from __future__ import annotations

import pytest

from govsite.checks.verdict import Coverage, VerdictFormatError, from_dict, inspection_verdict
from govsite.findings import Finding

SITE = "http://127.0.0.1:9/"


def _finding(type_: str, n: int = 0, **detail) -> Finding:
    return Finding(type=type_, url=f"{SITE}c{n}/", site=SITE, severity="high", evidence="…", detail=detail)


def _states(verdict) -> dict[str, str]:
    return {rule.code: rule.state for rule in verdict.rules}


def test_a_clean_complete_scan_passes_every_rule():
    verdict = inspection_verdict([])
    assert (verdict.state, verdict.label) == ("pass", "合格")
    assert set(_states(verdict).values()) == {"pass"}


def test_a_failing_rule_carries_its_code_sentence_figures_and_evidence():
    empty = [_finding("empty_column", n) for n in range(6)]
    rule = {r.code: r for r in inspection_verdict(empty).rules}["empty_columns"]
    assert (rule.state, rule.reason.code, rule.reason.text) == ("fail", "limit_reached", "空白栏目 6 个（达到 5 个）")
    assert rule.figures == {"count": 6, "limit": 5} and rule.evidence == tuple(f.url for f in empty)


def test_a_site_that_did_not_answer_is_unknown_not_vetoed():
    verdict = inspection_verdict([_finding("site_unreachable")], Coverage(pages=0, homepage=False))
    assert (verdict.state, verdict.label) == ("unknown", "无法判定")
    assert set(_states(verdict).values()) == {"unknown"}
    reasons = {r.code: r.reason.code for r in verdict.rules}
    assert reasons["site_unreachable"] == "single_visit" and reasons["stale_homepage"] == "no_pages"


def test_a_crawl_cut_short_proves_a_count_at_its_limit_but_not_one_below():
    cut = Coverage(pages=40, complete=False, why_incomplete="超过抓取时限")
    findings = [_finding("empty_column", n) for n in range(5)] + [_finding("stale_column", 10 + n) for n in range(3)]
    states = _states(inspection_verdict(findings, cut))
    assert states["empty_columns"] == "fail" and states["stale_columns"] == "unknown"
    stale = {r.code: r for r in inspection_verdict(findings, cut).rules}["stale_columns"]
    assert "超过抓取时限" in stale.reason.text and stale.reason.code == "crawl_incomplete"


def test_a_homepage_that_was_not_fetched_leaves_its_rule_unknown():
    states = _states(inspection_verdict([], Coverage(pages=12, homepage=False)))
    assert states["stale_homepage"] == "unknown" and states["empty_columns"] == "pass"


def test_a_rule_whose_types_went_unchecked_is_unknown_but_a_failure_found_stands():
    unchecked = Coverage(pages=12, unchecked=frozenset({"empty_column", "site_unreachable"}))
    rules = {r.code: r for r in inspection_verdict([], unchecked).rules}
    assert (rules["empty_columns"].state, rules["empty_columns"].reason.code) == ("unknown", "not_checked")
    assert "空白栏目" in rules["empty_columns"].reason.text
    assert rules["site_unreachable"].state == "unknown" and rules["stale_columns"].state == "pass"
    empty = [_finding("empty_column", n) for n in range(5)]
    assert _states(inspection_verdict(empty, unchecked))["empty_columns"] == "fail"


def test_stored_verdicts_read_back_in_both_shapes_and_bad_ones_are_refused():
    verdict = inspection_verdict([_finding("stale_homepage")])
    assert from_dict(verdict.as_dict()) == verdict
    old = from_dict({"passed": False, "label": "单项否决", "reasons": ["首页栏目信息超过 2 周未更新"], "counts": {}})
    assert old.state == "fail" and old.failed[0].reason.text == "首页栏目信息超过 2 周未更新"
    assert from_dict({"passed": True, "reasons": []}).state == "pass" and from_dict(None) is None
    with pytest.raises(VerdictFormatError, match="规则格式无法识别"):
        from_dict({"rules": [{"code": "x", "state": "maybe"}]})

"""The detector contract: declared types only, catalogue types only, options declared as frozen
dataclasses, no plug-in silently taking a built-in's name, and the docs' example works."""

from __future__ import annotations

import importlib
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from govsite.checks import base
from govsite.checks.base import (
    CheckConfig,
    DetectorContractError,
    DetectorSettings,
    NotConfigured,
    SiteCrawl,
    all_detectors,
    detector,
)
from govsite.crawl.records import FetchRecord, PageRecord
from govsite.crawl.store import CrawlStore
from govsite.scan import judge as judge_module
from govsite.scan.judge import SiteReport, judge_site
from govsite.text import typo_helper

SITE = "http://127.0.0.1:8000/"


def _crawl(title: str) -> SiteCrawl:
    crawl = SiteCrawl(site=SITE, config=CheckConfig(as_of=date(2025, 11, 30)))
    crawl.fetches[SITE] = FetchRecord(SITE, "page", status=200, final_url=SITE)
    crawl.pages[SITE] = PageRecord(SITE, 200, title=title)
    return crawl


@pytest.fixture
def registry():
    saved = dict(base._REGISTRY)
    yield base._REGISTRY
    base._REGISTRY.clear()
    base._REGISTRY.update(saved)


def test_the_example_in_the_docs_runs_as_a_plugin(registry):
    text = Path(__file__).resolve().parents[2].joinpath("docs", "detectors.md").read_text(encoding="utf-8")
    example = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    exec(compile(example, "docs/detectors.md", "exec"), {})  # our own documentation, run as written
    plugin = registry["homepage_title"]
    assert [f.type for f in plugin(_crawl("欢迎访问"))] == ["missing_sponsor"]
    assert plugin(_crawl("某某市人民政府")) == []
    assert plugin in all_detectors()
    county = plugin.make_options({"government": "县人民政府"})  # the options a scan gives it by name
    assert [f.type for f in plugin(_crawl("某某市人民政府"), county)] == ["missing_sponsor"]
    assert plugin(_crawl("某某县人民政府"), county) == []


def test_a_type_outside_the_catalogue_is_refused_at_registration():
    with pytest.raises(ValueError, match="unknown finding types"):
        detector("bad", "not_a_type")


def test_a_detector_emitting_an_undeclared_type_fails_loudly(registry):
    @detector("sneaky", "missing_icp")
    def sneaky(crawl):
        yield crawl.finding("missing_sitemap", crawl.site, "low", "x")

    with pytest.raises(ValueError, match="undeclared type missing_sitemap"):
        registry["sneaky"](_crawl("t"))


def test_every_built_in_detector_declares_catalogue_types():
    names = {d.name for d in all_detectors()}
    assert {"site_unreachable", "broken_links", "columns", "identity_marks", "security_headers"} <= names


def test_a_plugin_taking_a_built_in_name_is_refused_unless_it_says_it_replaces_it(registry):
    builtin = registry["columns"]

    with pytest.raises(DetectorContractError, match=r"'columns' .* is a built-in detector .*replaces=True"):

        @detector("columns", "empty_column")
        def my_columns(crawl):
            return []

    assert registry["columns"] is builtin

    @detector("columns", "empty_column", replaces=True)
    def my_columns_instead(crawl):
        return []

    assert registry["columns"].run is my_columns_instead


def test_a_built_in_loaded_after_the_plugin_that_replaces_it_does_not_take_its_name_back(registry):
    @detector("columns", "empty_column", replaces=True)
    def my_columns(crawl):
        return []

    importlib.reload(importlib.import_module("govsite.checks.freshness"))  # the built-in registers again
    assert registry["columns"].run is my_columns
    assert registry["stale_homepage"].origin == "govsite.checks.freshness.stale_homepage"


def test_two_plugins_of_one_name_are_refused(registry):
    @detector("province_rule", "missing_sponsor")
    def first(crawl):
        return []

    with pytest.raises(DetectorContractError, match="already a detector"):

        @detector("province_rule", "missing_sponsor")
        def second(crawl):
            return []


def test_options_must_be_a_frozen_dataclass_with_defaults():
    @dataclass
    class Loose:
        limit: int = 3

    @dataclass(frozen=True)
    class NoDefault:
        limit: int

    with pytest.raises(DetectorContractError, match="frozen dataclass"):
        detector("loose", "missing_sponsor", options=Loose)
    with pytest.raises(DetectorContractError, match="needs a default"):
        detector("no_default", "missing_sponsor", options=NoDefault)


def test_settings_name_only_detectors_and_options_that_exist():
    detectors = all_detectors()
    DetectorSettings({"wording": {"general_typos": False}}, frozenset({"columns"})).check(detectors)
    with pytest.raises(DetectorContractError, match="没有名为 nope 的检测规则"):
        DetectorSettings(skip=frozenset({"nope"})).check(detectors)
    with pytest.raises(DetectorContractError, match="检测规则 wording 没有选项 \\['typos'\\]"):
        DetectorSettings({"wording": {"typos": False}}).check(detectors)
    with pytest.raises(DetectorContractError, match="检测规则 columns 没有可设置的选项"):
        DetectorSettings({"columns": {"limit": 3}}).check(detectors)


def test_every_detector_has_a_chinese_description():
    described = {d.name: d.description for d in all_detectors()}
    assert described["wording"] == "错别字、严重表述错误"
    assert all(re.search(r"[\u4e00-\u9fff]", text) for text in described.values())


# -- the judge honours the contract --------------------------------------------------------------

ARTICLE = "首页 通知公告 坚持中国特色社会注意道路，全面贯彻落食党的方针政策，大家再接再励。"
CONFIG = CheckConfig(as_of=date(2025, 11, 30))


def _judge(folder: Path, settings: DetectorSettings | None = None) -> SiteReport:
    store = CrawlStore(folder)
    store.open()
    store.add_fetch(FetchRecord(SITE, "page", status=200, final_url=SITE))
    store.add_page(PageRecord(SITE, 200, title="某某市人民政府", text=ARTICLE))
    store.close()
    # the ipv6 probe's report (probes/ipv6.py): without one, the ipv6 detector is "not checked" too
    ipv6 = {"outcome": "measured", "aaaa": ["::1"], "homepage_v6": {"status": 200}, "links": []}
    (folder / "ipv6.json").write_text(json.dumps(ipv6), encoding="utf-8")
    return judge_site(SITE, store, CONFIG, detectors=settings)


def _typos(report: SiteReport) -> set[str]:
    return {f.detail["key"] for f in report.findings if f.type == "typo"}


def _without_baseline_types(types: list[str]) -> list[str]:
    """The unchecked types but those of the detectors that need a baseline (none is given here)."""
    return [t for t in types if t not in ("external_link_hijacked", "page_tampered")]


def _rules(report: SiteReport) -> dict[str, dict]:
    return {rule["code"]: rule for rule in report.summary["verdict"]["rules"]}


def test_a_detector_switched_off_is_listed_with_its_types_and_its_rules_are_not_judged(tmp_path):
    on = _judge(tmp_path / "on")
    assert {"落食", "再接再励"} <= _typos(on)
    # Without a baseline only the detectors that compare with one are not run (their types unchecked).
    assert {item["name"] for item in on.summary["skipped_detectors"]} == {"tampering", "external_redirect"}
    assert on.summary["unchecked_types"] == ["external_link_hijacked", "page_tampered"]
    assert _rules(on)["empty_columns"]["state"] == "pass"
    assert _rules(on)["security_incident"]["reason"]["code"] == "partly_checked"  # stands on 挂马, names 网页篡改

    off = _judge(tmp_path / "off", DetectorSettings(skip=frozenset({"wording", "columns"})))
    assert not {f.type for f in off.findings} & {"typo", "sensitive_expression"}
    skipped = {item["name"]: item for item in off.summary["skipped_detectors"]}
    assert set(skipped) == {"wording", "columns", "tampering", "external_redirect"}
    assert skipped["columns"]["finding_types"] == ["stale_column", "empty_column"] and skipped["columns"]["reason"]
    assert off.summary["unchecked_types"] == [
        "empty_column",
        "external_link_hijacked",
        "page_tampered",
        "sensitive_expression",
        "stale_column",
        "typo",
    ]
    for code in ("empty_columns", "stale_columns", "stale_dynamic_columns"):
        assert _rules(off)[code]["state"] == "unknown" and _rules(off)[code]["reason"]["code"] == "not_checked"
    assert _rules(off)["stale_homepage"] == _rules(on)["stale_homepage"]  # judged by another detector
    assert off.summary["errors"] == []  # switched off on purpose is not an error


def test_the_scan_s_options_reach_the_detector_by_name(tmp_path):
    report = _judge(tmp_path, DetectorSettings({"wording": {"general_typos": False}}))
    assert "再接再励" in _typos(report) and "落食" not in _typos(report)  # the lexicon layer only


@dataclass(frozen=True)
class WordOptions:
    word: str = "默认"


def test_the_judge_holds_each_context_around_reading_the_records_and_running(registry, tmp_path, monkeypatch):
    events: list[tuple] = []

    @contextmanager
    def session(config: CheckConfig, options: WordOptions):
        events.append(("enter", config.as_of, options.word, typo_helper._helper is not None))
        yield
        events.append(("exit",))

    @detector("lifecycle", "missing_sponsor", options=WordOptions, prepare=session)
    def lifecycle(crawl, options):
        events.append(("run", options.word, typo_helper._helper is not None))
        return []

    read = judge_module.load_crawl
    monkeypatch.setattr(judge_module, "load_crawl", lambda *args: events.append(("read",)) or read(*args))
    _judge(tmp_path / "a", DetectorSettings({"lifecycle": {"word": "县"}}))
    # wording's context (registered first) started the typo helper: the judge never imports a detector's module
    assert events == [("enter", CONFIG.as_of, "县", True), ("read",), ("run", "县", True), ("exit",)]
    assert typo_helper._helper is None  # and it stopped with the site
    events.clear()
    _judge(tmp_path / "b", DetectorSettings({"wording": {"general_typos": False}}))
    assert events[0] == ("enter", CONFIG.as_of, "默认", False)  # no statistical layer, no helper


def test_a_detector_that_cannot_run_is_an_error_and_skipped_and_the_others_run(registry, tmp_path):
    @contextmanager
    def needs_a_model(config, options):
        raise NotConfigured("未找到模型文件 model.onnx")
        yield

    @detector("needs_model", "missing_sponsor", prepare=needs_a_model)
    def needs_model(crawl):
        return []

    @detector("needs_table", "missing_sitemap")
    def needs_table(crawl):
        raise NotConfigured("未配置栏目表")

    report = _judge(tmp_path)
    assert "检测规则 needs_model 未运行（无法配置）：未找到模型文件 model.onnx" in report.summary["errors"]
    assert "检测规则 needs_table 未运行（无法配置）：未配置栏目表" in report.summary["errors"]
    assert {item["name"] for item in report.summary["skipped_detectors"]} == {
        "needs_model",
        "needs_table",
        "tampering",
        "external_redirect",
    }
    assert _without_baseline_types(report.summary["unchecked_types"]) == ["missing_sitemap", "missing_sponsor"]
    assert "再接再励" in _typos(report)


def test_an_unreadable_deployment_lexicon_makes_the_wording_detector_not_configured(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVSITE_WORDING_LEXICONS", str(tmp_path / "missing.yaml"))
    report = _judge(tmp_path / "site")
    (error,) = report.summary["errors"]
    assert error.startswith("检测规则 wording 未运行（无法配置）：GOVSITE_WORDING_LEXICONS 所列词库无法读取")
    unchecked = _without_baseline_types(report.summary["unchecked_types"])
    assert unchecked == ["sensitive_expression", "typo"] and not _typos(report)

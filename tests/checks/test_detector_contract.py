"""The detector contract: declared types only, catalogue types only, and the docs' example works."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from govsite.checks import base
from govsite.checks.base import CheckConfig, SiteCrawl, all_detectors, detector
from govsite.crawl.records import FetchRecord, PageRecord

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

"""The wording detector over a crawl: one finding per (type, URL, wrong text), footers skipped,
attachments reported with their linking page, site whitelists honoured."""

from __future__ import annotations

from datetime import date

import pytest

from govsite.checks import wording as wording_module
from govsite.checks.base import CheckConfig, SiteCrawl, all_detectors
from govsite.crawl.records import DocumentRecord, Link, PageRecord

SITE = "https://www.qinghe.gov.cn/"
ARTICLE = SITE + "art/2025/3/1/art_1_1.html"
PDF = SITE + "attach/-1/notice.pdf"
FOOTER = "沪公网安备 31010102000001号 主办单位：青禾市人民政府办公室 网站标识码：3101000001"


@pytest.fixture(autouse=True)
def default_options():
    wording_module.configure()
    yield
    wording_module.configure()


def detector():
    return next(d for d in all_detectors() if d.name == "wording")


def crawl() -> SiteCrawl:
    body = "坚持中国特色社会注意道路，全面贯彻落食党的方针政策。国土资源部部署督察工作。再次强调，要全面贯彻落食。"
    pages = {
        SITE: PageRecord(SITE, 200, text=f"首页 {FOOTER}", footer_text=FOOTER, links=[Link(PDF, "通知", "attachment")]),
        ARTICLE: PageRecord(ARTICLE, 200, text=f"{body} {FOOTER}", footer_text=FOOTER, published=date(2025, 3, 1)),
    }
    documents = {PDF: DocumentRecord(PDF, "pdf", text="会议由国务院总里主持，大家再接再励。")}
    return SiteCrawl(SITE, CheckConfig(as_of=date(2025, 11, 30)), pages=pages, documents=documents)


def test_the_statistical_typo_layer_is_opt_in():
    keys = {(f.type, f.detail["key"]) for f in detector()(crawl())}
    assert ("typo", "落食") not in keys  # statistical: only with configure(general_typos=True)
    assert ("typo", "再接再励") in keys and ("sensitive_expression", "国土资源部") in keys  # lexicon: always


def test_findings_shape_and_keys():
    wording_module.configure(general_typos=True)
    findings = detector()(crawl())
    by_key = {(f.type, f.url, f.detail["key"]): f for f in findings}
    assert set(by_key) == {
        ("sensitive_expression", ARTICLE, "中国特色社会注意"),
        ("typo", ARTICLE, "落食"),
        ("sensitive_expression", ARTICLE, "国土资源部"),
        ("typo", PDF, "国务院总里"),
        ("typo", PDF, "再接再励"),
    }
    typo = by_key[("typo", ARTICLE, "落食")]
    assert typo.detail["count"] == 2 and typo.detail["correct"] == "落实" and typo.detail["serious"] is False
    assert typo.severity == "low" and typo.page is None
    assert "落食" in typo.evidence and "落实" in typo.evidence and "落食" in typo.detail["sentence"]
    outdated = by_key[("sensitive_expression", ARTICLE, "国土资源部")]
    assert outdated.severity == "high" and outdated.detail["serious"] is True and "自然资源部" in outdated.evidence
    title = by_key[("typo", PDF, "国务院总里")]
    assert title.detail["serious"] is True and title.severity == "high" and title.page == SITE
    assert title.detail["where"] == "pdf"


def test_footer_only_page_yields_nothing():
    c = SiteCrawl(SITE, CheckConfig(as_of=date(2025, 11, 30)))
    c.pages[SITE] = PageRecord(SITE, 200, text=FOOTER, footer_text=FOOTER)
    assert detector()(c) == []
    c.pages[SITE] = PageRecord(SITE, 200, text=f"欢迎访问 {FOOTER}", footer_text="")
    assert detector()(c) == []


def test_site_and_global_whitelists():
    wording_module.configure(whitelist=["落食"], site_whitelists={"www.qinghe.gov.cn": ["国土资源部"]})
    keys = {f.detail["key"] for f in detector()(crawl())}
    assert "落食" not in keys and "国土资源部" not in keys and "中国特色社会注意" in keys
    wording_module.configure(site_whitelists={"www.other.gov.cn": ["国土资源部"]})
    assert "国土资源部" in {f.detail["key"] for f in detector()(crawl())}

"""The availability detectors (checks/links.py) on records built by hand: no crawl, no server.

Each rule is pinned on both sides of its edge: a status that is broken next to one that is not,
a response time just over the limit next to one at it.
"""

from __future__ import annotations

from datetime import date

import pytest

from govsite.checks.base import CheckConfig, SiteCrawl
from govsite.checks.links import broken_downloads, broken_links, site_unreachable, slow_pages, soft_404
from govsite.crawl.records import FetchRecord, Link, PageRecord

SITE = "http://www.qdh.gov.cn/"
HOME_OK = FetchRecord(SITE, "page", status=200, content_type="text/html", final_url=SITE)


def crawl_of(*fetches: FetchRecord, pages: tuple[PageRecord, ...] = (), slow_ms: int = 3000) -> SiteCrawl:
    crawl = SiteCrawl(SITE, CheckConfig(as_of=date(2025, 6, 30), slow_ms=slow_ms))
    for fetch in (HOME_OK, *fetches):
        crawl.fetches[fetch.url] = fetch
    home = PageRecord(SITE, 200, title="青禾县人民政府", links=[])
    crawl.pages[SITE] = home
    for page in pages:
        crawl.pages[page.url] = page
    return crawl


def linking_home(*targets: tuple[str, str, str]) -> PageRecord:
    """The homepage, linking to (url, text, kind) targets."""
    return PageRecord(SITE, 200, title="青禾县人民政府", links=[Link(u, t, k) for u, t, k in targets])


def types(findings) -> list[tuple[str, str]]:
    return sorted((f.type, f.url) for f in findings)


# --- broken in-site and external links -------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 410, 500, 502, 503])
def test_gone_or_failing_in_site_link_is_broken(status):
    url = SITE + "art/2025/6/1/art_1_2.html"
    crawl = crawl_of(FetchRecord(url, "page", status=status, referrer=SITE))
    crawl.pages[SITE] = linking_home((url, "关于开展安全检查的通知", "page"))
    [finding] = broken_links(crawl)
    assert (finding.type, finding.url, finding.severity) == ("broken_link", url, "high")
    assert finding.evidence == f"HTTP {status}"
    assert finding.page == SITE
    assert finding.detail["link_text"] == "关于开展安全检查的通知"
    assert finding.detail["linked_from"] == 1


@pytest.mark.parametrize("status", [200, 301, 304, 399, 401, 403, 429])
def test_answers_that_are_not_broken(status):
    """3xx/2xx are fine; 401/403/429 mean "refused us", not "gone"."""
    crawl = crawl_of(FetchRecord(SITE + "a.html", "page", status=status, referrer=SITE))
    assert list(broken_links(crawl)) == []


def test_status_400_is_the_first_broken_one():
    crawl = crawl_of(FetchRecord(SITE + "a.html", "page", status=400, referrer=SITE))
    assert types(broken_links(crawl)) == [("broken_link", SITE + "a.html")]


@pytest.mark.parametrize(
    ("error", "label"),
    [
        ("timeout", "请求超时"),
        ("redirect_loop", "重定向循环"),
        ("dns", "域名无法解析"),
        ("refused", "连接被拒绝或中断"),
        ("tls", "TLS/证书握手失败"),
        ("error", "请求失败"),
    ],
)
def test_fetch_errors_are_broken_links_with_their_reason(error, label):
    url = SITE + "slow/x.html"
    crawl = crawl_of(FetchRecord(url, "page", error=error, error_detail="after 30 s", referrer=SITE))
    [finding] = broken_links(crawl)
    assert finding.type == "broken_link"
    assert finding.evidence == f"{label}（after 30 s）"
    assert finding.detail["error"] == error


def test_redirect_loop_keeps_its_chain():
    a, b = SITE + "loop/a.html", SITE + "loop/b.html"
    crawl = crawl_of(FetchRecord(a, "page", error="redirect_loop", redirects=[a, b, a], referrer=SITE))
    [finding] = broken_links(crawl)
    assert finding.evidence == "重定向循环"
    assert finding.detail["redirects"] == [a, b, a]


@pytest.mark.parametrize("error", ["blocked", "too_large"])
def test_fetches_we_refused_ourselves_are_not_broken(error):
    crawl = crawl_of(FetchRecord(SITE + "private/x.html", "page", error=error, referrer=SITE))
    assert list(broken_links(crawl)) == []


def test_external_link_failures_are_their_own_type_at_medium_severity():
    out = "http://www.example-ministry.gov.cn/gone.html"
    crawl = crawl_of(
        FetchRecord(out, "external", status=404, referrer=SITE),
        FetchRecord("http://www.other.gov.cn/", "external", error="timeout", referrer=SITE),
        FetchRecord("http://www.fine.gov.cn/", "external", status=200, referrer=SITE),
    )
    found = {f.url: f for f in broken_links(crawl)}
    assert set(found) == {out, "http://www.other.gov.cn/"}
    assert {f.type for f in found.values()} == {"broken_external_link"}
    assert {f.severity for f in found.values()} == {"medium"}


def test_the_homepage_and_attachments_are_not_broken_links():
    crawl = crawl_of(FetchRecord(SITE + "files/a.pdf", "attachment", status=404, referrer=SITE))
    crawl.fetches[SITE] = FetchRecord(SITE, "page", status=500)
    assert list(broken_links(crawl)) == []


def test_linking_pages_are_counted_and_the_first_is_named():
    url = SITE + "gone.html"
    other = PageRecord(SITE + "col/col1/index.html", 200, links=[Link(url, "旧链接", "page")])
    crawl = crawl_of(FetchRecord(url, "page", status=404, referrer=other.url), pages=(other,))
    crawl.pages[SITE] = linking_home((url, "首页上的链接", "page"))
    [finding] = broken_links(crawl)
    assert finding.page == SITE  # crawl order: the homepage first
    assert finding.detail["linked_from"] == 2


# --- downloads ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("problem", "evidence"),
    [("html_instead", "返回的是网页而不是文件"), ("corrupt", "文件已损坏或格式与扩展名不符"), ("empty", "文件为空（0 字节）")],
)
def test_unusable_attachments_are_broken_downloads(problem, evidence):
    url = SITE + "files/plan.docx"
    crawl = crawl_of(FetchRecord(url, "attachment", status=200, attachment_problem=problem, referrer=SITE))
    [finding] = broken_downloads(crawl)
    assert (finding.type, finding.evidence, finding.detail["problem"]) == ("broken_download", evidence, problem)


def test_attachment_http_errors_and_good_files():
    crawl = crawl_of(
        FetchRecord(SITE + "files/gone.pdf", "attachment", status=404, referrer=SITE),
        FetchRecord(SITE + "files/good.pdf", "attachment", status=200, referrer=SITE),
        FetchRecord(SITE + "files/refused.pdf", "attachment", status=403, referrer=SITE),
    )
    [finding] = broken_downloads(crawl)
    assert finding.url == SITE + "files/gone.pdf"
    assert finding.detail["problem"] == "http_404"


# --- the homepage -------------------------------------------------------------------------------


def test_a_reachable_homepage_is_not_reported():
    assert list(site_unreachable(crawl_of())) == []


@pytest.mark.parametrize(
    ("fetch", "evidence_part"),
    [
        (FetchRecord(SITE, "page", error="timeout"), "请求超时"),
        (FetchRecord(SITE, "page", status=503), "HTTP 503"),
        (FetchRecord(SITE, "page", status=403), "首页无法获取：HTTP 403"),
        (FetchRecord(SITE, "page", status=200, final_url="http://www.elsewhere.com/"), "首页跳转到站外"),
    ],
)
def test_unusable_homepages(fetch, evidence_part):
    crawl = crawl_of()
    crawl.fetches[SITE] = fetch
    [finding] = site_unreachable(crawl)
    assert finding.type == "site_unreachable"
    assert evidence_part in finding.evidence


def test_a_homepage_that_is_not_a_page():
    crawl = crawl_of()
    crawl.fetches[SITE] = FetchRecord(SITE, "page", status=200, content_type="application/pdf")
    del crawl.pages[SITE]
    [finding] = site_unreachable(crawl)
    assert "application/pdf" in finding.evidence


def test_a_homepage_never_fetched():
    crawl = SiteCrawl(SITE, CheckConfig(as_of=date(2025, 6, 30)))
    [finding] = site_unreachable(crawl)
    assert "没有被抓取" in finding.evidence


# --- slow pages and soft 404 ----------------------------------------------------------------------


def test_slow_page_is_strictly_over_the_limit():
    crawl = crawl_of(
        FetchRecord(SITE + "at.html", "page", status=200, elapsed_ms=1000, referrer=SITE),
        FetchRecord(SITE + "over.html", "page", status=200, elapsed_ms=1001, referrer=SITE),
        FetchRecord(SITE + "files/big.pdf", "attachment", status=200, elapsed_ms=9000, referrer=SITE),
        slow_ms=1000,
    )
    [finding] = slow_pages(crawl)
    assert finding.url == SITE + "over.html"
    assert finding.detail == {"elapsed_ms": 1001}


def test_soft_404_on_a_short_error_page_only():
    short = PageRecord(SITE + "x.html", 200, title="提示", text="对不起，您访问的页面不存在或已被删除。")
    long_article = PageRecord(SITE + "y.html", 200, title="通知", text="页面不存在" + "正文" * 2000)
    listing = PageRecord(SITE + "col/index.html", 200, text="页面不存在", column_name="通知公告")
    crawl = crawl_of(pages=(short, long_article, listing))
    assert types(soft_404(crawl)) == [("soft_404", short.url)]

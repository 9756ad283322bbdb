"""One page, one set of findings: the URL rules, the alias groups and the judge's de-duplication."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from govsite.crawl.aliases import PageIndex, content_digest, page_aliases
from govsite.crawl.policy import alias_key, clean_url, url_key
from govsite.crawl.records import FetchRecord, Link, PageRecord
from govsite.findings import Finding
from govsite.scan.judge import _dedupe

SITE = "http://www.example.gov.cn/"
EMPTY_COLUMN = "<html><body><h2>通知公告</h2><div>暂无信息</div></body></html>".encode()
HOME = "<html><body>首页</body></html>".encode()


def page_fetch(url: str, body: bytes | None, *, redirects: tuple[str, ...] = (), status: int = 200) -> FetchRecord:
    final = redirects[-1] if redirects else url
    digest = content_digest(body) if body is not None else ""
    return FetchRecord(url, "page", status=status, final_url=final, redirects=list(redirects), content_hash=digest)


def records(urls: Iterable[str], links: tuple[str, ...] = ()) -> dict[str, PageRecord]:
    return {url: PageRecord(url, 200, links=[Link(link, "", "page") for link in links]) for url in urls}


@pytest.mark.parametrize(
    "href",
    ["/", "HTTP://WWW.EXAMPLE.GOV.CN/#top", "http://www.example.gov.cn/?", "./", "http://www.example.gov.cn:80/"],
)
def test_urls_equal_by_the_url_rules_have_one_key(href):
    assert url_key(clean_url(href, SITE + "index.html")) == url_key(SITE)


@pytest.mark.parametrize("url", ["http://www.example.gov.cn:99999/", "http://[::1/a/"])
def test_a_broken_url_is_its_own_key_instead_of_an_error(url):
    assert url_key(url) == url
    assert alias_key(url) == alias_key(url)


def test_the_url_rules_keep_index_html_apart_from_the_directory():
    assert url_key(SITE + "index.html") != url_key(SITE)
    assert url_key(SITE + "a/index.html") != url_key(SITE + "a/")


def test_a_link_in_upper_case_is_cleaned_to_lower_case_scheme_and_host():
    assert clean_url("HTTP://WWW.Example.GOV.CN/A/#top", SITE) == "http://www.example.gov.cn/A/"


@pytest.mark.parametrize(
    "path", ["", "index.html", "index.htm", "index.shtml", "default.htm", "default.html", "Index.HTML", "./index.htm"]
)
def test_default_documents_are_candidates_of_the_homepage(path):
    assert alias_key(SITE + path) == alias_key(SITE)


def test_a_directory_its_index_and_its_slashless_form_are_candidates():
    assert alias_key(SITE + "col/") == alias_key(SITE + "col/index.html") == alias_key(SITE + "col")
    assert alias_key(SITE + "col/") != alias_key(SITE + "col2/")
    assert alias_key(SITE + "col/a.html") != alias_key(SITE + "col/")
    assert alias_key(SITE + "col/index.html?page=2") != alias_key(SITE + "col/")


def test_identical_bodies_make_a_candidate_pair_one_page_on_the_homepage_url():
    fetches = [page_fetch(SITE, HOME), page_fetch(SITE + "index.html", HOME), page_fetch(SITE + "index.htm", HOME)]
    aliases = page_aliases(fetches, records(f.url for f in fetches), SITE)
    assert {aliases[url_key(f.url)] for f in fetches} == {SITE}


def test_a_candidate_whose_body_differs_stays_another_page():
    fetches = [page_fetch(SITE, HOME), page_fetch(SITE + "index.html", b"<html><body>another page</body></html>")]
    found = {SITE: reading(SITE, "首页", ()), SITE + "index.html": reading(SITE + "index.html", "another page", ())}
    assert page_aliases(fetches, found, SITE) == {}


def test_identical_empty_columns_are_two_pages():
    fetches = [page_fetch(SITE + "col/c1/", EMPTY_COLUMN), page_fetch(SITE + "col/c2/", EMPTY_COLUMN)]
    assert page_aliases(fetches, records(f.url for f in fetches), SITE) == {}


def test_a_redirect_confirms_a_candidate_and_the_page_record_names_the_group():
    column = SITE + "col/c1/"
    fetches = [
        page_fetch(SITE + "col/c1", EMPTY_COLUMN, redirects=(column,)),  # 301 to the directory
        page_fetch(SITE + "col/c1/index.html", EMPTY_COLUMN),
    ]
    aliases = page_aliases(fetches, records([column, SITE + "col/c1/index.html"]), SITE)
    assert aliases[url_key(SITE + "col/c1")] == column
    assert aliases[url_key(SITE + "col/c1/index.html")] == column


def test_redirects_to_one_error_page_do_not_make_the_broken_links_one():
    gone = SITE + "404.html"
    fetches = [
        page_fetch(SITE + "a.html", None, redirects=(gone,), status=404),
        page_fetch(SITE + "b.html", None, redirects=(gone,), status=404),
    ]
    assert page_aliases(fetches, {}, SITE) == {}


def test_a_redirected_homepage_keeps_the_site_url_and_its_final_record():
    final = SITE + "index.html"
    fetches = [page_fetch(SITE, HOME, redirects=(final,))]
    aliases = page_aliases(fetches, records([final]), SITE)
    assert aliases == {url_key(SITE): SITE, url_key(final): SITE}
    pages = PageIndex({final: PageRecord(final, 200)}, aliases)
    assert pages.get(SITE) is pages[final] and SITE in pages


def test_the_page_index_holds_each_page_once_and_finds_it_by_any_alias():
    urls = [SITE, SITE + "index.html", SITE + "col/", SITE + "col/index.html", SITE + "other/"]
    bodies = [HOME, HOME, EMPTY_COLUMN, EMPTY_COLUMN, EMPTY_COLUMN]
    fetches = [page_fetch(url, body) for url, body in zip(urls, bodies, strict=True)]
    found = records(urls)
    pages = PageIndex(found, page_aliases(fetches, found, SITE))
    assert sorted(pages) == [SITE, SITE + "col/", SITE + "other/"]
    assert len(pages.values()) == 3
    assert pages.get(SITE + "col/index.html") is found[SITE + "col/"]
    assert pages["HTTP://WWW.EXAMPLE.GOV.CN/index.html"] is found[SITE]
    assert SITE + "col/index.html" in pages and SITE + "missing/" not in pages
    assert pages.get(SITE + "missing/") is None
    with pytest.raises(KeyError):
        pages[SITE + "missing/"]


def test_findings_on_aliases_are_reported_once_on_the_canonical_url():
    urls = [SITE, SITE + "index.html", SITE + "col/", SITE + "col/index.html"]
    bodies = [HOME, HOME, EMPTY_COLUMN, EMPTY_COLUMN]
    aliases = page_aliases([page_fetch(u, b) for u, b in zip(urls, bodies, strict=True)], records(urls), SITE)

    def finding(type_: str, url: str, page: str | None = None) -> Finding:
        return Finding(type_, url, SITE, "medium", "证据", page=page)

    findings = [
        finding("slow_page", SITE + "index.html"),
        finding("slow_page", SITE),
        finding("empty_column", SITE + "col/index.html", page=SITE + "index.html"),
        finding("empty_column", SITE + "col/", page=SITE),
        finding("empty_column", SITE + "other/"),
    ]
    kept = _dedupe(findings, aliases)
    assert [(f.type, f.url, f.page) for f in kept] == [
        ("slow_page", SITE, None),
        ("empty_column", SITE + "col/", SITE),
        ("empty_column", SITE + "other/", None),
    ]


def test_the_canonical_url_of_a_column_is_the_one_the_site_links():
    listed, directory = SITE + "col/c1/index.html", SITE + "col/c1/"
    fetches = [page_fetch(directory, EMPTY_COLUMN), page_fetch(listed, EMPTY_COLUMN)]
    found = records([directory, listed])
    found[SITE] = PageRecord(SITE, 200, links=[Link(listed, "通知公告", "page"), Link(directory, "更多", "page")])
    found[SITE + "a.html"] = PageRecord(SITE + "a.html", 200, links=[Link(listed, "通知公告", "page")])
    assert page_aliases(fetches, found, SITE)[url_key(directory)] == listed
    assert page_aliases(fetches, records([directory, listed]), SITE)[url_key(listed)] == directory  # else the shortest


def reading(url: str, text: str, links: tuple[str, ...]) -> PageRecord:
    return PageRecord(url, 200, title="青禾市人民政府", text=text, links=[Link(u, "栏目", "page") for u in links])


def test_pages_that_read_the_same_are_one_page_though_their_bodies_differ():
    """A time stamp in a comment makes every answer's bytes differ; the visitor reads one page."""
    fetches = [page_fetch(SITE, HOME + b"<!-- 10:01:02 -->"), page_fetch(SITE + "index.html", HOME + b"<!-- 10:01:03 -->")]
    found = {f.url: reading(f.url, "首页 要闻", (SITE + "col/c1/",)) for f in fetches}
    assert page_aliases(fetches, found, SITE)[url_key(SITE + "index.html")] == SITE


def test_pages_that_read_differently_or_are_not_candidates_stay_apart():
    home = [page_fetch(SITE, HOME + b"1"), page_fetch(SITE + "index.html", HOME + b"2")]
    found = {SITE: reading(SITE, "首页", (SITE + "a/",)), SITE + "index.html": reading(SITE + "index.html", "首页", ())}
    assert page_aliases(home, found, SITE) == {}
    columns = [page_fetch(SITE + "col/c1/", b"1"), page_fetch(SITE + "col/c2/", b"2")]
    twins = {f.url: reading(f.url, "通知公告 暂无信息", ()) for f in columns}
    assert page_aliases(columns, twins, SITE) == {}

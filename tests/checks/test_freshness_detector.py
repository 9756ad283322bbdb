"""The freshness detectors (checks/freshness.py, with checks/columns.py) on records built by hand.

Every limit is pinned on both sides: the homepage at 14 and 15 days, each update class at its
limit and one day over, news exactly five years old and one day older, an item dated as-of and
the day after. Columns span several list pages: items on a later page belong to the column.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from govsite.checks.base import CheckConfig, SiteCrawl
from govsite.checks.freshness import (
    column_pages,
    columns,
    dates,
    first_list_pages,
    stale_homepage,
    truncated_columns,
    years_before,
)
from govsite.crawl.listpages import MAX_PAGINATION
from govsite.crawl.records import FetchRecord, ListItem, PageRecord

SITE = "http://www.qdh.gov.cn/"
AS_OF = date(2025, 6, 30)


def crawl_of(*pages: PageRecord, as_of: date = AS_OF, fetched: bool = True) -> SiteCrawl:
    crawl = SiteCrawl(SITE, CheckConfig(as_of=as_of))
    crawl.fetches[SITE] = FetchRecord(SITE, "page", status=200, final_url=SITE)
    crawl.pages[SITE] = PageRecord(SITE, 200, title="青禾县人民政府")
    for page in pages:
        crawl.pages[page.url] = page
        if fetched:
            crawl.fetches[page.url] = FetchRecord(page.url, "page", status=200)
    return crawl


def items(*days: date | None, prefix: str = "art") -> list[ListItem]:
    return [ListItem(f"{SITE}{prefix}/{k}.html", f"关于做好第{k}项重点工作的通知", d) for k, d in enumerate(days)]


def column(name: str, *days: date | None, url: str = "", pagination: tuple[str, ...] = ()) -> PageRecord:
    url = url or f"{SITE}col/{name.encode().hex()}/index.html"
    return PageRecord(url, 200, column_name=name, list_items=items(*days, prefix=url), pagination=list(pagination))


def ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


def home_with(*days: date, text: str = "") -> SiteCrawl:
    crawl = crawl_of()
    crawl.pages[SITE] = PageRecord(SITE, 200, text=text, list_items=items(*days))
    return crawl


# --- the homepage (2 weeks) -------------------------------------------------------------------------


def test_homepage_14_days_old_is_fresh_and_15_is_stale():
    assert list(stale_homepage(home_with(ago(14), ago(40)))) == []
    [finding] = stale_homepage(home_with(ago(15), ago(40)))
    assert finding.detail == {"newest": ago(15).isoformat(), "age_days": 15, "limit_days": 14}


def test_homepage_dates_in_its_text_count():
    assert list(stale_homepage(home_with(ago(60), text=f"今日 {ago(3):%Y年%m月%d日} 召开会议"))) == []
    assert len(list(stale_homepage(home_with(ago(60), text="欢迎访问")))) == 1


def test_homepage_future_dates_do_not_make_it_fresh():
    [finding] = stale_homepage(home_with(AS_OF + timedelta(days=3), ago(20)))
    assert finding.detail["newest"] == ago(20).isoformat()


def test_homepage_without_any_date_is_stale():
    [finding] = stale_homepage(home_with())
    assert finding.evidence == "首页未找到带日期的信息，视为未更新"


# --- columns by update class ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "limit"),
    [("工作动态", 14), ("县政府要闻", 14), ("通知公告", 183), ("政策文件", 183), ("人事信息", 365), ("规划计划", 365)],
)
def test_each_update_class_at_its_limit_and_one_day_over(name, limit):
    assert list(columns(crawl_of(column(name, ago(limit), ago(limit + 50))))) == []
    [finding] = columns(crawl_of(column(name, ago(limit + 1), ago(limit + 50))))
    assert finding.type == "stale_column"
    assert finding.detail["age_days"] == limit + 1
    assert finding.detail["column"] == name


@pytest.mark.parametrize("name", ["机构概况", "政府信息公开指南", "领导之窗", "某某专栏"])
def test_static_and_unclassified_columns_are_not_judged(name):
    assert list(columns(crawl_of(column(name, ago(3000))))) == []


def test_a_column_with_undated_items_counts_as_not_updated():
    [finding] = columns(crawl_of(column("工作动态", None, None, None)))
    assert finding.type == "stale_column"
    assert "未标注发布日期" in finding.evidence


def test_future_items_do_not_make_a_column_fresh():
    [finding] = columns(crawl_of(column("工作动态", AS_OF + timedelta(days=9), ago(30))))
    assert finding.detail["newest"] == ago(30).isoformat()


def test_an_empty_column_is_reported_as_empty_not_stale():
    [finding] = columns(crawl_of(column("通知公告")))
    assert (finding.type, finding.detail["column"]) == ("empty_column", "通知公告")
    assert list(columns(crawl_of(column("机构概况")))) != []  # empty is judged whatever the class


def test_a_column_is_judged_on_its_newest_page():
    first = f"{SITE}col/col9/index.html"
    second = f"{SITE}col/col9/index_2.html"
    page1 = column("工作动态", ago(2), ago(5), url=first, pagination=(second,))
    page2 = column("工作动态", ago(300), ago(400), url=second, pagination=(first,))
    crawl = crawl_of(page2, page1)
    assert [p.url for p in first_list_pages(crawl)] == [first]
    assert list(columns(crawl)) == []


# --- old news and dates in the future -------------------------------------------------------------


def test_news_exactly_five_years_old_is_kept_and_one_day_older_is_old():
    cutoff = years_before(AS_OF, 5)
    crawl = crawl_of(column("工作动态", ago(1), cutoff, cutoff - timedelta(days=1)))
    [finding] = dates(crawl)
    assert finding.type == "old_news"
    assert finding.detail["date"] == (cutoff - timedelta(days=1)).isoformat()


def test_old_items_of_columns_that_are_not_news_are_not_old_news():
    assert list(dates(crawl_of(column("通知公告", ago(1), ago(3000))))) == []


def test_five_years_before_29_february():
    assert years_before(date(2024, 2, 29), 5) == date(2019, 2, 28)


def test_items_dated_after_as_of_and_the_day_itself():
    crawl = crawl_of(column("通知公告", AS_OF, AS_OF + timedelta(days=1)))
    [finding] = dates(crawl)
    assert finding.type == "future_date"
    assert finding.detail == {"date": (AS_OF + timedelta(days=1)).isoformat()}


def test_an_article_published_after_as_of():
    article = PageRecord(f"{SITE}art/1.html", 200, published=AS_OF + timedelta(days=1), referrer=SITE)
    same_day = PageRecord(f"{SITE}art/2.html", 200, published=AS_OF)
    assert [(f.type, f.url, f.page) for f in dates(crawl_of(article, same_day))] == [
        ("future_date", article.url, SITE)
    ]


def test_as_of_decides_every_date_rule():
    """One set of records, judged on two days: what is fresh on one is stale and old on the other."""
    cutoff = years_before(AS_OF, 5)
    records = (column("工作动态", ago(10), cutoff),)
    assert list(columns(crawl_of(*records))) == []
    assert list(dates(crawl_of(*records))) == []
    later = AS_OF + timedelta(days=5)
    assert [f.type for f in columns(crawl_of(*records, as_of=later))] == ["stale_column"]
    assert [f.type for f in dates(crawl_of(*records, as_of=later))] == ["old_news"]
    earlier = ago(11)
    assert [f.type for f in dates(crawl_of(*records, as_of=earlier))] == ["future_date"]


# --- every list page of a column ----------------------------------------------------------------


def paged_news_column(pages: int) -> list[PageRecord]:
    """A news column of `pages` list pages linked by their pagination; the last page holds old news."""
    urls = [f"{SITE}col/col7/index.html"] + [f"{SITE}col/col7/index_{n}.html" for n in range(2, pages + 1)]
    out = []
    for n, url in enumerate(urls):
        others = tuple(u for u in urls if u != url)
        days = (ago(1 + n * 300), ago(2 + n * 300)) if n < pages - 1 else (ago(2200), ago(2300))
        out.append(column("工作动态" if n == 0 else "", *days, url=url, pagination=others))
    return out


def test_old_news_on_a_later_page_belongs_to_the_column():
    pages = paged_news_column(5)
    for page in pages[1:]:
        page.column_name = "工作动态"
    crawl = crawl_of(*pages)
    old = [f for f in dates(crawl) if f.type == "old_news"]
    assert {f.page for f in old} == {pages[-1].url}
    assert {f.detail["column_page"] for f in old} == {pages[0].url}
    assert len(old) == 2


def test_a_later_page_named_differently_is_judged_by_the_column():
    """Page 5 of 工作动态 whose breadcrumb reads "列表" (or nothing usable) is still news."""
    pages = paged_news_column(5)
    for page in pages[1:]:
        page.column_name = "信息列表"
    assert len([f for f in dates(crawl_of(*pages)) if f.type == "old_news"]) == 2


def test_a_records_only_page_of_the_pagination_joins_its_column():
    """A Hanweb dataproxy.jsp answer: records, no column name, named by page 1's pagination."""
    first = f"{SITE}col/col7/index.html"
    proxy = f"{SITE}module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15&columnid=7"
    page1 = column("工作动态", ago(1), ago(2), ago(3), url=first, pagination=(proxy,))
    records = PageRecord(proxy, 200, list_items=items(ago(2100), ago(2200), prefix="p"))
    crawl = crawl_of(page1, records)
    assert [[p.url for p in pages] for pages in column_pages(crawl)] == [[first, proxy]]
    assert [f.url for f in dates(crawl) if f.type == "old_news"] == [i.url for i in records.list_items]
    assert [p.url for p in first_list_pages(crawl)] == [first]
    unlinked = PageRecord(proxy, 200, list_items=items(ago(2100), prefix="p"))
    assert list(dates(crawl_of(column("工作动态", ago(1), ago(2), ago(3), url=first), unlinked))) == []


def test_the_same_item_on_two_pages_is_reported_once():
    first, again = f"{SITE}col/col7/index.html", f"{SITE}col/col7/index.html?uid=3&pageNum=2"
    page1 = column("工作动态", ago(1), ago(2000), url=first, pagination=(again,))
    page2 = column("工作动态", ago(1), ago(2000), url=again, pagination=(first,))
    page2.list_items = list(page1.list_items)
    assert len(list(dates(crawl_of(page1, page2)))) == 1


# --- columns whose pagination a bound stopped ---------------------------------------------------


def test_a_column_with_unfetched_list_pages_is_reported_as_truncated_with_its_bound():
    pages = paged_news_column(4)
    crawl = crawl_of(*pages[:2])  # pages 3 and 4 were never fetched
    bounds = {"max_pages": {"count": 7, "examples": [pages[3].url]}, "max_depth": {"count": 1, "examples": []}}
    [entry] = truncated_columns(crawl, bounds)
    assert entry["column"] == "工作动态"
    assert entry["url"] == pages[0].url
    assert entry["bound"] == "max_pages"
    assert (entry["list_pages_read"], entry["list_pages_missing"]) == (2, 2)
    assert "判断仅基于已读取的页面" in entry["note"]


def test_truncation_without_the_url_among_the_examples_names_the_bounds_that_bit():
    pages = paged_news_column(3)
    crawl = crawl_of(*pages[:1])
    assert truncated_columns(crawl, {"query_variants": {"count": 3, "examples": []}})[0]["bound"] == "query_variants"
    assert truncated_columns(crawl, None)[0]["bound"] == "not_fetched"


def test_a_fully_read_column_is_not_truncated():
    crawl = crawl_of(*paged_news_column(4))
    assert truncated_columns(crawl, {"max_pages": {"count": 5, "examples": []}}) == []


def test_a_failed_list_page_was_fetched_not_truncated():
    pages = paged_news_column(2)
    crawl = crawl_of(pages[0])
    crawl.fetches[pages[1].url] = FetchRecord(pages[1].url, "page", status=404)
    assert truncated_columns(crawl) == []


def test_a_list_page_fetched_under_another_spelling_of_its_url_is_not_truncated():
    first = f"{SITE}col/col7/index.html"
    page1 = column("工作动态", ago(1), ago(2), url=first, pagination=(f"{first}?uid=3&pageNum=2",))
    crawl = crawl_of(page1)
    crawl.fetches[f"{first}?pageNum=2&uid=3"] = FetchRecord(f"{first}?pageNum=2&uid=3", "page", status=200)
    assert truncated_columns(crawl) == []
    del crawl.fetches[f"{first}?pageNum=2&uid=3"]
    assert len(truncated_columns(crawl)) == 1


def test_a_column_with_more_pages_than_the_reader_gives_is_truncated_by_that_bound():
    first = f"{SITE}col/col7/index.html"
    further = tuple(f"{SITE}col/col7/index_{n}.html" for n in range(1, MAX_PAGINATION + 1))
    page1 = column("工作动态", ago(1), ago(2), url=first, pagination=further)
    crawl = crawl_of(page1)
    for url in further:
        crawl.fetches[url] = FetchRecord(url, "page", status=200)
    [entry] = truncated_columns(crawl)
    assert (entry["bound"], entry["list_pages_missing"]) == ("max_pagination", 0)
    page1.pagination = list(further[:-1])
    assert truncated_columns(crawl) == []

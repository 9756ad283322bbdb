"""Freshness: is the site kept up to date, and is anything dated wrongly or kept too long?

Emits:
  stale_homepage  the newest dated item on the homepage is older than 14 days
                  (or the homepage shows no dated item at all)
  stale_column    a column's newest item is older than its update class allows
                  (动态/要闻 14 days, 通知公告/政策文件 183 days, other columns that
                  should be updated 365 days); a column whose items carry no
                  date counts as not updated
  empty_column    a column list page with no items
  future_date     an article or list item dated after the as-of date
  old_news        an item of a news (动态/要闻) column older than 5 years
Rules: 《政府网站与政务新媒体检查指标》 (update limits, blank columns) and the
survey's 历史信息清理 indicator (news kept over 5 years). Columns are the list
pages the crawler recognised (crawl/listpages.py); their class comes from
the configurable `update_classes.yaml` (checks/columns.py). A column's
freshness is judged on its first list page, which holds the newest items;
its dates (old news, future dates) on every list page of it, by the
column's class. `truncated_columns` lists, for the summary, the columns
whose further list pages the crawl did not fetch.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from govsite.checks.base import SiteCrawl, detector
from govsite.checks.columns import classify_column, column_status, load_update_classes
from govsite.crawl.listpages import MAX_PAGINATION
from govsite.crawl.policy import url_key
from govsite.crawl.records import PageRecord
from govsite.findings import Finding
from govsite.text.dates import find_dates

NEWS_CLASS = "dynamic"


def column_pages(crawl: SiteCrawl) -> list[list[PageRecord]]:
    """Each column's list pages, its first page first.

    The pages of one column are linked by their pagination (page 2 links back
    to page 1 too), so a column is a connected group of list pages; its first
    page is the one showing the newest item (CMSs list newest first), the
    shortest URL when none is dated. A page that a list page names as a further
    page and that shows items but no column name of its own (a Hanweb
    dataproxy.jsp answer: records only) belongs to that list's column.
    """
    lists = {url_key(url): p for url, p in crawl.pages.items() if p.is_list_page and url != crawl.site}
    by_key = {url_key(url): p for url, p in crawl.pages.items()}
    for page in list(lists.values()):
        for other in page.pagination:
            key = url_key(other)
            further = by_key.get(key)
            if key not in lists and further is not None and further.list_items and further.url != crawl.site:
                lists[key] = further
    parent = {key: key for key in lists}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for key, page in lists.items():
        for other in page.pagination:
            other_key = url_key(other)
            if other_key in lists:
                parent[root(other_key)] = root(key)
    columns: dict[str, list[PageRecord]] = {}
    for key, page in lists.items():
        columns.setdefault(root(key), []).append(page)
    return [sorted(pages, key=_first_page_rank) for pages in columns.values()]


def first_list_pages(crawl: SiteCrawl) -> list[PageRecord]:
    """Each column's first list page."""
    return [pages[0] for pages in column_pages(crawl)]


def _first_page_rank(page: PageRecord) -> tuple:
    newest = max((i.date for i in page.list_items if i.date), default=None)
    return (not page.is_list_page, newest is None, -(newest.toordinal() if newest else 0), len(page.url), page.url)


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@detector("stale_homepage", "stale_homepage")
def stale_homepage(crawl: SiteCrawl) -> Iterator[Finding]:
    """The homepage's newest dated item must be at most `homepage_max_age_days` old."""
    home = crawl.homepage
    if home is None:
        return
    as_of = crawl.config.as_of
    dates = [d for d in find_dates(home.text, as_of=as_of) if d <= as_of]
    dates += [i.date for i in home.list_items if i.date and i.date <= as_of]
    limit = crawl.config.homepage_max_age_days
    if not dates:
        yield crawl.finding(
            "stale_homepage",
            crawl.site,
            "high",
            "首页未找到带日期的信息，视为未更新",
            detail={"limit_days": limit},
        )
        return
    newest = max(dates)
    age = (as_of - newest).days
    if age > limit:
        evidence = f"首页最新信息日期 {newest.isoformat()}，距 {as_of.isoformat()} 已 {age} 天（限 {limit} 天）"
        yield crawl.finding(
            "stale_homepage",
            crawl.site,
            "high",
            evidence,
            detail={"newest": newest.isoformat(), "age_days": age, "limit_days": limit},
        )


@detector("columns", "stale_column", "empty_column")
def columns(crawl: SiteCrawl) -> Iterator[Finding]:
    """Every column list page: empty, or older than its update class allows."""
    classes = load_update_classes(crawl.config.update_classes_file or None)
    as_of = crawl.config.as_of
    for page in first_list_pages(crawl):
        update_class = classify_column(page.column_name, classes)
        base = {"column": page.column_name, "update_class": update_class.code, "first_level": page.depth <= 1}
        if not page.list_items:
            evidence = f"栏目“{page.column_name}”没有任何信息"
            yield crawl.finding("empty_column", page.url, "high", evidence, page=page.referrer or None, detail=base)
            continue
        status = column_status(page.list_items, update_class, as_of)
        if status.stale:
            detail = {
                **base,
                "limit_days": update_class.max_age_days,
                "newest": status.newest.isoformat() if status.newest else None,
                "age_days": status.age_days,
            }
            evidence = f"栏目“{page.column_name}”（{update_class.name}）{status.reason}"
            yield crawl.finding("stale_column", page.url, "high", evidence, page=page.referrer or None, detail=detail)


@detector("dates", "future_date", "old_news")
def dates(crawl: SiteCrawl) -> Iterator[Finding]:
    """Items dated after as-of; news items older than `old_news_years`, on every list page of a column."""
    as_of = crawl.config.as_of
    for page in crawl.pages.values():
        if page.published and page.published > as_of:
            evidence = f"发布日期 {page.published.isoformat()} 晚于检测基准日 {as_of.isoformat()}"
            yield crawl.finding(
                "future_date",
                page.url,
                "medium",
                evidence,
                page=page.referrer or None,
                detail={"date": page.published.isoformat()},
            )
    yield from _list_item_dates(crawl)


def _list_item_dates(crawl: SiteCrawl) -> Iterator[Finding]:
    """The list items of each column: every page of it counts, judged by the column's (first page's) class."""
    classes = load_update_classes(crawl.config.update_classes_file or None)
    as_of = crawl.config.as_of
    cutoff = years_before(as_of, crawl.config.old_news_years)
    seen: set[str] = set()
    for pages in column_pages(crawl):
        first = pages[0]
        is_news = classify_column(first.column_name, classes).code == NEWS_CLASS
        for page in pages:
            for item in page.list_items:
                if item.date is None or item.url in seen:
                    continue
                if item.date > as_of:
                    seen.add(item.url)
                    evidence = (
                        f"列表中“{item.title[:60]}”的日期 {item.date.isoformat()} 晚于检测基准日 {as_of.isoformat()}"
                    )
                    yield crawl.finding(
                        "future_date",
                        item.url,
                        "medium",
                        evidence,
                        page=page.url,
                        detail={"date": item.date.isoformat()},
                    )
                elif is_news and item.date < cutoff:
                    seen.add(item.url)
                    evidence = (
                        f"新闻栏目“{first.column_name}”中的“{item.title[:60]}”发布于 {item.date.isoformat()}，"
                        f"已超过 {crawl.config.old_news_years} 年"
                    )
                    detail = {"date": item.date.isoformat(), "column": first.column_name, "column_page": first.url}
                    yield crawl.finding("old_news", item.url, "low", evidence, page=page.url, detail=detail)


def truncated_columns(crawl: SiteCrawl, bounds: dict | None = None) -> list[dict]:
    """Columns whose pagination the crawl did not finish: list pages named but never fetched, or
    more further pages than the list reader gives (MAX_PAGINATION, bound "max_pagination").

    For the summary: such a column's items were judged on the pages seen only, so "no old news"
    is not established for it. `bounds` is the crawl's bound report (UrlRules.bounds.as_dict());
    the bound named is the one that refused one of the missing pages, else the bounds that bit
    during the crawl ("not_fetched" when none did: an interrupted crawl, an archive).
    """
    fetched: set[str] | None = None  # the fetches' URL keys, made only when a URL is not fetched as written
    out = []
    for pages in column_pages(crawl):
        unseen = {u for p in pages for u in p.pagination if u not in crawl.fetches}
        if unseen and fetched is None:
            fetched = {url_key(url) for url in crawl.fetches}
        missing = sorted(u for u in unseen if fetched is not None and url_key(u) not in fetched)
        capped = any(len(p.pagination) >= MAX_PAGINATION for p in pages)
        if missing:
            bound = _stopping_bound(missing, bounds or {})
        elif capped:
            bound = "max_pagination"
        else:
            continue
        out.append(_truncation(pages, bound, missing))
    return out


def _truncation(pages: list[PageRecord], bound: str, missing: list[str]) -> dict:
    first = pages[0]
    if missing:
        why = f"列表分页未抓取完整（{len(missing)} 页未读）"
    else:
        why = f"列表分页超过 {MAX_PAGINATION} 页，只读取了其中一部分"
    return {
        "column": first.column_name,
        "url": first.url,
        "bound": bound,
        "list_pages_read": len(pages),
        "list_pages_missing": len(missing),
        "examples": missing[:3],
        "note": f"栏目“{first.column_name}”的{why}，过期新闻等判断仅基于已读取的页面",
    }


def _stopping_bound(missing: list[str], bounds: dict) -> str:
    keys = {url_key(u) for u in missing}
    for name, report in sorted(bounds.items()):
        if any(url_key(u) in keys for u in (report or {}).get("examples", [])):
            return name
    bit = sorted(name for name, report in bounds.items() if (report or {}).get("count"))
    return ",".join(bit) or "not_fetched"

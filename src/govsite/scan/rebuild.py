"""Rebuild a site's page index from its WARC archive (`govsite scan --from-warc`).

Responses are decoded by the same Scrapy response classes and analysed by
the same `analyze_page` as in a live crawl, so a re-judged archive sees
what the crawl saw. Failures come back from their metadata records.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from scrapy.http import HtmlResponse
from scrapy.http.headers import Headers

from govsite.crawl.aliases import content_digest
from govsite.crawl.analyze import analyze_page
from govsite.crawl.archive import ArchivedResponse, read_archive
from govsite.crawl.policy import CrawlPolicy, UrlRules
from govsite.crawl.store import CrawlStore
from govsite.text.extract import extract_document

HTML_TYPES = ("text/html", "application/xhtml")


def rebuild_from_archive(archive_dir: Path, store: CrawlStore, site: str, as_of: date, policy: CrawlPolicy) -> int:
    """Write a fresh fetches/pages index into `store`; returns the number of records read."""
    rules = UrlRules(site, policy, as_of)
    store.reset()
    store.open()
    count = 0
    try:
        for item in read_archive(archive_dir):
            count += 1
            if not isinstance(item, ArchivedResponse):
                store.add_fetch(item)
                continue
            fetch = item.fetch
            html_page = fetch.kind == "page" and fetch.ok and _is_html(fetch.content_type, item.body)
            if html_page:  # as the crawl computed it (archives written before it was recorded lack it)
                fetch.content_hash = content_digest(item.body)
            store.add_fetch(fetch)
            if fetch.kind == "attachment" and fetch.ok and not fetch.attachment_problem:
                store.add_document(extract_document(fetch.url, fetch.content_type, item.body))
            if fetch.url == site and fetch.final_url:
                rules.adopt_host(fetch.final_url)
            if html_page:
                response = HtmlResponse(
                    url=fetch.final_url or fetch.url,
                    status=item.status,
                    headers=Headers(item.headers),
                    body=item.body,
                )
                page = analyze_page(
                    response.url,
                    item.status,
                    response.text,
                    rules,
                    as_of=as_of,
                    encoding=response.encoding,
                    depth=fetch.depth,
                    referrer=fetch.referrer,
                )
                store.add_page(page)
    finally:
        store.close()
    return count


def _is_html(content_type: str, body: bytes) -> bool:
    if any(t in content_type for t in HTML_TYPES):
        return True
    return not content_type and b"<html" in body[:2048].lower()

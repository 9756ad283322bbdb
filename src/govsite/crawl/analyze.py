"""One HTML page -> a PageRecord: title, visible text, footer, links, dates, list structure.

The same function serves the live crawl and the rebuild from a WARC, so a
re-judged archive sees exactly what the crawl saw. Crawled HTML is hostile:
nothing here executes it, every text is bounded, and a page lxml cannot
parse becomes an empty record rather than an exception.
Not for: judging (that is govsite.checks) or fetching.
"""

from __future__ import annotations

import re
from datetime import date

import lxml.html
from lxml import etree

from govsite.crawl.listpages import read_list_page
from govsite.crawl.policy import UrlRules, clean_url
from govsite.crawl.records import Link, PageRecord
from govsite.text.dates import parse_date

MAX_TEXT_CHARS = 200_000
MAX_FOOTER_CHARS = 4_000
MAX_LINKS = 5_000
MAX_ANCHOR_CHARS = 200
FOOTER_HINT = re.compile(r"foot|bottom|copyright|copy_right|bqxx|banquan|dibu", re.I)
PUBLISH_META = (
    "pubdate",
    "publishdate",
    "publish_date",
    "firstpublishedtime",
    "articlepublishdate",
    "og:release_date",
    "article:published_time",
)
PUBLISH_TEXT = re.compile(r"(?:发布时间|发布日期|发文日期|成文日期|日期|时间)\s*[:：]\s*([0-9]{4}[^\s<]{3,12})")
SPACES = re.compile(r"\s+")
DROPPED_TAGS = ("script", "style", "noscript", "template", "iframe", "object")


def analyze_page(
    url: str,
    status: int,
    html: str,
    rules: UrlRules,
    *,
    as_of: date,
    encoding: str = "",
    depth: int = 0,
    referrer: str = "",
) -> PageRecord:
    record = PageRecord(url=url, status=status, encoding=encoding, depth=depth, referrer=referrer)
    tree = _parse(html)
    if tree is None:
        return record
    base = _base_url(tree, url)
    record.title = _collapse(tree.findtext(".//title") or "")[:500]
    record.has_viewport = bool(tree.xpath("//meta[translate(@name,'VIEWPORT','viewport')='viewport']"))
    record.links = _links(tree, base, rules)
    record.published = _published(tree)
    # The text, not the tree: pages without dates or list hints (most articles) are rejected before parsing.
    listing = read_list_page(html, url, as_of=as_of)
    if listing is not None:
        record.column_name = listing.column_name
        record.list_items = listing.items
        record.pagination = listing.pagination
    for element in list(tree.iter(*DROPPED_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    record.footer_text = _footer_text(tree)
    record.text = _collapse(" ".join(tree.itertext()))[:MAX_TEXT_CHARS]
    if not record.footer_text:
        record.footer_text = record.text[-600:]
    return record


def _parse(html: str):
    if not html or not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _base_url(tree, url: str) -> str:
    href = tree.xpath("string(//base/@href)").strip()
    if not href:
        return url
    return clean_url(href, url) or url


def _collapse(text: str) -> str:
    return SPACES.sub(" ", text).strip()


def _links(tree, base: str, rules: UrlRules) -> list[Link]:
    links: list[Link] = []
    seen: set[str] = set()
    for anchor in tree.iter("a", "area"):
        url = clean_url(anchor.get("href", ""), base)
        if url is None or url in seen:
            continue
        seen.add(url)
        text = _collapse(anchor.text_content()) or anchor.get("title", "") or _image_alt(anchor)
        links.append(Link(url, text[:MAX_ANCHOR_CHARS], rules.kind(url)))
        if len(links) >= MAX_LINKS:
            break
    return links


def _image_alt(anchor) -> str:
    for image in anchor.iter("img"):
        alt = image.get("alt") or image.get("title")
        if alt:
            return _collapse(alt)
    return ""


def _published(tree) -> date | None:
    for meta in tree.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").lower()
        if name in PUBLISH_META:
            found = parse_date(meta.get("content", ""))
            if found:
                return found
    body = tree.find("body")
    if body is not None:
        match = PUBLISH_TEXT.search(_collapse(body.text_content())[:20_000])
        if match:
            found = parse_date(match.group(1))
            if found:
                return found
    # A date in the URL alone is not a publish date: calendars and archives put dates in URLs too.
    return None


def _footer_text(tree) -> str:
    candidates = [
        el
        for el in tree.iter("div", "footer", "table", "section", "p")
        if el.tag == "footer" or FOOTER_HINT.search(f"{el.get('id', '')} {el.get('class', '')}")
    ]
    # The outermost footer-like block nearest the end of the page; image alt texts
    # count, because marks such as 党政机关网站标识 are images.
    inside = set(candidates)
    outermost = [el for el in candidates if not any(a in inside for a in el.iterancestors())]
    if not outermost:
        return ""
    footer = outermost[-1]
    alts = [img.get("alt") or img.get("title") or "" for img in footer.iter("img")]
    return _collapse(" ".join([*footer.itertext(), *alts]))[:MAX_FOOTER_CHARS]

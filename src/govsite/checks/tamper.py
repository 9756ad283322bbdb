"""Security events seen by comparing with the baseline: page_tampered (网页篡改), external_link_hijacked (外链变异).

page_tampered (needs a baseline): the homepage and the column pages (what the
list reader took for a column's list) are compared with the same pages of the
baseline scan, on what stays put on a site: the title, the headings and
banner texts, the banner/footer image sources, the footer text and the names
of the navigation links (a link to the homepage or a column whose text
changed). What changes by design is left out before comparing: lists, dated
items, carousels and widgets are not read as headings (crawl/stable.py), and
digits, weekdays and weather words are dropped from every text (dates,
counters, visitor counts, 今天是…星期…). Reported with a bounded unified
diff. Unsure is silent: a page missing from either crawl, or not answering
200 in both, is not compared; nor are the parts a baseline of format version
1 did not record.

external_link_hijacked, two ways:
- content (no baseline needed): a friendly link whose target page (its title
  and first text, recorded by the crawl) carries gambling, pornography or
  fake-invoice content (bad_content.yaml plus a user's file): a hit in the
  title, or `min_hits` distinct hits in the text;
- redirect (needs a baseline): an external link that now ends, after its
  redirects, on another site than at the baseline and than its own (an expired
  domain bought by others). A new target under .gov.cn is not reported
  (sites merged into a 集约化 platform move there).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from govsite.checks.badcontent import load_bad_content
from govsite.checks.base import SiteCrawl, detector
from govsite.crawl.records import PageRecord
from govsite.findings import Finding
from govsite.sites.origin import registrable

MAX_PAGES = 200  # key pages compared per site
MAX_DIFF_LINES = 40
MAX_DIFF_CHARS = 4_000
MAX_EVIDENCE_CHARS = 300
VOLATILE_WORDS = re.compile(
    r"\d+|[０-９]+|星期[一二三四五六日天]|周[一二三四五六日]|今天是|今日|"
    r"晴|阴|多云|小雨|中雨|大雨|暴雨|阵雨|雷阵雨|雨夹雪|小雪|中雪|大雪|雾|霾|℃|°c|[东南西北]+风|风力?级?"
)
NAV_PREFIX = "导航"


def _norm(text: str) -> str:
    return " ".join(VOLATILE_WORDS.sub(" ", text.lower()).split())


def _image(url: str) -> str:
    """An image source without its query (a cache-busting ?v=… is no change)."""
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}"


def key_pages(crawl: SiteCrawl) -> list[PageRecord]:
    """The homepage, then the column (list) pages, bounded."""
    pages: dict[str, PageRecord] = {}
    if crawl.homepage is not None:
        pages[crawl.homepage.url] = crawl.homepage
    for page in crawl.pages.values():
        if page.is_list_page and len(pages) < MAX_PAGES:
            pages.setdefault(page.url, page)
    return list(pages.values())


def stable_lines(page: PageRecord, key_urls: set[str], version: int) -> list[str]:
    """What of the page must not change between two scans, one line per item, in a fixed order."""
    lines = [f"标题：{_norm(page.title)}"]
    if version >= 2:
        lines += [f"栏目标题：{t}" for t in (_norm(h) for h in page.headings) if t]
        lines += sorted(f"图片：{_image(u)}" for u in dict.fromkeys(page.images))
    footer = _norm(page.footer_text)
    if footer:
        lines.append(f"页脚：{footer}")
    return lines


def nav_names(page: PageRecord, key_urls: set[str]) -> dict[str, str]:
    """Link target -> its text, for the page's links to the homepage or a column."""
    return {link.url: _norm(link.text) for link in page.links if link.url in key_urls and _norm(link.text)}


def _key_urls(crawl: SiteCrawl) -> set[str]:
    return {page.url for page in key_pages(crawl)} | {crawl.site}


@detector("tampering", "page_tampered", needs_baseline=True, label="网页篡改（与上次检测比对首页与栏目页）")
def detect_page_tampered(crawl: SiteCrawl) -> Iterator[Finding]:
    """The homepage and column pages whose stable content changed since the baseline scan."""
    baseline = crawl.baseline
    if baseline is None:
        return
    keys = _key_urls(crawl) & _key_urls(baseline)
    version = crawl.baseline_version
    for page in key_pages(crawl):
        old = baseline.homepage if page is crawl.homepage else baseline.pages.get(page.url)
        if old is None or not (page.status == 200 and old.status == 200):
            continue
        before, after = stable_lines(old, keys, version), stable_lines(page, keys, version)
        old_nav, new_nav = nav_names(old, keys), nav_names(page, keys)
        for url in sorted(set(old_nav) & set(new_nav)):  # a menu entry renamed; an added or dropped one is not
            if old_nav[url] != new_nav[url]:
                before.append(f"{NAV_PREFIX}：{old_nav[url]}（{url}）")
                after.append(f"{NAV_PREFIX}：{new_nav[url]}（{url}）")
        if before == after:
            continue
        diff = bounded_diff(before, after, old.url, page.url)
        changed = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
        removed = [line[1:] for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
        what = "；".join(changed or removed)[:MAX_EVIDENCE_CHARS]
        where = "首页" if page is crawl.homepage else f"栏目页“{page.column_name}”"
        yield crawl.finding(
            "page_tampered",
            page.url,
            "high",
            f"{where}的固定内容与上次检测不同（疑似网页篡改，待人工确认）：{what}",
            detail={"diff": diff, "baseline_found_at": baseline.found_at, "changed": len(changed) + len(removed)},
        )


def bounded_diff(before: list[str], after: list[str], old_name: str, new_name: str) -> str:
    """A unified diff (no context lines), at most MAX_DIFF_LINES lines and MAX_DIFF_CHARS characters."""
    lines = list(difflib.unified_diff(before, after, f"上次检测 {old_name}", f"本次检测 {new_name}", n=0, lineterm=""))
    if len(lines) > MAX_DIFF_LINES:
        lines = [*lines[:MAX_DIFF_LINES], f"…（另有 {len(lines) - MAX_DIFF_LINES} 行）"]
    return "\n".join(lines)[:MAX_DIFF_CHARS]


@dataclass(frozen=True)
class ExternalContentOptions:
    bad_content_file: str = ""  # a user's YAML of the bad_content.yaml shape, merged into the bundled lists
    min_hits: int = 2  # distinct hits in the text (one in the title is enough)


@detector(
    "external_content",
    "external_link_hijacked",
    options=ExternalContentOptions,
    label="外链变异（友情链接指向博彩、色情、代开发票内容）",
)
def detect_external_content(crawl: SiteCrawl, options: ExternalContentOptions) -> Iterator[Finding]:
    """Friendly links whose target page now carries gambling, porn or fake-invoice content."""
    bad = load_bad_content(options.bad_content_file)
    for fetch in crawl.fetches.values():
        if fetch.kind != "external" or not (fetch.title or fetch.text_excerpt):
            continue
        in_title = bad.hits(fetch.title)
        hits = list({h.text: h for h in [*in_title, *bad.hits(fetch.text_excerpt)]}.values())
        if not in_title and len(hits) < max(1, options.min_hits):
            continue
        labels = "、".join(dict.fromkeys(h.label for h in hits))
        words = "、".join(h.text for h in hits)
        text = _link_text(crawl, fetch.url)
        yield crawl.finding(
            "external_link_hijacked",
            fetch.url,
            "high",
            f"外部链接“{text}”指向的网页含{labels}内容：{words}（网页标题：{fetch.title[:80]}）",
            page=crawl.linking_page(fetch.url),
            detail={
                "key": "content",
                "reason": "bad_content",
                "categories": sorted({h.category for h in hits}),
                "hits": [h.text for h in hits],
                "final_url": fetch.final_url,
                "title": fetch.title,
            },
        )


@detector("external_redirect", "external_link_hijacked", needs_baseline=True, label="外链变异（跳转到其他网站）")
def detect_external_redirect(crawl: SiteCrawl) -> Iterator[Finding]:
    """External links that now redirect to another site than at the baseline scan."""
    baseline = crawl.baseline
    if baseline is None:
        return
    for fetch in crawl.fetches.values():
        old = baseline.fetches.get(fetch.url)
        if fetch.kind != "external" or old is None or not (fetch.ok and old.ok):
            continue
        now, then, own = (
            registrable(fetch.final_url or fetch.url),
            registrable(old.final_url or old.url),
            registrable(fetch.url),
        )
        if now in (then, own) or now.endswith(".gov.cn"):
            continue
        text = _link_text(crawl, fetch.url)
        yield crawl.finding(
            "external_link_hijacked",
            fetch.url,
            "high",
            f"外部链接“{text}”上次检测打开 {old.final_url or old.url}，本次跳转到其他网站 {fetch.final_url}",
            page=crawl.linking_page(fetch.url),
            detail={
                "key": "redirect",
                "reason": "redirect_changed",
                "final_url": fetch.final_url,
                "baseline_final_url": old.final_url or old.url,
            },
        )


def _link_text(crawl: SiteCrawl, url: str) -> str:
    for _page, text in crawl.referrers.get(url, []):
        if text:
            return text[:60]
    return url[:80]

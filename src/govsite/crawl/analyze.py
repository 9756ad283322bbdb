"""One HTML page -> a PageRecord: title, visible text, footer, links, dates, list structure.

The same function serves the live crawl and the rebuild from a WARC, so a
re-judged archive sees exactly what the crawl saw. Crawled HTML is hostile:
nothing here executes it, every text is bounded, and a page lxml cannot
parse becomes an empty record rather than an exception.
Not for: judging (that is govsite.checks) or fetching.

Cost: this runs on every page of a crawl, on the crawler's only thread, so it
parses once (govsite.crawl.htmltree.parse_html: plain lxml elements, read as
a browser reads the page, so a template's stray </html> does not end it),
comments and processing instructions dropped by the parser as a browser
drops them; the list-page reader walks the same tree. About 1 ms for a 5 KB
page with 50 links.
"""

from __future__ import annotations

import re
from datetime import date

from lxml import etree

from govsite.crawl.htmltree import HIDDEN_TAGS, drop_fragment_titles, parse_html
from govsite.crawl.listpages import read_list_page
from govsite.crawl.pagesecurity import security_hints
from govsite.crawl.policy import UrlRules, clean_url
from govsite.crawl.records import Link, PageRecord
from govsite.crawl.stable import friendly_links, headings, images, select_links
from govsite.text.dates import parse_date

MAX_TEXT_CHARS = 200_000
MAX_FOOTER_CHARS = 4_000
MAX_LINKS = 5_000
MAX_ANCHOR_CHARS = 200
MAX_HINT_CHARS = 300
CONAC_MARKER = "conac"  # dcs.conac.cn, the _ideConac span it writes into
_JS_LINE_COMMENT = re.compile(r"^\s*//.*$", re.MULTILINE)
_CONAC_PLACEHOLDER = etree.XPath("boolean(//*[@id='_ideConac'])")
FOOTER_HINT = re.compile(r"foot|bottom|copyright|copy_right|bqxx|banquan|dibu", re.I)
# What a footer says (the copyright line, the ICP/公安 records, the site code, the sponsor).
FOOTER_CUE = re.compile(
    r"版权所有|copyright|©|ICP备|ICP证|公网安备|网安备|网站标识码|网站识别码|备案号|主办单位|主办：|承办单位", re.I
)
WRAPPER_SHARE = 0.9  # a block with this share of its parent's text wraps the page rather than ends it
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
DROPPED_TAGS = HIDDEN_TAGS
_STRING = etree.XPath("string()")  # an element's text with its descendants' (lxml.html's text_content)
_BASE_HREF = etree.XPath("string(//base/@href)")
_VIEWPORT = etree.XPath("//meta[translate(@name,'VIEWPORT','viewport')='viewport']")


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
    tree = parse_html(html)
    if tree is None:
        return record
    base = _base_url(tree, url)
    record.title = _collapse(tree.findtext(".//title") or "")[:500]
    record.has_viewport = bool(_VIEWPORT(tree))
    record.links = _links(tree, base, rules)
    record.published = _published(tree)
    # The reader looks at the text first (pages without dates or list hints are rejected unread),
    # then walks this tree instead of parsing the page again.
    listing = read_list_page(html, url, as_of=as_of, tree=tree)
    if listing is not None:
        record.column_name = listing.column_name
        record.list_items = listing.items
        record.pagination = listing.pagination
        record.links += _scripted_item_links(record.links, listing.items, rules)
    record.site_id_code_meta, record.conac_script = _identity_hints(tree)
    hints = security_hints(tree, base, url, lambda link: rules.kind(link) == "external")
    record.hidden_links, record.scripts, record.iframes = hints["hidden_links"], hints["scripts"], hints["iframes"]
    record.meta_refresh, record.insecure_resources = hints["meta_refresh"], hints["insecure_resources"]
    record.links += _option_links(record.links, tree, base, rules)
    record.headings = headings(tree)
    record.images = images(tree, base)
    record.friendly_links = friendly_links(tree, base, rules)
    etree.strip_elements(tree, *DROPPED_TAGS, with_tail=False)  # their tails stay, as drop_tree keeps them
    drop_fragment_titles(tree)
    record.footer_text = _footer_text(tree)
    record.text = _collapse(" ".join(tree.itertext()))[:MAX_TEXT_CHARS]
    return record


def _base_url(tree, url: str) -> str:
    href = _BASE_HREF(tree).strip()
    if not href:
        return url
    return clean_url(href, url) or url


def _collapse(text: str) -> str:
    # The same as re.sub(r"\s+", " ", text).strip(): str.split() splits at exactly what \s matches.
    return " ".join(text.split())


def _links(tree, base: str, rules: UrlRules) -> list[Link]:
    links: list[Link] = []
    seen: set[str] = set()
    for anchor in tree.iter("a", "area"):
        href = anchor.get("href")
        if not href:
            continue
        url = clean_url(href, base)
        if url is None or url in seen:
            continue
        seen.add(url)
        if len(anchor):
            text = _collapse(_STRING(anchor))
        else:  # the common case: a text-only anchor
            text = anchor.text or ""
            text = _collapse(text) if text else ""
        text = text or anchor.get("title", "") or _image_alt(anchor)
        links.append(Link(url, text[:MAX_ANCHOR_CHARS], rules.kind(url)))
        if len(links) >= MAX_LINKS:
            break
    return links


def _scripted_item_links(links: list[Link], items, rules: UrlRules) -> list[Link]:
    """The list's items that no <a> of the page links: a Hanweb jpage column keeps its records in a
    <script type="text/xml"> datastore that the browser turns into links; a crawler must follow them too."""
    linked = {link.url for link in links}
    room = max(0, MAX_LINKS - len(links))
    extra = {
        item.url: Link(item.url, item.title[:MAX_ANCHOR_CHARS], rules.kind(item.url))
        for item in items
        if item.url not in linked
    }
    return list(extra.values())[:room]


def _option_links(links: list[Link], tree, base: str, rules: UrlRules) -> list[Link]:
    """The URLs of select boxes (网站群 drop-downs open them by script): links a visitor follows too."""
    linked = {link.url for link in links}
    room = max(0, MAX_LINKS - len(links))
    extra = {url: Link(url, text[:MAX_ANCHOR_CHARS], rules.kind(url)) for url, text in select_links(tree, base)}
    return [link for url, link in extra.items() if url not in linked][:room]


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
        match = PUBLISH_TEXT.search(_collapse(_STRING(body))[:20_000])
        if match:
            found = parse_date(match.group(1))
            if found:
                return found
    # A date in the URL alone is not a publish date: calendars and archives put dates in URLs too.
    return None


def _identity_hints(tree) -> tuple[str, str]:
    """What the identity marks need from the markup the text loses (bounded; "" when absent)."""
    return _site_id_code_meta(tree)[:MAX_HINT_CHARS], _collapse(_conac_script(tree))[:MAX_HINT_CHARS]


def _site_id_code_meta(tree) -> str:
    """The content of <meta name="SiteIDCode">, the 网站标识码 the CMS writes in the head."""
    for meta in tree.iter("meta"):
        if (meta.get("name") or "").strip().lower() == "siteidcode":
            return _collapse(meta.get("content") or "")
    return ""


def _conac_script(tree) -> str:
    """The script that writes the 党政机关 mark: ``<script src=".../dcs.conac.cn/js/...">``, or
    ``document.write(unescape("%3Cspan id='_ideConac'...dcs.conac.cn..."))`` (a line commented out
    with // does not count); else the ``<span id="_ideConac">`` it writes into, when a script file
    fills it."""
    for script in tree.iter("script"):
        src = script.get("src") or ""
        if CONAC_MARKER in src.lower():
            return src
        code = _JS_LINE_COMMENT.sub("", script.text or "")
        if CONAC_MARKER in code.lower():
            return code
    return "#_ideConac" if _CONAC_PLACEHOLDER(tree) else ""


def _footer_text(tree) -> str:
    """The page footer's text (image alt texts included: marks such as 党政机关网站标识 are images).

    Found by structure, never as "the last text of the page": the outermost footer-like block
    (a <footer>, or an id/class saying foot/bottom/copyright) that holds a footer cue (版权所有,
    ICP备 …), nearest the end; else the last block(s) of the body's layout that hold the cues;
    else the last footer-like block; else "" (a page without a footer has none).
    """
    hinted = _hinted_blocks(tree)
    cued = [el for el in hinted if _has_cue(el)]
    blocks = cued[-1:] or _cue_blocks(tree.find("body")) or hinted[-1:]
    return _block_text(blocks)


def _hinted_blocks(tree) -> list:
    """The outermost elements that say they are a footer, in page order."""
    candidates = [
        el
        for el in tree.iter("div", "footer", "table", "section", "p")
        if el.tag == "footer" or FOOTER_HINT.search(f"{el.get('id', '')} {el.get('class', '')}")
    ]
    inside = set(candidates)
    return [el for el in candidates if not any(a in inside for a in el.iterancestors())]


def _has_cue(element) -> bool:
    return FOOTER_CUE.search(_STRING(element)) is not None


def _cue_blocks(body) -> list:
    """The last top-level block(s) of the layout holding footer cues (consecutive siblings, in order).

    Top-level: the body's children, or a wrapper's when the block holding the cues holds nearly
    all of its parent's text (a wrapper div or layout table around header, content and footer).
    """
    container = body
    while container is not None:
        children = [child for child in container if isinstance(child.tag, str)]
        cued = [i for i, child in enumerate(children) if _has_cue(child)]
        if not cued:
            return []  # the cues are loose text of a wrapper: no block to call the footer
        last = cued[-1]
        if len(_STRING(children[last])) >= WRAPPER_SHARE * len(_STRING(container)):
            container = children[last]  # a wrapper: the footer is inside it
            continue
        first = last
        while first > 0 and first - 1 in cued:
            first -= 1
        return children[first : last + 1]
    return []


def _block_text(blocks: list) -> str:
    parts: list[str] = []
    for block in blocks:
        parts.extend(block.itertext())
        parts.extend(img.get("alt") or img.get("title") or "" for img in block.iter("img"))
    return _collapse(" ".join(parts))[:MAX_FOOTER_CHARS]

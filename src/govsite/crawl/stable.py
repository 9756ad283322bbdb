"""What of a page stays put between two visits, and where its friendly links are (bounded).

`page_tampered` (govsite.checks.tamper) compares the stable parts of a page
with the same page at the baseline scan; this module reads them from the
parsed tree, before the page's scripts and styles are dropped:

- headings: h1–h3 and the texts of header/banner/logo blocks, outside the
  parts that change by design (lists, carousels, scrolling news, tabs, weather
  and clock widgets) and without a link into an article (a rotating headline
  links its news item);
- images: the sources of the images in header/banner/logo blocks and in the
  footer (not a carousel's);
- friendly links: the external URLs of the 友情链接 / 相关链接 / 政府网站
  blocks (a block whose id or class says so, or that a short heading names)
  and of every select box of URLs (the 网站群 drop-downs gov sites put in
  their footers); `external_link_hijacked` reads what these targets carry.

Not for: judging, or fetching. `external_excerpt` gives the title and the
start of the text of an external page the crawl fetched (a friendly link's target).
"""

from __future__ import annotations

import re

from lxml import etree

from govsite.crawl.htmltree import parse_html
from govsite.crawl.policy import ABSOLUTE_HREF, UrlRules, clean_url

MAX_HEADINGS = 40
MAX_IMAGES = 40
MAX_FRIENDLY = 300
MAX_ITEM_CHARS = 200
MAX_URL_CHARS = 500
EXTERNAL_EXCERPT_CHARS = 4_000
EXTERNAL_PARSE_BYTES = 256 * 1024  # of a friendly link target's body, parsed for its title and text

BANNER_HINT = re.compile(r"header|banner|logo|top|head|masthead|site-?name|title", re.I)
FOOTER_HINT = re.compile(r"foot|bottom|copyright|banquan|dibu", re.I)
# Blocks whose content changes by design.
VOLATILE_HINT = re.compile(
    r"list|news|slide|focus|scroll|marquee|notice|swiper|carousel|lunbo|tab|weather|tianqi|clock|time|date|"
    r"count|visit|hot|roll|gundong|flash|pic-?show|toutiao|headline-news",
    re.I,
)
VOLATILE_TAGS = ("ul", "ol", "li", "marquee", "table", "dl")
FRIENDLY_HINT = re.compile(r"yqlj|friend|(?:^|[\s_-])links?(?:[\s_-]|$)|xglj|lianjie|wzq|zfwz|link-?box|flink", re.I)
FRIENDLY_CUE = re.compile(
    r"友情链接|相关链接|政府网站|网站群|网站导航|部门网站|县区网站|兄弟网站|常用链接|链接导航|外部链接"
)
HOME_HREFS = {"", "/", "./", "index.html", "index.htm", "/index.html", "/index.htm", "#"}


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _hint(element) -> str:
    return f"{element.get('id', '')} {element.get('class', '')}"


def _volatile(element) -> bool:
    """The element lies in a part that changes by design (a list, a carousel, a widget)."""
    for node in (element, *element.iterancestors()):
        if not isinstance(node.tag, str):
            continue
        if node.tag in VOLATILE_TAGS or VOLATILE_HINT.search(_hint(node)):
            return True
    return False


def _in_block(element, hint: re.Pattern) -> bool:
    return any(isinstance(n.tag, str) and n.tag != "body" and hint.search(_hint(n)) for n in element.iterancestors())


def _links_away(element) -> bool:
    """A link inside that leads somewhere other than the homepage (a headline linking its news item)."""
    return any((a.get("href") or "").strip() not in HOME_HREFS for a in element.iter("a"))


def headings(tree) -> list[str]:
    found: list[str] = []
    candidates = [el for el in tree.iter("h1", "h2", "h3")]
    candidates += [
        el
        for el in tree.iter("div", "span", "p", "strong")
        if BANNER_HINT.search(_hint(el)) and len(el) <= 3 and not _in_block(el, BANNER_HINT)
    ]
    for element in candidates:
        if _volatile(element) or _links_away(element):
            continue
        text = _collapse("".join(element.itertext()))[:MAX_ITEM_CHARS]
        if text and text not in found:
            found.append(text)
        if len(found) >= MAX_HEADINGS:
            break
    return found


def images(tree, base: str) -> list[str]:
    found: list[str] = []
    for image in tree.iter("img"):
        if _volatile(image) or not (_in_block(image, BANNER_HINT) or _in_block(image, FOOTER_HINT)):
            continue
        url = clean_url(image.get("src") or "", base)
        if url and url not in found:
            found.append(url[:MAX_URL_CHARS])
        if len(found) >= MAX_IMAGES:
            break
    return found


def friendly_links(tree, base: str, rules: UrlRules) -> list[str]:
    """External URLs of the page's friendly-link blocks and URL select boxes, in page order."""
    found: dict[str, None] = {}
    base_in_site = rules.kind(base) != "external"
    for container in _friendly_blocks(tree):
        for anchor in container.iter("a"):
            _add(found, anchor.get("href"), base, rules, base_in_site)
    for select in tree.iter("select"):
        for option in select.iter("option"):
            _add(found, option.get("value"), base, rules, base_in_site)
    return list(found)[:MAX_FRIENDLY]


def select_links(tree, base: str) -> list[tuple[str, str]]:
    """(URL, text) of the options of URL select boxes (their value an http(s) URL): links without an <a>."""
    found: list[tuple[str, str]] = []
    for select in tree.iter("select"):
        for option in select.iter("option"):
            value = (option.get("value") or "").strip()
            if not value.lower().startswith(("http://", "https://")):
                continue
            url = clean_url(value, base)
            if url:
                found.append((url, _collapse("".join(option.itertext()))[:MAX_ITEM_CHARS]))
    return found[:MAX_FRIENDLY]


def _friendly_blocks(tree) -> list:
    blocks = [el for el in tree.iter("div", "ul", "section", "td", "p") if FRIENDLY_HINT.search(_hint(el))]
    for element in tree.iter("span", "h2", "h3", "h4", "strong", "b", "em", "dt", "dd", "th", "div", "p", "td", "li"):
        own = _collapse(element.text or "")
        if own and len(own) <= 12 and FRIENDLY_CUE.search(own):
            container = element.getparent()
            for _ in range(3):  # the heading's block, or a block around it (a tab's header beside its lists)
                if container is None or next(container.iter("a"), None) is not None:
                    break
                container = container.getparent()
            if container is not None and container.tag not in ("body", "html"):
                blocks.append(container)
    return blocks


def _add(found: dict[str, None], href: str | None, base: str, rules: UrlRules, base_in_site: bool) -> None:
    value = (href or "").strip()
    if not value or value.lower().startswith(("javascript:", "mailto:", "#")):
        return
    if base_in_site and not ABSOLUTE_HREF.match(value):
        return  # a path on the page's own host: never external
    url = clean_url(value, base)
    if url and rules.kind(url) == "external":
        found[url] = None


_TITLE = etree.XPath("string(//title)")


def external_excerpt(body: bytes, encoding: str) -> tuple[str, str]:
    """(title, start of the visible text) of an external HTML page, bounded; ("", "") when unreadable."""
    try:
        html = body[:EXTERNAL_PARSE_BYTES].decode(encoding or "utf-8", errors="replace")
    except LookupError:
        html = body[:EXTERNAL_PARSE_BYTES].decode("utf-8", errors="replace")
    tree = parse_html(html)
    if tree is None:
        return "", ""
    title = _collapse(_TITLE(tree))[:MAX_ITEM_CHARS]
    etree.strip_elements(tree, "script", "style", "noscript", "template", with_tail=False)
    body_el = tree.find("body")
    text = _collapse(" ".join((body_el if body_el is not None else tree).itertext()))
    return title, text[:EXTERNAL_EXCERPT_CHARS]

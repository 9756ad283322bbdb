"""One HTML parse for all page analysis, read as a browser reads the page.

For: every place that turns page HTML into a tree or text — the crawl's
analysis (govsite.crawl.analyze, so the rebuild from a WARC too), the list
reader (govsite.crawl.listpages), and the text tools (govsite.text.maincontent,
the `govsite text check` command). They all call `parse_html`, or
`browser_html` before handing text to a library that parses it itself
(trafilatura), so they agree on what a page holds.

Why: CMS templates (TRS includes, JSP/SSI fragments) concatenate fragments
that each end in their own ``</body></html>``. libxml2's HTML parser (2.14,
measured) drops everything after a ``</html>`` that is not balanced by a
repeated ``<html><body>`` (a template's own closing tags before a footer
include, a fragment that only closes), and puts text after a ``</body>``
outside the body, so the footer — where the identity marks are — vanishes.
Browsers ignore those end tags (HTML5 "after body" / "after after body": the
content goes on in the body), and libxml2 already ignores the
fragments' repeated ``<!DOCTYPE>``, ``<html>``, ``<head>`` and ``<body>`` start
tags. So `browser_html` drops every ``</body>`` and ``</html>`` end tag
(libxml2 closes the elements at the end of the input, as a browser does)
and nothing else; libxml2 keeps the speed (the alternative, an HTML5 parser
such as selectolax, would mean a second tree type for the 1,267-line list
reader written against lxml elements).

A ``</html>`` inside a script, style, textarea or title, a comment, or an
attribute value is not a tag and is left alone: one regex search jumps from
comment to raw text element to end tag as the HTML5 tokenizer delimits them,
and the text before each stray-looking end tag (up to TAG_WINDOW characters)
is tokenized exactly to tell whether an attribute value holds it. The common
page — its only end tags at its end — costs one regex search and is returned
unchanged.
"""

from __future__ import annotations

import re

from lxml import etree

# What follows a tag name: attributes, where a quote opens a value only right after "=" (HTML5).
_ATTRIBUTES = r"""(?:[^>=]++|=\s*+"[^"]*+"|=\s*+'[^']*+'|=)*+"""
_TAG_REST = _ATTRIBUTES + r"(?:>|\Z)"
_RAW_TEXT = ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes")
_RAW_INITIALS = "".join(sorted({c for name in _RAW_TEXT for c in name[0] + name[0].upper()}))
# Where a "</html>" is no tag: a comment, or a raw text element's content (its start tag's
# attributes included); and the stray end tag itself (group "stray"). The scan jumps from one
# of these to the next, so its cost is one search of the page, not a walk over every tag; the
# pattern is case-sensitive outside the tag names so that the search skips to each "<" at once.
_SCAN = (
    r"<(?:!--(?:-?>|.*?(?:--!?>|\Z))"
    rf"|(?=[{_RAW_INITIALS}])(?i:(?=(?:{'|'.join(_RAW_TEXT)})[\s/>]))(?:"
    + "|".join(rf"(?i:{name}){_TAG_REST}.*?(?=</(?i:{name})[\s/>]|\Z)" for name in _RAW_TEXT)
    + rf")|(?P<stray>/(?i:html|body)(?=[\s/>]|\Z){_TAG_REST}))"
)
# Text and whole tags up to the end of the searched span, and nothing else: no match when a tag
# runs past it (the span then ends inside that tag, in an attribute value).
_WHOLE_TAGS = r"""(?:[^<]++|<[a-zA-Z](?:[^>=]++|=\s*+"[^"]*+"|=\s*+'[^']*+'|=(?!\s*+["']))*+>|<(?![a-zA-Z]))*+\Z"""
_END = r"</(?i:html|body)"  # the first end tag that might be stray
_TAIL = r"(?:\s++|</(?i:html|body)\s*+>|<!--.*?-->)*+\Z"  # what may follow the real closing tags
_PATTERNS = {
    str: tuple(re.compile(p, re.DOTALL) for p in (_SCAN, _WHOLE_TAGS, _END, _TAIL)),
    bytes: tuple(re.compile(p.encode("ascii"), re.DOTALL) for p in (_SCAN, _WHOLE_TAGS, _END, _TAIL)),
}
MAX_STRAYS = 1_000  # end tags looked at on one page (real pages have a handful)
TAG_WINDOW = 1_000  # characters before a stray end tag searched for a tag whose attribute value holds it
# Elements whose content a browser does not show as text.
HIDDEN_TAGS = ("script", "style", "noscript", "template", "iframe", "object")


def browser_html(html: str | bytes) -> str | bytes:
    """`html` without its ``</body>``/``</html>`` end tags when one of them is not at the very end.

    Works on text and on undecoded bytes alike (ASCII-compatible encodings: in GBK,
    GB18030 and UTF-8 no byte of a multi-byte character is "<", ">", a quote or "=").
    """
    scan, whole_tags, end, tail = _PATTERNS[bytes if isinstance(html, bytes) else str]
    first = end.search(html)
    if first is None or tail.match(html, first.start()):
        return html  # the usual page: its only end tags close it
    pieces = []
    kept = 0
    after = 0  # the end of the last comment, raw text element or stray tag: outside any tag
    checked = 0
    for match in scan.finditer(html):
        if match.start("stray") < 0:
            after = match.end()
            continue
        checked += 1
        if checked > MAX_STRAYS:
            break  # a hostile page: the rest stays as it is
        if not _inside_tag(html, max(after, match.start() - TAG_WINDOW), match.start(), whole_tags):
            pieces.append(html[kept : match.start()])
            kept = after = match.end()
    pieces.append(html[kept:])
    return html[:0].join(pieces)


def _inside_tag(html: str | bytes, start: int, position: int, whole_tags: re.Pattern) -> bool:
    """Whether `position` lies inside a tag: in an attribute value (<a title="</html>">).

    The span from `start` (a position outside any tag, or at most TAG_WINDOW characters back)
    is tokenized exactly; it holds only text and whole tags unless a tag runs past `position`. A
    value holding "</html>" further back is taken for text (the tag is then dropped from the
    value, which no check reads, rather than the page's footer lost).
    """
    return whole_tags.match(html, start, position) is None


def parse_html(html: str | bytes) -> etree._Element | None:
    """The page as plain lxml elements (the root <html>), comments and processing instructions
    dropped as a browser drops them; None when there is nothing to parse.

    Plain elements, not lxml.html's: its element classes cost a Python call per element visited.
    Bytes are decoded by libxml2, which follows the page's <meta charset> (GBK pages are common).
    """
    if not html or html.isspace():
        return None
    if isinstance(html, str) and html.lstrip()[:5].lower() == "<?xml":
        html = html.lstrip().split(">", 1)[-1]  # lxml refuses str input with an encoding declaration
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False)
    try:
        return etree.fromstring(browser_html(html), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def strip_hidden(root: etree._Element) -> None:
    """Drop, in place, what a browser does not show as text: scripts, styles and the like (their
    tails stay), and the <title> of an included fragment that landed in the body."""
    etree.strip_elements(root, *HIDDEN_TAGS, with_tail=False)
    drop_fragment_titles(root)


def drop_fragment_titles(root: etree._Element) -> None:
    """Drop, in place, the <title> elements in the body (an included fragment's own, 无标题文档 …):
    a browser shows none of them."""
    body = root.find("body")
    if body is not None:
        etree.strip_elements(body, "title", with_tail=False)

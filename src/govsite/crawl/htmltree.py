"""One HTML parse for all page analysis, read as a browser reads the page.

For: every place that turns page HTML into a tree or text — the crawl's
analysis (govsite.crawl.analyze, so the rebuild from a WARC too), the list
reader (govsite.crawl.listpages), and the text tools (govsite.text.maincontent,
the `govsite text check` command). They all call `parse_html`, or
`browser_html` before handing text to a library that parses it itself
(trafilatura), so they agree on what a page holds.

Why: CMS templates (TRS includes, JSP/SSI fragments) concatenate fragments
that are each a whole document ending in ``</body></html>``. libxml2's HTML
parser ends the document at the first ``</html>`` (and puts text after a
``</body>`` outside the body), so the footer — where the identity marks are —
vanishes. Browsers ignore those end tags (HTML5 "after body" / "after after
body": the content goes on in the body), and libxml2 already ignores the
fragments' repeated ``<!DOCTYPE>``, ``<html>``, ``<head>`` and ``<body>`` start
tags. So `browser_html` drops every ``</body>`` and ``</html>`` end tag
(libxml2 closes the elements at the end of the input, as a browser does)
and nothing else; libxml2 keeps the speed (the alternative, an HTML5 parser
such as selectolax, would mean a second tree type for the 1,267-line list
reader written against lxml elements).

A ``</html>`` inside a script, style, textarea or title, a comment, or an
attribute value is not a tag and is left alone: the scan follows the HTML5
tokenizer's states for those (comments, raw text elements, quoted attribute
values). The common page — one ``</body></html>`` at its end — costs one
regex search and is returned unchanged.
"""

from __future__ import annotations

import re

from lxml import etree

# What follows a tag name: attributes, where a quote opens a value only right after "=" (HTML5).
_TAG_REST = r"""(?>=\s*+"[^"]*+"|=\s*+'[^']*+'|[^>])*+(?:>|\Z)"""
_RAW_TEXT = "script|style|textarea|title|xmp|iframe|noembed|noframes"
# One token where the text has "<": a comment, a bogus comment or doctype, a raw text
# element with its content, a stray end tag (group "stray"), or any other tag.
_SCAN = (
    r"<!--(?:-?>|.*?(?:--!?>|\Z))"
    r"|<[!?][^>]*+(?:>|\Z)"
    r"|</(?![a-zA-Z])[^>]*+(?:>|\Z)"
    rf"|<(?P<raw>{_RAW_TEXT})(?=[\s/>]){_TAG_REST}.*?(?=</(?P=raw)[\s/>]|\Z)"
    rf"|(?P<stray></(?:html|body)(?=[\s/>]|\Z){_TAG_REST})"
    rf"|</?[a-zA-Z]{_TAG_REST}"
)
_FLAGS = re.IGNORECASE | re.DOTALL
# Elements whose content a browser does not show as text.
HIDDEN_TAGS = ("script", "style", "noscript", "template", "iframe", "object")
_SCAN_STR = re.compile(_SCAN, _FLAGS)
_SCAN_BYTES = re.compile(_SCAN.encode("ascii"), _FLAGS)
# The first end tag that might be stray, and what may follow the last real one.
_END_STR = re.compile(r"</(?:html|body)", re.IGNORECASE)
_END_BYTES = re.compile(rb"</(?:html|body)", re.IGNORECASE)
_TAIL_STR = re.compile(r"(?:\s++|</(?:html|body)\s*+>|<!--.*?-->)*+\Z", _FLAGS)
_TAIL_BYTES = re.compile(rb"(?:\s++|</(?:html|body)\s*+>|<!--.*?-->)*+\Z", _FLAGS)


def browser_html(html: str | bytes) -> str | bytes:
    """`html` without its ``</body>``/``</html>`` end tags when one of them is not at the very end.

    Works on text and on undecoded bytes alike (ASCII-compatible encodings: in GBK,
    GB18030 and UTF-8 no byte of a multi-byte character is "<", ">", a quote or "=").
    """
    if isinstance(html, bytes):
        scan, end, tail = _SCAN_BYTES, _END_BYTES, _TAIL_BYTES
    else:
        scan, end, tail = _SCAN_STR, _END_STR, _TAIL_STR
    first = end.search(html)
    if first is None or tail.match(html, first.start()):
        return html  # the usual page: its only end tags close it
    pieces = []
    kept = 0
    for match in scan.finditer(html):
        if match.start("stray") >= 0:
            pieces.append(html[kept : match.start()])
            kept = match.end()
    pieces.append(html[kept:])
    return html[:0].join(pieces)


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
    body = root.find("body")
    if body is not None:
        etree.strip_elements(body, "title", with_tail=False)

"""What the security-event detectors need from a page's markup, read once by the crawl (bounded).

For: `govsite.crawl.analyze.analyze_page`, which calls `security_hints` on the
parsed tree before scripts and iframes are dropped; `govsite.checks.injection`
judges the result. Nothing here executes the page: scripts are read as text.

What is recorded (lists of plain dicts, so that the page index stays JSON):

- `hidden_links`: off-site `<a>`/`<area>` that a visitor cannot see, and why
  (`how`): an inline style or a rule of the page's own `<style>` blocks
  (display:none, visibility:hidden, opacity:0, font-size:0, zero height or
  width with overflow:hidden, text-indent far left, absolute/fixed position
  far off-screen, text colour equal to the background colour), the `hidden`
  attribute, a tiny `<marquee>`. Links written by an inline script with
  `document.write("...")` (also through `unescape`) are read the same way
  (`how` then starts with "script:"). Linked stylesheets are not fetched:
  a link hidden only by an external .css file is not seen.
- `scripts`: each script source (`src`, or one written by document.write),
  and the inline code shapes of obfuscation (eval packers, long
  `String.fromCharCode` or `\\x..` chains) and of redirects by script
  (`location.href = "…"`, `location.replace("…")`), with a bounded snippet.
- `iframes`: each iframe/frame source, with why it cannot be seen (zero or
  one-pixel size, display:none, visibility:hidden, off-screen), if so.
- `meta_refresh`: where a `<meta http-equiv="refresh">` sends the visitor.
- `insecure_resources`: on an https page, the http:// scripts, styles,
  iframes (active) and images, media (passive) it loads.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

from cssselect import GenericTranslator, SelectorError
from lxml import etree

from govsite.crawl.policy import ABSOLUTE_HREF

MAX_ITEMS = 50  # of each list, per page
MAX_SNIPPET = 300
MAX_CSS_RULES = 200  # hiding rules of a page's <style> blocks applied
MAX_WRITTEN = 20_000  # characters of HTML written by one script that are read
OFFSCREEN_PX = 500  # a position further left/up than this is off-screen
INDENT_PX = 999

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_DECL = re.compile(r"([a-zA-Z-]+)\s*:\s*([^;]+)")
_NUMBER = re.compile(r"^(-?\d*\.?\d+)\s*(px|pt|em|rem|%)?")
_WRITE = re.compile(r"document\s*\.\s*write(?:ln)?\s*\(", re.I)
_STRING = re.compile(r""""((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'""")
_PACKER = re.compile(r"eval\s*\(\s*function\s*\(\s*p\s*,\s*a\s*,\s*c\s*,\s*k\s*,\s*e\s*,\s*[dr]\s*\)")
_CHARCODE = re.compile(r"String\s*\.\s*fromCharCode\s*\(\s*(?:\d+\s*,\s*){19,}\d+")
_HEX = re.compile(r"(?:\\x[0-9a-fA-F]{2}){20,}")
_EVAL_UNESCAPE = re.compile(r"eval\s*\(\s*(?:unescape|atob|decodeURIComponent)\s*\(", re.I)
_REDIRECT = re.compile(
    r"""(?:(?:window|document|top|self|parent)\s*\.\s*)?location(?:\s*\.\s*href)?\s*=\s*["']([^"']+)["']"""
    r"""|location\s*\.\s*(?:replace|assign)\s*\(\s*["']([^"']+)["']""",
    re.I,
)
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.I)
_TRANSLATOR = GenericTranslator()
ACTIVE_TAGS = {"script": "src", "iframe": "src", "frame": "src", "embed": "src", "object": "data"}
PASSIVE_TAGS = {"img": "src", "audio": "src", "video": "src", "source": "src"}


def security_hints(tree, base: str, page_url: str, is_external) -> dict[str, list]:
    """The page's hints (see the module doc); `is_external(url)` says whether a URL leaves the site."""
    hidden_css = _stylesheet_hidden(tree)
    hints: dict[str, list] = {"hidden_links": [], "scripts": [], "iframes": [], "insecure_resources": []}
    _read_tree(tree, base, is_external, hidden_css, hints, written=False)
    for script in tree.iter("script"):
        if script.get("src"):
            continue
        code = script.text or ""
        _code_hints(code, base, hints)
        written = _written_html(code)
        if written:
            fragment = _parse_fragment(written)
            if fragment is not None:
                _read_tree(fragment, base, is_external, _stylesheet_hidden(fragment), hints, written=True)
    hints["meta_refresh"] = _meta_refresh(tree, base)
    if urlsplit(page_url).scheme == "https":
        hints["insecure_resources"] = _insecure(tree, base)
    for value in hints.values():
        if isinstance(value, list):
            del value[MAX_ITEMS:]
    return hints


# --- CSS --------------------------------------------------------------------------------------


def declarations(style: str) -> dict[str, str]:
    """A style attribute (or a rule's body) as property -> value, lower case, !important dropped."""
    found: dict[str, str] = {}
    for name, value in _DECL.findall(_COMMENT.sub("", style or "")):
        found[name.strip().lower()] = value.replace("!important", "").strip().lower()
    return found


def _px(value: str) -> float | None:
    match = _NUMBER.match(value.strip())
    if not match:
        return None
    number, unit = float(match.group(1)), match.group(2) or "px"
    return number * 16 if unit in ("em", "rem") else (None if unit == "%" else number)


def hiding(decls: dict[str, str]) -> str:
    """Why these declarations make an element invisible ("" when they do not)."""
    if decls.get("display") == "none":
        return "display:none"
    if decls.get("visibility") in ("hidden", "collapse"):
        return "visibility:hidden"
    if decls.get("opacity", "").strip() in ("0", "0.0", ".0"):
        return "opacity:0"
    size = decls.get("font-size")
    if size is not None and _px(size) == 0:
        return "font-size:0"
    indent = _px(decls.get("text-indent", ""))
    if indent is not None and indent <= -INDENT_PX:
        return f"text-indent:{decls['text-indent']}"
    overflow = decls.get("overflow", "") == "hidden"
    for side in ("height", "width"):
        value = _px(decls.get(side, "")) if side in decls else None
        if value is not None and value <= 1 and overflow:  # without it the content overflows, visible
            return f"{side}:{decls[side]}"
    if decls.get("position") in ("absolute", "fixed"):
        for side in ("top", "left", "right", "bottom"):
            value = _px(decls.get(side, "")) if side in decls else None
            if value is not None and value <= -OFFSCREEN_PX:
                return f"position:{decls['position']};{side}:{decls[side]}"
    color, background = decls.get("color"), decls.get("background-color") or decls.get("background")
    if color and background and color.split()[0] == background.split()[0]:
        return f"color:{color}=background"
    return ""


def _css_rules(css: str):
    """(selector list, body) of the top-level rules; @media and other at-blocks are skipped."""
    css = _COMMENT.sub("", css)
    depth, start, skip_until = 0, 0, -1
    selector = ""
    for index, char in enumerate(css):
        if char == "{":
            if depth == 0:
                selector = css[start:index].strip()
                if selector.startswith("@"):
                    skip_until = 0
            depth += 1
            start = index + 1
        elif char == "}":
            depth -= 1
            if depth <= 0:
                depth = 0
                if skip_until < 0 and selector:
                    yield selector, css[start:index]
                skip_until, selector = -1, ""
                start = index + 1
        elif char == ";" and depth == 0:
            start = index + 1  # an @import or @charset line


def _stylesheet_hidden(tree) -> dict:
    """Element -> why a rule of the page's <style> blocks hides it."""
    hidden: dict = {}
    applied = 0
    for style in tree.iter("style"):
        for selectors, body in _css_rules(style.text or ""):
            why = hiding(declarations(body))
            if not why:
                continue
            for selector in selectors.split(","):
                selector = selector.strip()
                if not selector or ":" in selector or applied >= MAX_CSS_RULES:
                    continue  # :hover, :focus … show and hide by interaction
                applied += 1
                try:
                    matched = tree.xpath(_TRANSLATOR.css_to_xpath(selector))
                except (SelectorError, etree.XPathError, ValueError):
                    continue
                for element in matched:
                    hidden.setdefault(element, f"{selector}{{{why}}}")
    return hidden


def _element_hiding(element, hidden_css: dict) -> str:
    """Why this element (not its ancestors) cannot be seen, or ""."""
    if element.get("hidden") is not None:
        return "hidden属性"
    if element.tag == "marquee":
        for side in ("height", "width"):
            value = _px(element.get(side) or "") if element.get(side) else None
            if value is not None and value <= 2:
                return f"marquee {side}={element.get(side)}"
    why = hiding(declarations(element.get("style") or ""))
    if why:
        return f'style="{why}"'
    return hidden_css.get(element, "")


def why_hidden(element, hidden_css: dict) -> tuple[str, object]:
    """(why, the hiding element) for the element or its nearest hiding ancestor; ("", None) if visible."""
    node = element
    while node is not None and isinstance(node.tag, str):
        why = _element_hiding(node, hidden_css)
        if why:
            return why, node
        node = node.getparent()
    return "", None


# --- the tree -----------------------------------------------------------------------------------


def snippet(element) -> str:
    text = etree.tostring(element, encoding="unicode", method="html", with_tail=False)
    text = " ".join(text.split())
    return text if len(text) <= MAX_SNIPPET else text[: MAX_SNIPPET - 1] + "…"


def _read_tree(tree, base: str, is_external, hidden_css: dict, hints: dict, *, written: bool) -> None:
    prefix = "script:" if written else ""
    base_in_site = not is_external(base)
    for anchor in tree.iter("a", "area"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        if base_in_site and not ABSOLUTE_HREF.match(href):
            continue  # a path on the page's own host: in the site (most of a page's links, so no urljoin)
        url = urljoin(base, href)
        if not is_external(url):
            continue
        why, holder = why_hidden(anchor, hidden_css)
        if why:
            text = " ".join("".join(anchor.itertext()).split()) or anchor.get("title", "")
            hints["hidden_links"].append(
                {"url": url, "text": text[:200], "how": prefix + why, "snippet": snippet(holder)}
            )
    for script in tree.iter("script"):
        src = (script.get("src") or "").strip()
        if src:
            hints["scripts"].append(
                {"kind": "written" if written else "src", "url": urljoin(base, src), "snippet": snippet(script)}
            )
    for frame in tree.iter("iframe", "frame"):
        src = (frame.get("src") or "").strip()
        if not src or src.startswith(("javascript:", "about:")):
            continue
        hints["iframes"].append(
            {"url": urljoin(base, src), "hidden": prefix + _frame_hiding(frame, hidden_css), "snippet": snippet(frame)}
        )


def _frame_hiding(frame, hidden_css: dict) -> str:
    for side in ("width", "height"):
        value = _px(frame.get(side) or "") if frame.get(side) else None
        if value is not None and value <= 1:
            return f"{side}={frame.get(side)}"
    return why_hidden(frame, hidden_css)[0]


def _code_hints(code: str, base: str, hints: dict) -> None:
    for kind, pattern in (("packer", _PACKER), ("charcode", _CHARCODE), ("hex", _HEX), ("eval_decode", _EVAL_UNESCAPE)):
        match = pattern.search(code)
        if match:
            hints["scripts"].append({"kind": kind, "url": "", "snippet": _around(code, match.start())})
    for match in _REDIRECT.finditer(code):
        target = (match.group(1) or match.group(2) or "").strip()
        if target and not target.startswith(("#", "javascript:")):
            hints["scripts"].append(
                {"kind": "redirect", "url": urljoin(base, target), "snippet": _around(code, match.start())}
            )


def _around(code: str, start: int) -> str:
    text = " ".join(code[max(0, start - 20) : start + MAX_SNIPPET].split())
    return text[:MAX_SNIPPET]


def _written_html(code: str) -> str:
    """The HTML that the script's document.write calls write, as far as string literals tell."""
    parts: list[str] = []
    total = 0
    for match in _WRITE.finditer(code):
        end = code.find(");", match.end())
        call = code[match.end() : end if end >= 0 else match.end() + MAX_WRITTEN]
        decode = "unescape(" in call[:40] or "decodeURIComponent(" in call[:40]
        for literal in _STRING.finditer(call):
            value = literal.group(1) if literal.group(1) is not None else literal.group(2)
            value = value.replace('\\"', '"').replace("\\'", "'").replace("\\/", "/")
            parts.append(unquote(value) if decode else value)
            total += len(value)
        if total > MAX_WRITTEN:
            break
    written = "".join(parts)[:MAX_WRITTEN]
    return written if "<" in written else ""


def _parse_fragment(markup: str):
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False)
    try:
        return etree.fromstring(f"<html><body>{markup}</body></html>", parser)
    except (etree.ParserError, ValueError):
        return None


def _meta_refresh(tree, base: str) -> str:
    for meta in tree.iter("meta"):
        if (meta.get("http-equiv") or "").strip().lower() == "refresh":
            match = _REFRESH_URL.search(meta.get("content") or "")
            if match:
                return urljoin(base, match.group(1).strip())
    return ""


def _insecure(tree, base: str) -> list[dict]:
    found: list[dict] = []
    for element in tree.iter(*ACTIVE_TAGS, *PASSIVE_TAGS, "link"):
        if element.tag == "link":
            if "stylesheet" not in (element.get("rel") or "").lower():
                continue
            attr, active = "href", True
        else:
            active = element.tag in ACTIVE_TAGS
            attr = ACTIVE_TAGS.get(element.tag) or PASSIVE_TAGS[element.tag]
        value = (element.get(attr) or "").strip()
        if value and urljoin(base, value).startswith("http://"):
            found.append(
                {"tag": element.tag, "url": urljoin(base, value), "active": active, "snippet": snippet(element)}
            )
    return found

"""The main content of a page, not its chrome: what the wording checks read.

Two tools, used together by govsite.checks.wording:

- `extract_main_text(html)`: the article text of one HTML page, by
  trafilatura (a maintained extractor; offline, `fast=True`: its own
  algorithm without the readability/jusText fallbacks, 3–4 ms a page on the
  generated sites against 7 ms with them). "" when trafilatura finds nothing,
  or cannot load (govsite.optional then warns once that navigation is read
  too): the caller falls back to the page's visible text.
  A page too short for trafilatura to tell article from chrome comes back
  whole (navigation included): the site-level dedup below catches that.
- `SiteChrome`: per-site dedup. Text units (sentences, also cut at
  whitespace, as the checks read them) that occur on at least `SHARE` of up
  to `SAMPLE_PAGES` of the site's pages (evenly spaced) are chrome — navigation, top bars, "打印本页 关闭窗口",
  footers. `SiteChrome.drop_seen(text)` keeps a chrome unit the first time it is
  seen and blanks it afterwards, so a typo in the navigation is reported once
  per site, on the first page read (the homepage), not on every page.

Identity marks and privacy leaks are not judged here: those detectors keep
reading the whole page (PageRecord.text / footer_text).

Not for: the identity-line filter of one text (wording.main_content).
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence

from govsite import optional
from govsite.text.wording import sentence_spans  # chrome is learnt in the units the wording checks read

SAMPLE_PAGES = 400  # pages read to learn a site's chrome (bounded memory on a 50,000-page site)
SHARE = 0.5  # a unit on at least half of the sampled pages is chrome
MIN_PAGES = 3  # and on at least this many (a two-page site has no chrome to learn)
MIN_UNIT_CHARS = 2  # single characters (大 中 小, |) carry no wording

trafilatura = optional.load(
    "trafilatura",
    role="正文抽取",
    without="网页将按全部可见文字检查（导航、页脚也会被检查，错别字误报会增多）",
    fix="pip install lxml_html_clean trafilatura",
)


def extractor_available() -> bool:
    return trafilatura is not None


def extract_main_text(html: str) -> str:
    """The main text of one HTML page (paragraphs on their own lines), or "" when none can be told."""
    if trafilatura is None:
        optional.report_missing("trafilatura")
        return ""
    if not html or not html.strip():
        return ""
    from govsite.crawl.htmltree import browser_html
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    try:
        text = trafilatura.extract(
            browser_html(html),  # trafilatura parses with libxml2 too: a stray </html> would end the page
            output_format="txt",
            fast=True,
            include_comments=False,
            include_tables=True,
            include_links=False,
            include_images=False,
            deduplicate=False,
        )
    except Exception:  # hostile HTML must never cost a page its record
        return ""
    return text or ""


def visible_text(html: str) -> str:
    """All visible text of an HTML page (scripts and styles dropped), whitespace collapsed,
    parsed as the crawl's page analysis parses it (govsite.crawl.htmltree)."""
    from govsite.crawl.htmltree import parse_html, strip_hidden

    tree = parse_html(html)
    if tree is None:
        return ""
    strip_hidden(tree)
    return " ".join(" ".join(tree.itertext()).split())


def html_text(html: str, *, main_only: bool = True) -> str:
    """The text of one HTML page the wording checks read: its main text, else (or with
    main_only=False) all visible text."""
    return (extract_main_text(html) if main_only else "") or visible_text(html)


def sample(items: Sequence, size: int = SAMPLE_PAGES) -> list:
    """At most `size` items, evenly spaced, first and order kept (deterministic)."""
    if len(items) <= size:
        return list(items)
    step = len(items) / size
    return [items[int(i * step)] for i in range(size)]


class SiteChrome:
    """The text units a site repeats on most pages, and which of them were already checked."""

    def __init__(self, chrome: Iterable[str] = ()) -> None:
        self.chrome = frozenset(chrome)
        self.seen: set[str] = set()

    @classmethod
    def learn(cls, texts: Sequence[str], share: float = SHARE, min_pages: int = MIN_PAGES) -> SiteChrome:
        """Learn from the site's page texts (in crawl order; a sample is read)."""
        pages = sample(texts)
        counts: Counter[str] = Counter()
        for text in pages:
            counts.update({text[a:b] for a, b in sentence_spans(text) if b - a >= MIN_UNIT_CHARS})
        need = max(min_pages, math.ceil(share * len(pages)))
        return cls(unit for unit, n in counts.items() if n >= need)

    def drop_seen(self, text: str) -> str:
        """`text` with each chrome unit already seen on an earlier page blanked (a line break, offsets kept)."""
        if not self.chrome:
            return text
        out: list[str] = []
        pos = 0
        first_here: set[str] = set()
        for a, b in sentence_spans(text):
            unit = text[a:b]
            if unit in self.chrome and unit not in first_here:
                if unit in self.seen:
                    out.append(text[pos:a])
                    out.append("\n" * (b - a))
                    pos = b
                    continue
                first_here.add(unit)
        out.append(text[pos:])
        self.seen |= first_here
        return "".join(out)

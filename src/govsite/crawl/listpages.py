"""Column list pages (栏目列表页): recognise them and read their items, name and pagination.

For: the crawler's page analysis. `read_list_page` is called on every HTML
page; it returns a `ListPage` for a column's list page (its name, its dated
items, the URLs of its further pages, whether it is an empty column) and
None for everything else (homepages, articles, navigation-only pages,
sitemaps, search results). `read_dated_items` gives the dated items of any
page, for the homepage rule (首页 2 周未更新), where no list-page decision applies.
Not for: judging freshness (govsite.checks.columns does that with the
items), following the pagination (the crawler decides how many further
pages to fetch; page 1 always holds the newest items), or rendering
JavaScript (JS-built lists are read only where the data sits in the page:
Hanweb's ``<script type="text/xml">`` datastore, TRS ``createPageHTML``).
A Hanweb column's later records are the further pages jpage would request
(``dataproxy.jsp?startrecord=…&endrecord=…&perpage=…`` with the datastore's
``<nextgroup>`` parameters); such an answer is read record by record as a
list page without a column name (its column is the page that led to it).

How a page is recognised, by structure rather than by CMS:

* Items are the repeated sibling elements of one container (``li`` of a
  ``ul``, ``tr`` of a table, ``div.list-item`` of a div, bare ``a`` of a
  div) that each hold 1..4 links; a row's date is a "date-standing" text
  piece in it (a ``<span>``/``<td>`` that is a date, "[2025-06-05]" after or
  before the title, "标题 2025-06-05") — a date inside a title's wording
  ("关于2025年6月5日停水的通知") is not taken. Rows without their own date
  borrow it from the sibling text between rows (``<a>…</a><span>date</span><br>``).
* A list is such a group with ≥3 linked rows of which more than half carry
  a date. Sibling containers of one list (several ``ul.list`` split by
  separators) are merged.
* The page is a list page when that list dominates: a pager of the same
  list sits next to it (its nearest list is taken), or the list has at least 1.5× the dated rows of all other
  dated groups together (with a breadcrumb: at least as many, or ≥10 rows
  and 1.5× the next group). Homepages (the site root), sitemaps, search
  pages and article-like pages (prose outside the list, or several article
  marks such as 打印本页/关闭窗口/字号) are never list pages.
* A page with no dated list but an empty-list message (暂无信息, 暂无数据,
  没有记录, 栏目建设中…) or an empty list container under a breadcrumb is an
  empty column (``is_empty``) when a column name can be found.
* An undated group is taken as the list only when a pager sits next to it
  and its titles look like headlines (≥8 characters on average).
* A column with only one or two items is read when the page has a
  breadcrumb and a list container (class/id "list"…) whose rows all carry a
  date; a page whose breadcrumb ends in 正文/详情 is an article.

Cost (measured on the 2-core development machine, one core, best of
repeated runs; tests/crawl/test_listpages.py holds the pages): a small list
page (40-130 elements) 1-2 ms, a 45-55 KB page with a mega-menu, sidebars
and 20-60 list items (750-900 elements) 3-6 ms, an article 0.5 ms; a text
page with no date-like strings and no list words is rejected before
parsing in ~0.1 ms (a parsed tree gets no such shortcut: ~2 ms for 500
elements). Roughly 2 µs per element plus 25-40 µs per list row read.
Passing text costs about the same as passing a parsel Selector: text is
parsed here with plain lxml elements (~0.1-0.9 ms), while lxml.html/parsel
trees cost a Python call per element visited. Every count is bounded
(MAX_* below); a 1.3 MB page of 20,000 list rows takes ~0.3 s.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from html import unescape as html_unescape
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree

from govsite.crawl.htmltree import parse_html
from govsite.crawl.records import ListItem
from govsite.text.dates import DateSpan, date_from_url, date_spans, normalize

MAX_HTML_CHARS = 3_000_000  # characters of HTML parsed
MAX_ELEMENTS = 20_000  # elements walked (real pages have 500-5,000; the rest is ignored)
MAX_ANCHORS = 5_000  # links considered
# An undated list counts only with a pager this close (levels up from the rows' container;
# a table's rows sit in tbody, one level deeper than a ul's).
MAX_UNDATED_PAGER_DISTANCE = 3
PAGE_LEVEL_TAGS = frozenset({"html", "body"})
_ROW_TAGS = frozenset({"li", "tr", "dd", "dt"})
_CHROME_HINT = re.compile(
    r"(?:^|[\s_-])(?:foot(?:er)?|bottom|copyright|header|top-?bar|nav(?:bar)?|menu)(?:[\s_-]|$)", re.I
)
MAX_ITEMS = 500  # items returned
MAX_PAGINATION = 50  # further-page URLs returned
MAX_ROW_ANCHORS = 4  # a row with more links is a block, not an item
MAX_ROW_TEXT = 800  # characters of text in one row
MIN_ITEMS = 3
MAX_NAME = 40  # characters of a column name

_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "select", "textarea"})
_BAD_HREF = ("#", "javascript:", "mailto:", "tel:", "data:", "about:")

# Pre-parse filter for text input: a list shows dates ("2025-06-05", or "2025-06" over a day number)
# or says it is empty, paged or where it is. Literal-prefixed so that re scans fast.
_QUICK_DATE = re.compile(r"20\d\d\s*[-/.年]\s*\d{1,2}")
_QUICK_MONTH_DAY = re.compile(r"-\d\d\s*[\])）】<]")
_QUICK_HINTS = (
    "暂无", "没有", "无相关", "建设中", "更新中", "下一页", "尾页", "createPageHTML", "recordset", "pageNum",
    "index_", "位置", "crumb",
)  # fmt: skip
# The lookahead names every first character a match can have, so that re skips the rest of
# the text fast (without it this one search cost as much as reading a whole list).
_EMPTY_MESSAGE = re.compile(
    r"(?=[暂目没无建栏正内])(?:(?:暂无|暂时没有|目前没有|没有|无)(?:相关)?(?:信息|数据|内容|记录|文章|公开信息|文件|条目)"
    r"|没有记录|(?:栏目)?(?:正在)?建设中|(?:内容)?正在更新中)"
)
_CRUMB_MARKER = re.compile(
    r"(?:当前位置|您的位置|你的位置|您现在的位置|你现在的位置|您当前的位置|您当前位置|所在位置|现在位置|当前页面)\s*[:：]?"
)
_CRUMB_CLASS = re.compile(r"crumb|bread|position|location|weizhi|dqwz|curpos|mianbao|mbx|lujing", re.I)
_CRUMB_SPLIT = re.compile(r"\s*(?:>>|>|＞|»|›|→|/|\\|\||｜|\s-\s|\s—\s|\s–\s)\s*")
_CRUMB_GENERIC = frozenset(
    {
        "正文",
        "详情",
        "内容",
        "列表",
        "详细信息",
        "信息列表",
        "文章列表",
        "浏览文章",
        "阅读",
        "正文内容",
        "详细内容",
    }
)
_CRUMB_ARTICLE = frozenset({"正文", "详情", "详细信息", "浏览文章", "正文内容", "详细内容", "文章详情", "内容详情"})
_HOME_WORDS = frozenset({"首页", "网站首页", "主页", "返回首页", "home", "Home", "HOME"})
_LIST_CLASS = re.compile(r"(?:^|[\s_-])(?:[a-z]*list[a-z0-9]*|lb|liebiao|govsite-datastore)(?:[\s_-]|$)", re.I)
_FULL_STOP = re.compile("。")
_PUBLISH_HEADER = re.compile(r"发布(?:日期|时间)|公开(?:日期|时间)|发文日期|更新(?:日期|时间)")
_DATE_HEADER = re.compile(r"日期|时间")
_MAYBE_DATE = re.compile(r"\d\s*[-/.年月]\s*\d|\d\s*[日号]|〇")
_NOT_LIST_CLASS = re.compile(r"nav|menu|link|tab|friend|side|foot|head|banner|slide|search", re.I)
_NOT_HEADING_CLASS = re.compile(r"header|nav|menu|logo|top|banner|foot", re.I)
_HEADING_CLASS = re.compile(r"tit|bt|hd|head|name|lm|column|lanmu|caption", re.I)
_ARTICLE_MARKS = re.compile(
    r"打印本页|打印文章|【打印】|\[打印\]|关闭窗口|【关闭】|\[关闭\]|字号[:：]|【字体|字体[:：]|分享到|"
    r"阅读次数|浏览次数|点击数[:：]|访问量[:：]|责任编辑|来源[:：]|发布(?:时间|日期)[:：]"
)
_PAGER_TEXT = re.compile(
    r"^(?:\d{1,4}|下一页|下页|尾页|末页|最后一页|末\s*页|上一页|上页|前一页|首页|第一页|"
    r"next|prev|previous|last|first|>|>>|»|›|<|<<|«|‹)$",
    re.I,
)
_MORE_TEXT = re.compile(r"^(?:更多|more|查看更多|更多信息|更多>+|more>+|>>|»)$", re.I)
_PAGE_PARAMS = frozenset(
    {
        "page", "pagenum", "pageno", "page_no", "page_num", "pageindex", "page_index", "currentpage",
        "curpage", "cur_page", "pn", "p", "start", "startrecord", "endrecord", "offset", "pagesize",
        "perpage",
    }
)  # fmt: skip
_PAGE_NUMBER_PARAMS = frozenset(
    {"page", "pagenum", "pageno", "page_no", "page_num", "pageindex", "page_index", "currentpage", "pn", "p"}
)
_INDEX_FILE = re.compile(r"^(?:index|default)(?:_\d+)?\.\w+$", re.I)
_HOME_PATH = re.compile(r"^/?(?:(?:index|default|main|home|portal)\.\w+)?$", re.I)
_EXCLUDED_PATH = re.compile(r"sitemap|wzdt|site_?map|search|sousuo|jsearch|/404", re.I)
_SITEMAP_TITLE = re.compile(r"网站地图|站点地图|搜索结果|检索结果")
_SITE_NAME = re.compile(r"(?:人民政府|政府网|门户网站|网站|政府|政务网|政务服务网|门户)$")
_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜|--|—+|–|\s-\s|-)\s*")
_STRIP = " \t\r\n\u3000\xa0·•・.:：|/"
_BRACKETS = "[]【】()（）〔〕<>《》「」『』"
_BULLETS = "·•●○■□◆◇▪▫►▶>》-—* \u3000\xa0"
_LABEL = re.compile(r"(?:发布|更新|成文|印发|生成|公开)?(?:日期|时间)|发布于|更新于|日期|时间|浏览|阅读|点击|次数|来源")
_CREATE_PAGE = re.compile(r"createPageHTML\s*\(([^()]{0,300})\)")
_HANWEB_SCRIPT = re.compile(r"<script[^>]*type\s*=\s*[\"']?text/xml[\"']?[^>]*>(.*?)</script>", re.I | re.S)
_HANWEB_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_HANWEB_NEXTGROUP = re.compile(r"<nextgroup>\s*(?:<!\[CDATA\[)?\s*<a\b[^>]*?\bhref\s*=\s*[\"']([^\"']+)[\"']", re.I)
_JPAGE_RANGE = frozenset({"page", "startrecord", "endrecord", "perpage"})
_WS = re.compile(r"\s+")


@dataclass
class ListPage:
    """What a column list page shows: its name, items, further pages and whether it is empty."""

    column_name: str
    items: list[ListItem] = field(default_factory=list)
    pagination: list[str] = field(default_factory=list)
    is_empty: bool = False


class _Frag(NamedTuple):
    pos: int  # pre-order index of the first element at or after this text
    owner: int  # index of the element whose content this text is
    anchor: int  # index of the innermost <a> around it, -1 when none
    text: str


@dataclass
class _Row:
    index: int
    url: str  # the href as written; resolved when the items are made
    title: str
    date: date | None


@dataclass
class _Group:
    container: int  # element index (-1 for none)
    rows: list[_Row]
    extra_containers: list[int] = field(default_factory=list)

    @property
    def dated(self) -> int:
        return sum(1 for row in self.rows if row.date is not None)

    @property
    def is_dated_list(self) -> bool:
        return len(self.rows) >= MIN_ITEMS and self.dated >= MIN_ITEMS and self.dated * 2 > len(self.rows)


def _collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _usable_href(href: str | None) -> bool:
    if not href:
        return False
    href = href.strip().lower()
    return bool(href) and not href.startswith(_BAD_HREF)


_SIMPLE_HREF = re.compile(r"^(?:\./)?[\w\-.~%]+(?:/[\w\-.~%]+)*/?(?:\?[^#]+)?$")
_ORIGIN = re.compile(r"^(https?://[^/?#]+)(/[^?#]*)?")


def _absolute(base: str, href: str) -> str:
    """`href` resolved against `base`, without its #fragment ("" when it cannot be resolved).

    The shapes CMS links usually have are joined by hand (urljoin costs ~10 µs a link)."""
    href = href.strip().split("#", 1)[0]
    if "/./" not in href and "/../" not in href and not href.startswith(".."):
        if href.startswith(("http://", "https://")):
            return href
        origin = _ORIGIN.match(base)
        if origin:
            if href.startswith("/") and not href.startswith("//"):
                return origin.group(1) + href
            if _SIMPLE_HREF.match(href) and not href.startswith("?"):
                directory = (origin.group(2) or "/").rpartition("/")[0] + "/"
                return origin.group(1) + directory + (href[2:] if href.startswith("./") else href)
    try:
        return urldefrag(urljoin(base, href))[0]
    except ValueError:
        return ""


def read_list_page(html: Any, url: str, *, as_of: date, tree: Any = None) -> ListPage | None:
    """Read a column list page; None when the page is not one.

    `html` is the page's HTML text, an lxml element/tree or a parsel
    Selector (pass the crawler's already-parsed tree to skip a parse; the
    tree is not modified). `url` is the page's final URL (links resolve
    against it or the page's <base>). `as_of` resolves month-day dates
    ("06-05") to the latest such date not after it.

    `tree`, with `html` as text: the same text already parsed (plain lxml
    elements, comments removed, as `_parse` does; not modified). The text
    still decides whether the page is worth reading; the tree then saves the
    parse, unless the text has to be rewritten first (Hanweb's datastore) or
    is beyond MAX_HTML_CHARS.
    """
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    if _HOME_PATH.match(path) or _EXCLUDED_PATH.search(path):
        return None
    records = _bare_datastore(html[:MAX_HTML_CHARS]) if isinstance(html, str) and "<recordset" in html else None
    if records is not None:
        root = _parse(records)
        return _Page(root, url, as_of).read_records() if root is not None else None
    if tree is not None and isinstance(html, str) and len(html) <= MAX_HTML_CHARS and "<recordset" not in html:
        if not _worth_parsing(html):
            return None
        root = _root_of(tree)
    else:
        root = _root_of(html)
    if root is None:
        return None
    page = _Page(root, url, as_of)
    return page.read()


def read_dated_items(html: Any, url: str, *, as_of: date) -> list[ListItem]:
    """The items of every dated list on any page, homepages included (for the homepage rule).

    Takes the same inputs as read_list_page but makes no list-page decision:
    all groups of ≥3 linked rows where most rows carry a date, in page order,
    deduplicated by URL, at most MAX_ITEMS.
    """
    root = _root_of(html)
    if root is None:
        return []
    page = _Page(root, url, as_of)
    items: list[ListItem] = []
    seen: set[str] = set()
    for group in sorted(page._candidate_groups([]), key=lambda g: g.container):
        if not group.is_dated_list:
            continue
        for item in page._items(group):
            if item.url not in seen:
                seen.add(item.url)
                items.append(item)
    return items[:MAX_ITEMS]


def _root_of(html: Any) -> etree._Element | None:
    if isinstance(html, bytes | bytearray):
        # Undecoded bytes: lxml follows the page's <meta charset> (GBK/GB2312 pages are common).
        html = parse_html(bytes(html[:MAX_HTML_CHARS]))
        if html is None:
            return None
    if isinstance(html, str):
        text = html[:MAX_HTML_CHARS]
        if not _worth_parsing(text):
            return None
        text = _expand_hanweb(text)
        if text.lstrip()[:5].lower() == "<?xml":  # lxml refuses str input with an encoding declaration
            text = text.lstrip().split(">", 1)[-1]
        return _parse(text)
    root = getattr(html, "root", html)  # parsel Selector
    if isinstance(root, etree._ElementTree):
        root = root.getroot()
    if not isinstance(root, etree._Element):
        return None
    root = root.getroottree().getroot()
    if any("<recordset" in (s.text or "") for s in root.iter("script") if s.get("type") == "text/xml"):
        text = etree.tostring(root, encoding="unicode", method="html")
        expanded = _parse(_expand_hanweb(text[:MAX_HTML_CHARS]))
        return expanded if expanded is not None else root
    return root


def _parse(text: str) -> etree._Element | None:
    """Parse as the page analysis does (govsite.crawl.htmltree: plain lxml elements, read as a browser reads)."""
    return parse_html(text)


def _worth_parsing(text: str) -> bool:
    """Cheap look at the text: three date-like strings, or a word lists use (暂无, 下一页, 当前位置…)."""
    for finder in (_QUICK_DATE, _QUICK_MONTH_DAY):
        for count, _ in enumerate(finder.finditer(text), 1):
            if count >= MIN_ITEMS:
                return True
    return any(hint in text for hint in _QUICK_HINTS)


def _expand_hanweb(text: str) -> str:
    """Hanweb (大汉) keeps a column's records as CDATA in a text/xml script: lay them out as HTML.

    A jpage dataproxy.jsp answer (a column's later records) is the bare datastore document."""
    if "<recordset" not in text:
        return text
    bare = _bare_datastore(text)
    if bare is not None:
        return bare

    def expand(match: re.Match[str]) -> str:
        body = match.group(1)
        if "<recordset" not in body:
            return match.group(0)
        records = _HANWEB_RECORD.findall(body)[:MAX_ITEMS]
        return match.group(0) + '<div class="govsite-datastore">' + "".join(records) + "</div>"

    return _HANWEB_SCRIPT.sub(expand, text)


def _bare_datastore(text: str) -> str | None:
    """A dataproxy.jsp answer (``<datastore>…<recordset><record><![CDATA[<li>…]]>``) as a list in a page."""
    head = text.lstrip()
    if head[:5].lower() == "<?xml":
        head = head.split(">", 1)[-1].lstrip()
    if head[:10].lower() != "<datastore":
        return None
    records = _HANWEB_RECORD.findall(head)[:MAX_ITEMS]
    return '<html><body><div class="govsite-datastore">' + "".join(records) + "</div></body></html>"


class _Page:
    """One walk over a parsed page, then the questions read_list_page asks of it."""

    def __init__(self, root: etree._Element, url: str, as_of: date) -> None:
        self.url = url
        self.as_of = as_of
        self.root = root
        base = root.find(".//base[@href]")
        self.base = _absolute(url, base.get("href")) if base is not None else url
        self.base = self.base or url
        self.order: list[etree._Element] = []
        self.tags: list[str] = []
        self.end: list[int] = []
        self.parent: list[int] = []
        self.anchors: list[int] = []
        self.frags: list[_Frag] = []
        self.frag_pos: list[int] = []
        self.scripts: list[str] = []
        self.groups: list[tuple[int, str]] = []
        self.maybe_dated: list[int] = []
        self._joined = ""
        self._starts: list[int] = []
        self.script_pos: list[int] = []
        self.children: dict[int, list[int]] = {}
        self._index_of: dict[Any, int] = {}
        self.crumb_says_article = False  # the breadcrumb ends in 正文/详情: an article page
        self._walk()

    # -- the walk --------------------------------------------------------
    def _walk(self) -> None:
        """One pass over the elements (pre-order): indices, parents, links, text pieces, scripts.

        Elements inside script/style/head… are not walked. Each text piece gets a position
        (the index of the first element at or after it), so that the pieces inside element i are
        those with i <= pos <= end[i] and i <= owner < end[i].

        Cost: this runs on every page the crawler reads (~150 elements on a small page: 0.2 ms).
        """
        order, tags, parent, anchors = self.order, self.tags, self.parent, self.anchors
        skip = _SKIP_TAGS
        index_of: dict[Any, int] = {}
        texts: list[tuple[int, str]] = []
        tails: list[tuple[int, int, str]] = []  # (element, position if not an element's own, text)
        root = self.root
        for el in root.iter():
            up = el.getparent()
            if up is None:
                p = -1
                if el is not root:
                    continue
            else:
                p = index_of.get(up, -2)
                if p == -2:
                    continue  # inside a skipped element
            tag = el.tag
            if type(tag) is not str or tag in skip:
                if tag == "script" and el.text:
                    self.scripts.append(el.text[:200_000])
                    self.script_pos.append(max(p, 0))
                tail = el.tail
                if tail and p >= 0 and not tail.isspace():
                    tails.append((p, len(order), tail))  # comments and skipped elements: at the next index
                continue
            i = len(order)
            if i >= MAX_ELEMENTS:
                break
            order.append(el)
            tags.append(tag)
            parent.append(p)
            index_of[el] = i
            if tag == "a" and len(anchors) < MAX_ANCHORS:
                anchors.append(i)
            text = el.text
            if text and not text.isspace():
                texts.append((i, text))
            tail = el.tail
            if tail and not tail.isspace():
                tails.append((i, -1, tail))
        n = len(order)
        end = list(range(1, n + 1))
        for i in range(n - 1, 0, -1):
            p = parent[i]
            if p >= 0 and end[i] > end[p]:
                end[p] = end[i]
        depth = [0] * n
        anchor_of = [-1] * n
        kids: list[list[int]] = [[] for _ in range(n)]
        for i in range(n):
            p = parent[i]
            if p >= 0:
                depth[i] = depth[p] + 1
                anchor_of[i] = anchor_of[p]
                kids[p].append(i)
            if tags[i] == "a":
                anchor_of[i] = i
        self.end = end
        self._index_of = index_of
        # (position, kind: tails before texts, deeper tails first, then document order); the keys
        # are unique, so the pairs sort by key alone.
        make = tuple.__new__
        keyed: list[tuple[tuple[int, int, int, int], _Frag]] = [
            ((i, 1, 0, seq), make(_Frag, (i, i, anchor_of[i], text))) for seq, (i, text) in enumerate(texts)
        ]
        for seq, (i, pos, text) in enumerate(tails):
            if pos >= 0:  # after a comment or skipped element, inside element i
                keyed.append(((pos, 0, -depth[i] - 1, seq), make(_Frag, (pos, i, anchor_of[i], text))))
            else:
                p = parent[i]
                if p >= 0:
                    e = end[i]
                    keyed.append(((e, 0, -depth[i], seq), make(_Frag, (e, p, anchor_of[p], text))))
        keyed.sort()
        frags = self.frags
        frags.extend([frag for _, frag in keyed])
        self.frag_pos = [f[0] for f in frags]
        # Positions of text pieces that may hold a date: one regex pass over all the text.
        starts: list[int] = []
        offset = 0
        for f in frags:
            starts.append(offset)
            offset += len(f[3]) + 1
        joined = "\n".join([f[3] for f in frags])
        self._joined, self._starts = joined, starts
        maybe: list[int] = []
        last = -1
        for match in _MAYBE_DATE.finditer(joined):
            k = bisect_right(starts, match.start()) - 1
            if k != last:
                maybe.append(frags[k][0])
                last = k
        maybe.sort()
        self.maybe_dated = maybe
        # Containers with at least MIN_ITEMS children of one tag: the candidate lists.
        self.children = children = {p: k for p, k in enumerate(kids) if k}
        groups: list[tuple[int, str]] = []
        for p, k in children.items():
            if len(k) >= MIN_ITEMS:
                counts: dict[str, int] = {}
                for i in k:
                    t = tags[i]
                    counts[t] = counts.get(t, 0) + 1
                groups.extend((p, t) for t, n in counts.items() if n >= MIN_ITEMS)
        groups.sort()
        self.groups = groups

    # -- helpers over the walk ---------------------------------------------
    @cached_property
    def _class_marks(self) -> list[tuple[int, str]]:
        """(index, "class id") of walked elements that have a class or an id, in page order."""
        index_of = self._index_of
        out: list[tuple[int, str]] = []
        for el in self.root.xpath("//*[@class or @id]"):
            i = index_of.get(el)
            if i is not None:  # None: inside a skipped element, or beyond MAX_ELEMENTS
                out.append((i, f"{el.get('class') or ''} {el.get('id') or ''}"))
        return out

    @cached_property
    def crumb_elements(self) -> list[int]:
        return [i for i, marks in self._class_marks if _crumb_marks(marks)]

    @cached_property
    def list_containers(self) -> list[int]:
        return [i for i, marks in self._class_marks if _list_marks(marks)]

    def frags_in(self, i: int) -> list[_Frag]:
        """Text pieces inside element i (its text, descendants' text and tails; not its own tail)."""
        lo = bisect_left(self.frag_pos, i)
        hi = bisect_right(self.frag_pos, self.end[i])
        end = self.end[i]
        return [f for f in self.frags[lo:hi] if i <= f.owner < end]

    def text_of(self, i: int, limit: int = 400) -> str:
        out: list[str] = []
        size = 0
        for f in self.frags_in(i):
            out.append(f.text)
            size += len(f.text)
            if size > limit:
                break
        return _collapse(" ".join(out))[:limit]

    def anchors_in(self, i: int) -> list[int]:
        lo = bisect_left(self.anchors, i)
        hi = bisect_left(self.anchors, self.end[i])
        return self.anchors[lo:hi]

    # -- the reading -------------------------------------------------------
    def read(self) -> ListPage | None:
        title = _collapse(self.root.findtext(".//title") or "")[:200]
        if _SITEMAP_TITLE.search(title):
            return None
        pagination, pager_at = self._pagination()
        groups = self._candidate_groups(pager_at)
        dated = sorted((g for g in groups if g.is_dated_list), key=lambda g: (g.dated, len(g.rows)), reverse=True)
        crumb = self._breadcrumb()
        if self.crumb_says_article:
            return None
        best: _Group | None = None
        if pager_at:
            # The list the pager belongs to: the nearest dated group (≤3 levels up), else the nearest
            # headline-like one. Dated first: the page's chrome (top bar, header, footer) also forms an
            # undated group around the pager, at distance 0.
            near = []
            for k, g in enumerate(groups):
                d = self._pager_distance(g.container, pager_at)
                if d <= 3 and (g.is_dated_list or _headline_like(g)):
                    near.append((not g.is_dated_list, d, -g.dated, k))
            if near:
                best = groups[min(near)[3]]
        if best is None and dated:
            best = dated[0]
            others = [g.dated for g in dated[1:] if not self._contains(best, g) and not self._contains(g, best)]
            rest = sum(others)
            second = max(others, default=0)
            dominant = (
                bool(pagination)
                or best.dated >= 1.5 * rest
                or (bool(crumb) and (best.dated >= rest or (best.dated >= 10 and best.dated >= 1.5 * second)))
            )
            if not dominant:
                return None
            if crumb and best.dated < 10 and self._heading(best) not in ("", crumb) and self._looks_empty(True):
                best = None  # a side list ("热点信息") next to an empty column
        if best is not None:
            if self._article_like(best):
                return None
            name = crumb or self._heading(best) or _name_from_title(title)
            return ListPage(name, self._items(best), pagination, is_empty=False)
        if crumb and not dated:
            small = self._small_list()
            if small is not None and not self._article_like(small):
                return ListPage(crumb, self._items(small), pagination, is_empty=False)
        if not self._looks_empty(bool(crumb)) or self._article_like(None):
            return None
        if any(g.is_dated_list and (not crumb or self._heading(g) in ("", crumb)) for g in dated):
            return None
        name = crumb or _name_from_title(title)
        if not name:
            return None
        return ListPage(name, [], pagination, is_empty=True)

    def read_records(self) -> ListPage:
        """A dataproxy.jsp answer: every record is an item of its column, however few there are.
        It names no column (the list page whose pagination leads here does)."""
        box = next((i for i, el in enumerate(self.order) if el.get("class") == "govsite-datastore"), -1)
        rows = [self._read_row(i) for i in self.children.get(box, [])]
        group = _Group(box, [row for row in rows if row is not None])
        return ListPage("", self._items(group), [], is_empty=not group.rows)

    def _small_list(self) -> _Group | None:
        """A column with one or two items: a list container (class/id "list"…) whose 1-2 linked rows
        all carry a date. Only asked on pages with a breadcrumb and no larger list."""
        anchors, end = self.anchors, self.end
        for c in self.list_containers[:20]:
            for _ in range(3):  # div.list > ul > li: step down through single children
                kids = self.children.get(c, [])
                if len(kids) == 1 and self.children.get(kids[0]) and self.tags[kids[0]] not in _ROW_TAGS:
                    c = kids[0]  # a lone li/tr is the one item itself, not a container
            rows = [
                i
                for i in self.children.get(c, [])
                if 0 < bisect_left(anchors, end[i]) - bisect_left(anchors, i) <= MAX_ROW_ANCHORS
            ]
            if not 1 <= len(rows) < MIN_ITEMS:
                continue
            read = [self._read_row(i) for i in rows]
            if all(r is not None and r.date is not None for r in read):
                return _Group(c, [r for r in read if r is not None])
        return None

    def _pager_distance(self, i: int, positions: list[int]) -> int:
        """How many levels above container i the nearest pager sits (0: inside it); 99 beyond 3."""
        for level in range(4):
            if i < 0:
                break
            lo, hi = i, self.end[i]
            if any(lo <= p < hi for p in positions):
                return level
            i = self.parent[i]
        return 99

    def _contains(self, outer: _Group, inner: _Group) -> bool:
        c = outer.container
        return c >= 0 and c < inner.container < self.end[c]

    # -- groups and rows -----------------------------------------------------
    def _candidate_groups(self, pager_at: list[int]) -> list[_Group]:
        """Groups of sibling rows worth reading: some rows (or the text between them) hold
        something date-like, or a pager sits next to them."""
        maybe = self.maybe_dated
        groups: list[_Group] = []
        for container, tag in self.groups:
            if self.tags[container] in PAGE_LEVEL_TAGS or self._in_chrome(container):
                continue  # the page's own blocks (top bar, header, footer, menus) are not a list
            lo = bisect_left(maybe, container)
            if bisect_right(maybe, self.end[container]) - lo < MIN_ITEMS and (
                self._pager_distance(container, pager_at) > MAX_UNDATED_PAGER_DISTANCE
            ):
                continue
            rows = [i for i in self.children[container] if self.tags[i] == tag]
            group = self._read_group(container, rows, pager_at)
            if group is not None:
                groups.append(group)
        return self._merge_siblings(groups)

    def _in_chrome(self, i: int) -> bool:
        """Inside the page's header, footer or menus (by class/id, this element or an ancestor)."""
        while i >= 0:
            element = self.order[i]
            if _chrome_marks(f"{element.get('class', '')} {element.get('id', '')}"):
                return True
            i = self.parent[i]
        return False

    def _read_group(self, container: int, rows: list[int], pager_at: list[int]) -> _Group | None:
        anchors, end = self.anchors, self.end
        linked = [i for i in rows if 0 < bisect_left(anchors, end[i]) - bisect_left(anchors, i) <= MAX_ROW_ANCHORS]
        if len(linked) < MIN_ITEMS:
            return None
        linked = linked[:MAX_ITEMS]  # bounded work: rows past MAX_ITEMS are never read
        maybe = self.maybe_dated
        dated_rows = sum(1 for i in linked if bisect_right(maybe, end[i]) - bisect_left(maybe, i) > 0)
        if dated_rows < MIN_ITEMS:
            # Dates may still sit between the rows (<a>…</a><span>date</span><br>); if not, only an
            # undated list of headlines next to a pager is of interest.
            inside = bisect_right(maybe, end[container]) - bisect_left(maybe, container)
            if inside < MIN_ITEMS and (
                self._pager_distance(container, pager_at) > MAX_UNDATED_PAGER_DISTANCE
                or sum(len(f.text.strip()) for f in self.frags_in(container) if f.anchor >= 0) < 8 * len(linked)
            ):
                return None
        read = [self._read_row(i) for i in linked]
        between: list[list[_Frag]] = []
        dates_first = False
        if any(r is not None and r.date is None for r in read):
            # Text between rows (<a>title</a><span>date</span><br>): before or after each row?
            between = self._between_rows(container, rows)
            if between:
                dates_first = self._standing_date(between[0], -1) is not None
        column = self._publish_column(container, rows) if self.tags[rows[0]] == "tr" else -1
        if column >= 0:
            for row in read:
                if row is not None:
                    self._date_from_cell(row, column)
        out: list[_Row] = []
        position = {row: k for k, row in enumerate(rows)}
        for row in read:
            if row is None:
                continue
            if row.date is None and between:
                k = position[row.index]
                neighbour = between[k] if dates_first else between[k + 1]
                if neighbour:
                    found = self._standing_date(neighbour, -1, url=row.url)
                    if found is not None:
                        row.date = found.value
            out.append(row)
        if len(out) < MIN_ITEMS:
            return None
        return _Group(container, out)

    def _publish_column(self, container: int, rows: list[int]) -> int:
        """In a table with a header (发布日期 / 发布时间 / 日期), the index of the publish-date column."""
        header: int | None = next((i for i in rows if not self.anchors_in(i)), None)
        if header is None or header != rows[0]:
            parent = self.parent[container]
            heads = [c for c in self.children.get(parent, ()) if self.tags[c] == "thead"]
            header = next((i for i in self.children.get(heads[0], ()) if self.tags[i] == "tr"), None) if heads else None
        if header is None:
            return -1
        cells = [c for c in self.children.get(header, ()) if self.tags[c] in ("td", "th")]
        names = [self.text_of(c, 20) for c in cells]
        for wanted in (_PUBLISH_HEADER, _DATE_HEADER):
            for k, name in enumerate(names):
                if wanted.search(name):
                    return k
        return -1

    def _date_from_cell(self, row: _Row, column: int) -> None:
        cells = [c for c in self.children.get(row.index, ()) if self.tags[c] in ("td", "th")]
        if column < len(cells):
            found = self._standing_date(self.frags_in(cells[column]), -1, url=row.url)
            if found is not None:
                row.date = found.value

    def _between_rows(self, container: int, rows: list[int]) -> list[list[_Frag]]:
        """Text pieces of the container outside its rows: [before row 0, between 0 and 1, …, after the last]."""
        pieces: list[list[_Frag]] = [[] for _ in range(len(rows) + 1)]
        found = False
        end = self.end
        for f in self.frags_in(container):
            j = bisect_right(rows, f.owner) - 1
            if j >= 0 and f.owner < end[rows[j]]:
                continue  # inside a row
            pieces[bisect_left(rows, f.pos)].append(f)
            found = True
        return pieces if found else []

    def _read_row(self, i: int) -> _Row | None:
        anchors = self.anchors_in(i)
        frags = self.frags_in(i)
        if sum(len(f.text) for f in frags) > MAX_ROW_TEXT:
            return None
        best_a, best_label = -1, ""
        for a in anchors:
            el = self.order[a]
            href = el.get("href")
            if not _usable_href(href):
                continue
            text = _collapse(" ".join(f.text for f in frags if f.anchor == a))
            if not text:  # an image link: its alt text
                img = el.find(".//img")
                text = _collapse(img.get("alt") or "") if img is not None else ""
            label = text
            attr = _collapse(el.get("title") or "")
            if attr and (len(attr) >= len(text) or text.endswith(("...", "…"))) and not _MORE_TEXT.match(attr):
                label = attr
            if _MORE_TEXT.match(text) or _PAGER_TEXT.match(text):
                continue
            if len(label) > len(best_label):
                best_a, best_label = a, label
        if best_a < 0 or len(best_label) < 2:
            return None
        best_url = (self.order[best_a].get("href") or "").strip()
        found: DateSpan | None = None
        found_frag: _Frag | None = None
        for f in frags:
            if not _MAYBE_DATE.search(f.text):
                continue
            span = self._standing_span(f, best_a, url=best_url)
            if span is not None and (found is None or (span.has_year and not found.has_year)):
                found, found_frag = span, f
                if span.has_year:
                    break
        # A date printed in two pieces: <span class="day">05</span><span>2025-06</span>.
        value = found.value if found else _split_date(frags)
        title = best_label
        if found is not None and found_frag is not None and found_frag.anchor == best_a:
            el_title = self.order[best_a].get("title")
            if not el_title or best_label != _collapse(el_title):
                piece = normalize(_span_text(found_frag.text))[found.start : found.end]
                title = _collapse(title.replace(piece.strip(), " ")).strip(_STRIP + _BRACKETS + " ")
        return _Row(i, best_url, title.lstrip(_BULLETS)[:500], value)

    def _standing_date(self, frags: list[_Frag], title_anchor: int, url: str = "") -> DateSpan | None:
        for f in frags:
            span = self._standing_span(f, title_anchor, url=url)
            if span is not None:
                return span
        return None

    def _standing_span(self, f: _Frag, title_anchor: int, url: str = "") -> DateSpan | None:
        """The date a text piece stands for, when the piece is a date (with a label/brackets), not prose."""
        text = _span_text(f.text)
        spans = date_spans(text, as_of=self.as_of, loose=len(text.strip()) <= 16)
        if not spans:
            return None
        title_text = f.anchor == title_anchor and f.owner == title_anchor
        norm = normalize(text)
        for span in spans:
            head = norm[: span.start].strip(_STRIP + _BRACKETS)
            tail = norm[span.end :].strip(_STRIP + _BRACKETS)
            after = norm[span.end :].lstrip(" \t\u3000\xa0")
            before = norm[: span.start].rstrip(" \t\u3000\xa0")
            bracketed = (bool(after) and after[0] in "]】)）〕>》") or (bool(before) and before[-1] in "[【(（〔<《")
            ok = not tail or (not head and bracketed)
            if not ok and not title_text:
                rest = _LABEL.sub("", head + tail)
                rest = re.sub(r"[\d\s:：,，;；" + re.escape(_BRACKETS) + "]", "", rest)
                ok = len(rest) <= 6
            if ok:
                if not span.has_year and url:
                    from_url = date_from_url(url if "//" in url else "/" + url)
                    if from_url and (from_url.month, from_url.day) == (span.value.month, span.value.day):
                        return DateSpan(span.start, span.end, from_url, True)
                return span
        return None

    def _merge_siblings(self, groups: list[_Group]) -> list[_Group]:
        """Several containers of one list (ul.list, hr, ul.list …) count as one group."""
        by_key: dict[tuple[int, str, str], _Group] = {}
        out: list[_Group] = []
        for group in groups:
            c = group.container
            el = self.order[c]
            key = (self.parent[c], self.tags[c], el.get("class") or "")
            if self.parent[c] >= 0 and key in by_key and by_key[key].is_dated_list and group.is_dated_list:
                target = by_key[key]
                target.rows.extend(group.rows)
                target.extra_containers.append(c)
                continue
            by_key.setdefault(key, group)
            out.append(group)
        return out

    def _items(self, group: _Group) -> list[ListItem]:
        items: list[ListItem] = []
        seen: set[tuple[str, str]] = set()
        for row in sorted(group.rows, key=lambda r: r.index):
            url = _absolute(self.base, row.url)
            key = (url, row.title)
            if not url or key in seen:
                continue
            seen.add(key)
            items.append(ListItem(url, row.title, row.date))
            if len(items) >= MAX_ITEMS:
                break
        return items

    # -- page-level signals -------------------------------------------------
    def _article_like(self, group: _Group | None) -> bool:
        """Prose (sentences ending in 。) or article marks (打印本页, 关闭窗口, 字号…) outside the list."""
        ranges = [(c, self.end[c]) for c in [group.container, *group.extra_containers]] if group else []

        def outside(match: re.Match[str]) -> _Frag | None:
            f = self.frags[bisect_right(self._starts, match.start()) - 1]
            return None if any(lo <= f.owner < hi for lo, hi in ranges) else f

        prose = stops = 0
        seen: set[int] = set()
        for match in _FULL_STOP.finditer(self._joined):
            f = outside(match)
            if f is None or f.anchor >= 0:
                continue
            stops += 1
            if id(f) not in seen:
                seen.add(id(f))
                prose += len(f.text.strip())
        if stops >= 4 and prose >= 200:
            return True
        if prose < 20 and date_from_url(self.url) is None:
            return False  # article URLs carry a date (t20250605_1.html, /art/2025/6/5/…)
        marks = {m.group(0) for m in _ARTICLE_MARKS.finditer(self._joined) if outside(m) is not None}
        return len(marks) >= 2

    def _looks_empty(self, has_crumb: bool) -> bool:
        """An empty-list message (in a list container, or anywhere on a page with a breadcrumb),
        or an empty list container on a page with a breadcrumb."""
        for match in _EMPTY_MESSAGE.finditer(self._joined):
            f = self.frags[bisect_right(self._starts, match.start()) - 1]
            if f.anchor >= 0 or len(f.text.strip()) > 40:
                continue
            if has_crumb or any(c <= f.owner < self.end[c] for c in self.list_containers):
                return True
        if not has_crumb:
            return False
        return any(not self.anchors_in(c) and len(self.text_of(c, 20)) <= 2 for c in self.list_containers)

    def _breadcrumb(self) -> str:
        found = _CRUMB_MARKER.search(self._joined)
        if found:
            f = self.frags[bisect_right(self._starts, found.start()) - 1]
            name = self._crumb_from(f.owner, True)
            if name:
                return name
        for i in self.crumb_elements[:3]:
            name = self._crumb_from(i, False)
            if name:
                return name
        return ""

    def _crumb_from(self, i: int, by_marker: bool) -> str:
        """The column name from the breadcrumb at element i, or up to 2 levels above it when i holds
        only the marker ("<span>当前位置：</span><a>首页</a> > <a>通知公告</a>")."""
        for _ in range(3):
            if i < 0:
                return ""
            segments = self._crumb_segments(i)
            if segments is None or len(segments) > 12:
                return ""  # too long for a breadcrumb
            if segments and not (by_marker and all(piece in _HOME_WORDS for piece in segments)):
                self.crumb_says_article = segments[-1] in _CRUMB_ARTICLE
                return _last_segment(segments)
            i = self.parent[i]
        return ""

    def _crumb_segments(self, i: int) -> list[str] | None:
        out: list[str] = []
        size = 0
        for f in self.frags_in(i)[:60]:
            text = f.text
            size += len(text)
            if size > 400:
                return None
            marker = _CRUMB_MARKER.search(text)
            if marker:
                out.clear()
                text = text[marker.end() :]
            for piece in _CRUMB_SPLIT.split(text):
                piece = piece.strip(_STRIP + _BRACKETS + "》>")
                if piece:
                    out.append(_collapse(piece))
        return out

    def _heading(self, group: _Group) -> str:
        i = group.container
        for _ in range(4):
            if i < 0:
                break
            p = self.parent[i]
            if p < 0:
                break
            siblings = [j for j in self.children.get(p, ()) if j < i][-3:]  # the nearest preceding siblings
            for j in reversed(siblings):
                name = self._heading_text(j)
                if name:
                    return name
            i = p
        return ""

    def _heading_text(self, j: int) -> str:
        el = self.order[j]
        tag = self.tags[j]
        marks = (el.get("class") or "") + " " + (el.get("id") or "")
        if tag not in ("h1", "h2", "h3", "h4", "h5", "h6") and not _HEADING_CLASS.search(marks):
            return ""
        if _NOT_HEADING_CLASS.search(marks) or len(self.text_of(j, 60)) > 40:
            return ""  # the site header or a menu, not a list's title bar
        for f in self.frags_in(j)[:6]:
            text = _collapse(f.text).strip(_STRIP + _BRACKETS)
            if _is_name(text):
                return text
        return ""

    # -- pagination ------------------------------------------------------------
    def _pagination(self) -> tuple[list[str], list[int]]:
        """Further pages of this list, and where in the page (element positions) the pager sits."""
        here = _page_key(self.url)
        found: dict[str, int] = {}
        where: list[int] = []
        order = self.order
        for a in self.anchors:
            el = order[a]
            text = el.text
            text = text.strip() if text else _collapse(" ".join(f.text for f in self.frags_in(a)))
            if len(text) > 8:
                continue
            href = el.get("href") or ""
            if not _pager_link(text.strip(_BRACKETS + " "), href):
                continue
            target = _absolute(self.base, href or "")
            if not target:
                continue
            if _page_key(target) != here or not _same_query(target, self.url) or _same_page(target, self.url):
                continue
            found.setdefault(target, _page_number(target))
            where.append(a)
        for script, pos in zip(self.scripts, self.script_pos, strict=True):
            targets: list[str] = []
            if "createPageHTML" in script:
                targets += _trs_pages(script, self.scripts, self.base)
            if "<recordset" in script or "totalRecord" in script or "totalrecord" in script:
                targets += _hanweb_pages(script, self.scripts, self.url)
            targets = [t for t in targets if not _same_page(t, self.url)]
            for target in targets:
                found.setdefault(target, _page_number(target))
            if targets:
                where.append(pos)
        ordered = sorted(found.items(), key=lambda kv: kv[1])
        return [url for url, _ in ordered[:MAX_PAGINATION]], where


_YEAR_MONTH = re.compile(r"^\s*((?:19|20|21)\d\d)\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")
_DAY = re.compile(r"^\s*(\d{1,2})\s*日?\s*$")


def _headline_like(group: _Group) -> bool:
    """Titles of 8 characters or more on average: news or notices, not a menu."""
    return sum(len(r.title) for r in group.rows) >= 8 * len(group.rows)


def _split_date(frags: list[_Frag]) -> date | None:
    """A date printed in two pieces: a big day number and the year-month ("05" + "2025-06")."""
    year_month = day = None
    for f in frags:
        text = normalize(f.text)
        year_month = year_month or _YEAR_MONTH.match(text)
        day = day or _DAY.match(text)
    if not (year_month and day):
        return None
    year = int(year_month.group(1))
    try:
        return date(year, int(year_month.group(2)), int(day.group(1))) if 1990 <= year <= 2100 else None
    except ValueError:
        return None


def _span_text(text: str) -> str:
    """The part of a text piece searched for a standing date: all of it, or both ends of a long one."""
    stripped = text.strip()
    return stripped[:60] + " … " + stripped[-60:] if len(stripped) > 120 else text


# Pages of one site repeat the same class names, menus and link texts: the decisions on them
# below are remembered (each is a pure function of its string arguments).


def _remembered(maxsize: int, longest: int = 500) -> Callable[[Callable[..., bool]], Callable[..., bool]]:
    """lru_cache(maxsize) for short arguments; long ones (hostile pages) are not kept."""

    def wrap(fn: Callable[..., bool]) -> Callable[..., bool]:
        cached = lru_cache(maxsize=maxsize)(fn)

        def call(*args: str) -> bool:
            return cached(*args) if sum(map(len, args)) <= longest else fn(*args)

        call.__doc__ = fn.__doc__
        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return call

    return wrap


@_remembered(4096)
def _chrome_marks(marks: str) -> bool:
    return bool(_CHROME_HINT.search(marks))


@_remembered(4096)
def _crumb_marks(marks: str) -> bool:
    return bool(_CRUMB_CLASS.search(marks))


@_remembered(4096)
def _list_marks(marks: str) -> bool:
    return bool(_LIST_CLASS.search(marks)) and not _NOT_LIST_CLASS.search(marks)


@_remembered(16384)
def _pager_link(text: str, href: str) -> bool:
    """A link that may lead to another page of a list: "下一页", "2", "尾页" … or a short text on a
    URL that names a page number."""
    if not _usable_href(href):
        return False
    return bool(_PAGER_TEXT.match(text) or (len(text) <= 4 and _has_page_token(href)))


@_remembered(8192)
def _is_name(text: str) -> bool:
    if not 2 <= len(text) <= MAX_NAME:
        return False
    if _MORE_TEXT.match(text) or _PAGER_TEXT.match(text) or text in _HOME_WORDS:
        return False
    if date_spans(text):
        return False
    return not text.replace(" ", "").isdigit()


def _last_segment(segments: list[str]) -> str:
    for piece in reversed(segments):
        if piece in _CRUMB_GENERIC:
            continue
        if piece in _HOME_WORDS:
            return ""
        return piece[:MAX_NAME] if _is_name(piece) else ""
    return ""


def _name_from_title(title: str) -> str:
    parts = [p.strip(_STRIP + _BRACKETS) for p in _TITLE_SPLIT.split(title) if p.strip(_STRIP + _BRACKETS)]
    for part in parts:
        if not _SITE_NAME.search(part) and _is_name(part):
            return part
    return ""


# --- pagination helpers --------------------------------------------------------


def _page_key(url: str) -> tuple[str, str]:
    """The URL of a list with the page-number part taken away (index_2.html -> the directory)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ("", url)
    path = re.sub(r"/page/\d+/?$", "/", parts.path or "/")
    directory, _, name = path.rpartition("/")
    if _INDEX_FILE.match(name) or re.match(r"^\d{1,4}\.\w+$", name):
        name = ""
    else:
        name = re.sub(r"_\d{1,4}(\.\w+)$", r"\1", name)
    return (parts.netloc.lower(), directory + "/" + name)


def _query_rest(url: str) -> list[tuple[str, str]]:
    try:
        query = urlsplit(url).query
    except ValueError:
        return []
    return sorted((k, v) for k, v in parse_qsl(query) if k.lower() not in _PAGE_PARAMS)


def _same_query(a: str, b: str) -> bool:
    qa, qb = _query_rest(a), _query_rest(b)
    return qa == qb or not qa or not qb  # Hanweb: index.html and index.html?uid=…&pageNum=2


_PAGE_TOKEN = re.compile(
    r"(?:^|/)(?:index|default|list|more|page)?_\d{1,4}\.\w+(?:$|[?#])|(?:^|/)\d{1,4}\.\w+(?:$|[?#])"
    r"|/page/\d+/?(?:$|[?#])|[?&](?:" + "|".join(sorted(_PAGE_PARAMS)) + r")=",
    re.I,
)
_PAGE_NUMBER = re.compile(
    r"[?&](?:" + "|".join(sorted(_PAGE_NUMBER_PARAMS)) + r")=(\d{1,6})|_(\d{1,4})\.\w+(?:$|\?)|/page/(\d+)",
    re.I,
)


def _has_page_token(href: str) -> bool:
    """index_2.html, list_3.htm, 2.html, /page/2/, ?page=2&…: a URL that names a page number."""
    return bool(_PAGE_TOKEN.search(href))


def _page_number(url: str) -> int:
    match = _PAGE_NUMBER.search(url)
    if not match:
        return 0
    return int(next(g for g in match.groups() if g is not None))


def _query_page(url: str) -> int | None:
    try:
        query = urlsplit(url).query
    except ValueError:
        return None
    for k, v in parse_qsl(query):
        if k.lower() in _PAGE_NUMBER_PARAMS:
            return int(v) if v.isdigit() else None
    return None


_INDEX_NAME = re.compile(r"/(?:index|default)\.(?:s?html?|jsp|php|aspx?)$", re.I)


def _same_page(a: str, b: str) -> bool:
    """Whether two URLs show the same page of a list (index.html and ./ are; so are ?pageNum=1 and none)."""

    def norm(url: str) -> str:
        return _INDEX_NAME.sub("/", url.split("#", 1)[0].split("?", 1)[0])

    if norm(a) != norm(b):
        return False
    if "?" not in a and "?" not in b:
        return True
    if not _same_query(a, b):
        return False
    pa, pb = _query_page(a), _query_page(b)
    return pa == pb or (pa is None and pb in (0, 1)) or (pb is None and pa in (0, 1))


def _script_int(token: str, scripts: list[str]) -> int | None:
    token = token.strip().strip("'\"")
    if token.isdigit():
        return int(token)
    if not re.fullmatch(r"[A-Za-z_$][\w$]*", token):
        return None
    pattern = re.compile(r"\b" + re.escape(token) + r"\s*=\s*['\"]?(\d+)")
    for script in scripts:
        match = pattern.search(script)
        if match:
            return int(match.group(1))
    return None


def _trs_pages(script: str, scripts: list[str], base: str) -> list[str]:
    """TRS WCM: createPageHTML(pageCount, currentPage, "index", "html") -> index.html, index_1.html, …"""
    out: list[str] = []
    for match in _CREATE_PAGE.finditer(script):
        args = [a.strip() for a in match.group(1).split(",")]
        if args and args[0][:1] in "'\"" and len(args) > 1 and args[1][:1] not in "'\"":
            args = args[1:]  # newer form: createPageHTML('page_div', count, current, 'index', 'html', n)
        if len(args) < 2:
            continue
        count = _script_int(args[0], scripts)
        if count is None or count < 2:
            continue
        strings = [a.strip("'\"") for a in args[2:] if a[:1] in "'\""]
        name = strings[0] if strings and re.fullmatch(r"[\w-]+", strings[0]) else "index"
        ext = strings[1] if len(strings) > 1 and re.fullmatch(r"\w+", strings[1]) else "html"
        first = _absolute(base, f"{name}.{ext}")
        if not first:
            continue
        stem = first[: -len(ext) - 1]
        out.append(first)
        out.extend(f"{stem}_{n}.{ext}" for n in range(1, min(count, MAX_PAGINATION + 1)))
    return out


def _hanweb_pages(script: str, scripts: list[str], url: str) -> list[str]:
    """Hanweb jpage: a datastore with totalRecord/perPage -> index.html?uid=…&pageNum=N."""
    unit = re.search(r"unitid=(\d+)", script)
    if not unit:
        return []
    total = per = None
    for text in [script, *scripts]:
        total = total or re.search(r"<totalrecord>\s*(\d+)|totalRecord\s*[:=]\s*['\"]?(\d+)", text, re.I)
        per = per or re.search(r"<perpage>\s*(\d+)|perPage\s*[:=]\s*['\"]?(\d+)", text, re.I)
    if not (total and per):
        return []
    total_n = int(total.group(1) or total.group(2))
    per_n = int(per.group(1) or per.group(2))
    if per_n <= 0:
        return []
    proxied = _hanweb_proxy_pages(scripts, url, total_n, per_n)
    if proxied is not None:
        return proxied
    pages = min(math.ceil(total_n / per_n), MAX_PAGINATION + 1)
    base = urldefrag(url)[0].split("?", 1)[0]
    return [f"{base}?uid={unit.group(1)}&pageNum={n}" for n in range(2, pages + 1)]


def _hanweb_proxy_pages(scripts: list[str], url: str, total: int, per: int) -> list[str] | None:
    """The requests jpage makes for a column's later records; None without a datastore to start from.

    The page's datastore holds the first records (usually three pages' worth); jpage asks
    dataproxy.jsp for the rest in groups of that size, with startrecord/endrecord/perpage and
    the parameters of the datastore's <nextgroup> link (columnid, unitid, webid …).
    ``index.html?uid=…&pageNum=N`` is the same page again, so it reads nothing new."""
    for text in scripts:
        found = _HANWEB_NEXTGROUP.search(text) if "<recordset" in text else None
        if found:
            break
    else:
        return None
    target = _absolute(url, html_unescape(found.group(1)))
    if not target:
        return None
    parts = urlsplit(target)
    params = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in _JPAGE_RANGE]
    held = len(_HANWEB_RECORD.findall(text))
    step = max(held, per)
    out: list[str] = []
    for start in range(held + 1, total + 1, step):
        if len(out) >= MAX_PAGINATION:
            break
        query = urlencode([("startrecord", start), ("endrecord", start + step - 1), ("perpage", per), *params])
        out.append(urlunsplit((parts.scheme, parts.netloc, parts.path, query, "")))
    return out

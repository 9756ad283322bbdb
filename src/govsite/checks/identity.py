"""Site identity marks: does the homepage carry the marks every government website must show?

The rule: 《政府网站发展指引》(国办发〔2017〕47号), in its 网页设计规范, asks
that the bottom function area (底部功能区) of a government website list the
党政机关网站标识, the 网站标识码, the 主办单位 and its contact details, the
ICP备案编号 and the 公安机关备案标识, together with a 网站地图 and a privacy
statement. The survey checks the same list (设计规范: "底部功能区是否规范提供
党政机关网站标识、网站标识码、网站主办单位及联系方式、ICP 备案编号、公安机关备案
标识和站点地图、隐私条款等内容"), and its 适老化及无障碍 indicator asks whether
the portal offers 无障碍浏览 and an elderly mode (老年人模式) — that entry is
a survey requirement, not one of the guideline's footer marks.

What it checks, on the homepage only (``SiteCrawl.homepage``: its
``footer_text``, ``text`` and ``links`` — the text of a link includes an
image's alt/title), one finding per missing mark, all site-level (``url`` =
``crawl.site``, ``detail.key`` = the mark's name):

==========================  ======================================================  ========
finding type                present when                                            severity
==========================  ======================================================  ========
missing_site_code           "网站标识码"/"网站识别码" (colon or not) + a code: 10   high
                            digits (3301000001) or "bm" + 8 digits (bm12000001);
                            a code only in <meta name="SiteIDCode"> is not shown,
                            so still missing (the evidence says it is in the meta)
missing_icp                 <province>ICP备/证 + number (+"号", "-1"):             high
                            浙ICP备05071451号-1, 京ICP证030173号, 黔ICP备…, 蜀ICP备…
missing_police_record       <province>公网安备 + 14 digits (or the older 12):      high
                            京公网安备 11010502030143号, 贵公网安备 52…; a number
                            after a 公安 label (公安机关备案号：43011102001327,
                            ××市公安局××分局备案编号：110105000443); or a link to
                            the record system carrying (record)code=<14 digits>
missing_conac_mark          a link whose URL contains "conac" (bszs.conac.cn),     high
                            the conac script that writes the mark
                            (dcs.conac.cn/js/…, or the <span id="_ideConac">
                            it fills: ``conac_script``), a
                            short link/image text (alt/title) saying 党政机关; or
                            the footer saying 党政机关网站标识
missing_sponsor             "主办单位：X"/"主办：X" (or "X主办") with a real         high
                            name, AND a contact: a phone/fax number after
                            联系电话/电话/传真, an e-mail address, or a
                            联系我们/联系方式 entry
missing_sitemap             a link saying 网站地图/站点地图, or a link to a page   medium
                            whose title says so
missing_privacy_policy      a link saying 隐私声明/隐私政策/隐私条款 (or a short    medium
                            label 隐私保护/个人信息保护), or a link to a page
                            whose title says 隐私声明/隐私政策/...
missing_accessibility       a link saying 长者模式/关怀版/读屏/辅助工具 (or a       medium
                            short label with 无障碍/适老化), or the page text
                            offering such an entry
                            (无障碍浏览, 长者模式, ...: toolbars are often
                            javascript: links the crawler does not keep)
==========================  ======================================================  ========

Rules decided here: a mark counts wherever it appears on the homepage (the
footer is searched first, then the body text and link texts), because
position is an assessor's judgement, absence is not. A label without its
value ("网站标识码：" with nothing after it, an "ICP备案查询" link without a
number) does not count, and the evidence says the label was seen. Words
that are also common in headlines (党政机关, 无障碍, 适老化, 隐私保护,
个人信息保护) count only in a label-like link text: at most 8 characters,
without 《 or 法 — so "《个人信息保护法》解读" is not a privacy statement.
Full-width forms (：, ＩＣＰ, ０-９) are read as their ASCII twins; the
evidence quotes the page's own text. The province prefixes of the ICP and
公安备案 numbers are data (``record_prefixes.yaml``, all 31 provinces, with
where they come from): the two authorities do not use the same set (贵州:
黔ICP备 but 贵公网安备; 甘肃: 陇ICP备 but 甘公网安备).

Not checked: marks injected by JavaScript other than the conac script
are invisible in the crawl records; a homepage that is missing
(site unreachable) or answered 4xx/5xx yields no finding here
(site_unreachable is another detector's job).

Severities and keyword lists are at the top of the module (`SEVERITY`,
`MARK_NAMES` and the keyword tuples).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from govsite.checks.base import SiteCrawl, detector
from govsite.crawl.records import PageRecord
from govsite.findings import Finding

# --- rules in one place -------------------------------------------------------------------------

SEVERITY: dict[str, str] = {
    "missing_site_code": "high",
    "missing_icp": "high",
    "missing_police_record": "high",
    "missing_conac_mark": "high",
    "missing_sponsor": "high",
    "missing_sitemap": "medium",
    "missing_privacy_policy": "medium",
    "missing_accessibility": "medium",
}

# finding type -> the mark's name (detail.key, and what the evidence says was looked for)
MARK_NAMES: dict[str, str] = {
    "missing_site_code": "网站标识码",
    "missing_icp": "ICP备案编号",
    "missing_police_record": "公安机关备案号",
    "missing_conac_mark": "党政机关网站标识",
    "missing_sponsor": "主办单位及联系方式",
    "missing_sitemap": "网站地图",
    "missing_privacy_policy": "隐私声明",
    "missing_accessibility": "无障碍/适老化入口",
}

PREFIXES_FILE = Path(__file__).with_name("record_prefixes.yaml")


@dataclass(frozen=True)
class ProvincePrefixes:
    """One province's prefixes of the ICP备案 and 公安备案 numbers (record_prefixes.yaml)."""

    code: str  # GB/T 2260 province code, two digits
    name: str
    icp: tuple[str, ...]  # the 通信管理局's own first, then forms still on display
    police: tuple[str, ...]


def load_prefixes(path: Path = PREFIXES_FILE) -> tuple[ProvincePrefixes, ...]:
    """The province table; a clear error when the file is not the expected shape."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = data.get("provinces") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not rows:
        raise ValueError(f"{path}: expected a non-empty 'provinces' list")
    out = []
    for row in rows:
        try:
            entry = ProvincePrefixes(str(row["code"]), str(row["name"]), tuple(row["icp"]), tuple(row["police"]))
        except (KeyError, TypeError) as exc:
            raise ValueError(f"{path}: bad province entry {row!r}") from exc
        if not entry.icp or not entry.police or any(len(p) != 1 for p in entry.icp + entry.police):
            raise ValueError(f"{path}: {entry.name} needs one-character icp and police prefixes")
        out.append(entry)
    return tuple(out)


PROVINCE_PREFIXES = load_prefixes()
ICP_PREFIXES = "".join(sorted({p for row in PROVINCE_PREFIXES for p in row.icp}))
POLICE_PREFIXES = "".join(sorted({p for row in PROVINCE_PREFIXES for p in row.police}))

# The label, also written 网站识别码 (网站识别码：3501000010).
SITE_CODE_LABEL = re.compile(r"网站(?:标识|识别)码")
# 10 digits for a local site (division code + serial), "bm" + 8 digits for a ministry's; the label
# is written with or without a colon (网站标识码bm01000001, 政府网站标识码：3301000001).
SITE_CODE_RE = re.compile(
    r"网站(?:标识|识别)码\s*(?:[:]|为|是)?\s*(?:bm\d{8}|\d{10})(?![0-9A-Za-z])", re.IGNORECASE
)
SITE_CODE_VALUE_RE = re.compile(r"(?:bm\d{8}|\d{10})", re.IGNORECASE)

ICP_LABEL_RE = re.compile(r"ICP", re.IGNORECASE)
# 备字/证字 and 第 are older spellings still shown (冀ICP备字201401号).
ICP_RE = re.compile(
    rf"[{ICP_PREFIXES}]\s*ICP\s*[备证]\s*字?\s*第?\s*[:]?\s*\d{{5,10}}\s*号?(?:\s*-\s*\d+)?", re.IGNORECASE
)

# 公安备案: "<prefix>公网安备 + 14 digits" since the national platform (2016); the older provincial
# numbers still on display have 12 (京公网安备110000000006号). A number after a 公安 label may also
# stand alone: 公安机关备案号：43011102001327, 北京市公安局朝阳分局备案编号：110105000443.
POLICE_LABEL_RE = re.compile(r"公网安备|公安(?:机关)?备案|公安[\u4e00-\u9fff]{0,12}?备案编?号")
POLICE_RE = re.compile(rf"[{POLICE_PREFIXES}]?\s*公网安备\s*[:]?\s*(?<!\d)(?:\d{{14}}|\d{{12}})(?!\d)\s*号?")
POLICE_LABELLED_RE = re.compile(
    rf"(?:公安机关备案(?:编?号)?|公安备案(?:编?号)?|公安[\u4e00-\u9fff]{{0,12}}?(?:局|分局)备案编?号)\s*[:]?\s*"
    rf"(?:[{POLICE_PREFIXES}]?\s*公网安备\s*)?(?<!\d)\d{{10,14}}(?!\d)"
)
# The record system's page for a number: beian.gov.cn/portal/registerSystemInfo?recordcode=<14
# digits>, or the newer beian.mps.gov.cn/...?code=<14 digits>.
POLICE_URL_RE = re.compile(r"beian\.(?:mps\.)?gov\.cn\S*?[?&](?:recordcode|code)=\d{14}(?!\d)", re.IGNORECASE)

CONAC_URL_MARKERS = ("conac",)
CONAC_LABEL_WORDS = ("党政机关",)  # in a label-like link text (an image's alt/title)
CONAC_FOOTER_MARKERS = ("党政机关网站标识", "党政机关标识")

SPONSOR_RE = re.compile(r"主办(?:单位)?\s*[:]\s*([^\s|:，,;；]{1,40})")
SPONSOR_SUFFIX_RE = re.compile(
    r"([\u4e00-\u9fff]{2,30}(?:政府|办公厅|办公室|委员会|局|厅|委|中心|部|署|院|会|办))\s*主办(?!单位)"
)
# A "value" that is really the next label: 主办单位：承办单位：...
FOOTER_LABELS = (
    "承办", "协办", "运维", "维护", "技术支持", "联系", "电话", "地址", "邮编", "邮箱", "网站标识码",
    "版权", "备案", "ICP", "icp",
)  # fmt: skip
CONTACT_LINK_WORDS = ("联系我们", "联系方式")
PHONE_RE = re.compile(r"(?:联系电话|电话|热线|传真|Tel|TEL|tel)\s*[:]?\s*[(+]?\d[\d\s\-()]{5,}")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")

# Link words come in two strengths. A *_WORDS word counts in any link text (and in the title of a
# page linked from the homepage); a *_LABEL_WORDS word is also common in news headlines
# (《个人信息保护法》解读, 开展无障碍环境建设) so it counts only in a label-like link text: at most
# LABEL_MAX_CHARS characters, without 《 or 法.
SITEMAP_WORDS = ("网站地图", "站点地图")
SITEMAP_LABEL_WORDS: tuple[str, ...] = ()
PRIVACY_WORDS = (
    "隐私声明",
    "隐私政策",
    "隐私条款",
    "隐私保护声明",
    "隐私保护政策",
    "个人信息保护声明",
    "个人信息保护政策",
)
PRIVACY_LABEL_WORDS = ("隐私保护", "个人信息保护")
ACCESSIBILITY_WORDS = ("长者模式", "关怀版", "读屏", "辅助工具", "老年模式", "长者版", "适老化模式")
ACCESSIBILITY_LABEL_WORDS = ("无障碍", "适老化")
# In plain text (a javascript: toolbar link the crawler did not keep), only phrases that read as an entry.
ACCESSIBILITY_TEXT_WORDS = (
    "无障碍浏览", "无障碍阅读", "无障碍模式", "无障碍版", "适老化模式", "长者模式", "关怀版", "老年模式",
    "长者版",
)  # fmt: skip
LABEL_MAX_CHARS = 8
NOT_A_LABEL = ("《", "法")

SNIPPET_LIMIT = 200
FOOTER_PLACE = "页脚："
CONTEXT_CHARS = 40


# --- reading the homepage -----------------------------------------------------------------------


# Full-width ASCII forms (：，ＩＣＰ，０-９) folded to ASCII, one character for one, so that a
# position in the folded text is the same position in the original (quoted in the evidence).
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def _collapse(text: str) -> str:
    """Whitespace (the ideographic space too) collapsed to single spaces: the text we quote."""
    return " ".join((text or "").split())


def _fold(text: str) -> str:
    return text.translate(_FOLD)


def _norm(text: str) -> str:
    return _fold(_collapse(text))


def _bounded(text: str, limit: int = SNIPPET_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class _Home:
    """The homepage, normalised once for every mark: `footer`, `text` and `link_texts` are folded
    for matching; `raw` maps each of them back to the collapsed original, for quoting."""

    crawl: SiteCrawl
    page: PageRecord
    footer: str
    text: str
    link_texts: list[str]
    raw: dict[str, str]

    @classmethod
    def of(cls, crawl: SiteCrawl, page: PageRecord) -> _Home:
        originals = [
            _collapse(page.footer_text),
            _collapse(page.text),
            *(_collapse(x.text) for x in page.links),
        ]
        folded = [_fold(x) for x in originals]
        return cls(crawl, page, folded[0], folded[1], folded[2:], dict(zip(folded, originals, strict=True)))

    def quote(self, hay: str, start: int, end: int) -> str:
        """The original text at [start, end) of the folded `hay`."""
        return self.raw.get(hay, hay)[start:end]

    @property
    def haystacks(self) -> list[str]:
        """Where a textual mark may be, the footer first."""
        return [self.footer, self.text, *self.link_texts]

    def search(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        for hay in self.haystacks:
            match = pattern.search(hay)
            if match:
                return match
        return None

    def label_context(self, pattern: re.Pattern[str] | str) -> str:
        """Where a label occurs and the text around it ("页脚：…网站标识码: …"), to show a label
        without its value; "" when the label is nowhere."""
        regex = re.compile(re.escape(pattern)) if isinstance(pattern, str) else pattern
        places = [(FOOTER_PLACE, self.footer), ("正文：", self.text)]
        places += [("链接文字：", text) for text in self.link_texts]
        for place, hay in places:
            match = regex.search(hay)
            if match:
                start = max(0, match.start() - CONTEXT_CHARS)
                end = min(len(hay), match.end() + CONTEXT_CHARS)
                quoted = self.quote(hay, start, end)
                return place + ("…" if start else "") + quoted + ("…" if end < len(hay) else "")
        return ""

    def link_with(self, words: Iterable[str], label_words: Iterable[str] = ()) -> bool:
        """A link whose text has one of `words`, or is a short label with one of `label_words`."""
        words, label_words = tuple(words), tuple(label_words)
        for text in self.link_texts:
            if any(w in text for w in words):
                return True
            if label_words and _label_like(text) and any(w in text for w in label_words):
                return True
        return False

    def linked_page_titled(self, words: Iterable[str]) -> str:
        """URL of a crawled page linked from the homepage whose title has one of `words`."""
        words = tuple(words)
        if not words:
            return ""
        for link in self.page.links:
            target = self.crawl.pages.get(link.url)
            fetch = self.crawl.fetches.get(link.url)
            if target is None and fetch is not None and fetch.final_url:
                target = self.crawl.pages.get(fetch.final_url)
            if target is not None and any(w in _norm(target.title) for w in words):
                return link.url
        return ""

    @property
    def footer_snippet(self) -> str:
        if not self.footer:
            return "首页未识别出底部区域（页脚文本为空）"
        return FOOTER_PLACE + _bounded(self.quote(self.footer, 0, len(self.footer)))


def _label_like(text: str) -> bool:
    compact = text.replace(" ", "")
    return len(compact) <= LABEL_MAX_CHARS and not any(c in compact for c in NOT_A_LABEL)


# A check returns None when the mark is present, else the reason it is missing (evidence text).
MarkCheck = Callable[[_Home], str | None]


def _where_missing(name: str) -> str:
    return f"首页底部及正文未找到“{name}”"


def _check_site_code(home: _Home) -> str | None:
    if home.search(SITE_CODE_RE):
        return None
    meta = home.page.site_id_code_meta
    in_meta = meta if SITE_CODE_VALUE_RE.fullmatch(_fold(meta)) else ""
    context = home.label_context(SITE_CODE_LABEL)
    if context:
        also = f"（SiteIDCode 元数据中有 {in_meta}，但页面未显示）" if in_meta else ""
        return f"首页有“网站标识码”字样，但其后没有有效的标识码（10位数字或bm+8位数字）{also}，见{context}"
    if in_meta:
        return (
            f"网站标识码 {in_meta} 只写在页面源码的 SiteIDCode 元数据中，首页底部及正文均未显示"
            "（应在页面底部展示，如：网站标识码：3301000001）"
        )
    return _where_missing("网站标识码") + "（如：网站标识码：3301000001）"


def _check_icp(home: _Home) -> str | None:
    if home.search(ICP_RE):
        return None
    context = home.label_context(ICP_LABEL_RE)
    if context:
        return f"首页有“ICP”字样，但没有完整的备案编号（如：浙ICP备05071451号-1），见{context}"
    return _where_missing("ICP备案编号") + "（如：浙ICP备05071451号-1）"


def _check_police_record(home: _Home) -> str | None:
    if home.search(POLICE_RE) or home.search(POLICE_LABELLED_RE):
        return None
    if any(POLICE_URL_RE.search(link.url) for link in home.page.links):
        return None
    context = home.label_context(POLICE_LABEL_RE)
    if context:
        return (
            "首页有公安备案字样，但没有14位公安机关备案号（或旧式12位编号；如：京公网安备 11010502030143号），"
            f"见{context}"
        )
    return _where_missing("公安机关备案号") + "（如：京公网安备 11010502030143号）"


def _check_conac(home: _Home) -> str | None:
    if any(marker in link.url.lower() for link in home.page.links for marker in CONAC_URL_MARKERS):
        return None
    if home.page.conac_script:  # the mark as conac issues it: a script that writes the linked image
        return None
    if home.link_with(CONAC_FOOTER_MARKERS, CONAC_LABEL_WORDS):
        return None
    if any(marker in home.footer for marker in CONAC_FOOTER_MARKERS):
        return None
    return "首页未找到党政机关网站标识（指向 conac.cn 的链接、conac 标识脚本或“党政机关”标识图片）"


def _sponsor_name(home: _Home) -> str:
    for hay in (home.footer, home.text):
        for match in SPONSOR_RE.finditer(hay):
            value = match.group(1)
            if len(value) >= 2 and not value.startswith(FOOTER_LABELS):
                return home.quote(hay, *match.span(1))
        match = SPONSOR_SUFFIX_RE.search(hay)
        if match:
            return home.quote(hay, *match.span(1))
    return ""


def _has_contact(home: _Home) -> bool:
    if home.link_with(CONTACT_LINK_WORDS):
        return True
    for hay in (home.footer, home.text):
        if PHONE_RE.search(hay) or EMAIL_RE.search(hay) or any(w in hay for w in CONTACT_LINK_WORDS):
            return True
    return False


def _check_sponsor(home: _Home) -> str | None:
    sponsor = _sponsor_name(home)
    contact = _has_contact(home)
    if sponsor and contact:
        return None
    no_contact = "未找到联系方式（联系电话/邮箱/联系我们）"
    if sponsor:
        return f"首页写明了主办单位“{sponsor}”，但{no_contact}"
    context = home.label_context("主办")
    also = "" if contact else f"，也{no_contact}"
    if context:
        return f"首页有“主办”字样，但未写明主办单位名称{also}，见{context}"
    return f"首页底部未找到“主办单位”（如：主办单位：××市人民政府办公室）{also}"


def _link_or_titled_page(words: tuple[str, ...], label_words: tuple[str, ...], name: str) -> MarkCheck:
    def check(home: _Home) -> str | None:
        if home.link_with(words, label_words) or home.linked_page_titled(words):
            return None
        return f"首页未找到“{name}”入口（查找链接文字：{'/'.join(words + label_words)}）"

    return check


def _check_accessibility(home: _Home) -> str | None:
    if home.link_with(ACCESSIBILITY_WORDS, ACCESSIBILITY_LABEL_WORDS):
        return None
    if any(w in hay for hay in (home.footer, home.text) for w in ACCESSIBILITY_TEXT_WORDS):
        return None
    words = "/".join(ACCESSIBILITY_LABEL_WORDS + ACCESSIBILITY_WORDS)
    return f"首页未找到无障碍/适老化入口（查找：{words}）"


CHECKS: dict[str, MarkCheck] = {
    "missing_site_code": _check_site_code,
    "missing_icp": _check_icp,
    "missing_police_record": _check_police_record,
    "missing_conac_mark": _check_conac,
    "missing_sponsor": _check_sponsor,
    "missing_sitemap": _link_or_titled_page(SITEMAP_WORDS, SITEMAP_LABEL_WORDS, "网站地图"),
    "missing_privacy_policy": _link_or_titled_page(PRIVACY_WORDS, PRIVACY_LABEL_WORDS, "隐私声明"),
    "missing_accessibility": _check_accessibility,
}


@detector("identity_marks", *CHECKS)
def check_identity_marks(crawl: SiteCrawl) -> Iterable[Finding]:
    """The identity marks the homepage must carry (网站标识码, ICP, 公安备案, 党政机关标识, ...)."""
    page = crawl.homepage
    if page is None or page.status >= 400:
        return []
    home = _Home.of(crawl, page)
    extra = {"page": page.url} if page.url != crawl.site else {}
    findings: list[Finding] = []
    for finding_type, check in CHECKS.items():
        reason = check(home)
        if reason is None:
            continue
        name = MARK_NAMES[finding_type]
        findings.append(
            crawl.finding(
                finding_type,
                crawl.site,
                SEVERITY[finding_type],
                reason if FOOTER_PLACE in reason else f"{reason}；{home.footer_snippet}",
                detail={"key": name},
                **extra,
            )
        )
    return findings

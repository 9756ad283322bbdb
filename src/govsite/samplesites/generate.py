"""Generate sample government sites as static files, with the ground truth of every seeded defect.

`generate_site(root, spec)` writes one site:

    root/www/          the files the site server serves (pages, attachments, robots.txt, assets)
    root/server.json   how the server answers (headers, soft-404, slow/hanging/looping/500 paths)
    root/notfound.html the 页面不存在 page (404, or 200 on soft-404 sites)
    root/truth.json    the ground truth (`truth.Truth`)

`generate_sample(root, specs)` writes several sites under root/<slug>/ and
root/sample.json; `default_specs()` are the three demo/test sites,
`benchmark_spec()` a site of about 10,000 URLs and `alias_spec()` a site
that links its pages under several URLs each (one page, one set of findings).

Links to "other sites" point at `spec.EXTERNAL_PLACEHOLDER`, which the site
server rewrites to the running `ExternalServer`; truth stores them as
"external:" + path. Nothing in the files links to a non-loopback host.

Truth units (one entry per): broken_link per failing in-site target URL;
soft_404 per missing target on soft-404 sites; broken_external_link per
failing external URL; broken_download per broken attachment URL;
slow_page per slow URL; stale_column / empty_column per column (its first
list page); future_date / old_news per article; privacy_* per page or
attachment and type; site-level types (marks, no_https, server_banner,
no_mobile_viewport, stale_homepage, each missing security header) on "/".

Not for: serving (`server`), or anything a detector should import.
"""

from __future__ import annotations

import html
import json
import math
import posixpath
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from govsite.samplesites import content, files, identifiers, scriptpaging
from govsite.samplesites.content import ColumnDef
from govsite.samplesites.spec import (
    CALENDAR_PREFIX,
    EXTERNAL_CONAC,
    EXTERNAL_ERROR,
    EXTERNAL_GONE,
    EXTERNAL_HEAD_405,
    EXTERNAL_MOVED,
    EXTERNAL_OK,
    EXTERNAL_PLACEHOLDER,
    EXTERNAL_TIMEOUT,
    HANG_PATH,
    HOMEPAGE_LIMIT_DAYS,
    LOOP_PATHS,
    MARK_FINDINGS,
    MARKS,
    NOT_FOUND_TEXT,
    OLD_NEWS_YEARS,
    OVERSIZE_PATH,
    PRIVATE_BROKEN,
    PRIVATE_PAGE,
    PRIVATE_PREFIX,
    SECURITY_HEADERS,
    SELF_PLACEHOLDER,
    SERVER_ERROR_PATH,
    SLOW_PATH,
    UPDATE_LIMITS,
    Defects,
    SiteSpec,
)
from govsite.samplesites.truth import (
    EXTERNAL_PREFIX,
    Truth,
    TruthColumn,
    TruthFinding,
    column_is_stale,
    compute_verdict,
)

WWW = "www"
SERVER_FILE = "server.json"
NOT_FOUND_FILE = "notfound.html"
SAMPLE_FILE = "sample.json"

LIST_STYLES = {"hanweb": ("ul_span", "bracket", "cn"), "trs": ("table", "cn", "ul_span")}
# Average days between two items of a column, by update class.
ITEM_GAP_DAYS = {"dynamic": 2.5, "notice": 9, "regular": 25, "static": 80}
ATTACHMENT_KINDS = ("pdf", "xlsx", "docx", "csv", "zip", "doc", "wps")
ATTACHMENT_SHARE = 0.35  # share of notice/regular articles with an ordinary attachment
BANNER_RE = re.compile(r"\d+\.\d+")
HREF_RE = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


# -- the model ---------------------------------------------------------------------------------


@dataclass
class Attachment:
    path: str
    label: str
    ext: str
    data: bytes | None  # None: never written (the link is broken)
    status: str = "ok"  # ok | missing | empty | corrupt
    placeholder: bool = False
    privacy: dict[str, list[str]] = field(default_factory=dict)  # finding type -> values
    page: str = ""


@dataclass
class Article:
    column: Column
    title: str
    date: date  # the real date (also in the URL)
    time: str
    show_date: bool = True
    id: int = 0
    path: str = ""
    blocks: list[str] = field(default_factory=list)  # HTML blocks of the body
    attachments: list[Attachment] = field(default_factory=list)
    related: list[tuple[str, str]] = field(default_factory=list)  # (href, text)
    source: str = ""
    role: str = ""
    index_no: str = ""
    doc_no: str = ""
    privacy: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Column:
    cdef: ColumnDef
    index: int
    colid: int
    path: str = ""
    page_paths: list[str] = field(default_factory=list)
    style: str = "ul_span"
    fate: str = "fresh"  # fresh | stale | nodate | empty
    items: list[Article] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.cdef.name

    @property
    def cls(self) -> str:
        return self.cdef.update_class


# -- helpers -----------------------------------------------------------------------------------


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _ymd(d: date) -> str:
    return d.isoformat()


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def old_news_cutoff(as_of: date) -> date:
    """Articles in dynamic columns dated before this are old news."""
    return _years_before(as_of, OLD_NEWS_YEARS)


def _resolve(page_path: str, raw: str) -> str | None:
    raw = html.unescape(raw).strip()
    if not raw or raw.startswith(("javascript:", "mailto:", "tel:", "#")):
        return None
    if raw.startswith(EXTERNAL_PLACEHOLDER) or "://" in raw:
        return None
    parts = urlsplit(urljoin("http://site" + page_path, raw))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def in_site_links(page_path: str, markup: str, memo: dict[tuple[str, str], str | None] | None = None) -> list[str]:
    """The in-site <a href> targets of a page, as paths (with query), fragments and externals dropped."""
    memo = {} if memo is None else memo
    base = posixpath.dirname(page_path)
    out = []
    for raw in dict.fromkeys(HREF_RE.findall(markup)):
        key = ("", raw) if raw.startswith("/") and not raw.startswith("//") else (base, raw)
        if key not in memo:
            memo[key] = _resolve(page_path, raw)
        if memo[key] is not None:
            out.append(memo[key])
    return out


def count_urls(
    pages: dict[str, str], obey_robots: bool = True, script_links: dict[str, list[str]] | None = None
) -> int:
    """Distinct in-site URLs reachable by <a href> from "/" (robots.txt obeyed; the trap is not followed),
    and by the pagination scripts of `script_links` (list page -> the pages its script leads to)."""
    seen = {"/"}
    queue = ["/"]
    memo: dict[tuple[str, str], str | None] = {}
    while queue:
        path = queue.pop()
        markup = pages.get(path)
        if markup is None or path.startswith(CALENDAR_PREFIX):
            continue
        for link in in_site_links(path, markup, memo) + (script_links or {}).get(path, []):
            if obey_robots and link.startswith(PRIVATE_PREFIX):
                continue
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return len(seen)


# -- the builder ---------------------------------------------------------------------------------


class _Builder:
    def __init__(self, spec: SiteSpec) -> None:
        spec.validate()
        self.spec = spec
        self.d: Defects = spec.defects
        self.rng = random.Random(spec.seed)
        self.as_of = spec.as_of
        self.lvl = spec.level_char
        self.sn = spec.short_name
        self.columns: list[Column] = []
        self.pages: dict[str, str] = {}  # path -> HTML
        self.files: dict[str, bytes] = {}  # path -> bytes (non-HTML)
        self.findings: list[TruthFinding] = []
        self.decoys: list[dict[str, Any]] = []
        self.attachment_seq = 0
        self.attachment_cache: dict[str, bytes] = {}
        self.header_cache: dict[str, str] = {}
        self.homepage_links: list[tuple[str, str]] = []  # extra links on the homepage (href, text)
        self.friend_links: list[tuple[str, str]] = []
        self.hidden_findings: list[TruthFinding] = []
        self.gbk_titles: list[Article] = []
        self.credit_code = identifiers.credit_code(self.rng, spec.division_code)
        self.site_code = spec.division_code[:4] + "00" + f"{spec.seed % 10000:04d}"
        icp_prefix, police_prefix = identifiers.record_prefixes(spec.division_code, spec.province_abbr)
        self.icp = identifiers.icp_number(self.rng, icp_prefix)
        self.police = identifiers.police_number(self.rng, police_prefix, spec.division_code)
        self.office_phone = identifiers.landline(self.rng, identifiers.area_code(spec.division_code))
        self.sitemap_path = "/sitemap/index.html" if spec.layout == "hanweb" else "/wzdt/index.html"
        self.privacy_path = "/privacy.html" if spec.layout == "hanweb" else "/ysbh/index.html"
        self.jpages: dict[int, scriptpaging.Jpage] = {}  # column index -> its jpage (Hanweb, script-paged)
        self.script_paged: set[int] = set()  # TRS columns paged by createPageHTML only
        self.script_links: dict[str, list[str]] = {}  # list page -> the pages only its script leads to
        self.jpage_answers: dict[str, str] = {}  # dataproxy URL -> its answer (markup)
        self.jpage_routes: dict[str, str] = {}  # "columnid|startrecord" -> answer file

    # -- structure -------------------------------------------------------------------------

    def build_columns(self) -> None:
        spec, rng = self.spec, self.rng
        catalogue = content.CATALOGUE
        used_ids: set[int] = set()
        styles = LIST_STYLES[spec.layout]
        offset = rng.randrange(len(styles))
        for index in range(spec.columns):
            base = catalogue[index % len(catalogue)]
            round_ = index // len(catalogue)
            cdef = base
            if round_:
                cdef = ColumnDef(
                    f"{base.name}（{round_ + 1}）",
                    base.update_class,
                    base.section,
                    base.section_name,
                    f"{base.slug}{round_ + 1}",
                )
            colid = 1229 * 10**6 + rng.randint(100000, 999999)
            while colid in used_ids:
                colid += 1
            used_ids.add(colid)
            column = Column(cdef, index, colid, style=styles[(index + offset) % len(styles)])
            column.path = self._column_page_path(column, 1)
            self.columns.append(column)

    def _column_page_path(self, column: Column, page: int) -> str:
        if self.spec.layout == "hanweb":
            base = f"/col/col{column.colid}/"
            return base + ("index.html" if page == 1 else f"index_{page}.html")
        base = f"/{column.cdef.section}/{column.cdef.slug}/"
        return base + ("index.html" if page == 1 else f"index_{page - 1}.html")

    def assign_fates(self) -> None:
        d, rng = self.d, self.rng
        priority = {"static": 0, "regular": 1, "notice": 2, "dynamic": 3}

        def pool(classes: Iterable[str]) -> list[Column]:
            chosen = [c for c in self.columns if c.fate == "fresh" and c.cls in classes]
            rng.shuffle(chosen)
            return chosen

        # The first dynamic, notice and regular columns are never empty or undated (the homepage and
        # the role articles need them).
        protected = set()
        for cls in ("dynamic", "notice", "regular"):
            first = next((c for c in self.columns if c.cls == cls), None)
            if first is not None:
                protected.add(first.index)

        empty_pool = sorted(
            (c for c in self.columns if c.index not in protected),
            key=lambda c: (priority[c.cls], -c.index),
        )
        if d.empty_columns > len(empty_pool):
            raise ValueError(f"{self.spec.name}: {d.empty_columns} empty columns need more columns")
        for column in empty_pool[: d.empty_columns]:
            column.fate = "empty"

        nodate_pool = [c for c in pool(("regular", "notice")) if c.index not in protected]
        nodate_pool += [c for c in pool(("dynamic",)) if c.index not in protected]
        if d.nodate_columns > len(nodate_pool):
            raise ValueError(f"{self.spec.name}: {d.nodate_columns} undated columns need more columns")
        for column in nodate_pool[: d.nodate_columns]:
            column.fate = "nodate"

        for cls in ("dynamic", "notice", "regular"):
            wanted = d.stale_columns.get(cls, 0)
            if d.stale_homepage and cls == "dynamic":
                wanted = sum(1 for c in self.columns if c.cls == "dynamic" and c.fate == "fresh")
            candidates = pool((cls,))
            if cls == "dynamic" and not d.stale_homepage:  # the homepage's first news column stays fresh
                candidates = [c for c in candidates if c.index not in protected]
            if wanted > len(candidates):
                raise ValueError(
                    f"{self.spec.name}: {wanted} stale {cls} columns requested, only {len(candidates)} available"
                )
            for column in candidates[:wanted]:
                column.fate = "stale"

    def newest_for(self, column: Column) -> date:
        rng, cls = self.rng, column.cls
        if column.fate == "stale":
            days = {"dynamic": (30, 240), "notice": (200, 600), "regular": (400, 1000)}[cls]
        elif column.fate == "nodate":
            limit = UPDATE_LIMITS[cls] or 365
            days = (limit + 30, limit + 200)
        elif cls == "dynamic":
            days = (0, 6)
        elif cls == "notice":
            days = (20, 150) if self.d.stale_homepage else (0, 60)
        elif cls == "regular":
            days = (0, 200)
        else:
            days = (30, 1500)
        return self.as_of - timedelta(days=rng.randint(*days))

    def build_items(self) -> None:
        spec, rng = self.spec, self.rng
        floor_dynamic = old_news_cutoff(self.as_of) + timedelta(days=60)
        for column in self.columns:
            if column.fate == "empty":
                continue
            count = max(1, round(spec.items_per_column * rng.uniform(0.7, 1.3)))
            newest = self.newest_for(column)
            gaps = [0.0] + [rng.expovariate(1 / ITEM_GAP_DAYS[column.cls]) for _ in range(count - 1)]
            offsets = []
            total = 0.0
            for gap in gaps:
                total += gap
                offsets.append(total)
            floor = floor_dynamic if column.cls == "dynamic" else _years_before(self.as_of, 12)
            room = (newest - floor).days
            if offsets[-1] > room > 0:
                offsets = [o * room / offsets[-1] for o in offsets]
            for offset in offsets:
                self._add_article(column, newest - timedelta(days=int(offset)))

    def _add_article(self, column: Column, when: date, *, first: bool = False) -> Article:
        rng = self.rng
        article = Article(
            column=column,
            title=content.title(rng, column.cls, lvl=self.lvl, sn=self.sn, published=when),
            date=when,
            time=f"{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}",
            show_date=column.fate != "nodate",
            source=self._source(),
        )
        if column.cls in ("notice", "regular"):
            article.index_no = identifiers.index_number(rng, self.credit_code, when.year)
            article.doc_no = identifiers.document_number(rng, self.sn, when.year)
        if first:
            column.items.insert(0, article)
        else:
            column.items.append(article)
        return article

    def _source(self) -> str:
        return f"{self.sn}{self.lvl}{content.department(self.rng)}"

    def add_extra_dates(self) -> None:
        """Future-dated articles (top of fresh columns) and old news (bottom of dynamic columns)."""
        rng = self.rng
        fresh = [c for c in self.columns if c.fate == "fresh" and c.cls in ("dynamic", "notice", "regular")]
        if self.d.future_dates and not fresh:
            raise ValueError(f"{self.spec.name}: future dates need a fresh dated column")
        for n in range(self.d.future_dates):
            column = fresh[n % len(fresh)]
            article = self._add_article(column, self.as_of + timedelta(days=rng.randint(8, 60)), first=True)
            article.role = "future_date"
        dynamic = [c for c in self.columns if c.cls == "dynamic" and c.fate in ("fresh", "stale")]
        if self.d.old_news and not dynamic:
            raise ValueError(f"{self.spec.name}: old news needs a dated dynamic column")
        cutoff = old_news_cutoff(self.as_of)
        for n in range(self.d.old_news):
            column = dynamic[n % len(dynamic)]
            article = self._add_article(column, cutoff - timedelta(days=rng.randint(45, 900)))
            article.role = "old_news"
        for column in self.columns:
            column.items.sort(key=lambda a: a.date, reverse=True)

    def assign_ids_and_paths(self) -> None:
        rng = self.rng
        everything = [a for c in self.columns for a in c.items]
        order = sorted(range(len(everything)), key=lambda i: (everything[i].date, everything[i].column.index, i))
        next_id = rng.randint(4_000_000, 6_000_000)
        for i in order:
            next_id += rng.randint(1, 37)
            everything[i].id = next_id
        for article in everything:
            column, when = article.column, article.date
            if self.spec.layout == "hanweb":
                article.path = f"/art/{when.year}/{when.month}/{when.day}/art_{column.colid}_{article.id}.html"
            else:
                article.path = f"/{column.cdef.section}/{column.cdef.slug}/{when:%Y%m}/t{when:%Y%m%d}_{article.id}.html"
        for column in self.columns:
            pages = max(1, math.ceil(len(column.items) / self.spec.per_page))
            column.page_paths = [self._column_page_path(column, p) for p in range(1, pages + 1)]

    # -- roles ------------------------------------------------------------------------------

    def _candidates(self, classes: Sequence[str]) -> list[Article]:
        by_class = {cls: [] for cls in classes}
        for column in self.columns:
            if column.cls in by_class:
                by_class[column.cls].extend(a for a in column.items if not a.role)
        out: list[Article] = []
        for cls in classes:
            out.extend(by_class[cls])
        return out

    def take(self, role: str, classes: Sequence[str] = ("regular", "notice", "dynamic", "static")) -> Article:
        candidates = self._candidates(classes) or self._candidates(("regular", "notice", "dynamic", "static"))
        if not candidates:
            raise ValueError(f"{self.spec.name}: not enough articles to place {role!r}")
        # Prefer articles from the first class listed that has any.
        first_class = candidates[0].column.cls
        article = self.rng.choice([a for a in candidates if a.column.cls == first_class])
        article.role = role
        return article

    def _new_attachment(self, article: Article, ext: str, label: str) -> Attachment:
        self.attachment_seq += 1
        seq, when = self.attachment_seq, article.date
        if self.spec.layout == "hanweb":
            path = f"/attach/-1/{when:%y%m%d}{article.time.replace(':', '')}{seq:04d}.{ext}"
        else:
            folder = posixpath.dirname(article.path)
            path = f"{folder}/P0{when:%Y%m%d}{article.id % 1000:03d}{seq:09d}.{ext}"
        attachment = Attachment(path=path, label=f"{label}.{ext}", ext=ext, data=None, page=article.path)
        article.attachments.append(attachment)
        return attachment

    def _ordinary_file(self, ext: str, label: str) -> tuple[bytes, bool]:
        """Ordinary attachments of one kind share their bytes (generation stays fast at 10,000 URLs)."""
        if ext not in self.attachment_cache:
            self.attachment_cache[ext] = self._render_file(ext, label)
        return self.attachment_cache[ext], ext in ("doc", "wps")

    def _render_file(self, ext: str, label: str) -> bytes:
        rng = self.rng
        rows = [
            [f"{content.department(rng)}", f"{content.rng_topic(rng)}", round(rng.uniform(5, 900), 2)] for _ in range(6)
        ]
        headers = ["单位", "项目", "金额（万元）"]
        if ext == "pdf":
            return files.pdf_bytes(f"Document {rng.randint(1000, 9999)} - {self.spec.seed}")
        if ext == "xlsx":
            return files.xlsx_bytes(label, headers, rows)
        if ext == "docx":
            return files.docx_bytes(label, content.paragraphs(rng, lvl=self.lvl, date_text="近日"))
        if ext == "csv":
            return files.csv_bytes(headers, rows, self.spec.encoding)
        if ext == "zip":
            inner = files.csv_bytes(headers, rows, self.spec.encoding)
            return files.zip_bytes({"data.csv": inner, "readme.txt": "附件说明".encode(self.spec.encoding)})
        return files.placeholder_bytes()

    def place_roles(self) -> None:
        d, rng = self.d, self.rng
        # Titles with characters outside GB2312 (a gb2312 declaration must be decoded as GBK).
        for template in ("关于{name}等同志职务任免的通知", "{sn}{lvl}{dept}关于表扬{name}同志的通报"):
            article = self.take("gbk_title", ("regular", "notice", "dynamic"))
            name = rng.choice(content.SURNAMES) + rng.choice(content.OUTSIDE_GB2312)
            article.title = template.format(name=name, sn=self.sn, lvl=self.lvl, dept=content.department(rng))
            self.gbk_titles.append(article)

        for place in d.privacy:
            getattr(self, f"_privacy_{place}")()
        if d.decoys:
            self._decoy_article()
            self._plate_names_article()

        broken_targets = self._broken_targets(d.broken_links)
        for target in broken_targets:
            article = self.take("broken_link", ("dynamic", "notice", "regular", "static"))
            article.related.append((target, self._related_text()))
            kind = "soft_404" if self.spec.soft_404 else "broken_link"
            detail = (
                {"reason": "soft_404", "status": 200} if self.spec.soft_404 else {"reason": "http_404", "status": 404}
            )
            self.findings.append(TruthFinding(kind, target, article.path, detail))

        for n in range(1, d.server_errors + 1):
            target = SERVER_ERROR_PATH.format(n=n)
            article = self.take("server_error", ("notice", "regular", "dynamic"))
            article.related.append((target, "办件查询结果"))
            self.findings.append(
                TruthFinding("broken_link", target, article.path, {"reason": "http_500", "status": 500})
            )
        if d.redirect_loop:
            article = self.take("redirect_loop", ("dynamic", "notice"))
            article.related.append((LOOP_PATHS[0], "更多相关信息"))
            self.findings.append(
                TruthFinding(
                    "broken_link",
                    LOOP_PATHS[0],
                    article.path,
                    {"reason": "redirect_loop", "via": LOOP_PATHS[1]},
                )
            )
        if d.hanging_link:
            self.homepage_links.append((HANG_PATH, "信件查询"))
            self.findings.append(
                TruthFinding(
                    "broken_link",
                    HANG_PATH,
                    "/",
                    {"reason": "timeout", "hang_seconds": self.spec.hang_seconds},
                )
            )
        if d.slow_page:
            self.homepage_links.append((SLOW_PATH, "在线访谈"))
            self.findings.append(TruthFinding("slow_page", SLOW_PATH, "/", {"seconds": self.spec.slow_seconds}))
        if d.spider_trap:
            self.homepage_links.append((f"{CALENDAR_PREFIX}{self.as_of.isoformat()}.html", "活动日历"))
        if d.oversized_page:
            self.homepage_links.append((OVERSIZE_PATH, "统计年鉴"))

        self._external_links()
        for kind in d.broken_downloads:
            self._broken_download(kind)
        self._ordinary_attachments()
        self._internal_cross_links()

    def _related_text(self) -> str:
        return self.rng.choice(("相关文件", "原文链接", "政策原文", "相关解读", "详见"))

    def _broken_targets(self, count: int) -> list[str]:
        rng, targets = self.rng, []
        for n in range(count):
            old = self.as_of - timedelta(days=rng.randint(800, 2400))
            fake_id = rng.randint(1_000_000, 3_000_000)
            column = self.columns[n % len(self.columns)]
            if n % 3 == 2:
                if self.spec.layout == "hanweb":
                    target = f"/col/col{1229 * 10**6 + rng.randint(100, 99999)}/index.html"
                else:
                    target = f"/{column.cdef.section}/{column.cdef.slug}old{n}/index.html"
            elif self.spec.layout == "hanweb":
                target = f"/art/{old.year}/{old.month}/{old.day}/art_{column.colid}_{fake_id}.html"
            else:
                target = f"/{column.cdef.section}/{column.cdef.slug}/{old:%Y%m}/t{old:%Y%m%d}_{fake_id}.html"
            targets.append(target)
        return targets

    def _external_links(self) -> None:
        d = self.d
        self.friend_links += [
            (EXTERNAL_PLACEHOLDER + EXTERNAL_OK + "gov-portal/index.html", "中国政府网"),
            (EXTERNAL_PLACEHOLDER + EXTERNAL_OK + "province-portal/index.html", "省人民政府门户网站"),
            (EXTERNAL_PLACEHOLDER + EXTERNAL_OK + "zwfw/index.html", "政务服务网"),
            (EXTERNAL_PLACEHOLDER + EXTERNAL_HEAD_405 + "national-platform/index.html", "国家政务服务平台"),
            (EXTERNAL_PLACEHOLDER + EXTERNAL_MOVED + "city-news/index.html", "融媒体中心"),
        ]
        self.decoys.append(
            {
                "kind": "head_405",
                "path": EXTERNAL_PREFIX + EXTERNAL_HEAD_405 + "national-platform/index.html",
                "page": "/",
                "note": "405 to HEAD, 200 to GET: not broken",
            }
        )
        self.decoys.append(
            {
                "kind": "external_redirect",
                "path": EXTERNAL_PREFIX + EXTERNAL_MOVED + "city-news/index.html",
                "page": "/",
                "note": "301 to a 200 page: not broken",
            }
        )
        names = ("zt2019", "old-portal", "xxgk-legacy", "bsdt", "rmt-archive", "zcjd-old", "hdpt", "sjkf")
        for n in range(d.broken_external):
            prefix, status = (EXTERNAL_GONE, 404) if n % 2 == 0 else (EXTERNAL_ERROR, 500)
            path = f"{prefix}{names[n % len(names)]}{n // len(names) or ''}/index.html"
            text = (
                "省专题网站",
                "原门户网站",
                "信息公开平台",
                "网上办事大厅",
                "融媒体档案",
                "解读专栏",
                "互动平台",
                "数据开放平台",
            )[n % 8]
            if n % 2 == 0:
                self.friend_links.append((EXTERNAL_PLACEHOLDER + path, text))
                page = "/"
            else:
                article = self.take("broken_external", ("dynamic", "notice", "regular"))
                article.related.append((EXTERNAL_PLACEHOLDER + path, text))
                page = article.path
            self.findings.append(
                TruthFinding(
                    "broken_external_link",
                    EXTERNAL_PREFIX + path,
                    page,
                    {"reason": f"http_{status}", "status": status},
                )
            )
        if d.external_timeout:
            path = EXTERNAL_TIMEOUT + "statistics/index.html"
            self.friend_links.append((EXTERNAL_PLACEHOLDER + path, "统计数据平台"))
            self.findings.append(
                TruthFinding("broken_external_link", EXTERNAL_PREFIX + path, "/", {"reason": "timeout"})
            )
        # Ordinary external links inside articles (all fine).
        for article in self._candidates(("dynamic",))[:3]:
            article.related.append((EXTERNAL_PLACEHOLDER + EXTERNAL_OK + f"news/{article.id}.html", "转载来源"))

    def _broken_download(self, kind: str) -> None:
        article = self.take("broken_download", ("notice", "regular", "dynamic"))
        label = f"{article.title[:18]}附件"
        if kind == "missing":
            attachment = self._new_attachment(article, self.rng.choice(("pdf", "xlsx", "docx")), label)
            attachment.status = "missing"
            detail = {"reason": "http_404", "status": 404}
        elif kind == "empty":
            attachment = self._new_attachment(article, self.rng.choice(("pdf", "xlsx", "docx", "csv")), label)
            attachment.data, attachment.status = b"", "empty"
            detail = {"reason": "empty", "status": 200, "size": 0}
        else:
            ext = kind.split("_", 1)[1]
            attachment = self._new_attachment(article, ext, label)
            good = self._render_file(ext, label)
            attachment.data = files.error_page_bytes() if ext in ("docx", "pdf") else files.truncated(good)
            attachment.status = "corrupt"
            detail = {"reason": "corrupt", "status": 200, "ext": ext}
        self.findings.append(TruthFinding("broken_download", attachment.path, article.path, detail))

    def _ordinary_attachments(self) -> None:
        rng = self.rng
        for column in self.columns:
            if column.cls not in ("notice", "regular"):
                continue
            for article in column.items:
                if article.attachments or rng.random() >= ATTACHMENT_SHARE:
                    continue
                ext = rng.choice(ATTACHMENT_KINDS)
                attachment = self._new_attachment(article, ext, f"{article.title[:16]}")
                attachment.data, attachment.placeholder = self._ordinary_file(ext, attachment.label)

    def _internal_cross_links(self) -> None:
        """A few valid links between articles, so not every related link is broken."""
        articles = [a for c in self.columns for a in c.items]
        for article in articles[:: max(1, len(articles) // 8)]:
            other = articles[(articles.index(article) + 7) % len(articles)]
            if other is not article:
                article.related.append((other.path, other.title))

    # -- privacy and decoys -------------------------------------------------------------------

    def _table(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
        head = "".join(f"<th>{_esc(h)}</th>" for h in headers)
        body = "".join("<tr>" + "".join(f"<td>{_esc(str(v))}</td>" for v in row) + "</tr>" for row in rows)
        return f'<table class="gs-table" border="1" cellspacing="0"><tr>{head}</tr>{body}</table>'

    def _people(self, n: int) -> list[str]:
        return [content.person_name(self.rng) for _ in range(n)]

    def _privacy_finding(self, ftype: str, path: str, values: list[str], page: str | None, where: str) -> None:
        self.findings.append(TruthFinding(ftype, path, page, {"values": values, "count": len(values), "where": where}))

    def _privacy_id_page(self) -> None:
        article = self.take("privacy", ("regular", "notice"))
        year = article.date.year
        article.title = f"{year}年{self.sn}{self.lvl}{content.department(self.rng)}公开招聘工作人员拟聘用人员公示"
        ids = [identifiers.local_id_number(self.rng, self.spec.division_code, year - 40, year - 22) for _ in range(3)]
        rows = [
            [str(i + 1), name, self.rng.choice("男女"), ids[i], "综合管理岗"] for i, name in enumerate(self._people(3))
        ]
        article.blocks = [
            "<p>根据公开招聘工作安排，经笔试、面试、体检和考察，现将拟聘用人员名单予以公示，公示期为5个工作日。</p>",
            self._table(["序号", "姓名", "性别", "身份证号码", "拟聘岗位"], rows),
            f"<p>公示期间如有异议，请向{self.sn}{self.lvl}人力资源和社会保障局反映。监督电话：{self.office_phone}</p>",
        ]
        self._privacy_finding("privacy_id_number", article.path, ids, None, "page")

    def _privacy_phone_page(self) -> None:
        article = self.take("privacy", ("dynamic", "notice", "regular"))
        article.title = f"关于开展{content.rng_topic(self.rng)}志愿服务活动招募志愿者的通知"
        phones = [identifiers.mobile(self.rng) for _ in range(2)]
        names = self._people(2)
        article.blocks = [
            "<p>为进一步弘扬志愿服务精神，现面向社会招募志愿者，有关事项通知如下。</p>",
            "<p>一、招募对象：热心公益事业、身体健康的社会各界人士。</p>",
            f"<p>二、报名方式：请于本月底前与联系人联系报名。联系人：{names[0]}，联系电话：{phones[0]}；"
            f"{names[1]}，手机：{phones[1]}。</p>",
        ]
        self._privacy_finding("privacy_phone", article.path, phones, None, "page")

    def _privacy_bank_page(self) -> None:
        article = self.take("privacy", ("regular", "notice"))
        article.title = f"{article.date.year}年度{self.sn}{self.lvl}耕地地力保护补贴资金发放情况公示"
        cards = [identifiers.bank_card(self.rng) for _ in range(3)]
        rows = [
            [
                name,
                self.rng.choice(("农商银行", "工商银行", "农业银行")),
                cards[i],
                f"{self.rng.randint(300, 3000)}.00",
            ]
            for i, name in enumerate(self._people(3))
        ]
        article.blocks = [
            "<p>根据补贴资金管理有关规定，现将本年度补贴资金发放情况公示如下：</p>",
            self._table(["姓名", "开户银行", "银行卡号", "补贴金额（元）"], rows),
        ]
        self._privacy_finding("privacy_bank_card", article.path, cards, None, "page")

    def _privacy_xlsx(self) -> None:
        article = self.take("privacy", ("regular", "notice"))
        article.title = f"关于{article.date.year}年度困难群众临时救助资金发放名单的公示"
        ids = [identifiers.id_number(self.rng) for _ in range(3)]
        phones = [identifiers.mobile(self.rng) for _ in range(3)]
        cards = [identifiers.bank_card(self.rng) for _ in range(3)]
        rows = [
            [name, ids[i], phones[i], cards[i], self.rng.randint(500, 5000)] for i, name in enumerate(self._people(3))
        ]
        attachment = self._new_attachment(article, "xlsx", "临时救助资金发放名单")
        attachment.data = files.xlsx_bytes(
            "临时救助资金发放名单", ["姓名", "身份证号码", "联系电话", "银行卡号", "金额（元）"], rows
        )
        article.blocks = ["<p>现将临时救助资金发放名单予以公示，详见附件。</p>"]
        for ftype, values in (
            ("privacy_id_number", ids),
            ("privacy_phone", phones),
            ("privacy_bank_card", cards),
        ):
            self._privacy_finding(ftype, attachment.path, values, article.path, "xlsx")

    def _privacy_csv(self) -> None:
        article = self.take("privacy", ("regular", "notice"))
        year = article.date.year
        article.title = f"{year}年高龄津贴发放对象名单"
        # Holders aged 80-100 whose IDs carry today's district codes, mostly younger than they are.
        ids = [identifiers.local_id_number(self.rng, self.spec.division_code, year - 100, year - 80) for _ in range(4)]
        rows = [
            [str(i + 1), name, ids[i], content.PLACES[i % len(content.PLACES)]]
            for i, name in enumerate(self._people(4))
        ]
        attachment = self._new_attachment(article, "csv", "高龄津贴发放对象名单")
        attachment.data = files.csv_bytes(["序号", "姓名", "身份证号", "所在镇街"], rows, self.spec.encoding)
        article.blocks = ["<p>现将高龄津贴发放对象名单公布如下（见附件）。</p>"]
        self._privacy_finding("privacy_id_number", attachment.path, ids, article.path, "csv")

    def _privacy_docx(self) -> None:
        article = self.take("privacy", ("notice", "regular", "dynamic"))
        article.title = f"关于召开{content.rng_topic(self.rng)}工作会议的通知"
        phones = [identifiers.mobile(self.rng) for _ in range(2)]
        names = self._people(2)
        attachment = self._new_attachment(article, "docx", "会议回执")
        attachment.data = files.docx_bytes(
            "会议回执",
            [
                "请各单位于会前两日将回执报送会务组。",
                f"会务联系人：{names[0]}　{phones[0]}；{names[1]}　{phones[1]}。",
            ],
        )
        article.blocks = ["<p>经研究，定于近期召开工作会议，请各单位按要求做好参会准备，会议回执见附件。</p>"]
        self._privacy_finding("privacy_phone", attachment.path, phones, article.path, "docx")

    def _plate_names_article(self) -> None:
        """Names the 2018 reform kept as a 牌子, written correctly: listed as links, beside the parent body,
        in a sentence about the 牌子, marked 原. A wording detector must say nothing here."""
        article = self.take("decoy", ("static", "regular"))
        article.title = f"{self.lvl}{content.department(self.rng)}相关机构链接"
        article.blocks = [
            "<p>相关链接：自然资源部　国家海洋局　人力资源和社会保障部　国家外国专家局　国家林业和草原局</p>",
            "<p>2018年机构改革后，自然资源部对外保留国家海洋局牌子。</p>",
            "<p>原国家海洋局的海域使用管理职责由自然资源部承担。</p>",
            "<p>本栏目转载自然资源部（国家海洋局）发布的海洋预警信息。</p>",
        ]
        for name in ("国家海洋局", "国家外国专家局"):
            self.decoys.append({"kind": "plate_name", "path": article.path, "value": name})

    def _decoy_article(self) -> None:
        rng = self.rng
        article = self.take("decoy", ("notice", "regular", "dynamic"))
        year = article.date.year
        quarter = (article.date.month - 1) // 3  # the quarter before publication
        period = f"{year}年第{'一二三'[quarter - 1]}季度" if quarter else f"{year - 1}年第四季度"
        article.title = f"关于{period}行政许可事项办理情况的公示"
        companies = [identifiers.credit_code(rng, self.spec.division_code, kind="91") for _ in range(2)]
        masked_ids = [identifiers.masked_id(rng) for _ in range(2)]
        masked_phones = [identifiers.masked_mobile(rng) for _ in range(2)]
        serials = identifiers.serial_numbers(rng)
        index_no = identifiers.index_number(rng, self.credit_code, year)
        doc_no = identifiers.document_number(rng, self.sn, year)
        landline = identifiers.landline(rng, identifiers.area_code(self.spec.division_code))
        effective = f"{self.as_of.year + 1}年1月1日"
        article.index_no, article.doc_no = index_no, doc_no
        rows = [
            [serials[0], "食品经营许可", masked_ids[0], masked_phones[0], "准予许可"],
            [serials[2], "公共场所卫生许可", masked_ids[1], masked_phones[1], "准予许可"],
        ]
        article.blocks = [
            f"<p>索引号：{index_no}　发文字号：{doc_no}</p>",
            "<p>根据政务公开有关要求，现将本季度行政许可办理情况公示如下：</p>",
            self._table(["受理编号", "许可事项", "申请人身份证号", "联系电话", "办理结果"], rows),
            f"<p>企业申请人：统一社会信用代码 {companies[0]}、{companies[1]}。</p>",
            f"<p>缴费流水号：{serials[1]}。本公示规则自{effective}起施行。</p>",
            f"<p>咨询电话：12345（政务服务便民热线），{landline}。</p>",
        ]
        for kind, values in (
            ("masked_id", masked_ids),
            ("masked_phone", masked_phones),
            ("credit_code", companies),
            ("serial_number", serials),
            ("index_number", [index_no]),
            ("document_number", [doc_no]),
            ("hotline", ["12345"]),
            ("landline", [landline]),
            ("future_date_in_text", [effective]),
        ):
            for value in values:
                self.decoys.append({"kind": kind, "path": article.path, "value": value})
        attachment = self._new_attachment(article, "xlsx", "行政许可办理情况")
        attachment.data = files.xlsx_bytes(
            "行政许可办理情况",
            ["受理编号", "申请人", "身份证号", "联系电话", "统一社会信用代码"],
            [
                [serials[0], "申请人甲", masked_ids[0], masked_phones[0], companies[0]],
                [serials[2], "申请人乙", masked_ids[1], masked_phones[1], companies[1]],
            ],
        )
        for kind, values in (
            ("masked_id", masked_ids),
            ("masked_phone", masked_phones),
            ("credit_code", companies),
            ("serial_number", [serials[0], serials[2]]),
        ):
            for value in values:
                self.decoys.append({"kind": kind, "path": attachment.path, "value": value})

    # -- rendering -------------------------------------------------------------------------

    def href(self, from_path: str, to_path: str) -> str:
        """Hanweb links absolutely; TRS links to columns, articles and attachments relatively."""
        if self.spec.layout == "hanweb" or not to_path.startswith("/") or to_path == "/":
            return to_path
        rel = posixpath.relpath(to_path, posixpath.dirname(from_path) or "/")
        return rel if rel.startswith("../") else "./" + rel

    def charset_meta(self, kind: str) -> str:
        if self.spec.encoding == "utf-8":
            if self.spec.layout == "hanweb":
                return '<meta charset="utf-8">'
            return '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        if kind == "article" and self.spec.meta_gb2312:
            return '<meta charset="gb2312">'
        return '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'

    def head(self, title: str, kind: str, extra_meta: Sequence[tuple[str, str]] = ()) -> str:
        spec = self.spec
        metas = [self.charset_meta(kind)]
        if spec.mobile_viewport:
            metas.append('<meta name="viewport" content="width=device-width, initial-scale=1.0">')
        metas.append(f'<meta name="SiteName" content="{_esc(spec.name)}">')
        if "site_code" in spec.footer_marks or spec.site_code_meta:
            metas.append(f'<meta name="SiteIDCode" content="{self.site_code}">')
        metas += [f'<meta name="{name}" content="{_esc(value)}">' for name, value in extra_meta]
        return (
            '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n' + "\n".join(metas) + f"\n<title>{_esc(title)}</title>\n"
            '<link rel="stylesheet" href="/css/style.css">\n<script src="/js/common.js"></script>\n</head>\n'
        )

    def header(self, page: str) -> str:
        folder = posixpath.dirname(page) if self.spec.layout == "trs" else ""
        if folder not in self.header_cache:
            self.header_cache[folder] = self._header(page)
        return self.header_cache[folder]

    def _header(self, page: str) -> str:
        spec = self.spec
        tools = []
        if spec.has_accessibility:
            tools.append('<a href="/wza/index.html" class="wza">无障碍</a>')
            tools.append('<a href="/wza/elder.html" class="elder">长者模式</a>')
        if spec.has_sitemap:
            tools.append(f'<a href="{self.sitemap_path}">网站地图</a>')
        nav = ['<li><a href="/">首页</a></li>'] + [
            f'<li><a href="{self.href(page, c.path)}">{_esc(c.name)}</a></li>' for c in self.columns
        ]
        # A clean look-alike of a hidden link: the skip link of accessible templates, off-screen
        # until focused, pointing into the page (never a hidden_link).
        skip = (
            '<a href="#main-content" class="skip-link" style="position:absolute;left:-9999px;top:auto">跳到主要内容</a>'
        )
        return (
            skip + '<div class="top-bar"><div class="w1200">'
            f'<span class="welcome">欢迎访问{_esc(spec.name)}门户网站</span>'
            f'<span class="tools">{" | ".join(tools)}</span></div></div>\n'
            '<div class="header"><div class="logo">'
            f'<a href="/"><img src="/images/logo.png" alt="{_esc(spec.name)}">'
            f"</a></div>"
            '<form class="search" action="/search/index.jsp" method="get">'
            '<input type="text" name="q" placeholder="请输入关键字">'
            '<button type="submit">搜索</button></form></div>\n'
            f'<div class="main-nav"><ul>{"".join(nav)}</ul></div>\n'
        )

    def footer(self) -> str:
        spec = self.spec
        marks = set(spec.footer_marks)
        links = []
        if spec.has_privacy_policy:
            links.append(f'<a href="{self.privacy_path}">隐私声明</a>')
        if spec.has_sitemap:
            links.append(f'<a href="{self.sitemap_path}">网站地图</a>')
        links.append(f'<a href="{PRIVATE_PAGE}">内部办公</a>')
        lines = [f'<p class="links">{" | ".join(links)}</p>']
        if "sponsor" in marks:
            lines.append(
                f"<p>主办单位：{_esc(spec.name)}办公室　"
                f"承办单位：{_esc(self.sn + self.lvl)}大数据发展管理局　"
                f"联系电话：{self.office_phone}</p>"
            )
        else:
            lines.append("<p>建议使用1366×768分辨率浏览本网站</p>")
        lines += identifiers.record_marks_html(
            spec.mark_style,
            marks,
            site_code=self.site_code,
            icp=self.icp,
            police=self.police,
            icp_href=f"{EXTERNAL_PLACEHOLDER}{EXTERNAL_OK}beian-miit/index.html",
            police_href=f"{EXTERNAL_PLACEHOLDER}{EXTERNAL_OK}beian-police/index.html",
            conac_base=f"{EXTERNAL_PLACEHOLDER}{EXTERNAL_CONAC}",
        )
        return '<div class="footer"><div class="w1200">' + "\n".join(lines) + "</div></div>\n</body>\n</html>\n"

    def page(self, path: str, title: str, kind: str, body: str, extra_meta=()) -> None:
        if self.spec.trs_includes:
            self.pages[path] = self.included_page(path, title, kind, body, extra_meta)
            return
        self.pages[path] = self.head(title, kind, extra_meta) + "<body>\n" + self.header(path) + body + self.footer()

    def included_page(self, path: str, title: str, kind: str, body: str, extra_meta=()) -> str:
        """A page as TRS templates publish it: the header include is a whole document of its own
        (DOCTYPE, head, <title>无标题文档</title>, body), the page template ends in its own
        </body></html>, and the footer include after it ends in </BODY></HTML > once more — only
        this last fragment carries the identity marks (libxml2 alone ends the page before it).
        A print script and a comment hold </html> that is no tag."""
        closing = "\n</body>\n</html>\n"
        footer = self.footer().removesuffix(closing)
        printer = (
            "<script>function printPage(){var w=window.open('');w.document.write("
            "'<html><body>'+document.querySelector('.TRS_Editor').innerHTML+'</body></html>');w.print();}</script>"
        )
        return (
            self.head(title, kind, extra_meta)
            + "<body>\n"
            + self.fragment(self.header(path) + printer)
            + body
            + closing
            + "<!-- 页脚引自 /include/foot.html（片段自带 </body></html>） -->\n"
            + footer
            + "\n</BODY>\n</HTML >\n"
        )

    def fragment(self, markup: str) -> str:
        """An include written as a whole document."""
        meta = self.charset_meta("include")
        return (
            f"<!DOCTYPE html>\n<html>\n<head>\n{meta}\n<title>无标题文档</title>\n</head>\n"
            f"<body>\n{markup}\n</body>\n</html>\n"
        )

    def list_markup(self, column: Column, page: str, items: Sequence[Article]) -> str:
        style = column.style
        rows = []
        for n, article in enumerate(items, start=1):
            link = (
                f'<a href="{self.href(page, article.path)}" target="_blank" title="{_esc(article.title)}">'
                f"{_esc(article.title)}</a>"
            )
            d = article.date if article.show_date else None
            if style == "table":
                cell = f'<td class="rq">{_ymd(d)}</td>' if d else ""
                rows.append(f'<tr><td class="xh">{n}</td><td class="bt">{link}</td>{cell}</tr>')
            elif style == "bracket":
                stamp = f'<span class="time">[{_ymd(d)}]</span>' if d else ""
                rows.append(f"<li>{stamp}{link}</li>")
            elif style == "cn":
                stamp = f"<em>{_cn_date(d)}</em>" if d else ""
                rows.append(f"<li>{link}{stamp}</li>")
            else:
                stamp = f'<span class="date">{_ymd(d)}</span>' if d else ""
                rows.append(f"<li>{link}{stamp}</li>")
        if style == "table":
            return '<table class="list-table" width="100%"><tbody>' + "".join(rows) + "</tbody></table>"
        return '<ul class="list">' + "".join(rows) + "</ul>"

    def pagination(self, column: Column, number: int) -> str:
        total = len(column.page_paths)
        if total <= 1:
            return ""
        page = column.page_paths[number - 1]
        if column.index in self.script_paged:
            return scriptpaging.trs_script_pager(total, number)
        if self.spec.layout == "trs":
            anchors = " ".join(
                f'<a href="{posixpath.basename(p)}">{i}</a>' if i != number else f"<span>{i}</span>"
                for i, p in enumerate(column.page_paths, start=1)
            )
            return (
                f'<script>createPageHTML({total}, {number - 1}, "index", "html");</script>\n'
                f'<div class="page">{anchors}</div>'
            )
        parts = [f"<span>共{len(column.items)}条　{number}/{total}页</span>"]
        parts.append(f'<a href="{self.href(page, column.page_paths[0])}">首页</a>')
        if number > 1:
            parts.append(f'<a href="{self.href(page, column.page_paths[number - 2])}">上一页</a>')
        if number < total:
            parts.append(f'<a href="{self.href(page, column.page_paths[number])}">下一页</a>')
        parts.append(f'<a href="{self.href(page, column.page_paths[-1])}">尾页</a>')
        return '<div class="pagination">' + " ".join(parts) + "</div>"

    def render_columns(self) -> None:
        per_page = self.spec.per_page
        for column in self.columns:
            if column.index in self.jpages:
                self.render_jpage_column(column)
                continue
            for number, path in enumerate(column.page_paths, start=1):
                chunk = column.items[(number - 1) * per_page : number * per_page]
                listing = self.list_markup(column, path, chunk) if chunk else '<div class="no-data">暂无信息</div>'
                pager = self.pagination(column, number)
                self.column_page(column, path, f'<div class="list-box">{listing}</div>\n{pager}')

    def column_page(self, column: Column, path: str, listing: str) -> None:
        """A column list page: breadcrumb, title bar, then `listing` (the list box and its pager)."""
        body = (
            f'<div class="location">当前位置：<a href="/">首页</a> &gt; '
            f"<span>{_esc(column.cdef.section_name)}</span> &gt; "
            f"<span>{_esc(column.name)}</span></div>\n"
            f'<div class="column-box"><div class="column-title"><h2>{_esc(column.name)}</h2></div>\n'
            f"{listing}</div>\n"
        )
        self.page(
            path,
            f"{column.name} - {self.spec.name}",
            "column",
            body,
            [("ColumnName", column.name), ("ColumnType", column.cdef.section_name)],
        )

    # -- pagination written by scripts (Hanweb jpage, TRS createPageHTML) --------------------------

    def choose_script_paging(self) -> None:
        """The column holding old news, paged the way its CMS really pages it: Hanweb's jpage (later
        records only through dataproxy.jsp) or TRS createPageHTML (no <a> to the later pages)."""
        holders = [c for c in self.columns if any(a.role == "old_news" for a in c.items)]
        if self.spec.layout == "hanweb":
            for column in holders:
                first_old = next(k for k, a in enumerate(column.items) if a.role == "old_news")
                per_page = min(self.spec.per_page, first_old // scriptpaging.GROUP_PAGES)
                if per_page >= 1:  # the old news lies beyond the datastore's records
                    self._use_jpage(column, per_page)
                    return
            return
        paged = [c for c in holders if len(c.page_paths) > 1] or [c for c in self.columns if len(c.page_paths) > 1]
        if paged:
            column = paged[0]
            self.script_paged.add(column.index)
            for path in column.page_paths:
                self.script_links[path] = [p for p in column.page_paths if p != path]

    def _use_jpage(self, column: Column, per_page: int) -> None:
        jpage = scriptpaging.Jpage(column.colid, 4_000_000 + column.colid % 1_000_000, 1, per_page, self.spec.name)
        self.jpages[column.index] = jpage
        proxied = [jpage.proxy_url(start) for start in jpage.starts(len(column.items))]
        column.page_paths = [column.page_paths[0], *proxied]
        self.script_links[column.page_paths[0]] = proxied

    def jpage_row(self, page: str, article: Article) -> str:
        stamp = f'<span class="bt-data-time">{_ymd(article.date)}</span>' if article.show_date else ""
        return (
            f'<li><a href="{self.href(page, article.path)}" target="_blank" title="{_esc(article.title)}">'
            f"{_esc(article.title)}</a>{stamp}</li>"
        )

    def render_jpage_column(self, column: Column) -> None:
        jpage = self.jpages[column.index]
        path = column.page_paths[0]
        rows = [self.jpage_row(path, a) for a in column.items]
        listing = scriptpaging.datastore_markup(jpage, rows, len(rows))
        self.column_page(column, path, f'<div class="list-box">{listing}</div>')
        for start, url in zip(jpage.starts(len(rows)), column.page_paths[1:], strict=True):
            answer = scriptpaging.proxy_answer(jpage, rows, start, self.spec.encoding)
            self.jpage_answers[url] = answer
            self.files[jpage.answer_file(start)] = answer.encode(self.spec.encoding)
            self.jpage_routes[jpage.route_key(str(jpage.colid), str(start))] = jpage.answer_file(start)

    def render_articles(self) -> None:
        spec = self.spec
        for column in self.columns:
            for article in column.items:
                self._render_article(spec, column, article)

    def _render_article(self, spec: SiteSpec, column: Column, article: Article) -> None:
        path = article.path
        if not article.blocks:
            article.blocks = [
                f"<p>{_esc(p)}</p>"
                for p in content.paragraphs(
                    self.rng, lvl=self.lvl, date_text=f"{article.date.month}月{article.date.day}日"
                )
            ]
        info = []
        meta = [
            ("ArticleTitle", article.title),
            ("ColumnName", column.name),
            ("ContentSource", article.source),
        ]
        if article.show_date:
            stamp = f"{_ymd(article.date)} {article.time}"
            if spec.layout == "hanweb":
                info.append(f"发布时间：{stamp}")
                meta.append(("PubDate", stamp))
            else:
                info.append(f"发布日期：{_ymd(article.date)}")
                meta.append(("pubdate", stamp))
        info.append(f"来源：{_esc(article.source)}")
        info.append(f'浏览次数：<span id="hits">{self.rng.randint(30, 3000)}</span>')
        info.append(
            '字号：[<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> '
            '<a href="javascript:doZoom(14)">小</a>]'
        )
        table = ""
        if article.index_no:
            written = article.date - timedelta(days=self.rng.randint(1, 6))
            written_text = _cn_date(written) if article.show_date else ""
            table = (
                '<table class="xxgk-info"><tr>'
                f"<td>索引号：</td><td>{_esc(article.index_no)}</td><td>发布机构：</td><td>{_esc(article.source)}</td>"
                f"</tr><tr><td>发文字号：</td><td>{_esc(article.doc_no)}</td><td>成文日期：</td><td>{written_text}</td>"
                "</tr></table>\n"
            )
        attachments = ""
        if article.attachments:
            links = "".join(
                f'<p><a href="{self.href(path, a.path)}" target="_blank">{_esc(a.label)}</a></p>'
                for a in article.attachments
            )
            attachments = f'<div class="attachments">附件：{links}</div>\n'
        related = ""
        if article.related:
            links = "".join(
                f'<li><a href="{self.href(path, h)}" target="_blank">{_esc(t)}</a></li>' for h, t in article.related
            )
            related = f'<div class="related">相关链接：<ul>{links}</ul></div>\n'
        zoom = 'id="zoom"' if spec.layout == "hanweb" else 'class="TRS_Editor"'
        body = (
            '<div class="location">当前位置：<a href="/">首页</a> &gt; '
            f'<a href="{self.href(path, column.path)}">'
            f"{_esc(column.name)}</a></div>\n"
            f'<div class="article">{table}<h1 class="title">{_esc(article.title)}</h1>\n'
            f'<div class="info">{"　".join(info)}</div>\n'
            f"<div {zoom}>{''.join(article.blocks)}</div>\n{attachments}{related}"
            '<div class="tools"><a href="javascript:window.print()">打印本页</a> '
            '<a href="javascript:window.close()">关闭窗口</a></div></div>\n'
        )
        self.page(path, f"{article.title}_{spec.name}", "article", body, meta)

    def homepage_items(self) -> tuple[list[Article], list[tuple[Column, list[Article]]]]:
        latest = sorted(
            (a for c in self.columns if c.cls == "dynamic" for a in c.items if a.show_date and a.date <= self.as_of),
            key=lambda a: (a.date, a.id),
            reverse=True,
        )[:8]
        boxes = []
        for column in self.columns:
            if column.cls == "notice" and column.fate in ("fresh", "stale") and len(boxes) < 3:
                shown = [a for a in column.items if a.date <= self.as_of][:5]
                if shown:
                    boxes.append((column, shown))
        if not latest and not boxes:  # a site of only static columns: show those
            latest = [a for c in self.columns for a in c.items if a.show_date and a.date <= self.as_of][:8]
        return latest, boxes

    def render_homepage(self) -> date | None:
        spec = self.spec
        latest, boxes = self.homepage_items()
        dates = [a.date for a in latest] + [a.date for _, items in boxes for a in items]
        rows = "".join(
            f'<li><a href="{self.href("/", a.path)}" target="_blank" title="{_esc(a.title)}">'
            f"{_esc(a.title)}</a>"
            f'<span class="date">{_ymd(a.date)}</span></li>'
            for a in latest
        )
        blocks = [
            f'<div class="news-box"><div class="box-title"><h3>最新动态</h3></div><ul class="list">{rows}</ul></div>'
        ]
        for column, items in boxes:
            lis = []
            for a in items:
                recent = (self.as_of - a.date).days < 365
                stamp = f"[{a.date:%m-%d}]" if recent else f"[{_ymd(a.date)}]"
                lis.append(
                    f'<li><a href="{self.href("/", a.path)}" target="_blank">{_esc(a.title)}</a>'
                    f'<span class="time">{stamp}</span></li>'
                )
            more = f'<a class="more" href="{self.href("/", column.path)}">更多&gt;&gt;</a>'
            blocks.append(
                f'<div class="box"><div class="box-title"><h3>{_esc(column.name)}</h3>{more}</div>'
                f'<ul class="list">{"".join(lis)}</ul></div>'
            )
        specials = "".join(f'<li><a href="{h}">{_esc(t)}</a></li>' for h, t in self.homepage_links)
        blocks.append(
            f'<div class="box special"><div class="box-title"><h3>便民服务</h3></div><ul>{specials}</ul></div>'
        )
        friends = "".join(f'<li><a href="{h}" target="_blank">{_esc(t)}</a></li>' for h, t in self.friend_links)
        blocks.append(f'<div class="friend-links"><span>友情链接：</span><ul>{friends}</ul></div>')
        body = (
            '<div class="banner"><img src="/images/banner.png" alt=""></div>\n<div class="main w1200">'
            + "\n".join(blocks)
            + "</div>\n"
        )
        self.page("/", spec.name, "home", body, [("ColumnName", "首页")])
        return max(dates) if dates else None

    def add_aliases(self) -> None:
        """One page under many URLs, as real sites link it; the truth names each finding once.

        The homepage links itself as /index.html, ./index.htm (the same page, published apart),
        http://HOST:PORT/? and HTTP://HOST:PORT/#top; a stale column as its directory (/col/…/, the
        server answers its index.html), another as /col/… (the server redirects to /col/…/); two
        empty columns answer byte-identical 暂无信息 pages (two columns all the same) and a mobile
        number on the homepage is one privacy_phone finding on "/"."""
        stale = [c for c in self.columns if c.fate == "stale"]
        empty = [c for c in self.columns if c.fate == "empty"]
        if len(stale) < 2 or len(empty) < 2:
            raise ValueError(f"{self.spec.name}: aliases need two stale and two empty columns")
        directory, redirected = (posixpath.dirname(c.path) for c in stale[:2])
        self.pages[empty[1].path] = self.pages[empty[0].path]
        phone = identifiers.mobile(self.rng)
        links = [
            ("/index.html", "网站首页"),
            ("./index.htm", "返回首页"),
            (f"http:{SELF_PLACEHOLDER}?", "门户首页"),
            (f"HTTP:{SELF_PLACEHOLDER}#top", "回到顶部"),
            (directory + "/", stale[0].name),
            (redirected, stale[1].name),
        ]
        block = (
            '<div class="quick-nav">'
            + " | ".join(f'<a href="{_esc(href)}">{_esc(text)}</a>' for href, text in links)
            + f"<span>值班手机：{phone}</span></div>\n"
        )
        self.pages["/"] = self.pages["/"].replace('<div class="banner">', block + '<div class="banner">', 1)
        # Published apart, so its bytes differ by the time stamp a CMS writes; it reads the same.
        self.pages["/index.htm"] = self.pages["/"].replace("</body>", "<!-- 发布时间：2025-11-30 10:00:01 -->\n</body>")
        self._privacy_finding("privacy_phone", "/", [phone], None, "page")

    def render_specials(self) -> None:
        spec = self.spec
        if spec.has_sitemap:
            sections: dict[str, list[Column]] = {}
            for column in self.columns:
                sections.setdefault(column.cdef.section_name, []).append(column)
            parts = "".join(
                f'<div class="map-sec"><h3>{_esc(name)}</h3><ul>'
                + "".join(f'<li><a href="{c.path}">{_esc(c.name)}</a></li>' for c in cols)
                + "</ul></div>"
                for name, cols in sections.items()
            )
            self.page(
                self.sitemap_path,
                f"网站地图 - {spec.name}",
                "special",
                f'<div class="sitemap"><h2>网站地图</h2>{parts}</div>',
            )
        if spec.has_privacy_policy:
            text = (
                f"<p>{_esc(spec.name)}门户网站（以下简称本网站）尊重并保护用户隐私。本网站仅在为用户提供服务所必需的范围内"
                "收集个人信息，不会向任何第三方提供、出售或公开用户的个人信息，法律法规另有规定的除外。</p>"
                "<p>用户在本网站进行咨询、投诉或办理事项时提交的信息，仅用于答复和办理。本网站采取必要的安全措施，"
                "防止个人信息泄露、损毁或丢失。</p>"
            )
            self.page(
                self.privacy_path,
                f"隐私声明 - {spec.name}",
                "special",
                f'<div class="article"><h1>隐私声明</h1>{text}</div>',
            )
        if spec.has_accessibility:
            self.page(
                "/wza/index.html",
                f"无障碍服务 - {spec.name}",
                "special",
                '<div class="article"><h1>无障碍服务</h1><p>本网站提供无障碍浏览服务，支持语音读屏、'
                "大字幕、高对比度等功能，方便视障人士和老年人浏览。</p></div>",
            )
            self.page(
                "/wza/elder.html",
                f"长者模式 - {spec.name}",
                "special",
                '<div class="article"><h1>长者模式</h1><p>长者模式已开启：页面字号放大，操作更简便。</p></div>',
            )
        if self.d.slow_page:
            self.page(
                SLOW_PATH,
                f"在线访谈 - {spec.name}",
                "special",
                '<div class="article"><h1>在线访谈</h1>'
                "<p>本期访谈围绕优化营商环境展开，欢迎网友积极留言提问。</p></div>",
            )
        # robots.txt hides /private/, whose page links to a page that does not exist.
        self.page(
            PRIVATE_PAGE,
            f"内部办公 - {spec.name}",
            "special",
            f'<div class="article"><h1>内部办公</h1><p>本栏目仅限内部人员访问。</p>'
            f'<ul><li><a href="{PRIVATE_BROKEN}">内部通知（旧）</a></li></ul></div>',
        )
        hidden_type = "soft_404" if spec.soft_404 else "broken_link"
        self.hidden_findings.append(
            TruthFinding(
                hidden_type,
                PRIVATE_BROKEN,
                PRIVATE_PAGE,
                {"reason": "soft_404" if spec.soft_404 else "http_404"},
            )
        )

    def not_found_page(self) -> str:
        spec = self.spec
        return (
            self.head(f"{NOT_FOUND_TEXT} - {spec.name}", "special")
            + f'<body>\n<div class="error-page"><h1>{NOT_FOUND_TEXT}</h1>'
            "<p>对不起，您访问的页面不存在或已被删除。</p>"
            f'<p><a href="/">返回首页</a></p></div>\n</body>\n</html>\n'
        )

    # -- truth -----------------------------------------------------------------------------

    def site_findings(self, homepage_newest: date | None) -> None:
        spec, add = self.spec, self.findings.append
        homepage_stale = homepage_newest is None or (self.as_of - homepage_newest).days > HOMEPAGE_LIMIT_DAYS
        if homepage_stale:
            add(
                TruthFinding(
                    "stale_homepage",
                    "/",
                    None,
                    {
                        "newest": homepage_newest.isoformat() if homepage_newest else None,
                        "days": (self.as_of - homepage_newest).days if homepage_newest else None,
                        "limit_days": HOMEPAGE_LIMIT_DAYS,
                    },
                )
            )
        for mark in MARKS:
            if mark not in spec.footer_marks:
                meta = {"meta": self.site_code} if mark == "site_code" and spec.site_code_meta else {}
                add(TruthFinding(MARK_FINDINGS[mark], "/", None, {"mark": mark, **meta}))
        if not spec.has_sitemap:
            add(TruthFinding("missing_sitemap", "/"))
        if not spec.has_privacy_policy:
            add(TruthFinding("missing_privacy_policy", "/"))
        if not spec.has_accessibility:
            add(TruthFinding("missing_accessibility", "/"))
        add(TruthFinding("no_https", "/", None, {"scheme": "http"}))
        for header in SECURITY_HEADERS:
            if header not in spec.security_headers:
                add(TruthFinding("missing_security_header", "/", None, {"header": header, "key": header}))
        if BANNER_RE.search(spec.server_header):
            add(TruthFinding("server_banner", "/", None, {"server": spec.server_header}))
        if not spec.mobile_viewport:
            add(TruthFinding("no_mobile_viewport", "/"))

    def column_truth(self) -> list[TruthColumn]:
        out = []
        for column in self.columns:
            dated = column.fate != "nodate"
            past = [a.date for a in column.items if a.date <= self.as_of]
            newest = max(past) if (past and dated) else None
            empty = not column.items
            stale = (not empty) and column_is_stale(column.cls, newest, dated, self.as_of)
            out.append(
                TruthColumn(
                    path=column.path,
                    name=column.name,
                    update_class=column.cls,
                    newest=newest.isoformat() if newest else None,
                    items=len(column.items),
                    limit_days=UPDATE_LIMITS[column.cls],
                    list_pages=list(column.page_paths),
                    stale=stale,
                    empty=empty,
                    dated=dated,
                )
            )
            if empty:
                self.findings.append(TruthFinding("empty_column", column.path, None, {"name": column.name}))
            elif stale:
                self.findings.append(
                    TruthFinding(
                        "stale_column",
                        column.path,
                        None,
                        {
                            "name": column.name,
                            "update_class": column.cls,
                            "limit_days": UPDATE_LIMITS[column.cls],
                            "newest": newest.isoformat() if newest else None,
                            "reason": "no_date" if not dated else "outdated",
                        },
                    )
                )
        return out

    def date_findings(self) -> None:
        cutoff = old_news_cutoff(self.as_of)
        for column in self.columns:
            for article in column.items:
                if not article.show_date:
                    continue
                if article.date > self.as_of:
                    self.findings.append(
                        TruthFinding("future_date", article.path, column.path, {"date": article.date.isoformat()})
                    )
                elif column.cls == "dynamic" and article.date < cutoff:
                    self.findings.append(
                        TruthFinding(
                            "old_news",
                            article.path,
                            column.path,
                            {"date": article.date.isoformat(), "cutoff": cutoff.isoformat()},
                        )
                    )

    def build(self) -> tuple[Truth, dict[str, Any]]:
        self.build_columns()
        self.assign_fates()
        self.build_items()
        self.add_extra_dates()
        self.assign_ids_and_paths()
        self.place_roles()
        self.choose_script_paging()
        self.render_columns()
        self.render_articles()
        self.render_specials()
        homepage_newest = self.render_homepage()
        if self.spec.aliases:
            self.add_aliases()
        self.site_findings(homepage_newest)
        columns = self.column_truth()
        self.date_findings()
        for article in (a for c in self.columns for a in c.items):
            for attachment in article.attachments:
                if attachment.data is not None:
                    self.files[attachment.path] = attachment.data
        self.findings.sort(key=lambda f: (f.type, f.path))
        homepage_stale = any(f.type == "stale_homepage" for f in self.findings)
        truth = Truth(
            site=self.spec.name,
            layout=self.spec.layout,
            encoding=self.spec.encoding,
            as_of=self.as_of.isoformat(),
            slug=self.spec.site_slug,
            findings=self.findings,
            columns=columns,
            pages=self.sample_pages(),
            verdict=compute_verdict(columns, homepage_stale),
            decoys=self.decoys,
            bounds=self.bounds(),
            robots={
                "disallow": [PRIVATE_PREFIX],
                "page": PRIVATE_PAGE,
                "hidden_findings": [f.to_dict() for f in self.hidden_findings],
            },
            attachments=[
                {
                    "path": a.path,
                    "page": a.page,
                    "ext": a.ext,
                    "status": a.status,
                    "placeholder": a.placeholder,
                    "size": len(a.data) if a.data is not None else None,
                }
                for c in self.columns
                for art in c.items
                for a in art.attachments
            ],
            homepage_newest=homepage_newest.isoformat() if homepage_newest else None,
            url_count=count_urls({**self.pages, **self.jpage_answers}, script_links=self.script_links),
            script_links=self.script_links,
        )
        return truth, self.server_config()

    def sample_pages(self) -> list[dict[str, Any]]:
        out = [{"path": "/", "title": self.spec.name}]
        out += [{"path": c.path, "title": f"{c.name} - {self.spec.name}"} for c in self.columns]
        chosen = list(self.gbk_titles)
        everything = [a for c in self.columns for a in c.items if a not in chosen]
        chosen += everything[:: max(1, len(everything) // 10)][:10]
        for article in chosen:
            outside = any(ch in content.OUTSIDE_GB2312 for ch in article.title)
            out.append(
                {
                    "path": article.path,
                    "title": f"{article.title}_{self.spec.name}",
                    "heading": article.title,
                    "outside_gb2312": outside,
                }
            )
        return out

    def bounds(self) -> list[dict[str, Any]]:
        out = []
        if self.d.spider_trap:
            out.append(
                {
                    "kind": "spider_trap",
                    "path": f"{CALENDAR_PREFIX}{self.as_of.isoformat()}.html",
                    "prefix": CALENDAR_PREFIX,
                    "page": "/",
                    "note": "each day links the next and previous day and ?page=N+1, forever",
                }
            )
        if self.d.oversized_page:
            out.append(
                {
                    "kind": "oversized",
                    "path": OVERSIZE_PATH,
                    "bytes": self.spec.oversize_bytes,
                    "page": "/",
                    "note": "streamed without Content-Length",
                }
            )
        return out

    def server_config(self) -> dict[str, Any]:
        spec, d = self.spec, self.d
        return {
            "site": spec.name,
            "slug": spec.site_slug,
            "encoding": spec.encoding,
            "charset_header": spec.charset_header,
            "soft_404": spec.soft_404,
            "security_headers": {h: SECURITY_HEADERS[h] for h in spec.security_headers},
            "server_header": spec.server_header,
            "slow": {SLOW_PATH: spec.slow_seconds} if d.slow_page else {},
            "hang": {HANG_PATH: spec.hang_seconds} if d.hanging_link else {},
            "redirects": {LOOP_PATHS[0]: LOOP_PATHS[1], LOOP_PATHS[1]: LOOP_PATHS[0]} if d.redirect_loop else {},
            "errors": {SERVER_ERROR_PATH.format(n=n): 500 for n in range(1, d.server_errors + 1)},
            "calendar_prefix": CALENDAR_PREFIX if d.spider_trap else None,
            "oversize": {OVERSIZE_PATH: spec.oversize_bytes} if d.oversized_page else {},
            "not_found": NOT_FOUND_FILE,
            "external_placeholder": EXTERNAL_PLACEHOLDER,
            "self_placeholder": SELF_PLACEHOLDER,
            "mobile_viewport": spec.mobile_viewport,
            "jpage_proxy": {"path": scriptpaging.JPAGE_PROXY, "files": self.jpage_routes},
        }

    def static_assets(self) -> dict[str, bytes]:
        css = (
            "body{margin:0;font-family:'Microsoft YaHei',sans-serif;font-size:14px}"
            ".w1200{width:1200px;margin:0 auto}.main-nav ul{list-style:none}"
            ".main-nav li{display:inline-block;"
            "margin:0 8px}.list li{line-height:32px}.list .date,.list .time,.list em{float:right;color:#999}"
            ".footer{background:#f3f3f3;text-align:center;padding:20px 0;color:#666}"
        )
        js = (
            "function createPageHTML(total, current, prefix, suffix) {\n"
            "  if (total <= 1) return;\n"
            "  var parts = [];\n"
            "  for (var i = 0; i < total; i++) {\n"
            "    var name = i === 0 ? prefix + '.' + suffix : prefix + '_' + i + '.' + suffix;\n"
            "    parts.push(i === current ? '<span>' + (i + 1) + '</span>'\n"
            "      : '<a href=\"' + name + '\">' + (i + 1) + '</a>');\n"
            "  }\n"
            "  document.write('<div class=\"page-js\">' + parts.join(' ') + '</div>');\n"
            "}\n"
            "function doZoom(size) { document.getElementById('zoom').style.fontSize = size + 'px'; }\n"
        )
        robots = f"User-agent: *\nDisallow: {PRIVATE_PREFIX}\n"
        return {
            "/css/style.css": css.encode(),
            "/js/common.js": js.encode(),
            "/robots.txt": robots.encode(),
            "/images/logo.png": files.png_bytes(4, 2, (20, 80, 160)),
            "/images/banner.png": files.png_bytes(8, 2, (30, 100, 180)),
            "/images/police.png": files.png_bytes(2, 2, (40, 90, 200)),
        }


# -- public API ----------------------------------------------------------------------------------


def _file_for(www: Path, path: str) -> Path:
    relative = "index.html" if path == "/" else path.lstrip("/")
    if relative.endswith("/"):
        relative += "index.html"
    return www / relative


@dataclass
class RenderedSite:
    """A site in memory: every file's bytes by URL path, plus what goes beside www/."""

    truth: Truth
    files: dict[str, bytes]  # URL path -> bytes ("/" is the homepage)
    server_config: dict[str, Any]
    not_found: bytes


def render_site(spec: SiteSpec) -> RenderedSite:
    """Build a site without touching the disk (what `generate_site` writes)."""
    builder = _Builder(spec)
    truth, config = builder.build()
    outputs = {path: markup.encode(spec.encoding) for path, markup in builder.pages.items()}
    outputs.update(builder.static_assets())
    outputs.update(builder.files)
    return RenderedSite(truth, outputs, config, builder.not_found_page().encode(spec.encoding))


def generate_site(root: Path, spec: SiteSpec) -> Truth:
    """Write one site under `root` (www/, server.json, notfound.html, truth.json) and return its truth."""
    root = Path(root)
    site = render_site(spec)
    www = root / WWW
    made: set[Path] = set()
    for path, data in sorted(site.files.items()):
        target = _file_for(www, path)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(data)
    (root / NOT_FOUND_FILE).write_bytes(site.not_found)
    (root / SERVER_FILE).write_text(
        json.dumps(site.server_config, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    site.truth.save(root / "truth.json")
    return site.truth


def generate_sample(root: Path, specs: Sequence[SiteSpec] | None = None) -> list[Truth]:
    """Write several sites under root/<slug>/ and root/sample.json (the list `serve` reads)."""
    root = Path(root)
    specs = list(specs) if specs is not None else default_specs()
    slugs = [s.site_slug for s in specs]
    if len(set(slugs)) != len(slugs):
        raise ValueError(f"site slugs must be unique: {slugs}")
    root.mkdir(parents=True, exist_ok=True)
    truths = [generate_site(root / spec.site_slug, spec) for spec in specs]
    listing = {"sites": [{"slug": t.slug, "name": t.site, "layout": t.layout, "encoding": t.encoding} for t in truths]}
    (root / SAMPLE_FILE).write_text(json.dumps(listing, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return truths


def default_specs() -> list[SiteSpec]:
    """Three small, varied sites for the demo and tests.

    - 青禾市人民政府: hanweb, UTF-8, most marks (split over spans and lines, full-width digits,
      the conac script), a few of every defect, not vetoed.
    - 云川县人民政府: TRS, GBK (gb2312 meta on articles, no HTTP charset), missing marks (the
      网站标识码 only in the SiteIDCode meta), Apache version banner, stale homepage and many
      stale columns: single-veto.
    - 石桥区人民政府 (贵州: 黔ICP备 + 贵公网安备): hanweb, UTF-8 without HTTP charset, labelled marks
      without colons (公安机关备案号, the police mark an image with alt), soft-404, four empty
      columns (one short of the veto), nginx version banner.
    """
    return [
        SiteSpec(
            name="青禾市人民政府",
            layout="hanweb",
            encoding="utf-8",
            columns=14,
            items_per_column=12,
            seed=101,
            slug="qinghe",
            footer_marks=("site_code", "icp", "conac", "sponsor"),
            mark_style="split",
            security_headers=("X-Frame-Options", "X-Content-Type-Options"),
            server_header="nginx",
            defects=Defects(
                broken_links=3,
                server_errors=1,
                redirect_loop=True,
                hanging_link=True,
                slow_page=True,
                broken_external=2,
                external_timeout=True,
                broken_downloads=("missing", "empty", "corrupt_docx", "corrupt_pdf"),
                stale_columns={"dynamic": 1, "notice": 1, "regular": 1},
                nodate_columns=1,
                empty_columns=1,
                future_dates=2,
                old_news=2,
                privacy=("id_page", "phone_page", "bank_page", "xlsx", "csv", "docx"),
            ),
        ),
        SiteSpec(
            name="云川县人民政府",
            layout="trs",
            encoding="gbk",
            columns=20,
            items_per_column=8,
            per_page=6,
            seed=202,
            slug="yunchuan",
            division_code="350100",
            footer_marks=("sponsor",),
            site_code_meta=True,
            has_sitemap=False,
            has_privacy_policy=False,
            has_accessibility=False,
            charset_header=False,
            meta_gb2312=True,
            security_headers=(),
            server_header="Apache/2.4.41 (Unix)",
            mobile_viewport=False,
            trs_includes=True,  # header and footer included as whole documents (stray </body></html>)
            defects=Defects(
                broken_links=2,
                broken_external=1,
                broken_downloads=("missing", "empty", "corrupt_xlsx"),
                stale_homepage=True,
                stale_columns={"notice": 2, "regular": 3},
                nodate_columns=1,
                empty_columns=2,
                future_dates=1,
                old_news=1,
                privacy=("id_page", "csv"),
            ),
        ),
        SiteSpec(
            name="石桥区人民政府",
            layout="hanweb",
            encoding="utf-8",
            columns=12,
            items_per_column=6,
            per_page=5,
            seed=303,
            slug="shiqiao",
            division_code="520100",
            footer_marks=("site_code", "icp", "police_record", "sponsor"),
            mark_style="labelled",
            has_privacy_policy=False,
            has_accessibility=False,
            soft_404=True,
            charset_header=False,
            server_header="nginx/1.18.0",
            defects=Defects(
                broken_links=3,
                server_errors=1,
                redirect_loop=True,
                broken_downloads=("empty", "corrupt_zip"),
                empty_columns=4,
                stale_columns={"regular": 1},
                future_dates=1,
                privacy=("phone_page", "bank_page", "docx"),
            ),
        ),
    ]


def alias_spec() -> SiteSpec:
    """A small hanweb site that links its pages under several URLs each (`SiteSpec.aliases`)."""
    return SiteSpec(
        name="柳塘县人民政府",
        layout="hanweb",
        encoding="utf-8",
        columns=8,
        items_per_column=6,
        per_page=10,
        seed=404,
        slug="liutang",
        province_abbr="赣",
        division_code="360100",
        aliases=True,
        defects=Defects(empty_columns=2, stale_columns={"notice": 1, "regular": 1}),
    )


def benchmark_spec(urls: int = 10_000, seed: int = 9001) -> SiteSpec:
    """One large hanweb site of about `urls` in-site URLs (pages and attachments) for crawl benchmarks."""
    columns = 40
    # URLs per item: the article, its share of list pages and attachments; measured, not derived
    # (empty and undated columns, role articles and the fixed pages make it lower than 1 + 1/15 + 0.19).
    per_item = 1.15
    fixed = 30 + columns
    items = max(1, round((urls - fixed) / (columns * per_item)))
    return SiteSpec(
        name="临川市人民政府",
        layout="hanweb",
        encoding="utf-8",
        columns=columns,
        items_per_column=items,
        per_page=15,
        seed=seed,
        slug="benchmark",
        footer_marks=("site_code", "icp", "police_record", "sponsor"),
        security_headers=("X-Content-Type-Options",),
        defects=Defects(
            broken_links=20,
            server_errors=3,
            redirect_loop=True,
            hanging_link=True,
            slow_page=True,
            broken_external=8,
            external_timeout=True,
            broken_downloads=(
                "missing",
                "empty",
                "corrupt_docx",
                "corrupt_pdf",
                "corrupt_xlsx",
                "corrupt_zip",
            ),
            stale_columns={"dynamic": 2, "notice": 2, "regular": 3},
            nodate_columns=2,
            empty_columns=3,
            future_dates=5,
            old_news=6,
            privacy=("id_page", "phone_page", "bank_page", "xlsx", "csv", "docx"),
        ),
    )

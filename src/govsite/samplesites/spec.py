"""What a generated site looks like: the `SiteSpec` a generator turns into files and ground truth.

A spec is plain, frozen data: the site's name and CMS layout, its encoding,
size, the identity marks its footer carries, how its server answers
(headers, soft-404), and the defects to seed (`Defects`). Everything else is
drawn from `seed`, so the same spec always yields the same site.

The rule constants the ground truth is computed with live here too
(column update limits, the old-news age, the single-veto thresholds), so the
generator, the truth and the tests share one definition.

Not for: rendering pages (`generate`), serving them (`server`), or the
detectors' own rules — detectors are measured against the truth, they do
not import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

DEFAULT_AS_OF = date(2025, 11, 30)

LAYOUTS = ("hanweb", "trs")
ENCODINGS = ("utf-8", "gbk")

# Identity marks a footer may carry (each missing one is a finding on "/").
MARKS = ("site_code", "icp", "police_record", "conac", "sponsor")
MARK_FINDINGS = {
    "site_code": "missing_site_code",
    "icp": "missing_icp",
    "police_record": "missing_police_record",
    "conac": "missing_conac_mark",
    "sponsor": "missing_sponsor",
}

# How a footer writes its record marks (samplesites.identifiers.record_marks_html).
MARK_STYLES = ("plain", "split", "labelled")

# Header name -> the value sent when the spec includes it.
SECURITY_HEADERS = {
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' http://127.0.0.1:*; object-src 'none'",
}

# Column update classes and their limits in days (None: a static column, no limit).
UPDATE_CLASSES = ("dynamic", "notice", "regular", "static")
UPDATE_LIMITS: dict[str, int | None] = {"dynamic": 14, "notice": 183, "regular": 365, "static": None}
HOMEPAGE_LIMIT_DAYS = 14
OLD_NEWS_YEARS = 5

# Single-veto (单项否决) thresholds of the national inspection.
VETO_STALE_DYNAMIC_NOTICE = 5  # dynamic columns stale 2 weeks + notice/policy columns stale 6 months
VETO_STALE_SHOULD_UPDATE = 10  # columns that should be updated (any class with a limit) but are stale
VETO_EMPTY_COLUMNS = 5

# Kinds of broken attachment a spec may seed.
DOWNLOAD_DEFECTS = ("missing", "empty", "corrupt_docx", "corrupt_pdf", "corrupt_xlsx", "corrupt_zip")
# Where personal numbers may be seeded: in an article's HTML, or inside an attachment.
PRIVACY_PLACES = ("id_page", "phone_page", "bank_page", "xlsx", "csv", "docx")


@dataclass(frozen=True)
class Defects:
    """The problems to seed. Counts are exact; the truth lists each seeded instance."""

    broken_links: int = 0  # in-site links to pages that do not exist (404, or soft-404 on soft-404 sites)
    server_errors: int = 0  # in-site links that answer 500
    redirect_loop: bool = False  # a link to /loop/a.html, which redirects to /loop/b.html and back
    hanging_link: bool = False  # a link to a URL that accepts the connection and never answers
    slow_page: bool = False  # a linked page answered after `SiteSpec.slow_seconds`
    broken_external: int = 0  # links to the external server that answer 404 or 500 (alternating)
    external_timeout: bool = False  # a link to the external server that never answers
    broken_downloads: tuple[str, ...] = ()  # DOWNLOAD_DEFECTS, one attachment each
    stale_homepage: bool = False  # every dated item on the homepage older than 14 days
    # update class -> how many columns of that class are stale (newest item older than the limit)
    stale_columns: dict[str, int] = field(default_factory=dict)
    nodate_columns: int = 0  # columns (with a limit) whose items carry no date
    empty_columns: int = 0  # columns whose list page says 暂无信息
    future_dates: int = 0  # articles dated after as_of
    old_news: int = 0  # articles in dynamic columns dated more than 5 years before as_of
    privacy: tuple[str, ...] = ()  # PRIVACY_PLACES
    decoys: bool = True  # masked numbers, hotlines, credit codes... that must not be findings
    spider_trap: bool = True  # the endless /calendar/ (a bound, not a finding)
    oversized_page: bool = True  # a page streaming more than 12 MB (a bound, not a finding)

    def validate(self) -> None:
        for name in ("broken_links", "server_errors", "broken_external", "nodate_columns", "empty_columns"):
            if getattr(self, name) < 0:
                raise ValueError(f"Defects.{name} must be >= 0")
        for kind in self.broken_downloads:
            if kind not in DOWNLOAD_DEFECTS:
                raise ValueError(f"unknown download defect {kind!r}; choose from {DOWNLOAD_DEFECTS}")
        for place in self.privacy:
            if place not in PRIVACY_PLACES:
                raise ValueError(f"unknown privacy place {place!r}; choose from {PRIVACY_PLACES}")
        for cls, count in self.stale_columns.items():
            if cls not in UPDATE_CLASSES or UPDATE_LIMITS[cls] is None:
                raise ValueError(f"stale_columns: {cls!r} is not an update class with a limit")
            if count < 0:
                raise ValueError("stale_columns counts must be >= 0")


@dataclass(frozen=True)
class SiteSpec:
    """One sample government site. Deterministic from `seed`."""

    name: str  # e.g. 青禾市人民政府
    layout: str = "hanweb"  # "hanweb" | "trs" (URL scheme and markup)
    encoding: str = "utf-8"  # "utf-8" | "gbk"
    columns: int = 14
    items_per_column: int = 12  # average; each column varies around it
    per_page: int = 10  # list items per column page
    seed: int = 1
    as_of: date = DEFAULT_AS_OF
    slug: str = ""  # directory name inside a sample (default: derived from the seed)
    province_abbr: str = ""  # prefix of both record numbers; "" = the province's own (record_prefixes.yaml)
    division_code: str = "330100"  # six-digit GB/T 2260 code: site code, 公安备案 number, record prefixes
    footer_marks: tuple[str, ...] = MARKS
    mark_style: str = "plain"  # MARK_STYLES: how the footer writes its record marks
    site_code_meta: bool = False  # the SiteIDCode meta carries the code though the footer does not show it
    has_sitemap: bool = True
    has_privacy_policy: bool = True
    has_accessibility: bool = True
    soft_404: bool = False  # unknown paths answer 200 with a 页面不存在 page
    charset_header: bool = True  # Content-Type carries charset=...
    meta_gb2312: bool = False  # gbk sites: article pages declare only <meta charset="gb2312">
    security_headers: tuple[str, ...] = tuple(SECURITY_HEADERS)
    server_header: str = "nginx"  # a version number in it (Apache/2.4.41) is a banner leak
    mobile_viewport: bool = True
    slow_seconds: float = 1.5
    hang_seconds: float = 8.0  # always bounded by the server (and cut short when it stops)
    oversize_bytes: int = 13 * 1024 * 1024
    trs_includes: bool = False  # trs sites: header and footer includes are whole documents (mid-page </html>)
    defects: Defects = field(default_factory=Defects)
    # One page under many URLs (generate._Builder.add_aliases): the homepage linked as /index.html,
    # ./index.htm, http://HOST:PORT/? and HTTP://HOST:PORT/#top, a column as its directory, another
    # through a redirect, two empty columns with byte-identical 暂无信息 pages and a phone number on
    # the homepage. Needs two empty and two stale columns.
    aliases: bool = False

    @property
    def site_slug(self) -> str:
        return self.slug or f"site{self.seed}"

    @property
    def level_char(self) -> str:
        """市 / 县 / 区 / 省: the administrative level the site's texts speak for."""
        core = self.name.removesuffix("人民政府")
        return core[-1] if core and core[-1] in "市县区省旗州盟" else "市"

    @property
    def short_name(self) -> str:
        """青禾市人民政府 -> 青禾 (used in 发文字号 and place names)."""
        core = self.name.removesuffix("人民政府")
        return core[:-1] if len(core) > 1 else core

    def with_(self, **changes: Any) -> SiteSpec:
        return replace(self, **changes)

    def validate(self) -> None:
        if self.layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {LAYOUTS}, not {self.layout!r}")
        if self.encoding not in ENCODINGS:
            raise ValueError(f"encoding must be one of {ENCODINGS}, not {self.encoding!r}")
        if self.columns < 1 or self.items_per_column < 1 or self.per_page < 1:
            raise ValueError("columns, items_per_column and per_page must be >= 1")
        for mark in self.footer_marks:
            if mark not in MARKS:
                raise ValueError(f"unknown footer mark {mark!r}; choose from {MARKS}")
        if self.mark_style not in MARK_STYLES:
            raise ValueError(f"mark_style must be one of {MARK_STYLES}, not {self.mark_style!r}")
        if self.site_code_meta and "site_code" in self.footer_marks:
            raise ValueError("site_code_meta is for a footer without site_code (the meta is there anyway)")
        for header in self.security_headers:
            if header not in SECURITY_HEADERS:
                raise ValueError(f"unknown security header {header!r}; choose from {tuple(SECURITY_HEADERS)}")
        if not (len(self.division_code) == 6 and self.division_code.isdigit()):
            raise ValueError("division_code must be six digits")
        if self.soft_404 and "missing" in self.defects.broken_downloads:
            raise ValueError(
                "a missing attachment on a soft-404 site is both soft_404 and broken_download; "
                "seed empty or corrupt attachments there instead"
            )
        if self.trs_includes and self.layout != "trs":
            raise ValueError("trs_includes only applies to trs sites")
        if self.meta_gb2312 and self.encoding != "gbk":
            raise ValueError("meta_gb2312 only applies to gbk sites")
        if not 0 < self.hang_seconds <= 60 or not 0 < self.slow_seconds <= 30:
            raise ValueError("hang_seconds must be in (0, 60] and slow_seconds in (0, 30]")
        if self.oversize_bytes <= 12 * 1024 * 1024:
            raise ValueError("oversize_bytes must exceed 12 MB")
        self.defects.validate()


# -- Paths shared by the generator and the servers ------------------------------------------------

# Generated pages link to the external server through this base; the site server rewrites it
# to the running ExternalServer's URL in every HTML response. Port 0 is never connectable, so an
# unrewritten link can only fail, and it is loopback either way.
EXTERNAL_PLACEHOLDER = "http://127.0.0.1:0"
# Absolute links to the site itself (http://HOST:PORT/?) are written with this authority; the site
# server rewrites it to its own in every HTML response.
SELF_PLACEHOLDER = "//127.0.0.1:1/"

LOOP_PATHS = ("/loop/a.html", "/loop/b.html")
SLOW_PATH = "/zxft/index.html"
HANG_PATH = "/hdjl/query.html"
CALENDAR_PREFIX = "/calendar/"
OVERSIZE_PATH = "/tjnj/index.html"
PRIVATE_PREFIX = "/private/"
PRIVATE_PAGE = "/private/index.html"
PRIVATE_BROKEN = "/oa/notice_old.html"
SERVER_ERROR_PATH = "/hdjl/list_{n}.jsp"
NOT_FOUND_TEXT = "页面不存在"

# External server: the first path segment says how it answers.
EXTERNAL_OK = "/ok/"  # 200
EXTERNAL_GONE = "/gone/"  # 404
EXTERNAL_ERROR = "/error/"  # 500
EXTERNAL_HEAD_405 = "/head405/"  # 405 to HEAD, 200 to GET (not broken)
EXTERNAL_MOVED = "/moved/"  # 301 to /ok/<rest> (not broken)
EXTERNAL_TIMEOUT = "/timeout/"  # accepts, never answers (bounded)
EXTERNAL_CONAC = "/conac/"  # the 党政机关 mark: its page and image

"""What a crawl knows about a site: one FetchRecord per URL tried, one PageRecord per HTML page.

These records are the boundary between crawling and checking. The spider
produces them while it crawls; `govsite scan --from-warc` rebuilds the same
records from an archive; detectors read only these, so every detector runs
the same on a live crawl and on an old archive. They serialise to JSON
lines (the page index) and back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

# Why a fetch produced no usable HTTP response.
FETCH_ERRORS = (
    "timeout",  # no answer within the download timeout
    "dns",  # host name does not resolve
    "refused",  # connection refused or reset
    "tls",  # TLS handshake failed
    "redirect_loop",  # redirects that come back or exceed the limit
    "too_large",  # body over the size bound
    "blocked",  # refused by our own policy (non-loopback in loopback-only mode, robots.txt)
    "error",  # anything else, with the message in `error_detail`
)

KINDS = ("page", "attachment", "external", "other")


@dataclass
class FetchRecord:
    """The outcome of requesting one URL (in-site page, attachment or external link)."""

    url: str
    kind: str
    status: int | None = None  # None when no HTTP response came back
    error: str | None = None  # one of FETCH_ERRORS
    error_detail: str = ""
    final_url: str = ""  # after redirects
    redirects: list[str] = field(default_factory=list)
    content_type: str = ""
    size: int = 0
    elapsed_ms: int = 0
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    attachment_problem: str = ""  # empty | html_instead | corrupt: a 200 that is not a usable file
    title: str = ""  # an external page fetched with GET (a friendly link's target): its <title>, bounded
    text_excerpt: str = ""  # and the start of its visible text (EXTERNAL_EXCERPT_CHARS), to judge what it carries
    content_hash: str = ""  # an HTML page's body digest (crawl/aliases.py): confirms /a/ and /a/index.html are one
    depth: int = 0
    referrer: str = ""  # the page whose link led here
    fetched_at: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and self.status < 400

    def to_dict(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["redirects"] = list(self.redirects)
        data["headers"] = dict(self.headers)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FetchRecord:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass
class DocumentRecord:
    """The text of a downloaded attachment, as the text checks read it (bounded).

    `problem` says why there is no (complete) text: encrypted, corrupt,
    too_large, bomb (an archive that would expand beyond bounds), unsupported.
    """

    url: str
    format: str  # the file type read: pdf, docx, xlsx, xls, csv, txt, …
    text: str = ""
    problem: str = ""
    detail: str = ""
    truncated: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentRecord:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass(slots=True)  # a crawl holds ~50 per page: slots halve what the judge keeps in memory
class Link:
    url: str  # absolute, fragment removed
    text: str  # anchor text (or img alt/title), whitespace collapsed, bounded
    kind: str  # page | attachment | external | other


@dataclass(slots=True)
class ListItem:
    """A dated entry of a column's list page."""

    url: str
    title: str
    date: date | None


@dataclass
class PageRecord:
    """An HTML page as the checks see it: decoded, parsed, bounded."""

    url: str
    status: int
    title: str = ""
    encoding: str = ""
    text: str = ""  # visible body text, bounded
    footer_text: str = ""  # the page's bottom boilerplate (identity marks live here)
    links: list[Link] = field(default_factory=list)
    published: date | None = None  # the page's own publish date, if it states one
    column_name: str = ""  # the column (栏目) a list page belongs to
    list_items: list[ListItem] = field(default_factory=list)
    pagination: list[str] = field(default_factory=list)  # further pages of the same list
    has_viewport: bool = False
    site_id_code_meta: str = ""  # <meta name="SiteIDCode" content=...>, bounded (not shown on the page)
    conac_script: str = ""  # the <script> writing the 党政机关 mark (src or text), or "#_ideConac", bounded
    # Security-event hints (crawl/pagesecurity.py), lists of plain dicts, bounded.
    hidden_links: list[dict[str, str]] = field(default_factory=list)  # off-site links a visitor cannot see
    scripts: list[dict[str, str]] = field(default_factory=list)  # script sources and suspicious inline code
    iframes: list[dict[str, str]] = field(default_factory=list)  # iframe sources, with why hidden if so
    meta_refresh: str = ""  # where a <meta http-equiv="refresh"> sends the visitor
    insecure_resources: list[dict[str, Any]] = field(default_factory=list)  # http:// loads of an https page
    headings: list[str] = field(default_factory=list)  # h1–h3 and banner/logo texts outside lists, bounded
    images: list[str] = field(default_factory=list)  # image sources of the header/banner/footer blocks, bounded
    friendly_links: list[str] = field(default_factory=list)  # external URLs of the 友情链接 blocks and select boxes
    depth: int = 0
    referrer: str = ""

    @property
    def is_list_page(self) -> bool:
        """A column's list page (possibly empty: an empty column is still a column)."""
        return bool(self.column_name)

    def to_dict(self) -> dict[str, Any]:
        # Built by hand: dataclasses.asdict deep-copies every link and costs more than the crawl's parse.
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["links"] = [{"url": link.url, "text": link.text, "kind": link.kind} for link in self.links]
        data["list_items"] = [
            {"url": i.url, "title": i.title, "date": i.date.isoformat() if i.date else None} for i in self.list_items
        ]
        data["published"] = self.published.isoformat() if self.published else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], strings: dict[str, str] | None = None) -> PageRecord:
        """The record of `to_dict`. With `strings` (a dict shared by the records of one crawl), the
        link and list item texts that many pages repeat (menus, footers) are kept once."""
        data = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        keep = (strings if strings is not None else {}).setdefault  # a bound method: ~1.3 M calls a crawl
        links = []
        for i in data.get("links", []):
            url, text, kind = i["url"], i["text"], i["kind"]
            links.append(Link(keep(url, url), keep(text, text), keep(kind, kind)))
        data["links"] = links
        data["list_items"] = [
            ListItem(keep(i["url"], i["url"]), keep(i["title"], i["title"]), _date(i["date"]))
            for i in data.get("list_items", [])
        ]
        data["published"] = _date(data.get("published"))
        return cls(**data)


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None

"""What the crawler may fetch, how fast, and where it stops.

`CrawlPolicy` holds the options (all settable from `govsite scan`);
`UrlRules` decides for each link whether it is in the site, an attachment,
an external link or nothing to fetch, and applies the bounds that keep a
crawl finite on the real web's traps: depth, page count, query-string
variants per path, URL length, and dates far in the future in a URL (the
endless calendar). Every bound that bites is counted for the summary.
"""

from __future__ import annotations

import ipaddress
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from urllib.parse import urldefrag, urljoin, urlsplit

from w3lib.url import canonicalize_url

from govsite.sites.origin import DEFAULT_PORTS
from govsite.text.dates import date_from_url

# Truthful and plain: deployments add their contact with --user-agent.
# An href that names its own host (a scheme, or a network path //host); any other stays on the page's host.
ABSOLUTE_HREF = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|[/\\]{2})")  # a scheme, or a network path (//host)
USER_AGENT = "govsite/0.1 (government website monitoring bot)"

ATTACHMENT_EXTENSIONS = frozenset(
    [
        "pdf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "wps",
        "et",
        "dps",
        "ppt",
        "pptx",
        "ofd",
        "zip",
        "rar",
        "7z",
        "csv",
        "txt",
        "rtf",
    ]
)
# Files that are neither pages nor attachments to check: assets and media.
SKIPPED_EXTENSIONS = frozenset(
    [
        "css",
        "js",
        "json",
        "xml",
        "jpg",
        "jpeg",
        "png",
        "gif",
        "bmp",
        "svg",
        "webp",
        "ico",
        "mp3",
        "mp4",
        "avi",
        "flv",
        "swf",
        "wmv",
        "mov",
        "woff",
        "woff2",
        "ttf",
        "eot",
    ]
)
NON_FETCHED_SCHEMES = ("mailto:", "javascript:", "tel:", "data:", "sms:", "weixin:", "#")
# The file a web server answers for a directory (Apache DirectoryIndex, nginx index, IIS default
# document, the CMSs' static publishing): /a/index.html and /a/ may be one page.
DEFAULT_DOCUMENT = re.compile(r"/(?:index|default)\.(?:s?html?|jsp|php|aspx?)$", re.I)


@dataclass(frozen=True)
class CrawlPolicy:
    max_pages: int = 50_000
    max_depth: int = 10  # pagination of a list does not count as depth
    max_query_variants: int = 100  # distinct query strings per path
    max_url_length: int = 2048
    max_page_bytes: int = 5 * 1024 * 1024  # an HTML page beyond this is cut off (a bound, not a finding)
    max_attachment_bytes: int = 30 * 1024 * 1024
    download_timeout: float = 20.0
    concurrency: int = 4  # per site
    delay: float = 0.25  # seconds between requests to the site (AutoThrottle adapts it)
    autothrottle: bool = True
    obey_robots: bool = True
    retries: int = 2
    check_external: bool = True
    loopback_only: bool = False  # tests and the demo: never leave 127.0.0.0/8
    user_agent: str = USER_AGENT
    future_url_days: int = 366  # links whose URL carries a date beyond as_of + this are traps
    # Processes that analyse pages and read attachments beside the crawler's thread (crawl/workers.py);
    # 0: on that thread. One is enough for the crawl of one machine's sites to keep up with fetching.
    analysis_workers: int = 1


@dataclass
class Bounds:
    """Counts of links a bound refused, with a few examples each, for the summary."""

    counts: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def hit(self, name: str, url: str) -> None:
        self.counts[name] += 1
        bucket = self.examples.setdefault(name, [])
        if len(bucket) < 5:
            bucket.append(url)

    def as_dict(self) -> dict:
        return {name: {"count": count, "examples": self.examples.get(name, [])} for name, count in self.counts.items()}


def clean_url(href: str, base: str) -> str | None:
    """Absolute http(s) URL without fragment, scheme and host in lower case, or None for links that
    are not fetchable."""
    href = (href or "").strip()
    if not href or href.lower().startswith(NON_FETCHED_SCHEMES):
        return None
    if href.startswith("/") and not href.startswith("//") and "/." not in href:
        # Root-relative, the commonest CMS link: joining is string concatenation (urljoin costs 10x).
        url = _origin(base) + href.split("#", 1)[0]
        return url if url.startswith(("http://", "https://")) else None
    url, _ = urldefrag(urljoin(base, href))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    origin = f"{parts.scheme}://{parts.netloc}"
    if not url.startswith(origin.lower()):  # HTTP://Host/: scheme and host are case-insensitive
        url = origin.lower() + url[len(origin) :]
    return url


@lru_cache(maxsize=4096)
def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@lru_cache(maxsize=65536)
def url_key(url: str) -> str:
    """The identity of a URL for de-duplication: two URLs with one key are one URL.

    w3lib's canonicalize_url: scheme and host in lower case, `./` and `../` resolved, no fragment,
    no empty `?`, the query sorted, percent-escapes normalised; and here the default port dropped
    (http://h:80/ is http://h/). It keeps /index.html: that may be another page (`alias_key`).

    Remembered: every page repeats its site's menus, so the crawler asks about the same URLs
    again and again (~50 links a page; canonicalize_url costs ~10 µs)."""
    try:
        key = canonicalize_url(url, keep_fragments=False)
        parts = urlsplit(key)
        port = parts.port
    except ValueError:  # a port out of range, a broken IPv6 host: a URL like no other
        return url
    if port is not None and port == DEFAULT_PORTS.get(parts.scheme):
        return parts._replace(netloc=parts.netloc.rsplit(":", 1)[0]).geturl()
    return key


@lru_cache(maxsize=65536)
def alias_key(url: str) -> str:
    """URLs with one alias key may be one page (a candidate, not a proof): the `url_key` without
    scheme, without a default document (index.html, index.htm, index.shtml, default.htm, …) and
    without a trailing slash, so /a/index.html, /a/ and /a share one, as http:// and https:// do.

    Real sites answer all of them with one page, but not always: a redirect between them or an
    identical body confirms a candidate (crawl/aliases.py); a body that differs keeps two pages."""
    key = url_key(url)
    try:
        parts = urlsplit(key)
    except ValueError:  # a broken IPv6 host
        return key
    path = DEFAULT_DOCUMENT.sub("/", parts.path).rstrip("/")
    return parts.netloc + path + (f"?{parts.query}" if parts.query else "")


def extension(url: str) -> str:
    path = urlsplit(url).path
    return posixpath.splitext(path)[1].lower().lstrip(".")


def same_site(a: str, b: str) -> bool:
    """Two URLs of one site: the same host up to a www. prefix or a subdomain, on the same port
    (http and https on their default ports count as the same site)."""
    pa, pb = urlsplit(a), urlsplit(b)
    host_a = (pa.hostname or "").removeprefix("www.")
    host_b = (pb.hostname or "").removeprefix("www.")
    hosts = host_a == host_b or host_a.endswith("." + host_b) or host_b.endswith("." + host_a)
    default = {None, 80, 443}
    ports = pa.port == pb.port or (pa.port in default and pb.port in default)
    return hosts and ports


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


MAX_REMEMBERED_KINDS = 100_000


class UrlRules:
    def __init__(self, site_url: str, policy: CrawlPolicy, as_of: date) -> None:
        self.policy = policy
        self.hosts = {urlsplit(site_url).netloc.lower()}
        self.future_limit = as_of + timedelta(days=policy.future_url_days)
        self.bounds = Bounds()
        self._query_variants: Counter = Counter()
        self._kinds: dict[str, str] = {}  # url -> kind: pages repeat their site's menus

    def adopt_host(self, url: str) -> None:
        """The homepage redirected within the site's domain (e.g. to www.): that host is the site too."""
        self.hosts.add(urlsplit(url).netloc.lower())
        self._kinds.clear()

    def kind(self, url: str) -> str:
        """page | attachment | external | other (assets we do not fetch)."""
        found = self._kinds.get(url)
        if found is None:
            found = self._kind(url)
            if len(self._kinds) >= MAX_REMEMBERED_KINDS:
                self._kinds.clear()
            self._kinds[url] = found
        return found

    def _kind(self, url: str) -> str:
        parts = urlsplit(url)
        ext = posixpath.splitext(parts.path)[1].lower().lstrip(".")
        if parts.netloc.lower() not in self.hosts:
            return "external"
        if ext in ATTACHMENT_EXTENSIONS:
            return "attachment"
        if ext in SKIPPED_EXTENSIONS:
            return "other"
        return "page"

    def allows(self, url: str, depth: int, pages_so_far: int) -> bool:
        """Apply the bounds to an in-site page link; count the ones that bite."""
        if len(url) > self.policy.max_url_length:
            self.bounds.hit("url_length", url)
            return False
        if depth > self.policy.max_depth:
            self.bounds.hit("max_depth", url)
            return False
        if pages_so_far >= self.policy.max_pages:
            self.bounds.hit("max_pages", url)
            return False
        url_date = date_from_url(url)
        if url_date is not None and url_date > self.future_limit:
            self.bounds.hit("future_date_in_url", url)
            return False
        parts = urlsplit(url)
        if parts.query:
            path_key = f"{parts.netloc}{parts.path}"
            if self._query_variants[path_key] >= self.policy.max_query_variants:
                self.bounds.hit("query_variants", url)
                return False
            self._query_variants[path_key] += 1
        return True

"""The IPv6 probe: does the site answer over IPv6, as the national IPv6 assessment measures it?

The national monitoring of 政府网站IPv6改造 (国家IPv6发展监测平台) judges a
site's 网站IPv6支持度 on its domain's AAAA record (IPv6 地址解析能力), the
homepage reachable over IPv6 (首页可访问), the homepage the same over IPv4
and IPv6 (内容一致性), and the share of its second- and third-level in-site
links reachable over IPv6 (二级/三级内链 IPv6 支持率). This probe measures
those four parts once per site, after the crawl (the links are the crawl's
depth-1 and depth-2 pages, `Target.pages`), and writes ``ipv6.json``;
`checks/ipv6.py` judges it into ``no_ipv6`` and the support degree.

What it does, every connection through `Target.connect(address=...)` (the
probe rules of `probes/base.py`):

1. AAAA and A records of the site's host with dnspython, asking the server of
   `ProbeOptions.dns_server` (``--dns-server``; the tests' own loopback DNS
   server) or else the system's configured nameservers — never
   ``getaddrinfo``;
2. whether this machine can reach the first AAAA address at all (a UDP
   ``connect``, which sends nothing, fails with ENETUNREACH on a host without
   an IPv6 route; for ``::1``, whether ``::1`` can be bound): if not, the
   probe cannot run here and says so (`ProbeSkipped`), never ``no_ipv6``;
3. the homepage over IPv6 and over IPv4 (same-host redirects followed, at
   most `MAX_REDIRECTS`), and the two compared on their visible text and
   title (scripts, styles and digits, where per-request tokens and clocks
   live, left out): `content_similarity`;
4. a bounded sample of the crawl's second- and third-level pages (at most
   `SAMPLE_PER_LEVEL` per level, pages the crawl fetched successfully on the
   site's own host), each fetched once over IPv6.

Not for: DNS delegation (域名授权体系), latency and download speed, which the
national platform also measures from its own vantage points.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import dns.exception
import dns.resolver

from govsite.crawl.htmltree import parse_html, strip_hidden
from govsite.probes.base import CrawledPage, ProbeSkipped, Target, probe

REPORT_FILE = "ipv6.json"
SAMPLE_PER_LEVEL = 25  # second-level (depth 1) and third-level (depth 2) pages: at most 50 in all
MAX_REDIRECTS = 3
MAX_BODY_BYTES = 2 * 1024 * 1024
SHINGLE = 3  # characters per shingle when comparing texts
# the homepage over v6 and v4 with their redirects, then the sample
CONNECTIONS = 2 * (MAX_REDIRECTS + 1) + 2 * SAMPLE_PER_LEVEL


@probe("ipv6", "no_ipv6", report=REPORT_FILE, after_crawl=True, max_connections=CONNECTIONS)
def probe_ipv6(target: Target) -> dict[str, Any]:
    """IPv6 support: AAAA record, homepage over IPv6, the same content as over IPv4, links over IPv6."""
    return ipv6_report(target)


@dataclass
class Answer:
    """One HTTP fetch over one address family."""

    url: str
    address: str = ""
    status: int | None = None
    error: str = ""  # in Chinese, when no HTTP answer came
    final_url: str = ""
    title: str = ""
    text: str = ""  # visible text, normalised (not written to the report)

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("text")
        return data


def ipv6_report(target: Target) -> dict[str, Any]:
    """The four parts measured (see the module's docstring); ProbeSkipped when they cannot be here."""
    host = target.host
    report: dict[str, Any] = {
        "host": host,
        "checked_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "outcome": "measured",
        "reason": "",
        "dns_server": target.options.dns_server or "系统默认",
    }
    if _is_address(host):
        _skip(report, f"网址的主机是 IP 地址（{host}），没有域名可查 AAAA 记录")
    nameserver = target.nameserver()
    report["aaaa"] = lookup(host, "AAAA", nameserver, target.options.timeout, report)
    report["a"] = lookup(host, "A", nameserver, target.options.timeout, report)
    report.update(homepage_v6=None, homepage_v4=None, content=None, links=[], sample_per_level=SAMPLE_PER_LEVEL)
    if not report["aaaa"]:
        return report
    v6 = report["aaaa"][0]
    problem = ipv6_route_problem(v6)
    if problem:
        _skip(report, problem)
    home6 = fetch(target, target.url, v6)
    report["homepage_v6"] = home6.as_dict()
    if report["a"]:
        home4 = fetch(target, target.url, report["a"][0])
        report["homepage_v4"] = home4.as_dict()
        if home6.ok and home4.ok:
            report["content"] = {
                "title_v6": home6.title,
                "title_v4": home4.title,
                "similarity": round(text_similarity(home6.text, home4.text), 3),
            }
    report["links"] = [
        {**fetch(target, page.url, v6, follow=False).as_dict(), "depth": page.depth}
        for page in link_sample(target.pages, host)
    ]
    return report


def _skip(report: dict[str, Any], reason: str) -> None:
    report.update(outcome="unknown", reason=reason)
    raise ProbeSkipped(reason, report)


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def lookup(host: str, kind: str, nameserver: tuple[str, int] | None, timeout: float, report: dict) -> list[str]:
    """The host's addresses of `kind` (A or AAAA), [] when it has none; ProbeSkipped when DNS does not answer."""
    resolver = dns.resolver.Resolver(configure=nameserver is None)
    if nameserver is not None:
        resolver.nameservers = [nameserver[0]]
        resolver.port = nameserver[1]
    resolver.timeout = resolver.lifetime = timeout
    try:
        answer = resolver.resolve(host, kind, search=False)
    except (dns.resolver.NoAnswer, dns.resolver.NXDOMAIN):
        return []
    except dns.exception.DNSException as exc:
        _skip(report, f"DNS 查询 {host} 的 {kind} 记录失败：{type(exc).__name__}")
    return list(dict.fromkeys(str(record.address) for record in answer))


def ipv6_route_problem(address: str) -> str:
    """Why this machine cannot reach the IPv6 `address` ("" when it can), without sending a packet.

    A UDP connect only looks the route up; on a host without IPv6 it fails with
    ENETUNREACH. For ``::1`` the question is whether ``::1`` exists here.
    """
    try:
        sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    except OSError as exc:
        return f"本机不支持 IPv6（{exc.strerror or exc}），无法检测 IPv6 支持度"
    with sock:
        try:
            if ipaddress.ip_address(address).is_loopback:
                sock.bind(("::1", 0))
            else:
                sock.connect((address, 53))
        except OSError as exc:
            return f"本机没有到 {address} 的 IPv6 路由（{exc.strerror or exc}），无法检测 IPv6 支持度"
    return ""


def link_sample(pages: tuple[CrawledPage, ...], host: str) -> list[CrawledPage]:
    """The second- and third-level pages to try over IPv6: fetched fine by the crawl, on the site's
    host (the AAAA answer is that host's), at most SAMPLE_PER_LEVEL per level in crawl order."""
    chosen: list[CrawledPage] = []
    for depth in (1, 2):
        level = [
            page
            for page in pages
            if page.depth == depth
            and page.status is not None
            and 200 <= page.status < 400
            and (urlsplit(page.url).hostname or "") == host
        ]
        chosen += list({page.url: page for page in level}.values())[:SAMPLE_PER_LEVEL]
    return chosen


def fetch(target: Target, url: str, address: str, *, follow: bool = True) -> Answer:
    """GET `url` from `address` (same-host redirects followed when `follow`); never raises OSError."""
    answer = Answer(url=url, address=address)
    current = url
    for _hop in range(MAX_REDIRECTS + 1 if follow else 1):
        try:
            status, location, body, charset = _get(target, current, address)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            answer.status, answer.error = None, _error_text(exc)
            return answer
        answer.status, answer.final_url = status, current
        nxt = urljoin(current, location) if location else ""
        if not (300 <= status < 400 and nxt and urlsplit(nxt).hostname == target.host and follow):
            answer.title, answer.text = visible_text(body, charset)
            return answer
        current = nxt
    return answer


def _get(target: Target, url: str, address: str) -> tuple[int, str, bytes, str]:
    """(status, Location, body, the Content-Type's charset) of one GET over a connection the target opens."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    sock = target.connect(address=address) if port == target.port else _refuse_port(port)
    if parts.scheme == "https":  # the certificate is the certificate probe's business
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        sock = context.wrap_socket(sock, server_hostname=target.host)
    connection = http.client.HTTPConnection(target.host, port, timeout=target.options.timeout)
    connection.sock = sock  # already open, under the probe rules
    try:
        headers = {"Host": parts.netloc, "User-Agent": target.options.user_agent or "govsite", "Connection": "close"}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read(MAX_BODY_BYTES)
        charset = response.headers.get_content_charset() or ""
        return response.status, response.getheader("Location") or "", body, charset
    finally:
        connection.close()


def _refuse_port(port: int) -> socket.socket:
    raise ValueError(f"跳转到其他端口（{port}）")


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "连接超时"
    if isinstance(exc, ConnectionRefusedError):
        return "连接被拒绝"
    if isinstance(exc, OSError) and exc.strerror:
        return f"无法连接（{exc.strerror}）"
    return f"{type(exc).__name__}: {exc}"[:200]


def visible_text(body: bytes, charset: str = "") -> tuple[str, str]:
    """(title, visible text) of an HTML body, normalised for comparison: whitespace collapsed, scripts
    and styles dropped, every run of digits read as one "0" (dates, counters, per-request tokens).

    Decoded by the header's `charset`, else by the page's <meta charset> (libxml2), else as UTF-8
    when it is, else as GB18030 (GBK pages are common)."""
    tree = parse_html(_decoded(body, charset))
    if tree is None:
        return "", ""
    title = " ".join((tree.findtext(".//title") or "").split())
    strip_hidden(tree)
    body_element = tree.find("body")
    text = " ".join(" ".join((body_element if body_element is not None else tree).itertext()).split())
    return title[:500], _mask_digits(text)[:100_000]


def _decoded(body: bytes, charset: str) -> str | bytes:
    if charset:
        try:
            return body.decode(charset, errors="replace")
        except LookupError:
            pass
    if b"charset" in body[:2048].lower():
        return body
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("gb18030", errors="replace")


def _mask_digits(text: str) -> str:
    out: list[str] = []
    for char in text:
        if char.isdigit():
            if not out or out[-1] != "0":
                out.append("0")
        else:
            out.append(char)
    return "".join(out)


def text_similarity(first: str, second: str) -> float:
    """Jaccard similarity of the two texts' character shingles: 1.0 for the same text, near 0 for unrelated."""
    a, b = _shingles(first), _shingles(second)
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _shingles(text: str) -> set[str]:
    if len(text) <= SHINGLE:
        return {text} if text else set()
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}

"""The contract of a probe, declared once: the checks that must talk to the site itself.

A detector (`govsite.checks`) reads records and never touches the network. A
probe is the other kind: it opens connections to the site (a certificate
handshake today; availability, IPv6, search and Q&A probes next) and returns
a report, a JSON-able dict that the scan stores beside the crawl records
(`Probe.report`, e.g. ``tls.json``) and that detectors judge like any record.
So a site probed once can be judged again from its archive years later.

A probe is a function `(target: Target) -> dict`, registered with
`@probe(name, *finding_types, report=..., schemes=...)`: the finding types
its report feeds must be in the catalogue (`govsite/findings.py`), as for a
detector. A deployment adds its own under the `govsite.probes` entry-point
group.

A probe never opens a socket itself: it asks its `Target` (`Target.connect`),
which applies in one place the rules every probe obeys:

- the `--loopback-only` rule: with `ProbeOptions.loopback_only` every address
  connected to must be a loopback address (checked after name resolution, on
  the address actually used, not on the URL's spelling);
- politeness: at most `max_connections` connections per probe and target, and
  at least `delay` seconds between two connections to one host (shared by all
  probes of a process, as the crawl's download delay is per site);
- a timeout on every connection (`timeout`, capped by the probe's own limit).

A probe that is refused or fails writes no report: the detectors then judge
without it (as before a probe existed), and the scan's outcome says why. A
probe that cannot run from this machine (`ProbeSkipped`: the IPv6 probe on a
host without an IPv6 route) may leave a report that says so, so that its
detector reports the check as not run rather than as passed or failed.

Most probes run before the crawl; one registered with `after_crawl=True`
runs after it and finds the crawl's in-site pages on `Target.pages` (the
IPv6 probe samples its second- and third-level links there). A probe doing
its own DNS queries asks `Target.nameserver()` where to send them
(`ProbeOptions.dns_server`, under the loopback rule) and connects to the
addresses it got with `Target.connect(address=...)`.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from govsite.crawl.policy import is_loopback
from govsite.findings import FINDING_TYPES
from govsite.sites.origin import DEFAULT_PORTS


class ProbeRefused(RuntimeError):
    """A connection the probe rules forbid (not loopback under --loopback-only, too many connections)."""


class ProbeSkipped(RuntimeError):
    """The probe cannot run from this machine (e.g. no IPv6 route): the message (Chinese) says why.

    `report`, when given, is written all the same, so that the detectors (and a
    re-judge from the archive) know the check could not run, and why.
    """

    def __init__(self, reason: str, report: dict[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.report = report


@dataclass(frozen=True)
class ProbeOptions:
    """What every probe of a run obeys; `govsite.scan` derives them from the crawl policy."""

    timeout: float = 10.0  # seconds, per connection attempt and per read
    loopback_only: bool = False  # tests and the demo: never leave 127.0.0.0/8 (or ::1)
    delay: float = 0.25  # seconds between two connections to one host
    max_connections: int = 10  # per probe and target
    user_agent: str = ""  # for probes that speak HTTP
    dns_server: str = ""  # "address[:port]" answering the probes' DNS queries; "" = the system's nameservers


@dataclass(frozen=True)
class CrawledPage:
    """A page the crawl fetched, as a probe that runs after the crawl sees it."""

    url: str
    depth: int  # 0 the homepage, 1 a page it links to (二级), 2 one more click away (三级)
    status: int | None


class _Pacer:
    """The last connection time per host, so probes of one process space their connections."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}

    def wait(self, host: str, delay: float) -> None:
        with self._lock:
            now = time.monotonic()
            due = self._last.get(host, now - delay) + delay
            self._last[host] = max(now, due)
        if due > now:
            time.sleep(due - now)


PACER = _Pacer()


@dataclass
class Target:
    """One site as a probe sees it, and the only way a probe reaches the network."""

    url: str
    options: ProbeOptions = field(default_factory=ProbeOptions)
    connect_to: str | None = None  # the address to connect to when it is not the host (tests: 127.0.0.1)
    connections: int = 0
    pages: tuple[CrawledPage, ...] = ()  # the crawl's in-site pages, for probes that run after it

    @property
    def scheme(self) -> str:
        return urlsplit(self.url).scheme

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or DEFAULT_PORTS.get(self.scheme, 443)

    def refusal(self) -> str:
        """Why this target may not be probed at all ("" when it may), judged before any connection."""
        if not self.host:
            return f"“{self.url}”没有主机名"
        if self.options.loopback_only and not _loopback_name(self.connect_to or self.host):
            return f"只访问本机地址（--loopback-only）：{self.connect_to or self.host} 不是本机地址"
        return ""

    def connect(self, timeout: float | None = None, *, address: str | None = None) -> socket.socket:
        """A TCP connection to the target, under the probe rules; OSError when it cannot be opened.

        `address`: an IP address the probe resolved itself (the IPv6 probe's own DNS answers), used
        instead of `connect_to` or the host; the loopback rule is applied to it the same way.
        """
        if self.connections >= self.options.max_connections:
            raise ProbeRefused(f"探测连接次数已达上限（{self.options.max_connections} 次）")
        limit = min(timeout or self.options.timeout, self.options.timeout)
        address = address or self.connect_to or self.host
        if self.options.loopback_only:
            # Connect to the checked address itself, so a second lookup cannot lead elsewhere.
            resolved = _resolve(address, self.port)
            outside = outside_loopback(address, resolved)
            if outside:
                raise ProbeRefused(outside)
            address = resolved[0]
        PACER.wait(self.host, self.options.delay)
        self.connections += 1
        connection = socket.create_connection((address, self.port), timeout=limit)
        connection.settimeout(limit)
        return connection

    def nameserver(self) -> tuple[str, int] | None:
        """The DNS server the probe's own queries go to (`ProbeOptions.dns_server`), under the loopback
        rule; None for the system's configured nameservers (refused under --loopback-only)."""
        text = self.options.dns_server.strip()
        if not text:
            if self.options.loopback_only:
                raise ProbeRefused("只访问本机地址（--loopback-only）时须用 --dns-server 指定本机 DNS 服务器")
            return None
        try:
            address, port = parse_nameserver(text)
        except ValueError as exc:
            raise ProbeRefused(str(exc)) from exc
        if self.options.loopback_only and not ipaddress.ip_address(address).is_loopback:
            raise ProbeRefused(f"只访问本机地址（--loopback-only）：DNS 服务器 {address} 不是本机地址")
        return address, port


def parse_nameserver(text: str) -> tuple[str, int]:
    """("::1", 5353) from "[::1]:5353", ("127.0.0.1", 53) from "127.0.0.1", ("::1", 53) from "::1";
    ValueError (Chinese) for anything else."""
    host, port = text.strip(), "53"
    if host.startswith("["):
        host, _, rest = host[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else port
    elif host.count(":") == 1:
        host, _, port = host.partition(":")
    try:
        address, number = str(ipaddress.ip_address(host)), int(port)
    except ValueError:
        address, number = "", 0
    if not address or not 0 < number < 65536:
        raise ValueError(f"DNS 服务器须写成 IP 地址[:端口]（如 127.0.0.1:5353 或 [::1]:53）：{text}")
    return address, number


def _loopback_name(host: str) -> bool:
    """The crawl's loopback rule (crawl/policy.py), asked of a host or address."""
    return is_loopback(f"http://[{host}]/" if ":" in host else f"http://{host}/")


def outside_loopback(address: str, resolved: list[str]) -> str:
    """Why connecting to `address`, resolved to `resolved`, breaks --loopback-only ("" when it does not).

    Judged on the addresses actually connected to, not on the name (the sync `Target.connect` and the
    asyncio availability prober both ask this after their own lookup)."""
    outside = [a for a in resolved if not ipaddress.ip_address(a).is_loopback]
    if outside or not resolved:
        return f"只访问本机地址（--loopback-only）：{address} 解析为 {', '.join(resolved)}"
    return ""


def _resolve(address: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(address, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


ProbeFn = Callable[[Target], dict[str, Any]]


@dataclass(frozen=True)
class Probe:
    name: str
    finding_types: tuple[str, ...]  # what the detectors judging its report may emit
    run: ProbeFn
    report: str  # the file name of its report in the site's folder
    schemes: tuple[str, ...] = ("http", "https")
    doc: str = ""
    after_crawl: bool = False  # runs once the crawl is done, with the crawl's pages (Target.pages)
    max_connections: int | None = None  # the probe's own connection budget (else ProbeOptions')

    def applies(self, target: Target) -> bool:
        return target.scheme in self.schemes


@dataclass(frozen=True)
class ProbeOutcome:
    """What became of one probe on one target: `report` is None when it was skipped or failed."""

    probe: str
    status: str  # "done", "skipped" (rules or scheme), "failed"
    report: dict[str, Any] | None = None
    reason: str = ""  # in Chinese, for the user, when not done


_REGISTRY: dict[str, Probe] = {}


def probe(
    name: str,
    *finding_types: str,
    report: str,
    schemes: tuple[str, ...] = ("http", "https"),
    after_crawl: bool = False,
    max_connections: int | None = None,
) -> Callable[[ProbeFn], ProbeFn]:
    """Register a probe under `name`; its report (file `report`) feeds only `finding_types`.

    `after_crawl`: the probe needs the crawl's pages and runs after the crawl instead of before it;
    `max_connections`: the connections it needs at most on one target (its own cap).
    """
    unknown = [t for t in finding_types if t not in FINDING_TYPES]
    if unknown:
        raise ValueError(f"unknown finding types {unknown} for probe {name}")
    if not finding_types:
        raise ValueError(f"probe {name} feeds no finding type")
    taken = {p.report: p.name for p in _REGISTRY.values() if p.name != name}
    if report in taken:
        raise ValueError(f"probe {name}: report file {report} is already probe {taken[report]}'s")

    def register(fn: ProbeFn) -> ProbeFn:
        doc = (fn.__doc__ or "").strip()
        _REGISTRY[name] = Probe(
            name, tuple(finding_types), fn, report, tuple(schemes), doc, after_crawl, max_connections
        )
        return fn

    return register


def registered_probes() -> list[Probe]:
    """The probes registered so far (`govsite.probes.all_probes` also loads the built-ins and plug-ins)."""
    return list(_REGISTRY.values())


def run_probe(item: Probe, target: Target) -> ProbeOutcome:
    """Run one probe on one target under the rules; a refusal or an error leaves no report."""
    target = replace(target, connections=0)  # the connection cap is per probe
    if item.max_connections is not None:
        target = replace(target, options=replace(target.options, max_connections=item.max_connections))
    if not item.applies(target):
        return ProbeOutcome(item.name, "skipped", reason=f"不适用于 {target.scheme} 网址")
    refusal = target.refusal()
    if refusal:
        return ProbeOutcome(item.name, "skipped", reason=refusal)
    try:
        report = item.run(target)
    except ProbeRefused as exc:
        return ProbeOutcome(item.name, "skipped", reason=str(exc))
    except ProbeSkipped as exc:
        return ProbeOutcome(item.name, "skipped", report=exc.report, reason=str(exc))
    except Exception as exc:  # one broken probe must not cost the site its crawl
        return ProbeOutcome(item.name, "failed", reason=f"探测 {item.name} 出错：{type(exc).__name__}: {exc}")
    if not isinstance(report, dict):
        return ProbeOutcome(item.name, "failed", reason=f"探测 {item.name} 未返回报告（{type(report).__name__}）")
    return ProbeOutcome(item.name, "done", report=report)

"""Availability: does the homepage open within the time limit? One visit per site and round, many sites at once.

The 2019 national inspection indicators (站点无法访问) count visits whose
homepage "still does not open after 15 seconds"; `probe_sites` makes such
visits — a GET of the homepage, redirects followed (at most `max_redirects`),
the body read to its end (or to `MAX_BODY_BYTES`), all within `timeout`
seconds — for many sites with bounded concurrency, and returns one `Attempt`
per site: pure data, judged elsewhere (`govsite.checks.availability`).

The HTTP client is aiohttp: maintained, asyncio-native, already installed
with Scrapy and now declared; with it a worker keeps thousands of visits in
flight in one thread, where the probes' blocking sockets (`Target.connect`)
would need a thread each. The probe rules of `probes/base.py` still hold:
each hop's URL passes `Target.refusal` (the name), and under
`loopback_only` the addresses a name resolves to pass `outside_loopback`
before a connection is opened (a resolver of our own, so aiohttp connects
to exactly the addresses checked). A visit the rules forbid is an attempt
with reason `blocked`, which the rule does not count as a visit.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from govsite.checks.availability import REASONS
from govsite.crawl.policy import USER_AGENT
from govsite.probes.base import ProbeOptions, Target, outside_loopback

DEFAULT_TIMEOUT = 15.0  # seconds: the national rule's "still not open after 15 s"
DEFAULT_CONCURRENCY = 100
MAX_REDIRECTS = 5
MAX_BODY_BYTES = 5 * 1024 * 1024  # a homepage read this far has opened
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class Attempt:
    """One visit of one site's homepage: `ok` when it opened; otherwise `reason` (a code of REASONS)."""

    site: str
    at: datetime  # when the visit began (UTC)
    ok: bool
    reason: str = ""  # a code of checks.availability.REASONS
    elapsed: float = 0.0  # seconds until it opened or failed
    status: int | None = None  # the final HTTP status, when there was one
    detail: str = ""  # the error as the client gave it (for logs), never shown as the reason

    @property
    def label(self) -> str:
        return "正常" if self.ok else REASONS.get(self.reason, self.reason)

    def as_dict(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "at": self.at.isoformat(),
            "ok": self.ok,
            "reason": self.reason,
            "elapsed": round(self.elapsed, 3),
            "status": self.status,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attempt:
        return cls(
            site=str(data["site"]),
            at=datetime.fromisoformat(data["at"]),
            ok=bool(data["ok"]),
            reason=str(data.get("reason") or ""),
            elapsed=float(data.get("elapsed") or 0.0),
            status=data.get("status"),
        )


@dataclass(frozen=True)
class UptimeOptions:
    timeout: float = DEFAULT_TIMEOUT  # seconds per visit, redirects and body included
    concurrency: int = DEFAULT_CONCURRENCY  # visits in flight at once
    loopback_only: bool = False
    user_agent: str = USER_AGENT
    max_redirects: int = MAX_REDIRECTS
    ssl_context: ssl.SSLContext | None = None  # None: the system's trust store, certificates verified
    connect_to: dict[str, str] = field(default_factory=dict)  # host -> address (tests, benchmark)


class LoopbackRefused(OSError):
    """Raised by the resolver for an address outside loopback under --loopback-only."""


class _GuardedResolver(AbstractResolver):
    """Name lookup in a thread (the system's), then the loopback rule on the addresses found."""

    def __init__(self, options: UptimeOptions) -> None:
        self.options = options

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list[ResolveResult]:
        address = self.options.connect_to.get(host, host)
        loop = asyncio.get_running_loop()
        infos = await loop.getaddrinfo(address, port, type=socket.SOCK_STREAM, family=socket.AF_UNSPEC)
        found = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if self.options.loopback_only:
            outside = outside_loopback(address, found)
            if outside:
                raise LoopbackRefused(outside)
        unique = {(info[0], str(info[4][0])): info for info in infos}
        return [
            ResolveResult(hostname=host, host=ip, port=port, family=family, proto=0, flags=socket.AI_NUMERICHOST)
            for family, ip in unique
        ]

    async def close(self) -> None:
        return None


def session(options: UptimeOptions) -> aiohttp.ClientSession:
    """A client session for many visits: no connection reuse (each visit opens its own, as a visitor's would)."""
    connector = aiohttp.TCPConnector(
        limit=options.concurrency,
        limit_per_host=0,
        force_close=True,
        resolver=_GuardedResolver(options),
        use_dns_cache=False,
        ssl=options.ssl_context if options.ssl_context is not None else True,
    )
    return aiohttp.ClientSession(
        connector=connector,
        headers={"User-Agent": options.user_agent},
        cookie_jar=aiohttp.DummyCookieJar(),
        auto_decompress=True,
    )


async def visit(client: aiohttp.ClientSession, site: str, options: UptimeOptions) -> Attempt:
    """One visit of `site`'s homepage under the time limit; never raises for the site's failures."""
    loop = asyncio.get_running_loop()
    at = datetime.now(UTC)
    started = loop.time()
    status: int | None = None

    def attempt(ok: bool, reason: str = "", detail: str = "") -> Attempt:
        return Attempt(site, at, ok, reason, loop.time() - started, status, detail)

    try:
        async with asyncio.timeout(options.timeout):
            url = site
            for _hop in range(options.max_redirects + 1):
                host = urlsplit(url).hostname or ""
                rules = ProbeOptions(loopback_only=options.loopback_only)
                refusal = Target(url, rules, connect_to=options.connect_to.get(host)).refusal()
                if refusal:
                    return attempt(False, "blocked", refusal)
                async with client.get(url, allow_redirects=False) as response:
                    status = response.status
                    location = response.headers.get("Location", "")
                    if status in REDIRECT_STATUSES and location:
                        url = urljoin(url, location)
                        if urlsplit(url).scheme not in ("http", "https"):
                            return attempt(False, "redirects", f"redirect to {url}")
                        continue
                    await _read_body(response)
                if status >= 500:
                    return attempt(False, "http_5xx")
                if status >= 400:
                    return attempt(False, "http_4xx")
                return attempt(True)
            return attempt(False, "redirects", f"more than {options.max_redirects} redirects")
    except TimeoutError:
        return attempt(False, "timeout")
    except aiohttp.ClientError as exc:
        return attempt(False, *_client_error(exc))
    except (OSError, ValueError) as exc:  # an invalid URL, a socket error outside aiohttp's wrapping
        return attempt(False, "connect", f"{type(exc).__name__}: {exc}")


async def _read_body(response: aiohttp.ClientResponse) -> None:
    read = 0
    async for chunk in response.content.iter_chunked(64 * 1024):
        read += len(chunk)
        if read >= MAX_BODY_BYTES:
            break


def _client_error(exc: aiohttp.ClientError) -> tuple[str, str]:
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        if isinstance(exc.os_error, LoopbackRefused):
            return "blocked", str(exc.os_error)
        return "dns", detail
    if isinstance(exc, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError):
        return "tls", detail
    if isinstance(exc, aiohttp.ClientConnectorError):
        if isinstance(exc.os_error, ConnectionRefusedError):
            return "refused", detail
        if isinstance(exc.os_error, ssl.SSLError):
            return "tls", detail
        return "connect", detail
    if isinstance(exc, aiohttp.ServerTimeoutError):
        return "timeout", detail
    if isinstance(exc, aiohttp.TooManyRedirects | aiohttp.InvalidURL):
        return "redirects", detail
    return "protocol", detail


async def probe_sites(
    sites: Iterable[str],
    options: UptimeOptions | None = None,
    *,
    on_attempt: Callable[[Attempt], object] | None = None,
) -> list[Attempt]:
    """Visit every site once, at most `options.concurrency` at a time; the attempts in the order of `sites`."""
    options = options or UptimeOptions()
    gate = asyncio.Semaphore(options.concurrency)

    async def one(client: aiohttp.ClientSession, site: str) -> Attempt:
        async with gate:
            result = await visit(client, site, options)
        if on_attempt is not None:
            on_attempt(result)
        return result

    async with session(options) as client:
        return list(await asyncio.gather(*(one(client, site) for site in sites)))


def probe_round(sites: Iterable[str], options: UptimeOptions | None = None, **kwargs: Any) -> list[Attempt]:
    """`probe_sites` for synchronous callers (the CLI, a Celery task, a management command).

    A caller whose thread already runs an event loop (an async view, a notebook, Playwright's sync
    API in a test session) cannot use asyncio.run there: the round then gets a thread of its own.
    """

    def round_() -> list[Attempt]:
        return asyncio.run(probe_sites(list(sites), options, **kwargs))

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return round_()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="govsite-uptime") as pool:
        return pool.submit(round_).result()

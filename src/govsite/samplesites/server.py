"""Serve generated sites on 127.0.0.1, with the behaviours real government sites have.

`SampleSiteServer(site_dir)` serves one generated site (its www/ files,
per its server.json): Content-Type with or without charset, the spec's
security headers and Server header, HEAD, and the dynamic behaviours the
truth describes — a slow page, a redirect loop, an endless calendar (spider
trap), a URL that hangs (bounded, cut short on stop), a page streaming more
than 12 MB, 500 pages, and 404 or soft-404 (200 + 页面不存在) for unknown
paths. Links to other sites are written as `spec.EXTERNAL_PLACEHOLDER` and
rewritten in every HTML response to the `ExternalServer` the site server
was given (or started itself).

`ExternalServer` plays "other sites": /ok/ 200, /gone/ 404, /error/ 500,
/head405/ 405 to HEAD but 200 to GET, /moved/ 301 to /ok/, /timeout/ never
answers (bounded), /conac/ the 党政机关 mark's page and image.

`SampleServers(sample_dir)` serves every site of a generated sample (one
port each) plus one external server; `serve(root)` does that until Ctrl-C.

Everything binds 127.0.0.1 only (another host is refused), port 0 picks a
free port. Not for: generating sites, or anything facing a real network.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import threading
from collections.abc import Callable
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from govsite.samplesites import files
from govsite.samplesites.generate import SAMPLE_FILE, SERVER_FILE, WWW
from govsite.samplesites.spec import (
    EXTERNAL_CONAC,
    EXTERNAL_ERROR,
    EXTERNAL_GONE,
    EXTERNAL_HEAD_405,
    EXTERNAL_MOVED,
    EXTERNAL_OK,
    EXTERNAL_TIMEOUT,
)
from govsite.samplesites.truth import Truth

LOOPBACK = "127.0.0.1"
MAX_HANG_SECONDS = 60.0
CALENDAR_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\.html")


def _check_host(host: str) -> None:
    if host != LOOPBACK:
        raise ValueError(f"sample servers bind {LOOPBACK} only, not {host!r}")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    owner: Any = None


class _LoopbackServer:
    """A ThreadingHTTPServer on 127.0.0.1 run in a background thread; a context manager."""

    handler: type[BaseHTTPRequestHandler]

    def __init__(self, host: str = LOOPBACK, port: int = 0, quiet: bool = True) -> None:
        _check_host(host)
        self.quiet = quiet
        self.stop_event = threading.Event()
        self.httpd = _HTTPServer((host, port), self.handler)
        self.httpd.owner = self
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return self.httpd.server_address[0]

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def url(self) -> str:
        """Base URL without a trailing slash: `server.url + "/path"`."""
        return f"http://{self.host}:{self.port}"

    def start(self) -> _LoopbackServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self.httpd.serve_forever,
                kwargs={"poll_interval": 0.1},
                daemon=True,
                name=f"{type(self).__name__}:{self.port}",
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()  # wakes hanging and slow handlers
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.httpd.server_close()

    def wait(self, seconds: float) -> None:
        self.stop_event.wait(min(seconds, MAX_HANG_SECONDS))

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server_version = "nginx"

    def version_string(self) -> str:
        return self.server_version

    @property
    def owner(self) -> Any:
        return self.server.owner  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        if not self.owner.quiet:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self.respond(head=False)

    def do_HEAD(self) -> None:
        self.respond(head=True)

    def respond(self, head: bool) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def extra_headers(self) -> dict[str, str]:
        return {}

    def send(self, status: int, body: bytes, content_type: str, head: bool, headers: dict[str, str] | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in {**self.extra_headers(), **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    def hang(self, seconds: float) -> None:
        """Accept the request and answer nothing; close after `seconds` (bounded) or on stop."""
        self.owner.wait(seconds)
        self.close_connection = True


class _SiteHandler(_Handler):
    def version_string(self) -> str:
        return self.owner.config["server_header"]

    def extra_headers(self) -> dict[str, str]:
        return dict(self.owner.config["security_headers"])

    def respond(self, head: bool) -> None:
        site: SampleSiteServer = self.owner
        site.gate.pass_through(site.stop_event)
        config = site.config
        parts = urlsplit(self.path)
        path = parts.path
        if path in config["hang"]:
            self.hang(float(config["hang"][path]))
            return
        if path in config["slow"]:
            site.wait(float(config["slow"][path]))
        if path in config["redirects"]:
            self.send(302, b"", site.html_type, head, {"Location": config["redirects"][path]})
            return
        if path in config["errors"]:
            status = int(config["errors"][path])
            body = site.encode(
                "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body>"
                "<h1>500 Internal Server Error</h1><p>系统繁忙，请稍后再试。</p></body></html>"
            )
            self.send(status, body, site.html_type, head)
            return
        prefix = config.get("calendar_prefix")
        if prefix and path.startswith(prefix):
            body = site.calendar_page(path[len(prefix) :], parts.query)
            if body is not None:
                self.send(200, body, site.html_type, head)
                return
        if path in config["oversize"]:
            self.stream_oversize(int(config["oversize"][path]), head)
            return
        answer = site.jpage_answer(path, parts.query)
        if answer is not None:
            self.send(200, answer.read_bytes(), site.html_type, head)
            return
        target = site.resolve(path)
        if target == "redirect":
            self.send(301, b"", site.html_type, head, {"Location": path + "/"})
            return
        if target is not None:
            body, content_type = site.file_response(target)
            self.send(200, body, content_type, head)
            return
        self.send(200 if config["soft_404"] else 404, site.not_found_body(), site.html_type, head)

    def stream_oversize(self, total: int, head: bool) -> None:
        site: SampleSiteServer = self.owner
        self.send_response(200)
        self.send_header("Content-Type", site.html_type)
        for name, value in self.extra_headers().items():
            self.send_header(name, value)
        self.end_headers()
        if head:
            return
        opening = site.encode("<!DOCTYPE html><html><head><title>统计年鉴全文</title></head><body><table>\n")
        row = site.encode("<tr><td>地区生产总值</td><td>1234.56</td><td>同比增长5.2%</td></tr>\n")
        chunk = row * max(1, 65536 // len(row))
        sent = 0
        try:
            self.wfile.write(opening)
            sent += len(opening)
            while sent < total and not site.stop_event.is_set():
                self.wfile.write(chunk)
                sent += len(chunk)
            self.wfile.write(b"</table></body></html>\n")
        except (BrokenPipeError, ConnectionResetError):
            pass


class Gate:
    """Holds a site's requests after a budget, until opened: lets a test catch a crawl mid-way without slowing it.

    `close_after(n)` lets n more requests through and holds every later one;
    `held` counts the requests waiting; `open()` lets them all go (so does the
    server stopping). Open by default: a served site never waits.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open = threading.Event()
        self._open.set()
        self._budget = 0
        self.held = 0

    def close_after(self, requests: int) -> None:
        with self._lock:
            self._budget = requests
            self._open.clear()

    def open(self) -> None:
        self._open.set()

    def pass_through(self, stop: threading.Event) -> None:
        if self._open.is_set():
            return
        with self._lock:
            if self._budget > 0:
                self._budget -= 1
                return
            self.held += 1
        while not (self._open.wait(0.1) or stop.is_set()):
            pass
        with self._lock:
            self.held -= 1


class SampleSiteServer(_LoopbackServer):
    """Serve one generated site directory (the one holding www/, server.json, truth.json)."""

    handler = _SiteHandler

    def __init__(
        self,
        root: Path,
        host: str = LOOPBACK,
        port: int = 0,
        external_url: str | None = None,
        quiet: bool = True,
        hang_seconds: float | None = None,
    ) -> None:
        _check_host(host)
        self.root = Path(root)
        config_file = self.root / SERVER_FILE
        if not config_file.is_file():
            hint = " (a sample: use SampleServers or serve())" if (self.root / SAMPLE_FILE).exists() else ""
            raise FileNotFoundError(f"{config_file} not found: not a generated site{hint}")
        self.config: dict[str, Any] = json.loads(config_file.read_text(encoding="utf-8"))
        if hang_seconds is not None:
            self.config["hang"] = {path: hang_seconds for path in self.config["hang"]}
        self.www = (self.root / WWW).resolve()
        self.encoding = self.config["encoding"]
        charset = "utf-8" if self.encoding == "utf-8" else "GBK"
        self.html_type = f"text/html; charset={charset}" if self.config["charset_header"] else "text/html"
        self._own_external: ExternalServer | None = None
        if external_url is None:
            external_hang = hang_seconds if hang_seconds is not None else 8.0
            self._own_external = ExternalServer(host=host, quiet=quiet, hang_seconds=external_hang)
            external_url = self._own_external.url
        self.external_url = external_url.rstrip("/")
        self._placeholder = self.config["external_placeholder"].encode("ascii")
        self._external_bytes = self.external_url.encode("ascii")
        self._self_placeholder = self.config.get("self_placeholder", "").encode("ascii")
        self.gate = Gate()
        try:
            super().__init__(host, port, quiet)
        except BaseException:
            if self._own_external is not None:
                self._own_external.stop()
            raise

    @property
    def truth(self) -> Truth:
        return Truth.load(self.root)

    def start(self) -> SampleSiteServer:
        if self._own_external is not None:
            self._own_external.start()
        super().start()
        return self

    def stop(self) -> None:
        super().stop()
        if self._own_external is not None:
            self._own_external.stop()

    def absolute(self, truth_path: str) -> str:
        """A truth path ("/x.html" or "external:/y") as an absolute URL on these servers."""
        from govsite.samplesites.truth import absolute

        return absolute(truth_path, self.url, self.external_url)

    # -- responses ---------------------------------------------------------------------------

    def encode(self, text: str) -> bytes:
        return text.encode(self.encoding)

    def resolve(self, raw_path: str) -> Path | str | None:
        path = unquote(raw_path)
        if "\x00" in path:
            return None
        relative = path.lstrip("/")
        target = (self.www / relative).resolve() if relative else self.www
        if not target.is_relative_to(self.www):
            return None
        if target.is_dir():
            if not path.endswith("/"):
                return "redirect"
            target = target / "index.html"
        return target if target.is_file() else None

    def jpage_answer(self, path: str, query: str) -> Path | None:
        """Hanweb's dataproxy.jsp: the answer file for the request's columnid and startrecord (a JSP
        answers with the default text/html type), None for any other request."""
        proxy = self.config.get("jpage_proxy") or {}
        if path != proxy.get("path"):
            return None
        params = parse_qs(query)
        key = f"{params.get('columnid', [''])[0]}|{params.get('startrecord', [''])[0]}"
        name = proxy.get("files", {}).get(key)
        target = self.resolve(name) if name else None
        return target if isinstance(target, Path) else None

    def file_response(self, target: Path) -> tuple[bytes, str]:
        body = target.read_bytes()
        content_type = files.CONTENT_TYPES.get(target.suffix.lower(), "application/octet-stream")
        if content_type == "text/html":
            body = body.replace(self._placeholder, self._external_bytes)
            if self._self_placeholder:
                body = body.replace(self._self_placeholder, self.url.removeprefix("http:").encode("ascii") + b"/")
            return body, self.html_type
        return body, content_type

    def not_found_body(self) -> bytes:
        return (self.root / self.config["not_found"]).read_bytes().replace(self._placeholder, self._external_bytes)

    def calendar_page(self, name: str, query: str) -> bytes | None:
        match = CALENDAR_RE.fullmatch(name)
        if not match:
            return None
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
        raw_page = parse_qs(query).get("page", ["1"])[0]
        page = int(raw_page) if raw_page.isdigit() and len(raw_page) < 9 else 1
        prefix = self.config["calendar_prefix"]
        links = []
        if day > date.min:
            links.append(f'<a href="{prefix}{day - timedelta(days=1)}.html">上一天</a>')
        if day < date.max:
            links.append(f'<a href="{prefix}{day + timedelta(days=1)}.html">下一天</a>')
        links.append(f'<a href="{prefix}{day}.html?page={page + 1}">下一页</a>')
        meta = (
            '<meta charset="utf-8">'
            if self.encoding == "utf-8"
            else ('<meta http-equiv="Content-Type" content="text/html; charset=gbk">')
        )
        site = html.escape(self.config["site"])
        return self.encode(
            f"<!DOCTYPE html><html><head>{meta}<title>活动日历 {day} - {site}</title></head><body>"
            '<div class="calendar"><h1>活动日历</h1>'
            f"<p>{day.year}年{day.month:02d}月{day.day:02d}日 第{page}页："
            f'暂无活动安排。</p><p>{" ".join(links)}</p><p><a href="/">返回首页</a></p></div></body></html>'
        )


class _ExternalHandler(_Handler):
    def respond(self, head: bool) -> None:
        path = urlsplit(self.path).path
        page = (
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>外部网站</title></head>'
            "<body><h1>外部网站</h1><p>这是本地模拟的外部网站页面。</p></body></html>"
        ).encode()
        html_type = "text/html; charset=utf-8"
        if path.startswith(EXTERNAL_TIMEOUT):
            self.hang(self.owner.hang_seconds)
        elif path.startswith(EXTERNAL_OK):
            self.send(200, page, html_type, head)
        elif path.startswith(EXTERNAL_CONAC):
            if path.endswith(".png"):
                self.send(200, files.png_bytes(), "image/png", head)
            else:
                body = (
                    '<html><head><meta charset="utf-8"><title>党政机关网站标识</title></head><body>'
                    "<p>该网站为党政机关网站。</p></body></html>"
                )
                self.send(200, body.encode(), html_type, head)
        elif path.startswith(EXTERNAL_HEAD_405):
            if head:
                self.send(405, b"", html_type, head, {"Allow": "GET"})
            else:
                self.send(200, page, html_type, head)
        elif path.startswith(EXTERNAL_MOVED):
            self.send(301, b"", html_type, head, {"Location": EXTERNAL_OK + path[len(EXTERNAL_MOVED) :]})
        elif path.startswith(EXTERNAL_ERROR):
            self.send(500, b"<h1>500 Internal Server Error</h1>", html_type, head)
        elif path.startswith(EXTERNAL_GONE):
            self.send(404, b"<h1>404 Not Found</h1>", html_type, head)
        else:
            self.send(404, b"<h1>404 Not Found</h1>", html_type, head)


class ExternalServer(_LoopbackServer):
    """'Other sites' on another 127.0.0.1 port; what a path answers depends on its first segment."""

    handler = _ExternalHandler

    def __init__(self, host: str = LOOPBACK, port: int = 0, quiet: bool = True, hang_seconds: float = 8.0) -> None:
        self.hang_seconds = min(hang_seconds, MAX_HANG_SECONDS)
        super().__init__(host, port, quiet)


class SampleServers:
    """Every site of a generated sample on its own port, plus one shared ExternalServer."""

    def __init__(self, root: Path, host: str = LOOPBACK, quiet: bool = True, hang_seconds: float | None = None) -> None:
        self.root = Path(root)
        _check_host(host)
        listing = self.root / SAMPLE_FILE
        if listing.is_file():
            slugs = [s["slug"] for s in json.loads(listing.read_text(encoding="utf-8"))["sites"]]
            dirs = [(slug, self.root / slug) for slug in slugs]
        elif (self.root / SERVER_FILE).is_file():
            dirs = [(self.root.name, self.root)]
        else:
            raise FileNotFoundError(f"{self.root}: neither a sample ({SAMPLE_FILE}) nor a site ({SERVER_FILE})")
        external_hang = hang_seconds if hang_seconds is not None else 8.0
        self.external = ExternalServer(host=host, quiet=quiet, hang_seconds=external_hang)
        self.sites: dict[str, SampleSiteServer] = {
            slug: SampleSiteServer(
                path, host=host, external_url=self.external.url, quiet=quiet, hang_seconds=hang_seconds
            )
            for slug, path in dirs
        }

    def urls(self) -> dict[str, str]:
        return {slug: server.url for slug, server in self.sites.items()}

    def start(self) -> SampleServers:
        self.external.start()
        for server in self.sites.values():
            server.start()
        return self

    def stop(self) -> None:
        for server in self.sites.values():
            server.stop()
        self.external.stop()

    def __enter__(self) -> SampleServers:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(
    root: Path, host: str = LOOPBACK, echo: Callable[[str], None] = print, stop: threading.Event | None = None
) -> int:
    """Serve a generated sample (or one site) until Ctrl-C (or `stop` is set), printing the URLs."""
    servers = SampleServers(Path(root), host=host, quiet=True)
    with servers:
        for slug, server in servers.sites.items():
            echo(f"{slug}\t{server.config['site']}\t{server.url}/")
        echo(f"external\t外部网站\t{servers.external.url}/")
        echo("按 Ctrl-C 停止 / press Ctrl-C to stop")
        try:
            if stop is not None:
                stop.wait()
            else:
                _wait_forever()
        except KeyboardInterrupt:
            echo("stopped")
    return 0


def _wait_forever() -> None:
    event = threading.Event()
    while not event.wait(3600):
        pass

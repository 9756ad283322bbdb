"""The one loopback HTTP server of the tests: a site on 127.0.0.1 made of given routes.

`RouteServer(routes)` answers GET, HEAD and POST for `routes[path]` (the path
percent-decoded, the query dropped) and 404 for every other path; `routes` may
change while it runs. A route is a function of the request handler; `reply`
and `html_page` build the usual ones. Pass `ssl_context` for an https site,
`host="::1"` for a site on IPv6 loopback and `port` for a given port (the
IPv6 tests serve one name on 127.0.0.1 and ::1 at the same port).
Importable from every test folder (tests/ is on the path: its conftest.py).
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

Route = Callable[[BaseHTTPRequestHandler], None]


def reply(status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8", headers: dict | None = None):
    """A route answering `status` with `body` (no body for HEAD) and the given extra headers."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(body)

    return handle


def html_page(body: str, status: int = 200) -> Route:
    """A route answering an HTML page in UTF-8."""
    return reply(status, body.encode("utf-8"))


class RouteServer:
    """ThreadingHTTPServer on 127.0.0.1 (or ::1) answering `routes[path]` (percent-decoded), 404 otherwise."""

    def __init__(
        self,
        routes: dict[str, Route],
        ssl_context: ssl.SSLContext | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.routes = routes
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                route = owner.routes.get(unquote(self.path.split("?")[0]))
                if route is None:
                    self.send_error(404)
                else:
                    route(self)

            do_HEAD = do_GET
            do_POST = do_GET  # a webhook receiver's route reads the body itself

            def log_message(self, *args) -> None:
                pass

        if host not in ("127.0.0.1", "::1"):
            raise ValueError(f"tests serve on loopback only, not {host}")
        server_class = _Ipv6Server if host == "::1" else ThreadingHTTPServer
        self.server = server_class((host, port), Handler)
        scheme = "http"
        if ssl_context is not None:
            self.server.socket = ssl_context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.port = self.server.server_address[1]
        netloc = f"[{host}]" if ":" in host else host
        self.url = f"{scheme}://{netloc}:{self.port}/"

    def __enter__(self) -> RouteServer:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Ipv6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6

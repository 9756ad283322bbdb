"""Helpers for scan tests: the CLI run as a process, findings read back, tiny loopback servers.

Scrapy's reactor starts once per process, so every scan runs `govsite scan`
in a subprocess, as a user would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

AS_OF = "2025-11-30"
# Test timings: the hanging URL must outlast the crawler's timeout, the slow page must exceed slow-ms.
TIMEOUT_S = 8
HANG_S = 12
FAST_OPTIONS = [
    "--loopback-only",
    "--timeout",
    str(TIMEOUT_S),
    "--retries",
    "0",
    "--delay",
    "0",
    "--no-autothrottle",
    "--slow-ms",
    "1000",
    "--as-of",
    AS_OF,
]


def run_govsite(*args: str, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "GOVSITE_LOOPBACK_ONLY": "1"}
    return subprocess.run(
        [sys.executable, "-m", "govsite.cli", *args], capture_output=True, text=True, timeout=timeout, env=env, **kwargs
    )


def read_findings(out: Path) -> list[dict]:
    path = out / "findings.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


class RouteHandler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, Callable[[BaseHTTPRequestHandler], None]]] = {}

    def do_GET(self) -> None:
        handler = self.routes.get(self.path.split("?")[0])
        if handler is None:
            self.send_error(404)
        else:
            handler(self)

    do_HEAD = do_GET

    def log_message(self, *args) -> None:
        pass


def reply(status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8", headers: dict | None = None):
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

"""Fixtures for scan tests: generated sample sites served on 127.0.0.1, one shared full scan."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from scanhelpers import FAST_OPTIONS, HANG_S, RouteHandler, run_govsite

from govsite.samplesites.generate import generate_sample
from govsite.samplesites.measure import served


@pytest.fixture(scope="session")
def sample_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sample")
    generate_sample(root)
    return root


@pytest.fixture(scope="session")
def sample_servers(sample_root) -> Iterator:
    with served(sample_root, hang_seconds=HANG_S) as servers:
        yield servers


@pytest.fixture(scope="session")
def sample_urls(sample_servers) -> list[str]:
    return [url + "/" for url in sample_servers.urls().values()]


@pytest.fixture(scope="session")
def full_scan(sample_urls, tmp_path_factory) -> Path:
    """One uninterrupted scan of the three default sample sites, shared by the tests that read it."""
    out = tmp_path_factory.mktemp("scan")
    result = run_govsite("scan", *sample_urls, "--out", str(out), *FAST_OPTIONS)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture
def route_server():
    """A loopback server answering given paths with given handlers."""
    servers = []

    def start(routes: dict[str, Callable[[BaseHTTPRequestHandler], None]]) -> str:
        handler = type("Handler", (RouteHandler,), {"routes": routes})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()

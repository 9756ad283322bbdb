"""Fixtures for scan tests: generated sites served on 127.0.0.1, one shared full scan."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from scanhelpers import FAST_OPTIONS, HANG_S, run_govsite

from govsite.samplesites.generate import generate_sample
from govsite.samplesites.measure import served
from loopback import Route, RouteServer


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
    """One uninterrupted scan of the three default generated sites, shared by the tests that read it."""
    out = tmp_path_factory.mktemp("scan")
    result = run_govsite("scan", *sample_urls, "--out", str(out), *FAST_OPTIONS)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture
def route_server():
    """Start a loopback server answering given paths with given handlers; its base URL, no trailing slash."""
    servers: list[RouteServer] = []

    def start(routes: dict[str, Route]) -> str:
        server = RouteServer(routes).__enter__()
        servers.append(server)
        return server.url.rstrip("/")

    yield start
    for server in servers:
        server.__exit__(None, None, None)

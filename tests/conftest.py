"""Shared test helpers: score sheets written as real files, read through the real path; the one browser;
the one logged-in test client (`client_for(user)`: modules do not define their own).

Browser tests (tests/e2e, and a few in tests/web) drive Debian's chromium through
Playwright against pytest-django's live_server. Playwright's own browser download
cannot run here (no internet), so the system chromium is used; scripts/system-deps.sh
installs it. The flags keep chromium from reaching for the network at start-up.
"""

from __future__ import annotations

import atexit
import csv
import os
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest

from govsite.frameworks import Framework


def write_sheet(
    path: Path,
    framework: Framework,
    shares: dict[str, Decimal],
    *,
    bonus: dict[str, Decimal] | None = None,
    encoding: str = "utf-8",
    extra: dict[str, dict[str, str]] | None = None,
) -> Path:
    """A CSV where every leaf of site S scores weight × shares[S]."""
    leaves = list(framework.leaves())
    extra = extra or {}
    extra_columns = sorted({k for cols in extra.values() for k in cols})
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["site", *extra_columns, *[leaf.code for leaf in leaves], "bonus"])
        for site, share in shares.items():
            writer.writerow(
                [
                    site,
                    *[extra.get(site, {}).get(c, "") for c in extra_columns],
                    *[str(leaf.weight * share) for leaf in leaves],
                    str((bonus or {}).get(site, "")),
                ]
            )
    return path


@pytest.fixture
def sheet_writer(tmp_path: Path):
    def make(framework: Framework, shares, name: str = "scores.csv", **kwargs) -> Path:
        return write_sheet(tmp_path / name, framework, shares, **kwargs)

    return make


@pytest.fixture
def client_for(db):
    """`client_for(user)`: a Django test client logged in as `user`."""
    from django.test import Client

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


CHROMIUM = os.environ.get("GOVSITE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the test are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _file_test_database() -> None:
    """Give the test session a SQLite *file* instead of the shared in-memory database.

    In the browser tests a job runs in a thread of the live server while the
    browser's requests write their sessions in others. SQLite's shared-cache
    memory database answers two writers at once with "database table is
    locked" at once (no busy timeout there), which fails the request or the
    job at random; a file waits for the lock as the embedded deployment
    does. Set at import, before the session creates its test database, so it
    holds for every test of a session that includes these.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3"):
        return
    test = database.setdefault("TEST", {})
    if not test.get("NAME"):
        folder = tempfile.mkdtemp(prefix="govsite-e2e-db-")
        test["NAME"] = str(Path(folder) / "test.sqlite3")
        atexit.register(shutil.rmtree, folder, True)


_file_test_database()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"没有找到 chromium（{CHROMIUM}）：请运行 bash scripts/system-deps.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`make test` runs two processes), keep what shares expensive fixtures together.

    Each test file is one group (its module fixtures are built once); the
    distributed tests share one PostgreSQL database, Redis database and served
    sample for the session, and the browser tests one chromium, so each of
    those folders is one group too.
    """
    shared = {"worker", "e2e"}
    for item in items:
        parts = Path(item.fspath).parts
        folder = parts[parts.index("tests") + 1] if "tests" in parts else ""
        group = folder if folder in shared else item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))

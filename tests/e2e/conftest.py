"""Browser tests: Debian's chromium driven by Playwright against the app on 127.0.0.1 (pytest-django's live_server).

Playwright's own browser download cannot run here (no internet), so the
system chromium is used; scripts/system-deps.sh installs it. The flags keep
chromium from reaching for the network at start-up.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# The `browser` fixture and the file-backed SQLite test database live in tests/conftest.py: one
# Playwright instance per test session (a second sync_playwright inside the first's loop fails).


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def login(page, live_server):
    """Log a user in through the real login form; returns the page."""

    def _login(username: str, password: str = PASSWORD):
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    return _login


# -- shared by the journey and the hostile-content tests -------------------------------------------

PASSWORD = "pw-e2e-123456"
PUBLIC_SHOTS = Path(os.environ.get("GOVSITE_SHOTS", "/tmp/govsite-shots"))
VIEWPORT = {"width": 1366, "height": 860}  # a survey officer's laptop


@pytest.fixture
def private_data(settings, tmp_path):
    """Job folders and uploads in the test's own folder; a fast password hasher."""
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "uploads"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.DATA_DIR


@pytest.fixture
def make_user(db):
    """make_user(username, full name, *permission codenames) → a user who logs in with PASSWORD."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    def _make(username: str, name: str, *permissions: str):
        user = get_user_model().objects.create_user(username, f"{username}@example.gov.cn", PASSWORD, first_name=name)
        for codename in permissions:
            user.user_permissions.add(Permission.objects.get(codename=codename))
        return user

    return _make


@pytest.fixture
def open_as(browser, live_server):
    """open_as(username) → a page of a fresh browser context, logged in through the login form."""
    contexts = []

    def _open(username: str, password: str = PASSWORD):
        context = browser.new_context(locale="zh-CN", viewport=VIEWPORT)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "/login/" not in page.url, f"{username} 登录失败"
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def shoot(tmp_path, request):
    """shoot(page, name) → a full-page PNG under tmp_path/shots, copied to /tmp/govsite-shots/ for people to look at."""
    folder = tmp_path / "shots"
    folder.mkdir(exist_ok=True)
    prefix = request.node.name.removeprefix("test_")[:24]
    counter = iter(range(1, 1000))

    def _shoot(page, name: str) -> Path:
        page.wait_for_load_state("networkidle")
        path = folder / f"{prefix}-{next(counter):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        try:
            PUBLIC_SHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, PUBLIC_SHOTS / path.name)
        except OSError:  # a read-only /tmp must not fail the test
            pass
        return path

    return _shoot

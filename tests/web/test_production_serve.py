"""`govsite serve --production` over TLS on loopback (a trustme certificate), checked by govsite's own
security detectors: the login page, logged-in pages and a static file, fetched as the crawl would
record them, report no missing_security_header and no server_banner; HSTS is checked because it is https."""

from __future__ import annotations

import http.cookiejar
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date

import pytest
import trustme
from test_secure_defaults import PRODUCTION_ENV, clean_env

from govsite.checks.base import CheckConfig, SiteCrawl
from govsite.checks.security import check_headers, check_transport
from govsite.crawl.records import FetchRecord

PASSWORD = "Prod-serve-9x7!"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("production")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert.private_key_and_cert_chain_pem.write_to_path(str(folder / "server.pem"))
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    port = free_port()
    env = clean_env(
        folder / "data",
        **{
            **PRODUCTION_ENV,
            "GOVSITE_PROXY_SSL_HEADER": "",  # gunicorn terminates TLS itself: no proxy
            "GOVSITE_ALLOWED_HOSTS": "127.0.0.1",
            "GOVSITE_BIND": f"127.0.0.1:{port}",
            "GOVSITE_WORKERS": "2",
            "GOVSITE_TLS_CERT": str(folder / "server.pem"),
            "GOVSITE_TLS_KEY": str(folder / "server.pem"),
        },
    )
    log = (folder / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "govsite.cli", "serve", "--production"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    context = ssl.create_default_context(cafile=str(folder / "ca.pem"))
    base = f"https://127.0.0.1:{port}"
    try:
        _wait_for(base, context, process, folder)
        user = subprocess.run(
            [
                sys.executable,
                "-m",
                "govsite.cli",
                "manage",
                "createuser",
                "chief",
                "--password",
                PASSWORD,
                "--superuser",
                "--can-create-surveys",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert user.returncode == 0, user.stdout + user.stderr
        yield base, context
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_for(base: str, context: ssl.SSLContext, process: subprocess.Popen, folder) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("govsite serve --production 退出：" + (folder / "serve.log").read_text()[-3000:])
        try:
            urllib.request.urlopen(f"{base}/login/", context=context, timeout=5)
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.5)
    pytest.fail("govsite serve --production 未在 120 秒内应答")


def opener(context: ssl.SSLContext) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=context), urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def fetch_record(browser, url: str) -> tuple[FetchRecord, bytes]:
    """One GET as the crawl records it (status, final URL, lower-case headers)."""
    with browser.open(url, timeout=30) as response:
        body = response.read()
        headers = {name.lower(): value for name, value in response.headers.items()}
        record = FetchRecord(
            url,
            "page",
            status=response.status,
            final_url=response.url,
            headers=headers,
            content_type=headers.get("content-type", ""),
            size=len(body),
        )
    return record, body


def log_in(browser, base: str) -> None:
    _, body = fetch_record(browser, f"{base}/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "chief", "password": PASSWORD})
    request = urllib.request.Request(f"{base}/login/", data=data.encode(), headers={"Referer": f"{base}/login/"})
    with browser.open(request, timeout=30) as response:
        assert "/login/" not in response.url, "登录失败"


def findings_for(record: FetchRecord) -> list:
    crawl = SiteCrawl(site=record.url, config=CheckConfig(as_of=date.today()), fetches={record.url: record})
    return [*check_headers(crawl), *check_transport(crawl)]


def test_pages_pass_govsite_own_security_checks_over_https(server):
    base, context = server
    browser = opener(context)
    anonymous, _ = fetch_record(browser, f"{base}/login/")
    log_in(browser, base)
    pages = [anonymous] + [fetch_record(browser, f"{base}{path}")[0] for path in ("/", "/surveys/new/", "/admin/")]
    for record in pages:
        assert record.status == 200 and record.final_url.startswith("https://")
        assert "/login/" not in record.final_url or record is anonymous, record.final_url
        assert findings_for(record) == [], (record.url, [f.evidence for f in findings_for(record)])
        headers = record.headers
        assert "max-age=31536000" in headers["strict-transport-security"]
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert headers["referrer-policy"] == "same-origin"
        assert "camera=()" in headers["permissions-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert "secure" in headers.get("set-cookie", "secure").lower()


def test_static_files_are_served_hashed_and_cached(server):
    base, context = server
    browser = opener(context)
    _, body = fetch_record(browser, f"{base}/login/")
    css = re.search(rb'href="(/static/govsite/app\.[0-9a-f]{12}\.css)"', body)
    assert css, "页面应引用带哈希的静态文件名"
    record, content = fetch_record(browser, f"{base}{css.group(1).decode()}")
    assert record.status == 200 and b"{" in content
    assert "max-age=315360000" in record.headers.get("cache-control", "")
    assert findings_for(record) == []

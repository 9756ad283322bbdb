"""An https site with a certificate nobody trusts is crawled, and reported as tls_invalid."""

from __future__ import annotations

import ssl

import pytest
import trustme
from scanhelpers import read_findings, run_govsite

from loopback import RouteServer, reply

pytestmark = pytest.mark.slow


@pytest.fixture
def untrusted_https_site():
    ca = trustme.CA()  # a private CA: not in the system trust store
    cert = ca.issue_cert("127.0.0.1")
    page = (
        b"<html><head><meta name='viewport' content='width=device-width'><title>t</title></head><body>ok</body></html>"
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    with RouteServer({"/": reply(200, page)}, ssl_context=context) as server:
        yield server.url


def test_untrusted_certificate_is_tls_invalid_and_the_site_is_still_crawled(untrusted_https_site, tmp_path):
    result = run_govsite(
        "scan", untrusted_https_site, "--out", str(tmp_path), "--loopback-only", "--timeout", "5", "--retries", "0"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    findings = read_findings(tmp_path)
    types = {f["type"] for f in findings}
    assert "tls_invalid" in types
    assert "site_unreachable" not in types and "no_https" not in types
    tls = next(f for f in findings if f["type"] == "tls_invalid")
    assert tls["url"] == untrusted_https_site


def test_the_certificate_report_is_kept_for_a_rejudge_and_cleared_by_fresh(untrusted_https_site, tmp_path):
    first, again = tmp_path / "first", tmp_path / "again"
    args = ("--loopback-only", "--timeout", "5", "--retries", "0")
    assert run_govsite("scan", untrusted_https_site, "--out", str(first), *args).returncode == 0
    assert list(first.glob("sites/*/tls.json"))
    rejudged = run_govsite("scan", "--from-warc", str(first), "--out", str(again))
    assert rejudged.returncode == 0, rejudged.stderr[-2000:]
    assert "tls_invalid" in {f["type"] for f in read_findings(again)}  # the probe's report, not a new look
    (report,) = first.glob("sites/*/tls.json")
    report.write_text("{}", encoding="utf-8")
    assert run_govsite("scan", untrusted_https_site, "--out", str(first), "--fresh", *args).returncode == 0
    assert '"problems"' in report.read_text(encoding="utf-8")  # --fresh cleared it and the probe ran again


def test_a_certificate_expiring_soon_and_http_scripts_on_an_https_page_are_reported(tmp_path):
    from datetime import UTC, datetime, timedelta

    ca = trustme.CA()
    soon = datetime.now(UTC).replace(microsecond=0, tzinfo=None) + timedelta(days=5)
    cert = ca.issue_cert("127.0.0.1", not_after=soon)
    page = (
        b"<html><head><meta name='viewport' content='width=device-width'><title>t</title>"
        b"<script src='http://127.0.0.1:9/js/a.js'></script></head><body>"
        b"<img src='http://127.0.0.1:9/a.png' alt=''>ok</body></html>"
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    with RouteServer({"/": reply(200, page)}, ssl_context=context) as server:
        result = run_govsite(
            "scan", server.url, "--out", str(tmp_path), "--loopback-only", "--timeout", "5", "--retries", "0"
        )
    assert result.returncode == 0, result.stderr[-2000:]
    by_type = {f["type"]: f for f in read_findings(tmp_path)}
    assert soon.strftime("%Y-%m-%d") in by_type["tls_expiring"]["evidence"]
    mixed = by_type["mixed_content"]
    assert mixed["severity"] == "medium" and "<script> http://127.0.0.1:9/js/a.js" in mixed["evidence"]
    assert "<img> http://127.0.0.1:9/a.png" in mixed["evidence"]

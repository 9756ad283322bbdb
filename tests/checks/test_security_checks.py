"""Security detectors judged on homepage fetch records, and the certificate probe run against a
real TLS server on 127.0.0.1 with certificates made at test time by trustme."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import trustme

from govsite.checks.base import CheckConfig, SiteCrawl, all_detectors
from govsite.checks.security import SEVERITY, CertificateReport
from govsite.crawl.records import FetchRecord, PageRecord
from govsite.probes.tls import inspect_certificate

HTTPS_SITE = "https://www.zj.gov.cn/"
HTTP_SITE = "http://www.qdh.gov.cn/"

HARDENED = {
    "server": "nginx",
    "content-type": "text/html; charset=utf-8",
    "x-frame-options": "SAMEORIGIN",
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'self'; img-src 'self' data: https://bszs.conac.cn",
    "strict-transport-security": "max-age=31536000; includeSubDomains",
}


def crawl_of(
    headers: dict[str, str],
    *,
    site: str = HTTPS_SITE,
    final_url: str = "",
    redirects: tuple[str, ...] = (),
    status: int | None = 200,
    error: str | None = None,
    error_detail: str = "",
    has_viewport: bool = True,
) -> SiteCrawl:
    final = final_url or site
    crawl = SiteCrawl(site=site, config=CheckConfig(as_of=date(2025, 6, 30)), found_at="2025-06-30T08:00:00+00:00")
    crawl.fetches[site] = FetchRecord(
        url=site,
        kind="page",
        status=status,
        error=error,
        error_detail=error_detail,
        final_url=final if error is None else "",
        redirects=list(redirects),
        content_type="text/html; charset=utf-8",
        headers=dict(headers),
    )
    if error is None and status is not None:
        crawl.pages[final] = PageRecord(
            url=final, status=status, title="浙江省人民政府门户网站", has_viewport=has_viewport
        )
    return crawl


def run(name: str, crawl: SiteCrawl):
    """Through the registered detector, so the declared finding types are enforced too."""
    return {d.name: d for d in all_detectors()}[name](crawl)


def run_all(crawl: SiteCrawl):
    return [f for name in ("transport_security", "security_headers", "mobile_viewport") for f in run(name, crawl)]


def test_a_hardened_https_homepage_has_no_finding():
    assert run_all(crawl_of(HARDENED)) == []


# --- no_https -------------------------------------------------------------------------------------


def test_http_homepage_without_redirect_is_no_https():
    headers = {k: v for k, v in HARDENED.items() if k != "strict-transport-security"}
    findings = run("transport_security", crawl_of(headers, site=HTTP_SITE))
    assert [(f.type, f.url, f.severity) for f in findings] == [("no_https", HTTP_SITE, "medium")]
    assert findings[0].evidence == f"首页以 http 提供且未重定向到 https：最终地址 {HTTP_SITE}（状态码 200）"
    assert findings[0].page is None


def test_http_homepage_redirected_to_https_is_fine():
    crawl = crawl_of(
        HARDENED, site=HTTP_SITE, final_url="https://www.qdh.gov.cn/", redirects=("https://www.qdh.gov.cn/",)
    )
    assert run_all(crawl) == []


def test_https_homepage_sent_back_to_http_is_no_https():
    crawl = crawl_of(
        {},
        site=HTTPS_SITE,
        final_url="http://www.zj.gov.cn/index.html",
        redirects=("http://www.zj.gov.cn/index.html",),
    )
    findings = run("transport_security", crawl)
    assert [(f.type, f.url, f.page) for f in findings] == [("no_https", HTTPS_SITE, "http://www.zj.gov.cn/index.html")]
    assert "由 https 被重定向回 http" in findings[0].evidence


def test_an_unanswered_homepage_is_left_to_site_unreachable():
    crawl = crawl_of({}, site=HTTP_SITE, status=None, error="timeout", error_detail="read timeout after 30s")
    assert run_all(crawl) == []


# --- tls_invalid ----------------------------------------------------------------------------------


def test_tls_error_recorded_by_the_crawl_is_tls_invalid():
    detail = "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1006)"
    crawl = crawl_of({}, status=None, error="tls", error_detail=detail)
    findings = run("transport_security", crawl)
    assert [(f.type, f.url, f.severity) for f in findings] == [("tls_invalid", HTTPS_SITE, "high")]
    assert findings[0].evidence == f"抓取 {HTTPS_SITE} 失败（tls）：{detail}"
    assert findings[0].detail == {"key": "certificate", "problems": [], "fetch_error": detail}


def test_certificate_message_in_a_generic_fetch_error_is_tls_invalid():
    crawl = crawl_of(
        {}, status=None, error="error", error_detail="SSLError: self-signed certificate in certificate chain"
    )
    assert [f.type for f in run("transport_security", crawl)] == ["tls_invalid"]


def test_a_refused_connection_is_not_a_certificate_problem():
    crawl = crawl_of({}, status=None, error="refused", error_detail="Connection refused")
    assert run("transport_security", crawl) == []


def expired_report() -> CertificateReport:
    return CertificateReport(
        host="www.zj.gov.cn",
        port=443,
        problems=["expired", "hostname_mismatch"],
        error="certificate has expired",
        subject="commonName=*.hz.gov.cn",
        issuer="commonName=GeoTrust CN RSA CA G1",
        not_after="2024-03-01T23:59:59+00:00",
        names=["*.hz.gov.cn", "hz.gov.cn"],
    )


def test_tls_report_stored_on_the_crawl_is_judged():
    crawl = crawl_of(HARDENED)
    crawl.tls_report = expired_report()  # the field the crawler adds to SiteCrawl
    findings = run("transport_security", crawl)
    assert [(f.type, f.url) for f in findings] == [("tls_invalid", HTTPS_SITE)]
    finding = findings[0]
    assert finding.evidence.startswith("www.zj.gov.cn:443 证书检查：证书已过期、证书域名与网站域名不符")
    assert "有效期至 2024-03-01T23:59:59+00:00" in finding.evidence
    assert finding.detail["problems"] == ["expired", "hostname_mismatch"]
    assert finding.detail["names"] == ["*.hz.gov.cn", "hz.gov.cn"]


def test_tls_report_read_back_from_json_is_judged():
    crawl = crawl_of(HARDENED)
    crawl.tls_report = expired_report().to_dict()
    assert [f.type for f in run("transport_security", crawl)] == ["tls_invalid"]


def test_report_and_fetch_error_together_make_one_finding():
    crawl = crawl_of({}, status=None, error="tls", error_detail="certificate verify failed: certificate has expired")
    crawl.tls_report = expired_report()
    findings = run("transport_security", crawl)
    assert [f.type for f in findings] == ["tls_invalid"]
    assert "证书已过期" in findings[0].evidence
    assert "抓取 https://www.zj.gov.cn/ 失败（tls）" in findings[0].evidence


@pytest.mark.parametrize("problems", [[], ["unreachable"]])
def test_a_clean_or_unreachable_report_is_no_tls_finding(problems):
    crawl = crawl_of(HARDENED)
    crawl.tls_report = CertificateReport(host="www.zj.gov.cn", problems=problems)
    assert run("transport_security", crawl) == []


def test_certificate_report_round_trips_through_a_dict():
    report = expired_report()
    assert CertificateReport.from_dict(report.to_dict()) == report
    assert not report.ok


# --- missing_security_header ----------------------------------------------------------------------


def header_findings(crawl: SiteCrawl) -> list[tuple[str, str]]:
    return [(f.type, f.detail.get("header", "")) for f in run("security_headers", crawl)]


@pytest.mark.parametrize(
    "header",
    ["x-frame-options", "x-content-type-options", "content-security-policy", "strict-transport-security"],
)
def test_each_missing_header_is_one_finding(header):
    headers = {k: v for k, v in HARDENED.items() if k != header}
    findings = run("security_headers", crawl_of(headers))
    name = "-".join(part.capitalize() for part in header.split("-"))
    assert [(f.type, f.url, f.severity, f.detail["header"], f.detail["key"]) for f in findings] == [
        ("missing_security_header", HTTPS_SITE, "low", name, name)
    ]
    assert f"缺少 {name}" in findings[0].evidence


def test_header_names_are_matched_whatever_their_case():
    headers = {
        "Server": "nginx",
        "X-FRAME-OPTIONS": "deny",
        "X-Content-Type-Options": "NoSniff",
        "Content-Security-Policy": "default-src 'self'",
        "Strict-Transport-Security": "max-age=63072000",
    }
    assert header_findings(crawl_of(headers)) == []


def test_csp_frame_ancestors_counts_as_frame_protection():
    headers = {k: v for k, v in HARDENED.items() if k != "x-frame-options"}
    headers["content-security-policy"] = "default-src 'self'; frame-ancestors 'self' https://www.gov.cn"
    assert header_findings(crawl_of(headers)) == []


def test_report_only_csp_protects_nothing():
    headers = {k: v for k, v in HARDENED.items() if k != "content-security-policy"}
    headers["content-security-policy-report-only"] = "default-src 'self'; frame-ancestors 'none'"
    assert header_findings(crawl_of(headers)) == [("missing_security_header", "Content-Security-Policy")]


def test_hsts_is_asked_for_only_over_https():
    plain = {k: v for k, v in HARDENED.items() if k != "strict-transport-security"}
    assert header_findings(crawl_of(plain, site=HTTP_SITE)) == []
    assert header_findings(crawl_of(plain)) == [("missing_security_header", "Strict-Transport-Security")]


@pytest.mark.parametrize(
    ("header", "value", "expected"),
    [
        ("strict-transport-security", "max-age=0", "Strict-Transport-Security"),
        ("x-content-type-options", "sniff", "X-Content-Type-Options"),
        ("x-frame-options", "ALLOWALL", "X-Frame-Options"),
    ],
)
def test_a_header_with_a_useless_value_counts_as_missing(header, value, expected):
    headers = {**HARDENED, header: value}
    findings = run("security_headers", crawl_of(headers))
    assert [(f.type, f.detail["header"], f.detail["value"]) for f in findings] == [
        ("missing_security_header", expected, value)
    ]
    assert value in findings[0].evidence


def test_a_bare_http_homepage_misses_three_headers():
    crawl = crawl_of({"content-type": "text/html", "server": "nginx"}, site=HTTP_SITE)
    assert header_findings(crawl) == [
        ("missing_security_header", "X-Frame-Options"),
        ("missing_security_header", "X-Content-Type-Options"),
        ("missing_security_header", "Content-Security-Policy"),
    ]
    evidence = run("security_headers", crawl)[0].evidence
    assert (
        evidence
        == "首页响应缺少 X-Frame-Options（CSP 中也没有 frame-ancestors）（防点击劫持）；响应头：content-type、server"
    )


# --- server_banner --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "value", "version"),
    [
        ("server", "Apache/2.4.41 (Unix)", "Apache/2.4.41"),
        ("server", "nginx/1.18.0", "nginx/1.18.0"),
        ("Server", "Microsoft-IIS/8.5", "Microsoft-IIS/8.5"),
        (
            "server",
            "Apache/2.2.15 (CentOS) OpenSSL/1.0.1e-fips PHP/5.3.3",
            "Apache/2.2.15, OpenSSL/1.0.1e, PHP/5.3.3",
        ),
        ("x-powered-by", "PHP/5.6.40", "PHP/5.6.40"),
        ("X-AspNet-Version", "4.0.30319", "4.0.30319"),
    ],
)
def test_a_versioned_banner_is_reported(header, value, version):
    findings = run("security_headers", crawl_of({**HARDENED, header: value}))
    assert [(f.type, f.url, f.severity, f.detail["version"]) for f in findings] == [
        ("server_banner", HTTPS_SITE, "medium", version)
    ]
    name = {"server": "Server", "x-powered-by": "X-Powered-By"}.get(header, header)
    assert findings[0].detail["key"] == name
    assert findings[0].evidence == f"首页响应头 {name}: {value} 暴露了服务器软件版本（{version}）"


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("server", "nginx"),
        ("server", "Apache"),
        ("server", "openresty"),
        ("x-powered-by", "ASP.NET"),
        ("server", ""),
    ],
)
def test_a_bare_product_name_is_fine(header, value):
    assert run("security_headers", crawl_of({**HARDENED, header: value})) == []


def test_each_revealing_header_is_its_own_finding():
    headers = {
        **HARDENED,
        "server": "Microsoft-IIS/7.5",
        "x-powered-by": "ASP.NET",
        "x-aspnet-version": "2.0.50727",
    }
    findings = run("security_headers", crawl_of(headers))
    assert sorted(f.detail["key"] for f in findings) == ["Server", "X-AspNet-Version"]


def test_a_banner_on_an_error_homepage_is_still_a_leak_but_headers_are_not_judged():
    crawl = crawl_of({"server": "Apache/2.4.6 (CentOS)"}, status=503)
    assert [f.type for f in run("security_headers", crawl)] == ["server_banner"]


# --- no_mobile_viewport ---------------------------------------------------------------------------


def test_homepage_without_viewport_is_not_mobile_ready():
    findings = run("mobile_viewport", crawl_of(HARDENED, has_viewport=False))
    assert [(f.type, f.url, f.severity, f.detail["key"]) for f in findings] == [
        ("no_mobile_viewport", HTTPS_SITE, "low", "viewport")
    ]
    assert 'meta name="viewport"' in findings[0].evidence


def test_viewport_is_not_judged_without_a_homepage():
    assert run("mobile_viewport", crawl_of({}, status=None, error="dns", error_detail="NXDOMAIN")) == []


def test_severities_are_declared_in_one_place():
    assert SEVERITY == {
        "no_https": "medium",
        "tls_invalid": "high",
        "missing_security_header": "low",
        "server_banner": "medium",
        "no_mobile_viewport": "low",
        "tls_expiring": "medium",
    }


# --- inspect_certificate against a real TLS server on 127.0.0.1 ------------------------------------


@contextmanager
def tls_server(chain_and_key: Path) -> Iterator[int]:
    """A TLS server on 127.0.0.1 that completes handshakes with `chain_and_key` until closed."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(chain_and_key)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    with context.wrap_socket(conn, server_side=True) as tls:
                        tls.recv(1)
                except OSError:  # the client gave up on our certificate, or closed
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA(organization_name="govsite test CA")


@pytest.fixture
def serve_cert(ca, tmp_path):
    """serve_cert(*names, **issue_kwargs) -> port of a server presenting a leaf issued by `ca`."""
    servers = []

    def start(*names: str, **kwargs) -> int:
        leaf = ca.issue_cert(*names, **kwargs)
        path = tmp_path / f"leaf{len(servers)}.pem"
        leaf.private_key_and_cert_chain_pem.write_to_path(str(path))
        server = tls_server(path)
        servers.append(server)
        return server.__enter__()

    yield start
    for server in servers:
        server.__exit__(None, None, None)


def ca_pem(ca: trustme.CA) -> str:
    return ca.cert_pem.bytes().decode()


def test_valid_certificate_from_a_custom_ca(serve_cert, ca):
    port = serve_cert("www.zj.gov.cn", "zj.gov.cn")
    report = inspect_certificate("www.zj.gov.cn", port, 5, connect_to="127.0.0.1", cadata=ca_pem(ca))
    assert report.ok
    assert report.problems == []
    assert report.names == ["www.zj.gov.cn", "zj.gov.cn"]
    assert "govsite test CA" in report.issuer
    assert report.not_after == "3000-01-01T00:00:00+00:00"
    assert report.tls_version.startswith("TLS")


def test_wildcard_certificate_covers_the_host(serve_cert, ca):
    port = serve_cert("*.zj.gov.cn")
    assert inspect_certificate("www.zj.gov.cn", port, 5, connect_to="127.0.0.1", cadata=ca_pem(ca)).ok


def test_certificate_from_an_unknown_ca_is_untrusted(serve_cert):
    port = serve_cert("127.0.0.1")
    report = inspect_certificate("127.0.0.1", port, 5)  # the system trust store does not know our CA
    assert report.problems == ["untrusted"]
    assert report.error == "unable to get local issuer certificate"
    assert report.names == ["127.0.0.1"]  # the leaf is still read, for the evidence


def test_certificate_for_another_name_is_a_hostname_mismatch(serve_cert, ca):
    port = serve_cert("www.hz.gov.cn")
    report = inspect_certificate("www.zj.gov.cn", port, 5, connect_to="127.0.0.1", cadata=ca_pem(ca))
    assert report.problems == ["hostname_mismatch"]
    assert report.names == ["www.hz.gov.cn"]


def test_every_problem_is_named_not_only_the_first(serve_cert):
    port = serve_cert("www.hz.gov.cn", not_before=datetime(2020, 1, 1), not_after=datetime(2021, 1, 1))
    report = inspect_certificate("www.zj.gov.cn", port, 5, connect_to="127.0.0.1")
    assert report.problems == ["untrusted", "expired", "hostname_mismatch"]
    assert report.not_after == "2021-01-01T00:00:00+00:00"


def test_expired_certificate_from_a_trusted_ca(serve_cert, ca):
    port = serve_cert("www.zj.gov.cn", not_before=datetime(2022, 1, 1), not_after=datetime(2023, 1, 1))
    report = inspect_certificate("www.zj.gov.cn", port, 5, connect_to="127.0.0.1", cadata=ca_pem(ca))
    assert report.problems == ["expired"]
    assert report.error == "certificate has expired"


def test_self_signed_certificate(ca, tmp_path):
    # A CA certificate served as the leaf is self-signed; it names no host either.
    path = tmp_path / "self.pem"
    path.write_bytes(ca.private_key_pem.bytes() + ca.cert_pem.bytes())
    with tls_server(path) as port:
        report = inspect_certificate("127.0.0.1", port, 5)
    assert report.problems == ["self_signed", "hostname_mismatch"]
    assert report.subject == report.issuer


def test_closed_port_is_unreachable_not_a_certificate_problem():
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    report = inspect_certificate("127.0.0.1", port, 2)
    assert report.problems == ["unreachable"]
    assert report.cert_problems == []


def test_a_server_that_does_not_speak_tls_fails_the_handshake():
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)

    def answer_plain_http() -> None:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=answer_plain_http, daemon=True)
    thread.start()
    try:
        report = inspect_certificate("127.0.0.1", listener.getsockname()[1], 2)
    finally:
        thread.join(timeout=5)
        listener.close()
    assert report.problems == ["handshake_failed"]


def test_inspected_report_feeds_the_detector(serve_cert):
    port = serve_cert("www.hz.gov.cn")
    crawl = crawl_of(HARDENED)
    crawl.tls_report = inspect_certificate("www.zj.gov.cn", port, 5, connect_to="127.0.0.1")
    findings = run("transport_security", crawl)
    assert [(f.type, f.url, f.detail["problems"]) for f in findings] == [
        ("tls_invalid", HTTPS_SITE, ["untrusted", "hostname_mismatch"])
    ]
    assert "证书链不受信任、证书域名与网站域名不符" in findings[0].evidence


# --- tls_expiring: the report's notAfter, from a real handshake ------------------------------------


def test_a_certificate_expiring_within_30_days_is_tls_expiring(serve_cert, ca):
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)
    port = serve_cert("www.zj.gov.cn", not_after=soon.replace(tzinfo=None))
    report = inspect_certificate("www.zj.gov.cn", port, 5, connect_to="127.0.0.1", cadata=ca_pem(ca))
    assert report.ok and datetime.fromisoformat(report.not_after) == soon
    crawl = crawl_of(HARDENED)
    crawl.tls_report = report.to_dict()
    (finding,) = run("certificate_expiry", crawl)
    assert (finding.type, finding.url, finding.severity) == ("tls_expiring", HTTPS_SITE, "medium")
    assert soon.strftime("%Y-%m-%d") in finding.evidence and finding.detail["days_left"] in (9, 10)
    assert run("transport_security", crawl) == []  # still valid: no tls_invalid
    detector = {d.name: d for d in all_detectors()}["certificate_expiry"]
    assert detector(crawl, detector.make_options({"days": 7})) == []  # the limit is an option


def test_a_certificate_valid_for_long_or_already_expired_is_not_tls_expiring(serve_cert, ca):
    port = serve_cert("www.zj.gov.cn")  # trustme's default: valid until 3000
    crawl = crawl_of(HARDENED)
    crawl.tls_report = inspect_certificate("www.zj.gov.cn", port, 5, connect_to="127.0.0.1", cadata=ca_pem(ca))
    assert run("certificate_expiry", crawl) == []
    crawl.tls_report = expired_report()
    assert run("certificate_expiry", crawl) == []  # tls_invalid's job

"""Security and transport detectors: passive checks on how the homepage is served.

What it checks, on the records of the homepage fetch only (nothing here
sends a request to the target: the certificate is looked at by the
`certificate` probe, `govsite/probes/tls.py`, which the scan runs once per
https site before crawling):

- ``no_https`` (medium): the homepage was served over plain http and no
  redirect took it to https (the scheme of ``FetchRecord.final_url``).
- ``tls_invalid`` (high): the certificate is unusable. Judged from the
  crawl's TLS report (``SiteCrawl.tls_report``, a `CertificateReport` made by
  the probe: expired, not yet valid, self-signed, untrusted
  chain, hostname mismatch, handshake failure) and from the homepage fetch
  itself (``FetchRecord.error == "tls"`` or an ``error_detail`` that names a
  certificate problem).
- ``missing_security_header`` (low), one finding per header, ``detail.header``
  and ``detail.key`` = the header's name: X-Frame-Options (a CSP with a
  ``frame-ancestors`` directive protects as well), X-Content-Type-Options:
  nosniff, Content-Security-Policy, and Strict-Transport-Security (with a
  max-age above 0) only when the homepage is served over https.
- ``server_banner`` (medium): a Server, X-Powered-By or X-AspNet(-Mvc)-Version
  header that reveals a product version ("Apache/2.4.41 (Unix)",
  "PHP/5.6.40"); a bare product name ("nginx") is fine.
- ``no_mobile_viewport`` (low): the homepage has no
  ``<meta name="viewport">`` (``PageRecord.has_viewport``), so it is not
  adapted to mobile screens.

Where the rules come from: 《政府网站发展指引》(国办发〔2017〕47号) asks in
general terms that government websites be protected (安全防护) and the
survey scores 安全防护 ("主机风险控制、网站漏洞防护"), but neither lists these
items one by one. The concrete rules here are common hardening baselines:
HTTPS with a valid certificate, the OWASP Secure Headers list, HSTS as in
RFC 6797, no version banners; the viewport rule is the usual test of a page
adapted to mobile screens. They are passive: a finding says what the
recorded response shows, never what an attack would do.

Left out: ``no_ipv6``. Whether a site answers over IPv6 needs an AAAA
lookup and a connection from an IPv6-connected vantage point; it cannot be
judged from the crawl records nor tested on loopback, so no detector here
emits it.

Severities and keyword lists are at the top of the module (`SEVERITY`,
`SECURITY_HEADERS`, `BANNER_HEADERS`, `CERT_PROBLEMS`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from govsite.checks.base import SiteCrawl, detector
from govsite.crawl.records import FetchRecord
from govsite.findings import Finding

# --- rules in one place -------------------------------------------------------------------------

SEVERITY: dict[str, str] = {
    "no_https": "medium",
    "tls_invalid": "high",
    "missing_security_header": "low",
    "server_banner": "medium",
    "no_mobile_viewport": "low",
}

# Canonical header name -> what it protects against (shown in the evidence).
SECURITY_HEADERS: dict[str, str] = {
    "X-Frame-Options": "防点击劫持",
    "X-Content-Type-Options": "防MIME类型嗅探",
    "Content-Security-Policy": "内容安全策略",
    "Strict-Transport-Security": "强制HTTPS访问",
}
FRAME_OPTIONS_VALUES = ("deny", "sameorigin", "allow-from")

# Headers whose value may reveal server software and its version.
BANNER_HEADERS = ("Server", "X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version")
# Headers whose whole value is a version number.
VERSION_ONLY_HEADERS = ("X-AspNet-Version", "X-AspNetMvc-Version")
# A product token followed by "/" and a version: "Apache/2.4.41", "Microsoft-IIS/8.5", "PHP/5.6.40".
PRODUCT_VERSION_RE = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*/\s*v?\d+(?:\.\d+)*[A-Za-z0-9]*")
BARE_VERSION_RE = re.compile(r"\d+(?:\.\d+)+")

# Certificate problem code -> Chinese label. A report with any of these is a tls_invalid finding.
CERT_PROBLEMS: dict[str, str] = {
    "expired": "证书已过期",
    "not_yet_valid": "证书尚未生效",
    "self_signed": "自签名证书",
    "untrusted": "证书链不受信任",
    "hostname_mismatch": "证书域名与网站域名不符",
    "handshake_failed": "TLS握手失败",
}
# A connection that never reached TLS is not a certificate problem (site_unreachable's job).
UNREACHABLE = "unreachable"

# What an error_detail says when the fetch failed on the certificate.
CERT_ERROR_RE = re.compile(
    r"certificate|CERTIFICATE_VERIFY_FAILED|self[- ]signed|hostname mismatch|"
    r"doesn't match|expired|unable to get local issuer|证书",
    re.IGNORECASE,
)

EVIDENCE_LIMIT = 200


# --- the certificate report (made by govsite.probes.tls, judged here) ----------------------------

@dataclass
class CertificateReport:
    """What one look at a site's TLS certificate found (see `govsite.probes.tls.inspect_certificate`).

    `problems` holds codes of `CERT_PROBLEMS` (or "unreachable" when no TLS
    connection could be opened at all); empty means the certificate is valid
    for `host` against the trust store used.
    """

    host: str
    port: int = 443
    problems: list[str] = field(default_factory=list)
    error: str = ""  # OpenSSL's verify message or the connection error, bounded
    subject: str = ""
    issuer: str = ""
    not_before: str = ""  # ISO 8601, UTC
    not_after: str = ""
    names: list[str] = field(default_factory=list)  # subjectAltName values
    tls_version: str = ""
    checked_at: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def cert_problems(self) -> list[str]:
        return [p for p in self.problems if p in CERT_PROBLEMS]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CertificateReport:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def _bounded(text: str, limit: int = EVIDENCE_LIMIT) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- detectors ----------------------------------------------------------------------------------


def _homepage_fetch(crawl: SiteCrawl) -> FetchRecord | None:
    return crawl.fetches.get(crawl.site)


def _final_url(fetch: FetchRecord) -> str:
    return fetch.final_url or fetch.url


def _page_kwargs(crawl: SiteCrawl, fetch: FetchRecord) -> dict[str, Any]:
    final = _final_url(fetch)
    return {"page": final} if final != crawl.site else {}


def _headers(fetch: FetchRecord) -> dict[str, str]:
    """Response headers with lower-case names, whatever the crawler stored."""
    return {name.lower(): value for name, value in fetch.headers.items()}


@detector("transport_security", "no_https", "tls_invalid")
def check_transport(crawl: SiteCrawl) -> Iterable[Finding]:
    """HTTPS use and certificate validity of the homepage (no_https, tls_invalid)."""
    fetch = _homepage_fetch(crawl)
    if fetch is None:
        return []
    findings: list[Finding] = []
    tls = _tls_finding(crawl, fetch)
    if tls is not None:
        findings.append(tls)
    if fetch.ok and urlsplit(_final_url(fetch)).scheme == "http":
        hops = " → ".join([fetch.url, *fetch.redirects]) if fetch.redirects else fetch.url
        if urlsplit(crawl.site).scheme == "https":
            evidence = f"首页由 https 被重定向回 http：{_bounded(hops)}，最终地址 {_final_url(fetch)}"
        else:
            evidence = f"首页以 http 提供且未重定向到 https：最终地址 {_final_url(fetch)}（状态码 {fetch.status}）"
        findings.append(
            crawl.finding(
                "no_https",
                crawl.site,
                SEVERITY["no_https"],
                evidence,
                detail={"key": "https", "final_url": _final_url(fetch)},
                **_page_kwargs(crawl, fetch),
            )
        )
    return findings


def _tls_report(crawl: SiteCrawl) -> CertificateReport | None:
    report = getattr(crawl, "tls_report", None)
    if isinstance(report, Mapping):
        return CertificateReport.from_dict(report)
    return report if isinstance(report, CertificateReport) else None


def _tls_finding(crawl: SiteCrawl, fetch: FetchRecord) -> Finding | None:
    problems: list[str] = []
    parts: list[str] = []
    detail: dict[str, Any] = {"key": "certificate"}

    report = _tls_report(crawl)
    if report is not None and report.cert_problems:
        problems = report.cert_problems
        labels = "、".join(CERT_PROBLEMS[p] for p in problems)
        parts.append(f"{report.host}:{report.port} 证书检查：{labels}")
        if report.error:
            parts.append(f"OpenSSL：{report.error}")
        if report.not_after:
            parts.append(f"有效期至 {report.not_after}")
        if report.subject:
            parts.append(f"主体 {report.subject}")
        detail.update(
            {
                "problems": problems,
                "not_after": report.not_after,
                "issuer": report.issuer,
                "names": report.names,
            }
        )

    # The fetch of the homepage (and of where it redirected) failing on TLS is evidence on its own.
    for record in {id(r): r for r in (fetch, crawl.fetches.get(_final_url(fetch))) if r}.values():
        if record.error == "tls" or (record.error and CERT_ERROR_RE.search(record.error_detail or "")):
            reason = _bounded(record.error_detail) or "证书/握手错误"
            parts.append(f"抓取 {record.url} 失败（{record.error}）：{reason}")
            detail["fetch_error"] = _bounded(record.error_detail) or record.error
            break

    if not parts:
        return None
    detail.setdefault("problems", problems)
    return crawl.finding(
        "tls_invalid",
        crawl.site,
        SEVERITY["tls_invalid"],
        _bounded("；".join(parts), 2 * EVIDENCE_LIMIT),
        detail=detail,
        **_page_kwargs(crawl, fetch),
    )


@detector("security_headers", "missing_security_header", "server_banner")
def check_headers(crawl: SiteCrawl) -> Iterable[Finding]:
    """Hardening headers missing from, and version banners in, the homepage response."""
    fetch = _homepage_fetch(crawl)
    if fetch is None or fetch.status is None:
        return []
    headers = _headers(fetch)
    findings: list[Finding] = []
    if fetch.ok:
        https = urlsplit(_final_url(fetch)).scheme == "https"
        for name, problem in _missing_headers(headers, https=https):
            purpose = SECURITY_HEADERS[name]
            present = _bounded("、".join(sorted(headers)) or "（无）", EVIDENCE_LIMIT)
            findings.append(
                crawl.finding(
                    "missing_security_header",
                    crawl.site,
                    SEVERITY["missing_security_header"],
                    f"首页响应{problem}（{purpose}）；响应头：{present}",
                    detail={"key": name, "header": name, "value": _bounded(headers.get(name.lower(), ""))},
                    **_page_kwargs(crawl, fetch),
                )
            )
    for name in BANNER_HEADERS:
        value = headers.get(name.lower(), "").strip()
        version = _revealed_version(name, value)
        if version:
            findings.append(
                crawl.finding(
                    "server_banner",
                    crawl.site,
                    SEVERITY["server_banner"],
                    f"首页响应头 {name}: {_bounded(value)} 暴露了服务器软件版本（{version}）",
                    detail={"key": name, "header": name, "value": _bounded(value), "version": version},
                    **_page_kwargs(crawl, fetch),
                )
            )
    return findings


def _missing_headers(headers: Mapping[str, str], *, https: bool) -> list[tuple[str, str]]:
    """(header name, what is wrong in Chinese) for each hardening header the response lacks."""
    missing: list[tuple[str, str]] = []
    csp = headers.get("content-security-policy", "").strip()
    frame_ancestors = any(d.strip().lower().startswith("frame-ancestors") for d in csp.split(";"))

    xfo = headers.get("x-frame-options", "").strip()
    if not frame_ancestors:
        if not xfo:
            missing.append(("X-Frame-Options", "缺少 X-Frame-Options（CSP 中也没有 frame-ancestors）"))
        elif not xfo.lower().startswith(FRAME_OPTIONS_VALUES):
            missing.append(("X-Frame-Options", f"X-Frame-Options 取值无效：{_bounded(xfo, 60)}"))

    xcto = headers.get("x-content-type-options", "").strip()
    if not xcto:
        missing.append(("X-Content-Type-Options", "缺少 X-Content-Type-Options: nosniff"))
    elif xcto.lower() != "nosniff":
        missing.append(("X-Content-Type-Options", f"X-Content-Type-Options 应为 nosniff，实为 {_bounded(xcto, 60)}"))

    if not csp:
        missing.append(("Content-Security-Policy", "缺少 Content-Security-Policy"))

    if https:
        hsts = headers.get("strict-transport-security", "").strip()
        match = re.search(r"max-age\s*=\s*\"?(\d+)", hsts, re.IGNORECASE)
        if not hsts:
            missing.append(("Strict-Transport-Security", "经 https 提供但缺少 Strict-Transport-Security"))
        elif not match or int(match.group(1)) == 0:
            missing.append(
                (
                    "Strict-Transport-Security",
                    f"Strict-Transport-Security 未设置有效 max-age：{_bounded(hsts, 60)}",
                )
            )
    return missing


def _revealed_version(name: str, value: str) -> str:
    """The product/version the header value reveals, or "" when it names no version."""
    if not value:
        return ""
    if name in VERSION_ONLY_HEADERS:
        match = BARE_VERSION_RE.search(value)
        return match.group(0) if match else ""
    found = PRODUCT_VERSION_RE.findall(value)
    return ", ".join(found[:5])


@detector("mobile_viewport", "no_mobile_viewport")
def check_viewport(crawl: SiteCrawl) -> Iterable[Finding]:
    """The homepage declares no mobile viewport (no_mobile_viewport)."""
    page = crawl.homepage
    if page is None or page.status >= 400 or page.has_viewport:
        return []
    kwargs = {"page": page.url} if page.url != crawl.site else {}
    return [
        crawl.finding(
            "no_mobile_viewport",
            crawl.site,
            SEVERITY["no_mobile_viewport"],
            '首页未声明 <meta name="viewport">，页面未适配移动端屏幕',
            detail={"key": "viewport"},
            **kwargs,
        )
    ]

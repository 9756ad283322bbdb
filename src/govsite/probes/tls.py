"""The certificate probe: one look at an https site's TLS certificate before it is crawled.

The crawler itself does not verify TLS (a site with a bad certificate must
still be crawled and judged), so this probe does, once per https site, and
the scan stores its `CertificateReport` as ``tls.json`` beside the crawl
records; `checks/security.py` judges it into ``tls_invalid`` and ``tls_expiring`` (its ``not_after``). It moved here
from `checks/security.py`, which now touches no network.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from govsite.checks.security import UNREACHABLE, CertificateReport
from govsite.checks.security import _bounded as bounded
from govsite.probes.base import ProbeOptions, Target, probe

REPORT_FILE = "tls.json"

# OpenSSL X509_V_ERR_* codes, as carried by ssl.SSLCertVerificationError.verify_code.
_X509_SELF_SIGNED = {18, 19}  # DEPTH_ZERO_SELF_SIGNED_CERT, SELF_SIGNED_CERT_IN_CHAIN
_X509_EXPIRED = 10  # CERT_HAS_EXPIRED
_X509_NOT_YET_VALID = 9  # CERT_NOT_YET_VALID
_X509_HOSTNAME = {62, 64}  # HOSTNAME_MISMATCH, IP_ADDRESS_MISMATCH
# OpenSSL's X509_V_FLAG_NO_CHECK_TIME: judge a chain without looking at the clock. The ssl module
# passes verify_flags straight to OpenSSL but has no constant for this one.
_NO_CHECK_TIME = 0x200000


@probe("certificate", "tls_invalid", "tls_expiring", report=REPORT_FILE, schemes=("https",))
def probe_certificate(target: Target) -> dict[str, Any]:
    """The certificate of an https site: expired, not yet valid, self-signed, untrusted, wrong name."""
    return certificate_report(target).to_dict()


def inspect_certificate(
    host: str,
    port: int = 443,
    timeout: float = 10.0,
    *,
    connect_to: str | None = None,
    cafile: str | None = None,
    cadata: str | None = None,
    options: ProbeOptions | None = None,
) -> CertificateReport:
    """`certificate_report` of https://host:port/ (`connect_to`: the address when it is not `host`)."""
    netloc = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    target = Target(f"https://{netloc}/", options or ProbeOptions(timeout=timeout), connect_to=connect_to)
    return certificate_report(target, cafile=cafile, cadata=cadata)


def certificate_report(target: Target, *, cafile: str | None = None, cadata: str | None = None) -> CertificateReport:
    """Open TLS connections to the target and report what is wrong with its certificate.

    Connections go through `target.connect` (the probe rules: loopback,
    pacing, timeout); the name checked against the certificate and sent as
    SNI is always the target's host, whatever address `target.connect_to`
    says. `cafile`/`cadata` replace the system trust store. A valid
    certificate costs one handshake; an invalid one up to five, each bounded
    by the probe timeout, so that every problem is named rather than only the
    first one OpenSSL stops at:

    1. full verification (trust store, time, hostname) — success ends here;
    2. an unverified handshake to get the leaf certificate;
    3. the chain against the trust store, ignoring time and name: untrusted / self-signed;
    4. the leaf pinned as its own trust anchor, ignoring time: reads its
       fields (validity dates, names) through the ssl module;
    5. the same with the hostname checked: hostname mismatch.
    """
    host, port = target.host, target.port
    report = CertificateReport(host=host, port=port, checked_at=_iso(datetime.now(UTC)))

    full = _verifying_context(cafile, cadata, check_hostname=True, check_time=True)
    outcome = _handshake(target, full)
    if outcome.error is None:
        _fill_fields(report, outcome.cert, outcome.version)
        return report
    if not isinstance(outcome.error, ssl.SSLCertVerificationError):
        report.problems.append("handshake_failed" if outcome.reached_tls else UNREACHABLE)
        report.error = bounded(str(outcome.error))
        return report
    report.error = bounded(outcome.error.verify_message or str(outcome.error))

    leaf = _handshake(target, _unverified_context())
    if leaf.error is not None or not leaf.der:
        report.problems.append("handshake_failed")
        return report
    report.tls_version = leaf.version

    chain = _handshake(target, _verifying_context(cafile, cadata, check_hostname=False, check_time=False))
    if isinstance(chain.error, ssl.SSLCertVerificationError):
        report.problems.append("self_signed" if chain.error.verify_code in _X509_SELF_SIGNED else "untrusted")
    elif chain.error is not None:
        report.problems.append("handshake_failed")
        return report

    pem = ssl.DER_cert_to_PEM_cert(leaf.der)
    pinned = _handshake(target, _pinned_context(pem, check_hostname=False))
    if pinned.error is None:
        _fill_fields(report, pinned.cert, leaf.version)
        moment = datetime.now(UTC).timestamp()
        if pinned.cert.get("notAfter") and ssl.cert_time_to_seconds(pinned.cert["notAfter"]) < moment:
            report.problems.append("expired")
        if pinned.cert.get("notBefore") and ssl.cert_time_to_seconds(pinned.cert["notBefore"]) > moment:
            report.problems.append("not_yet_valid")
    else:  # the leaf cannot be read through the ssl module: fall back on what step 1 said
        code = outcome.error.verify_code
        if code == _X509_EXPIRED:
            report.problems.append("expired")
        elif code == _X509_NOT_YET_VALID:
            report.problems.append("not_yet_valid")

    named = _handshake(target, _pinned_context(pem, check_hostname=True))
    if isinstance(named.error, ssl.SSLCertVerificationError):
        mismatch = named.error.verify_code in _X509_HOSTNAME
    else:  # when the pinned handshakes cannot tell, trust what step 1 said
        mismatch = pinned.error is not None and outcome.error.verify_code in _X509_HOSTNAME
    if mismatch:
        report.problems.append("hostname_mismatch")

    if not report.problems:  # step 1 failed for a reason none of the later steps isolated
        report.problems.append("untrusted")
    return report


@dataclass
class _Outcome:
    error: BaseException | None = None
    reached_tls: bool = False
    cert: dict[str, Any] = field(default_factory=dict)
    der: bytes = b""
    version: str = ""


def _handshake(target: Target, context: ssl.SSLContext) -> _Outcome:
    """One TLS handshake over a connection the target opens (under the probe rules)."""
    outcome = _Outcome()
    try:
        with target.connect() as raw:
            outcome.reached_tls = True
            with context.wrap_socket(raw, server_hostname=target.host) as tls:
                outcome.cert = tls.getpeercert() or {}
                outcome.der = tls.getpeercert(binary_form=True) or b""
                outcome.version = tls.version() or ""
    except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
        outcome.error = exc
    return outcome


def _verifying_context(
    cafile: str | None, cadata: str | None, *, check_hostname: bool, check_time: bool
) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=cafile, cadata=cadata)
    context.check_hostname = check_hostname
    if not check_time:
        context.verify_flags |= _NO_CHECK_TIME
    return context


def _unverified_context() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _pinned_context(leaf_pem: str, *, check_hostname: bool) -> ssl.SSLContext:
    """Trust exactly this leaf certificate, whatever its issuer and dates."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(cadata=leaf_pem)
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN | _NO_CHECK_TIME
    context.check_hostname = check_hostname
    return context


def _fill_fields(report: CertificateReport, cert: Mapping[str, Any], version: str) -> None:
    report.subject = _dn(cert.get("subject", ()))
    report.issuer = _dn(cert.get("issuer", ()))
    report.names = [value for _kind, value in cert.get("subjectAltName", ())][:50]
    for key, attr in (("notBefore", "not_before"), ("notAfter", "not_after")):
        if cert.get(key):
            stamp = datetime.fromtimestamp(ssl.cert_time_to_seconds(cert[key]), UTC)
            setattr(report, attr, _iso(stamp))
    report.tls_version = version or report.tls_version


def _dn(rdns: Iterable[Iterable[tuple[str, str]]]) -> str:
    return bounded(", ".join(f"{k}={v}" for rdn in rdns for k, v in rdn))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")

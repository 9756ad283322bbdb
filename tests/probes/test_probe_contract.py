"""The probe contract: registration under the catalogue's rules, and the target guard every connection passes
(the --loopback-only rule, pacing, a cap on connections, timeouts), against real sockets on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import trustme

from govsite.probes import all_probes, probe_site, report_files
from govsite.probes.base import (
    Probe,
    ProbeOptions,
    ProbeRefused,
    ProbeSkipped,
    Target,
    parse_nameserver,
    probe,
    run_probe,
)

FAST = ProbeOptions(timeout=2, delay=0)


@contextmanager
def listener() -> Iterator[tuple[int, list[socket.socket]]]:
    """A TCP server on 127.0.0.1 that accepts and holds connections without answering."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], accepted
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in accepted:
            conn.close()
        server.close()


@contextmanager
def https_server(cert: trustme.LeafCert) -> Iterator[int]:
    """An HTTPS server on 127.0.0.1 presenting `cert`."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _calls_probe(calls: list[str]):
    def run(target: Target) -> dict:
        calls.append(target.url)
        target.connect().close()
        return {"ok": True}

    return Probe("recording", ("no_ipv6",), run, "recording.json")


# --- registration -------------------------------------------------------------------------------


def test_registration_refuses_types_outside_the_catalogue():
    with pytest.raises(ValueError, match="no_such_type"):
        probe("bad", "no_such_type", report="bad.json")
    with pytest.raises(ValueError, match="feeds no finding type"):
        probe("bad", report="bad.json")


def test_two_probes_cannot_share_a_report_file():
    with pytest.raises(ValueError, match=r"tls\.json .*certificate"):
        probe("another_tls", "tls_invalid", report="tls.json")


def test_the_certificate_probe_is_registered_for_https_only():
    certificate = {p.name: p for p in all_probes()}["certificate"]
    assert certificate.finding_types == ("tls_invalid", "tls_expiring")
    assert certificate.report in report_files()
    assert not certificate.applies(Target("http://www.zj.gov.cn/"))
    assert certificate.applies(Target("https://www.zj.gov.cn/"))


# --- the target guard -----------------------------------------------------------------------------


def test_loopback_only_refuses_a_public_address_before_any_connection():
    calls: list[str] = []
    target = Target("https://www.zj.gov.cn/", ProbeOptions(loopback_only=True, delay=0))
    outcome = run_probe(_calls_probe(calls), target)
    assert (outcome.status, outcome.report, calls) == ("skipped", None, [])
    assert "--loopback-only" in outcome.reason and "www.zj.gov.cn" in outcome.reason


def test_loopback_only_judges_the_address_connected_to_not_the_name():
    """A public name tested on 127.0.0.1 (connect_to) is allowed; a loopback name sent elsewhere is not."""
    with listener() as (port, _accepted):
        allowed = Target(f"https://www.zj.gov.cn:{port}/", ProbeOptions(loopback_only=True, delay=0), "127.0.0.1")
        assert run_probe(_calls_probe([]), allowed).status == "done"
    elsewhere = Target("https://127.0.0.1/", ProbeOptions(loopback_only=True, delay=0), connect_to="192.0.2.7")
    outcome = run_probe(_calls_probe([]), elsewhere)
    assert outcome.status == "skipped" and "192.0.2.7" in outcome.reason


def test_connections_are_paced_per_host():
    with listener() as (port, _accepted):
        target = Target(f"http://127.0.0.1:{port}/", ProbeOptions(timeout=2, delay=0.3))
        target.connect().close()
        started = time.monotonic()
        target.connect().close()
        target.connect().close()
        assert time.monotonic() - started >= 0.55


def test_a_probe_may_open_only_so_many_connections():
    def greedy(target: Target) -> dict:
        while True:
            target.connect().close()

    with listener() as (port, accepted):
        target = Target(f"http://127.0.0.1:{port}/", ProbeOptions(timeout=2, delay=0, max_connections=3))
        outcome = run_probe(Probe("greedy", ("no_ipv6",), greedy, "greedy.json"), target)
        time.sleep(0.3)
        assert outcome.status == "skipped" and "3 次" in outcome.reason
        assert len(accepted) == 3
        # The cap is per probe: the next probe on the same target starts again.
        assert run_probe(_calls_probe([]), target).status == "done"


def test_every_read_is_bounded_by_the_probe_timeout():
    with listener() as (port, _accepted):
        target = Target(f"http://127.0.0.1:{port}/", ProbeOptions(timeout=0.5, delay=0))
        connection = target.connect(timeout=30)  # a probe cannot ask for more than the options allow
        started = time.monotonic()
        with connection, pytest.raises(TimeoutError):
            connection.recv(1)
        assert time.monotonic() - started < 2


def test_a_failing_probe_reports_why_and_writes_nothing(tmp_path):
    def broken(target: Target) -> dict:
        raise KeyError("oops")

    outcome = run_probe(Probe("broken", ("no_ipv6",), broken, "broken.json"), Target("http://127.0.0.1/", FAST))
    assert outcome.status == "failed" and "KeyError" in outcome.reason and outcome.report is None


def test_a_refused_connection_inside_a_probe_skips_it():
    def sneaky(target: Target) -> dict:
        raise ProbeRefused("只访问本机地址")

    outcome = run_probe(Probe("sneaky", ("no_ipv6",), sneaky, "sneaky.json"), Target("http://127.0.0.1/", FAST))
    assert (outcome.status, outcome.report) == ("skipped", None)


def test_a_probe_that_cannot_run_here_is_skipped_and_keeps_its_report_saying_why():
    def vantage(target: Target) -> dict:
        raise ProbeSkipped("本机没有 IPv6 路由", {"outcome": "unknown", "reason": "本机没有 IPv6 路由"})

    outcome = run_probe(Probe("vantage", ("no_ipv6",), vantage, "vantage.json"), Target("http://127.0.0.1/", FAST))
    assert outcome.status == "skipped" and outcome.reason == "本机没有 IPv6 路由"
    assert outcome.report == {"outcome": "unknown", "reason": "本机没有 IPv6 路由"}


def test_a_probe_s_own_connection_budget_replaces_the_default_cap():
    def counting(target: Target) -> dict:
        return {"cap": target.options.max_connections}

    roomy = Probe("roomy", ("no_ipv6",), counting, "roomy.json", max_connections=60)
    assert run_probe(roomy, Target("http://127.0.0.1/", FAST)).report == {"cap": 60}


def test_after_crawl_probes_wait_for_the_crawl():
    before = {item.name for item in all_probes() if not item.after_crawl}
    after = {item.name for item in all_probes() if item.after_crawl}
    assert "certificate" in before and "ipv6" in after


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1:5353", ("127.0.0.1", 5353)),
        ("[::1]:53", ("::1", 53)),
        ("::1", ("::1", 53)),
        ("10.0.0.2", ("10.0.0.2", 53)),
    ],
)
def test_a_dns_server_is_an_address_and_an_optional_port(text, expected):
    assert parse_nameserver(text) == expected


@pytest.mark.parametrize("text", ["dns.example", "127.0.0.1:0", "127.0.0.1:99999", "[::1]:x", ""])
def test_a_dns_server_that_is_not_an_address_is_refused(text):
    with pytest.raises(ValueError, match="DNS 服务器须写成"):
        parse_nameserver(text)


def test_under_loopback_only_the_dns_server_must_be_loopback():
    assert Target("http://a.test/", ProbeOptions(loopback_only=True, dns_server="[::1]:5353")).nameserver() == (
        "::1",
        5353,
    )
    assert Target("http://a.test/", ProbeOptions(dns_server="")).nameserver() is None  # the system's nameservers
    with pytest.raises(ProbeRefused):
        Target("http://a.test/", ProbeOptions(loopback_only=True, dns_server="192.0.2.1")).nameserver()


# --- probing a site, as the scan does -------------------------------------------------------------


def test_probe_site_writes_the_certificate_report_of_an_https_site(tmp_path):
    ca = trustme.CA()
    with https_server(ca.issue_cert("127.0.0.1")) as port:
        outcomes = probe_site(f"https://127.0.0.1:{port}/", tmp_path, ProbeOptions(timeout=2, loopback_only=True))
    assert [(o.probe, o.status) for o in outcomes] == [("certificate", "done")]
    report = json.loads((tmp_path / "tls.json").read_text(encoding="utf-8"))
    assert report["host"] == "127.0.0.1" and report["port"] == port
    assert report["problems"] == ["untrusted"]  # the private CA is not in the system trust store


def test_probe_site_writes_nothing_for_http_or_a_refused_site(tmp_path):
    assert [o.status for o in probe_site("http://127.0.0.1:9/", tmp_path, FAST)] == ["skipped"]
    refused = probe_site("https://www.zj.gov.cn/", tmp_path, ProbeOptions(loopback_only=True))
    assert [o.status for o in refused] == ["skipped"]
    assert list(tmp_path.iterdir()) == []

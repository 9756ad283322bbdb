"""The availability prober against loopback sites: what opens, what fails and why, under the probe rules."""

from __future__ import annotations

import socket
import ssl
import threading
import time

import trustme

from govsite.probes.availability import REASONS, UptimeOptions, probe_round
from loopback import RouteServer, html_page, reply

# RouteServer listens with a backlog of 5: more connections at once would wait for a SYN retry
FAST = UptimeOptions(timeout=1.0, concurrency=4, loopback_only=True)


def hang(seconds: float):
    def handle(request) -> None:
        time.sleep(seconds)
        html_page("<p>迟到的首页</p>")(request)

    return handle


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_each_kind_of_visit_gets_its_reason():
    routes = {
        "/": html_page("<p>首页</p>"),
        "/down": reply(503, b"busy"),
        "/gone": reply(404, b"no"),
        "/slow": hang(2.0),
        "/moved": reply(302, headers={"Location": "/"}),
        "/loop": reply(302, headers={"Location": "/loop"}),
        "/away": reply(302, headers={"Location": "http://203.0.113.9/"}),
    }
    closed = f"http://127.0.0.1:{free_port()}/"
    with RouteServer(routes) as server:
        sites = [server.url + path.lstrip("/") for path in routes] + [closed, "http://portal.example.test/"]
        attempts = probe_round(sites, FAST)
    got = {a.site.removeprefix(server.url): (a.ok, a.reason, a.status) for a in attempts}
    assert got[""] == (True, "", 200)
    assert got["down"] == (False, "http_5xx", 503)
    assert got["gone"] == (False, "http_4xx", 404)
    assert got["slow"][:2] == (False, "timeout")
    assert got["moved"] == (True, "", 200)  # the redirect followed to the homepage
    assert got["loop"][:2] == (False, "redirects")
    assert got["away"][:2] == (False, "blocked")  # a redirect off loopback is never followed
    assert got[closed][:2] == (False, "refused")
    assert got["http://portal.example.test/"][:2] == (False, "blocked")  # refused before any lookup
    assert all(a.reason in REASONS for a in attempts if not a.ok)
    slow = next(a for a in attempts if a.site.endswith("slow"))
    assert 0.9 <= slow.elapsed < 1.8  # given up at the time limit, not when the server answered


def test_a_name_resolving_outside_loopback_is_blocked_after_the_lookup():
    options = UptimeOptions(timeout=1.0, loopback_only=False, connect_to={"portal.example.test": "127.0.0.1"})
    with RouteServer({"/": html_page("<p>首页</p>")}) as server:
        port = server.url.rsplit(":", 1)[1].strip("/")
        site = f"http://portal.example.test:{port}/"
        assert probe_round([site], options)[0].ok  # the name led to the loopback site
        guarded = UptimeOptions(timeout=1.0, loopback_only=True, connect_to={"localhost": "198.51.100.7"})
        blocked = probe_round([f"http://localhost:{port}/"], guarded)[0]
    assert (blocked.ok, blocked.reason) == (False, "blocked")


def test_an_untrusted_certificate_is_a_tls_failure_and_a_trusted_one_opens():
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    with RouteServer({"/": html_page("<p>首页</p>")}, ssl_context=context) as server:
        untrusted = probe_round([server.url], FAST)[0]
        client = ssl.create_default_context()
        ca.configure_trust(client)
        trusted = probe_round([server.url], UptimeOptions(timeout=1.0, loopback_only=True, ssl_context=client))[0]
    assert (untrusted.ok, untrusted.reason) == (False, "tls")
    assert trusted.ok and trusted.status == 200


def test_concurrency_is_bounded():
    lock, state = threading.Lock(), {"now": 0, "peak": 0}

    def counted(request) -> None:
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        time.sleep(0.2)
        with lock:
            state["now"] -= 1
        html_page("<p>首页</p>")(request)

    with RouteServer({"/": counted}) as server:
        attempts = probe_round([server.url] * 12, UptimeOptions(timeout=3.0, concurrency=3, loopback_only=True))
    assert all(a.ok for a in attempts)
    assert state["peak"] == 3


def test_a_round_runs_from_a_thread_that_already_runs_an_event_loop():
    import asyncio

    async def caller_inside_a_loop():  # e.g. Playwright's sync API in the same test session
        return probe_round([server.url], FAST)

    results = []
    with RouteServer({"/": html_page("<p>首页</p>")}) as server:
        # A thread of its own for the caller's loop: this test thread may run Playwright's already.
        caller = threading.Thread(target=lambda: results.extend(asyncio.run(caller_inside_a_loop())))
        caller.start()
        caller.join(30)
    ((attempt),) = results
    assert (attempt.ok, attempt.status) == (True, 200)

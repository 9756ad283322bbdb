"""`govsite scan --dns-server` runs the IPv6 probe after the crawl, on the crawl's own links.

The site is http://localhost:PORT/, served on 127.0.0.1 and ::1 at one port;
the tests' loopback DNS server answers localhost's A and AAAA records for the
probe (the crawl itself reads /etc/hosts, never a DNS server).
"""

from __future__ import annotations

import json
from contextlib import ExitStack

import pytest
from scanhelpers import FAST_OPTIONS, read_findings, run_govsite

from loopback import RouteServer, html_page
from loopback_dns import DnsServer

pytestmark = pytest.mark.slow

HOME = """<html><head><title>某县人民政府</title></head><body><h1>某县人民政府</h1>
<a href="/col0/">通知公告</a><a href="/col1/">政策文件</a></body></html>"""


def _routes(*, without: tuple[str, ...] = ()) -> dict:
    routes = {"/": html_page(HOME)}
    for column in ("/col0/", "/col1/"):
        routes[column] = html_page(
            f'<html><head><title>{column}</title></head><body><a href="{column}a.html">文章</a></body></html>'
        )
        routes[f"{column}a.html"] = html_page(
            f"<html><head><title>文章</title></head><body>{column} 文章</body></html>"
        )
    return {path: route for path, route in routes.items() if path not in without}


@pytest.fixture
def dual_stack_site():
    """localhost:PORT on both stacks; over IPv6 the column /col1/ (and its article) is missing."""
    with ExitStack() as stack:
        for _attempt in range(20):
            try:
                v6 = stack.enter_context(RouteServer(_routes(without=("/col1/", "/col1/a.html")), host="::1"))
                stack.enter_context(RouteServer(_routes(), port=v6.port))
                break
            except OSError:
                stack.close()
        dns = stack.enter_context(DnsServer({"localhost": {"A": ["127.0.0.1"], "AAAA": ["::1"]}}))
        yield f"http://localhost:{v6.port}/", dns


def test_the_scan_probes_ipv6_on_the_crawled_links_and_reports_no_ipv6(dual_stack_site, tmp_path):
    site, dns = dual_stack_site
    result = run_govsite("scan", site, "--out", str(tmp_path), "--dns-server", dns.address, *FAST_OPTIONS)
    assert result.returncode == 0, result.stderr[-2000:]
    (report_file,) = tmp_path.glob("sites/*/ipv6.json")
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["outcome"] == "measured" and report["aaaa"] == ["::1"]
    assert {link["url"].split("/", 3)[3]: link["depth"] for link in report["links"]} == {
        "col0/": 1,
        "col1/": 1,
        "col0/a.html": 2,
        "col1/a.html": 2,
    }
    (finding,) = [f for f in read_findings(tmp_path) if f["type"] == "no_ipv6"]
    assert "二三级链接IPv6可访问比例 50%（2/4）" in finding["evidence"]
    (summary,) = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))["sites"]
    assert summary["ipv6"]["score"] == 85 and summary["ipv6"]["failed"] == ["links"]
    rejudged = run_govsite("scan", "--from-warc", str(tmp_path), "--out", str(tmp_path / "again"))
    assert rejudged.returncode == 0, rejudged.stderr[-2000:]
    assert "no_ipv6" in {f["type"] for f in read_findings(tmp_path / "again")}  # the report, not a new look


def test_a_dns_server_that_is_no_address_is_a_clear_error(tmp_path):
    result = run_govsite("scan", "http://localhost:9/", "--out", str(tmp_path), "--dns-server", "dns.example")
    assert result.returncode == 2 and "DNS 服务器须写成 IP 地址" in result.stderr

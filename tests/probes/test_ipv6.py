"""The IPv6 probe against a site on ::1 and 127.0.0.1, named by the tests' own loopback DNS server.

`portal.test` resolves (tests/loopback_dns.py, never the system resolver) to
::1 and 127.0.0.1, where two loopback servers listen on one port: the same
routes for a site that supports IPv6, other routes or none over IPv6 for the
failures. The report is judged by the `ipv6` detector as a scan would.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path

import pytest

from govsite.checks.base import CheckConfig, NotConfigured, SiteCrawl, all_detectors
from govsite.checks.ipv6 import support_degree
from govsite.probes.base import CrawledPage, ProbeOptions, ProbeRefused, ProbeSkipped, Target
from govsite.probes.ipv6 import CONNECTIONS, ipv6_report, ipv6_route_problem, text_similarity, visible_text
from loopback import RouteServer, html_page
from loopback_dns import DnsServer

HOME = "<html><head><title>某市人民政府</title></head><body><h1>某市人民政府门户网站</h1>{extra}{links}</body></html>"
COLUMNS = [f"/col{i}/" for i in range(4)]
ARTICLES = [f"/col{i}/art.html" for i in range(4)]


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not _ipv6_loopback(), reason="this machine has no ::1 to serve the IPv6 site on")


def homepage(extra: str = "") -> str:
    links = "".join(f'<a href="{path}">栏目{i}</a>' for i, path in enumerate(COLUMNS))
    return HOME.format(extra=extra, links=links)


def site_routes(home: str | None = None, missing: tuple[str, ...] = ()) -> dict:
    routes = {"/": html_page(home or homepage())}
    for path in COLUMNS + ARTICLES:
        if path not in missing:
            routes[path] = html_page(f"<html><head><title>{path}</title></head><body>{path} 的内容</body></html>")
    return routes


@contextmanager
def portal(v4: dict, v6: dict | None) -> Iterator[int]:
    """The site's port: `v4` served on 127.0.0.1, `v6` on ::1 at the same port (None: nothing on ::1)."""
    with ExitStack() as stack:
        for _attempt in range(20):  # the port ::1 got may be taken on 127.0.0.1
            try:
                if v6 is None:
                    port = stack.enter_context(RouteServer(v4)).port
                else:
                    first = stack.enter_context(RouteServer(v6, host="::1"))
                    stack.enter_context(RouteServer(v4, port=first.port))
                    port = first.port
                break
            except OSError:
                stack.close()
        yield port


def crawled_pages(port: int) -> tuple[CrawledPage, ...]:
    base = f"http://portal.test:{port}"
    return (
        CrawledPage(f"{base}/", 0, 200),
        *(CrawledPage(base + path, 1, 200) for path in COLUMNS),
        *(CrawledPage(base + path, 2, 200) for path in ARTICLES),
        CrawledPage(f"{base}/gone/", 1, 404),  # broken over IPv4 too: a broken_link, not an IPv6 problem
    )


def probe(port: int, dns: DnsServer) -> dict:
    options = ProbeOptions(timeout=3, loopback_only=True, delay=0, max_connections=CONNECTIONS, dns_server=dns.address)
    return ipv6_report(Target(f"http://portal.test:{port}/", options, pages=crawled_pages(port)))


def judged(report: dict) -> list:
    crawl = SiteCrawl(site="http://portal.test/", config=CheckConfig(as_of=date(2026, 12, 1)), ipv6_report=report)
    (detector,) = [item for item in all_detectors() if item.name == "ipv6"]
    return detector(crawl, detector.make_options())


def zone(a: bool = True, aaaa: bool = True) -> dict:
    return {"portal.test": {"A": ["127.0.0.1"] if a else [], "AAAA": ["::1"] if aaaa else []}}


def test_a_site_serving_the_same_pages_over_ipv6_is_fully_supported():
    with DnsServer(zone()) as dns, portal(site_routes(), site_routes()) as port:
        report = probe(port, dns)
    assert report["aaaa"] == ["::1"] and report["a"] == ["127.0.0.1"]
    assert report["homepage_v6"]["status"] == 200 and report["content"]["similarity"] == 1.0
    assert report["content"]["title_v6"] == report["content"]["title_v4"] == "某市人民政府"
    assert len(report["links"]) == 8 and {link["depth"] for link in report["links"]} == {1, 2}
    assert support_degree(report).score == 100
    assert judged(report) == []
    assert ("portal.test", "AAAA") in dns.queries


def test_no_aaaa_record_is_no_ipv6_with_degree_zero():
    with DnsServer(zone(aaaa=False)) as dns, portal(site_routes(), site_routes()) as port:
        report = probe(port, dns)
    (finding,) = judged(report)
    assert finding.type == "no_ipv6" and finding.detail["failed"] == ["aaaa"]
    assert finding.detail["score"] == 0 and "无AAAA记录" in finding.evidence
    assert report["homepage_v6"] is None  # nothing to connect to


def test_an_aaaa_record_but_nothing_answering_on_ipv6():
    with DnsServer(zone()) as dns, portal(site_routes(), None) as port:
        report = probe(port, dns)
    (finding,) = judged(report)
    assert finding.detail["failed"] == ["homepage", "links"]
    assert "首页IPv6不可访问" in finding.evidence and "连接被拒绝" in finding.evidence
    assert "二三级链接IPv6可访问比例 0%（0/8）" in finding.evidence
    assert finding.detail["score"] == 20  # the AAAA record only


def test_other_content_over_ipv6_is_inconsistent():
    other = homepage().replace("某市人民政府门户网站", "网站维护中，请稍后访问 IPv6 测试页面")
    with DnsServer(zone()) as dns, portal(site_routes(), site_routes(home=other)) as port:
        report = probe(port, dns)
    (finding,) = judged(report)
    assert finding.detail["failed"] == ["content"] and finding.detail["score"] == 80
    assert "IPv4与IPv6内容不一致" in finding.evidence


def test_per_request_tokens_and_clocks_do_not_count_as_other_content():
    first = homepage('<script>var csrf="a81f"</script><p>当前时间 2026-12-06 23:40:01，访问量 10293</p>')
    second = homepage('<script>var csrf="ZZ90q"</script><p>当前时间 2026-12-06 23:40:02，访问量 10294</p>')
    with DnsServer(zone()) as dns, portal(site_routes(home=first), site_routes(home=second)) as port:
        report = probe(port, dns)
    assert report["content"]["similarity"] == 1.0 and judged(report) == []


def test_half_of_the_links_missing_over_ipv6():
    missing = (*COLUMNS[:2], *ARTICLES[:2])
    with DnsServer(zone()) as dns, portal(site_routes(), site_routes(missing=missing)) as port:
        report = probe(port, dns)
    (finding,) = judged(report)
    assert finding.detail["failed"] == ["links"]
    assert "二三级链接IPv6可访问比例 50%（4/8）" in finding.evidence
    assert finding.detail["by_level"] == {"2": [2, 4], "3": [2, 4]}
    assert finding.detail["score"] == 85  # 20 + 30 + 20 + 30 × 50%
    assert {link["url"].split(":", 2)[2].split("/", 1)[1] for link in finding.detail["unreachable_links"]} == {
        "col0/",
        "col1/",
        "col0/art.html",
        "col1/art.html",
    }


def test_without_a_loopback_nameserver_the_probe_is_refused_under_loopback_only():
    target = Target("http://portal.test/", ProbeOptions(loopback_only=True, dns_server=""))
    with pytest.raises(ProbeRefused, match="--dns-server"):
        ipv6_report(target)
    target = Target("http://portal.test/", ProbeOptions(loopback_only=True, dns_server="192.0.2.53:53"))
    with pytest.raises(ProbeRefused, match="不是本机地址"):
        ipv6_report(target)


def test_a_nameserver_that_does_not_answer_means_not_measured():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))  # bound, never answers
        options = ProbeOptions(timeout=0.5, loopback_only=True, dns_server=f"127.0.0.1:{silent.getsockname()[1]}")
        with pytest.raises(ProbeSkipped, match="DNS 查询") as caught:
            ipv6_report(Target("http://portal.test/", options))
    assert caught.value.report["outcome"] == "unknown"
    with pytest.raises(NotConfigured, match="IPv6 探测未能进行"):
        judged(caught.value.report)


def test_the_route_check_on_this_machine_finds_loopback():
    assert ipv6_route_problem("::1") == ""


NO_ROUTE_SCRIPT = """
import json, sys
sys.path.insert(0, sys.argv[1])
from loopback_dns import DnsServer
from loopback import RouteServer, html_page
from govsite.probes.base import ProbeOptions, ProbeSkipped, Target
from govsite.probes.ipv6 import ipv6_report
with RouteServer({"/": html_page("<title>t</title>")}) as site:
    zone = {"portal.test": {"A": ["127.0.0.1"], "AAAA": ["2001:db8::10"]}}
    with DnsServer(zone) as dns:
        options = ProbeOptions(timeout=2, delay=0, dns_server=dns.address)
        try:
            ipv6_report(Target(f"http://portal.test:{site.port}/", options))
            print(json.dumps({"ran": True}))
        except ProbeSkipped as exc:
            print(json.dumps({"ran": False, "reason": str(exc), "report": exc.report}, ensure_ascii=False))
"""


def _namespace_command() -> list[str] | None:
    """A command running in a new network namespace (only its own loopback: no route anywhere)."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    probe_run = subprocess.run([unshare, "-rn", "true"], capture_output=True)
    return [unshare, "-rn"] if probe_run.returncode == 0 else None


def test_a_host_without_an_ipv6_route_reports_that_it_could_not_run_never_no_ipv6():
    """In a network namespace of its own the machine has ::1 but no route to a global IPv6 address:
    the AAAA record points there, and the probe says it could not measure."""
    command = _namespace_command()
    if command is None:
        pytest.skip("unshare -rn (an unprivileged network namespace) is not available here")
    tests = str(Path(__file__).resolve().parents[1])
    shell = 'ip link set lo up 2>/dev/null; exec "$0" -c "$1" "$2"'
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run(
        [*command, "sh", "-c", shell, sys.executable, NO_ROUTE_SCRIPT, tests],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["ran"] is False and "IPv6 路由" in outcome["reason"]
    assert outcome["report"]["outcome"] == "unknown" and outcome["report"]["aaaa"] == ["2001:db8::10"]
    with pytest.raises(NotConfigured, match="IPv6 路由"):
        judged(outcome["report"])


def test_visible_text_leaves_scripts_out_and_reads_digits_as_one():
    page = "<html><head><title>首页</title><script>x=1</script></head><body>第 2026 期</body></html>"
    assert visible_text(page.encode()) == ("首页", "第 0 期")
    assert visible_text(page.encode("gbk"), "gbk") == ("首页", "第 0 期")
    assert visible_text(page.encode("gbk")) == ("首页", "第 0 期")  # no charset given: not UTF-8, so GB18030
    assert text_similarity("政府信息公开目录", "政府信息公开目录") == 1.0
    assert text_similarity("政府信息公开目录", "网站维护中请稍后") == 0.0

"""Bad URLs are clear errors (exit 2); sites that answer badly are clear findings, never a crash."""

from __future__ import annotations

import json
import socket

import pytest
from scanhelpers import read_findings, run_govsite

from loopback import reply

pytestmark = pytest.mark.slow
QUICK = [
    "--loopback-only",
    "--timeout",
    "3",
    "--retries",
    "0",
    "--delay",
    "0",
    "--no-autothrottle",
    "--as-of",
    "2025-11-30",
]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://127.0.0.1/", "不是 http/https 网址"),
        ("127.0.0.1:8080/index.html", "缺少协议"),
        ("http://", "缺少主机名"),
        ("http://127.0.0.1:99999/", "端口无效"),
        ("javascript:alert(1)", "不是 http/https 网址"),
    ],
)
def test_unusable_urls_are_rejected_with_exit_code_2(url, message, tmp_path):
    result = run_govsite("scan", url, "--out", str(tmp_path), *QUICK)
    assert result.returncode == 2
    assert message in result.stderr


def test_no_url_at_all_is_a_clear_error(tmp_path):
    result = run_govsite("scan", "--out", str(tmp_path))
    assert result.returncode == 2 and "请给出要检测的网址" in result.stderr


def test_detectors_are_listed_and_an_unknown_one_to_skip_is_a_clear_error(tmp_path):
    listed = run_govsite("scan", "--list-detectors")
    assert listed.returncode == 0, listed.stderr
    assert "wording\t错别字、严重表述错误" in listed.stdout.splitlines()
    result = run_govsite("scan", "http://127.0.0.1:9/", "--out", str(tmp_path), "--skip-detector", "nope", *QUICK)
    assert result.returncode == 2 and "没有名为 nope 的检测规则" in result.stderr.replace("\n", "")  # rich wraps
    assert not (tmp_path / "summary.json").exists()


def test_a_detector_skipped_by_name_is_in_the_summary_with_its_types(tmp_path):
    url = f"http://127.0.0.1:{_free_port()}/"
    result = run_govsite("scan", url, "--out", str(tmp_path), "--skip-detector", "site_unreachable", *QUICK)
    assert result.returncode == 0, result.stderr
    assert not any(f["type"] == "site_unreachable" for f in read_findings(tmp_path))
    (site,) = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))["sites"]
    skipped = {s["name"]: s for s in site["skipped_detectors"]}
    # ipv6: no AAAA record to ask for a site addressed by IP; tampering, external_redirect: no --baseline
    assert set(skipped) == {"site_unreachable", "ipv6", "tampering", "external_redirect"}
    assert "IP 地址" in skipped["ipv6"]["reason"]
    assert site["unchecked_types"] == ["external_link_hijacked", "no_ipv6", "page_tampered", "site_unreachable"]


ARTICLE_PAGE = """<html><head><title>青禾市人民政府</title></head><body>
<div class="article"><h1>关于推进重点工作的通知</h1>
<p>各部门要坚持问题导向，全面贯彻落食党的方针政策，确保各项任务落到实处。</p>
<p>希望大家再接再励，进一步提高服务水平，推动全市经济社会高质量发展。</p></div>
</body></html>""".encode()


def test_no_typos_reaches_the_wording_detector_through_its_options(route_server, tmp_path):
    site = route_server({"/": reply(200, ARTICLE_PAGE)}) + "/"
    for name, flags in (("on", []), ("off", ["--no-typos"])):
        result = run_govsite("scan", site, "--out", str(tmp_path / name), *flags, *QUICK)
        assert result.returncode == 0, result.stderr
    typos = {
        name: {f["detail"]["key"] for f in read_findings(tmp_path / name) if f["type"] == "typo"}
        for name in ("on", "off")
    }
    assert typos["on"] == {"落食", "再接再励"}
    assert typos["off"] == {"再接再励"}  # the lexicon layer stays on


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _site_unreachable(out) -> dict:
    findings = read_findings(out)
    unreachable = [f for f in findings if f["type"] == "site_unreachable"]
    assert len(unreachable) == 1, findings
    return unreachable[0]


def test_a_dead_host_is_site_unreachable(tmp_path):
    url = f"http://127.0.0.1:{_free_port()}/"
    result = run_govsite("scan", url, "--out", str(tmp_path), *QUICK)
    assert result.returncode == 0, result.stderr
    finding = _site_unreachable(tmp_path)
    assert finding["url"] == url and "连接被拒绝" in finding["evidence"]
    assert "单项否决" in result.stdout


@pytest.mark.parametrize(
    ("content_type", "body"),
    [("application/pdf", b"%PDF-1.4\n%%EOF\n"), ("image/png", b"\x89PNG\r\n\x1a\n")],
)
def test_a_homepage_that_is_a_file_is_site_unreachable(content_type, body, route_server, tmp_path):
    base = route_server({"/": reply(200, body, content_type)})
    result = run_govsite("scan", base + "/", "--out", str(tmp_path), *QUICK)
    assert result.returncode == 0, result.stderr
    assert content_type in _site_unreachable(tmp_path)["evidence"]


def test_a_homepage_redirecting_off_site_is_site_unreachable(route_server, tmp_path):
    other = route_server({"/": reply(200, b"<html><title>other</title></html>")})
    site = route_server({"/": reply(302, headers={"Location": other + "/"})})
    result = run_govsite("scan", site + "/", "--out", str(tmp_path), *QUICK)
    assert result.returncode == 0, result.stderr
    assert "跳转到站外" in _site_unreachable(tmp_path)["evidence"]


def test_a_homepage_error_status_is_site_unreachable(route_server, tmp_path):
    site = route_server({"/": reply(503, b"<html>busy</html>")})
    result = run_govsite("scan", site + "/", "--out", str(tmp_path), *QUICK)
    assert result.returncode == 0
    assert "HTTP 503" in _site_unreachable(tmp_path)["evidence"]


def test_binary_garbage_served_as_html_does_not_crash_the_scan(route_server, tmp_path):
    garbage = bytes(range(256)) * 64
    site = route_server({"/": reply(200, b"<html><body><a href='/x'>x</a></body></html>"), "/x": reply(200, garbage)})
    result = run_govsite("scan", site + "/", "--out", str(tmp_path), *QUICK)
    assert result.returncode == 0, result.stderr
    summary = (tmp_path / "summary.json").read_text(encoding="utf-8")
    assert '"errors": []' in summary


def test_a_baseline_that_is_not_a_scan_output_or_is_the_output_itself_is_bad_input(tmp_path):
    url = f"http://127.0.0.1:{_free_port()}/"
    (tmp_path / "empty").mkdir()
    result = run_govsite("scan", url, "--out", str(tmp_path / "new"), "--baseline", str(tmp_path / "empty"), *QUICK)
    assert result.returncode == 2 and "基线目录无法读取" in result.stderr and "summary.json" in result.stderr
    (tmp_path / "same").mkdir()
    same = str(tmp_path / "same")
    result = run_govsite("scan", url, "--out", same, "--baseline", same, *QUICK)
    assert result.returncode == 2 and "--baseline 不能与 --out 是同一目录" in result.stderr
    assert not (tmp_path / "new" / "summary.json").exists()

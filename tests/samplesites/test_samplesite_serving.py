"""Served over HTTP on 127.0.0.1, every truth entry behaves as claimed, and nothing else misbehaves."""

from __future__ import annotations

import io
import re
import socket
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import docx
import pytest
from samplesite_http import (
    PUBLISH_LINE,
    attachment_text,
    between,
    fetch,
    is_zip,
    list_links,
    list_region,
    parse_dates,
    short_dates,
)

from govsite.samplesites import ExternalServer, SampleServers, SampleSiteServer, Truth
from govsite.samplesites.spec import (
    CALENDAR_PREFIX,
    NOT_FOUND_TEXT,
    OVERSIZE_PATH,
    PRIVATE_BROKEN,
    SECURITY_HEADERS,
)
from govsite.samplesites.truth import TruthFinding

SLUGS = ("qinghe", "yunchuan", "shiqiao")
CLIENT_TIMEOUT = 1.0


def page_text(reply, truth: Truth) -> str:
    return reply.body.decode(truth.encoding)


def check_finding(f: TruthFinding, site: SampleSiteServer, truth: Truth, as_of: date) -> None:
    url = site.absolute(f.path)
    reason = f.detail.get("reason")
    if f.type in ("broken_link", "broken_external_link"):
        if reason == "timeout":
            with pytest.raises((TimeoutError, socket.timeout)):
                fetch(url, timeout=CLIENT_TIMEOUT)
        elif reason == "redirect_loop":
            first = fetch(url)
            assert first.status == 302
            second = fetch(site.absolute(first.headers["location"]))
            assert second.status == 302 and second.headers["location"] == f.path
        else:
            assert fetch(url).status == f.detail["status"]
    elif f.type == "soft_404":
        reply = fetch(url)
        assert reply.status == 200 and NOT_FOUND_TEXT in page_text(reply, truth)
    elif f.type == "broken_download":
        reply = fetch(url)
        if reason == "http_404":
            assert reply.status == 404
        elif reason == "empty":
            assert reply.status == 200 and reply.body == b""
        else:
            assert reply.status == 200 and reply.body
            ext = f.detail["ext"]
            assert not (reply.body.startswith(b"%PDF") if ext == "pdf" else is_zip(reply.body))
    elif f.type == "slow_page":
        reply = fetch(url)
        assert reply.status == 200 and reply.elapsed >= f.detail["seconds"] * 0.95
    elif f.type == "stale_homepage":
        text = page_text(fetch(url), truth)
        region = between(text, '<div class="main w1200">', '<div class="friend-links">')
        dates = [d for d in parse_dates(region) + short_dates(region, as_of) if d <= as_of]
        assert max(dates).isoformat() == f.detail["newest"]
        assert (as_of - max(dates)).days > 14
    elif f.type in ("stale_column", "empty_column"):
        column = truth.column(f.path)
        listed = ""
        for page in column.list_pages:
            reply = fetch(site.absolute(page))
            assert reply.status == 200
            listed += list_region(page_text(reply, truth))
        dates = [d for d in parse_dates(listed) if d <= as_of]
        if f.type == "empty_column":
            assert listed.split() == ["暂无信息"]
        elif f.detail["reason"] == "no_date":
            assert dates == []
        else:
            assert max(dates).isoformat() == f.detail["newest"]
            assert (as_of - max(dates)).days > f.detail["limit_days"]
    elif f.type in ("future_date", "old_news"):
        text = page_text(fetch(url), truth)
        published = date.fromisoformat(PUBLISH_LINE.search(text)[1])
        assert published.isoformat() == f.detail["date"]
        if f.type == "future_date":
            assert published > as_of
        else:
            assert published < as_of.replace(year=as_of.year - 5)
            assert truth.column(f.page).update_class == "dynamic"
    elif f.type.startswith("privacy_"):
        reply = fetch(url)
        assert reply.status == 200
        where = f.detail["where"]
        text = page_text(reply, truth) if where == "page" else attachment_text(reply.body, where, truth.encoding)
        for value in f.detail["values"]:
            assert value in text
    elif f.type == "no_https":
        assert url.startswith("http://")
    elif f.type == "missing_security_header":
        assert f.detail["header"].lower() not in fetch(url).headers
    elif f.type == "server_banner":
        assert re.search(r"\d+\.\d+", fetch(url).headers["server"])
    else:
        home = page_text(fetch(url), truth)
        absent = {
            "missing_site_code": ["网站标识码"],
            "missing_icp": ["ICP备"],
            "missing_police_record": ["公网安备"],
            "missing_conac_mark": ["党政机关", "conac"],
            "missing_sponsor": ["主办单位"],
            "missing_sitemap": ["网站地图"],
            "missing_privacy_policy": ["隐私声明"],
            "missing_accessibility": ["无障碍", "长者模式"],
            "no_mobile_viewport": ['name="viewport"'],
        }[f.type]
        for needle in absent:
            assert needle not in home, (f.type, needle)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_truth_finding_behaves_as_claimed(slug: str, servers: SampleServers, truths: dict[str, Truth]):
    truth = truths[slug]
    site = servers.sites[slug]
    as_of = date.fromisoformat(truth.as_of)
    for finding in truth.findings:
        check_finding(finding, site, truth, as_of)


@pytest.mark.parametrize("slug", SLUGS)
def test_columns_not_in_truth_are_fresh_and_dated_as_truth_says(slug, servers, truths):
    truth, site = truths[slug], servers.sites[slug]
    as_of = date.fromisoformat(truth.as_of)
    flagged = {f.path for f in truth.findings if f.type in ("stale_column", "empty_column")}
    for column in truth.columns:
        pages = [page_text(fetch(site.absolute(p)), truth) for p in column.list_pages]
        assert sum(list_links(p) for p in pages) == column.items, column.path
        listed = "".join(list_region(p) for p in pages)
        dates = [d for d in parse_dates(listed) if d <= as_of]
        assert (max(dates).isoformat() if dates else None) == column.newest, column.path
        if column.path not in flagged and column.limit_days is not None:
            assert dates and (as_of - max(dates)).days <= column.limit_days, column.path


@pytest.mark.parametrize("slug", SLUGS)
def test_present_marks_are_really_present(slug, servers, truths):
    truth, site = truths[slug], servers.sites[slug]
    reply = fetch(site.url + "/")
    home = page_text(reply, truth)
    missing = {f.type for f in truth.findings if f.path == "/"}
    marks = {
        "missing_site_code": "网站标识码",
        "missing_icp": "ICP备",
        "missing_police_record": "公网安备",
        "missing_conac_mark": ('alt="党政机关"', "_ideConac"),  # the image, or the script conac issues
        "missing_sponsor": "主办单位",
        "missing_sitemap": "网站地图",
        "missing_privacy_policy": "隐私声明",
        "missing_accessibility": "无障碍",
        "no_mobile_viewport": 'name="viewport"',
    }
    for finding_type, needle in marks.items():
        needles = needle if isinstance(needle, tuple) else (needle,)
        assert any(n in home for n in needles) is (finding_type not in missing), finding_type
    for header in SECURITY_HEADERS:
        sent = header.lower() in reply.headers
        assert sent is not any(f.detail.get("header") == header for f in truth.findings)
    if "missing_conac_mark" not in missing:
        conac = re.search(r'<a href="([^"]*conac[^"]*)"><img src="([^"]+)"', home)
        script = re.search(r"%3Cscript src='([^']*/conac/[^']*)'", home)  # the mark as conac's script writes it
        if script and not conac:
            assert fetch(script[1]).status == 200
        else:
            assert conac and fetch(conac[1].replace("&amp;", "&")).status == 200
            assert fetch(conac[2]).headers["content-type"] == "image/png"


def test_gbk_pages_decode_with_gbk_and_carry_the_truth_titles(servers, truths):
    truth, site = truths["yunchuan"], servers.sites["yunchuan"]
    for page in truth.pages:
        reply = fetch(site.absolute(page["path"]))
        assert reply.headers["content-type"] == "text/html"  # no charset: the page's meta decides
        assert f"<title>{page['title']}</title>" in reply.body.decode("gbk")


def test_charset_header_follows_the_spec(servers):
    assert fetch(servers.sites["qinghe"].url + "/").headers["content-type"] == "text/html; charset=utf-8"
    assert fetch(servers.sites["shiqiao"].url + "/").headers["content-type"] == "text/html"


def test_decoys_are_on_their_pages(servers, truths):
    for slug, truth in truths.items():
        site = servers.sites[slug]
        for decoy in truth.decoys:
            if "value" not in decoy:
                continue
            reply = fetch(site.absolute(decoy["path"]))
            ext = decoy["path"].rsplit(".", 1)[1]
            text = page_text(reply, truth) if ext == "html" else attachment_text(reply.body, ext, truth.encoding)
            assert decoy["value"] in text, decoy


def test_external_decoys_answer_but_not_like_a_broken_link(servers, truths):
    for decoy in truths["qinghe"].decoys:
        url = servers.sites["qinghe"].absolute(decoy["path"]) if "path" in decoy else None
        if decoy["kind"] == "head_405":
            assert fetch(url, "HEAD").status == 405
            assert fetch(url).status == 200
        elif decoy["kind"] == "external_redirect":
            moved = fetch(url)
            assert moved.status == 301
            assert fetch(servers.external.url + moved.headers["location"]).status == 200


def test_unknown_paths_404_except_on_the_soft_404_site(servers):
    normal = fetch(servers.sites["qinghe"].url + "/no/such/page.html")
    assert normal.status == 404 and NOT_FOUND_TEXT in normal.body.decode()
    soft = fetch(servers.sites["shiqiao"].url + "/no/such/page.html")
    assert soft.status == 200 and NOT_FOUND_TEXT in soft.body.decode()


def test_robots_hides_a_broken_link_that_must_not_be_reported(servers, truths):
    site, truth = servers.sites["qinghe"], truths["qinghe"]
    assert "Disallow: /private/" in fetch(site.url + "/robots.txt").body.decode()
    private = fetch(site.url + truth.robots["page"])
    assert private.status == 200 and PRIVATE_BROKEN in private.body.decode()
    assert fetch(site.url + PRIVATE_BROKEN).status == 404
    assert all(f.path != PRIVATE_BROKEN for f in truth.findings)
    assert truth.robots["hidden_findings"][0]["path"] == PRIVATE_BROKEN


def test_head_answers_headers_only(servers):
    reply = fetch(servers.sites["qinghe"].url + "/", "HEAD")
    assert reply.status == 200 and reply.body == b"" and int(reply.headers["content-length"]) > 1000


def test_server_headers_follow_the_spec(servers):
    assert fetch(servers.sites["qinghe"].url + "/").headers["server"] == "nginx"
    assert fetch(servers.sites["yunchuan"].url + "/").headers["server"] == "Apache/2.4.41 (Unix)"


def test_served_html_links_only_to_loopback(servers):
    for site in servers.sites.values():
        body = fetch(site.url + "/").body.decode(site.encoding)
        assert "127.0.0.1:0/" not in body
        for host in re.findall(r"""https?://([^/"'\s<>]+)""", body):
            assert host == servers.external.url.removeprefix("http://")


def test_calendar_trap_never_ends(servers, truths):
    site = servers.sites["qinghe"]
    trap = next(b for b in truths["qinghe"].bounds if b["kind"] == "spider_trap")
    path, seen = trap["path"], set()
    for _ in range(25):
        reply = fetch(site.url + path)
        assert reply.status == 200
        seen.add(path)
        path = re.search(r'<a href="([^"]+)">下一天</a>', reply.body.decode())[1]
        assert path.startswith(CALENDAR_PREFIX)
    assert len(seen) == 25
    paged = fetch(site.url + trap["path"] + "?page=41").body.decode()
    assert "?page=42" in paged


def test_oversized_page_streams_more_than_12_mb(servers):
    reply = fetch(servers.sites["qinghe"].url + OVERSIZE_PATH)
    assert reply.status == 200 and "content-length" not in reply.headers
    assert len(reply.body) > 12 * 1024 * 1024


def test_servers_bind_loopback_only(sample_dir: Path, servers: SampleServers):
    for host in ("0.0.0.0", "localhost", "::", ""):
        with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
            SampleSiteServer(sample_dir / "qinghe", host=host)
        with pytest.raises(ValueError):
            ExternalServer(host=host)
    for server in [*servers.sites.values(), servers.external]:
        assert server.httpd.socket.getsockname()[0] == "127.0.0.1"
        assert server.url.startswith("http://127.0.0.1:")


def test_stopping_cuts_a_hanging_request_short(sample_dir: Path):
    site = SampleSiteServer(sample_dir / "qinghe").start()
    hang = next(f.path for f in site.truth.findings if f.detail.get("reason") == "timeout")
    errors: list[BaseException] = []

    def request() -> None:
        try:
            fetch(site.url + hang, timeout=30)
        except BaseException as exc:  # the connection is closed without an answer
            errors.append(exc)

    worker = threading.Thread(target=request)
    worker.start()
    time.sleep(0.3)
    started = time.monotonic()
    site.stop()
    worker.join(timeout=5)
    assert not worker.is_alive() and time.monotonic() - started < 3
    assert errors


def test_truth_dates_are_relative_to_as_of(truths):
    for truth in truths.values():
        as_of = date.fromisoformat(truth.as_of)
        for column in truth.columns:
            if column.newest:
                assert as_of - timedelta(days=3000) < date.fromisoformat(column.newest) <= as_of


@pytest.mark.parametrize("slug", SLUGS)
def test_attachments_are_what_truth_says(slug, servers, truths):
    from openpyxl import load_workbook

    truth, site = truths[slug], servers.sites[slug]
    kinds = set()
    for attachment in truth.attachments:
        if attachment["status"] != "ok":
            continue
        reply = fetch(site.absolute(attachment["path"]))
        assert reply.status == 200 and len(reply.body) == attachment["size"] > 0
        ext, body = attachment["ext"], reply.body
        kinds.add(ext)
        if attachment["placeholder"]:
            assert ext in ("doc", "wps") and body.startswith(bytes.fromhex("D0CF11E0A1B11AE1"))
        elif ext == "pdf":
            assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
        elif ext == "xlsx":
            load_workbook(io.BytesIO(body), read_only=True)
        elif ext == "docx":
            docx.Document(io.BytesIO(body))
        elif ext == "zip":
            assert is_zip(body)
        elif ext == "csv":
            assert body.decode("utf-8-sig" if truth.encoding == "utf-8" else "gbk").count("\r\n") >= 2
    assert {"xlsx", "csv"} <= kinds or {"xlsx", "docx"} <= kinds

"""A column's later list pages in a real crawl: reached through a pagination script (TRS
createPageHTML, no <a> to them), their old news reported; and, when a bound stops the pagination,
the summary names the column and the bound."""

from __future__ import annotations

import json

import pytest
from scanhelpers import FAST_OPTIONS, read_findings, run_govsite

from loopback import reply

pytestmark = pytest.mark.slow

PAGES = 4
HOME = (
    "<html><head><title>某某县人民政府</title></head><body>"
    '<div class="nav"><a href="/xwzx/gzdt/index.html">工作动态</a></div>'
    "<p>更新于 2025-11-28</p></body></html>"
)


def list_page(number: int) -> bytes:
    """Page `number` (0-based) of 工作动态; the last page holds news from 2015."""
    year, month = (2015, 3) if number == PAGES - 1 else (2025, 11 - number)
    rows = "".join(
        f'<li><a href="/xwzx/gzdt/{year}{month:02d}/t{year}{month:02d}{day:02d}_{number}{day}.html" target="_blank">'
        f"县政府召开第{number}{day}次常务会议研究部署重点工作</a><span>{year}-{month:02d}-{day:02d}</span></li>"
        for day in (20, 15, 10, 5)
    )
    return (
        "<html><head><title>工作动态_某某县人民政府</title></head><body>"
        '<div class="location">当前位置：<a href="/">首页</a> &gt; <span>新闻中心</span> &gt; <span>工作动态</span></div>'
        f'<div class="list"><ul>{rows}</ul></div>'
        f'<div class="page"><script>createPageHTML({PAGES}, {number}, "index", "html");</script></div>'
        "</body></html>"
    ).encode()


def site_routes() -> dict:
    routes = {"/": reply(200, HOME.encode())}
    for number in range(PAGES):
        name = "index.html" if number == 0 else f"index_{number}.html"
        routes[f"/xwzx/gzdt/{name}"] = reply(200, list_page(number))
    return routes


def site_summary(out) -> dict:
    [site] = json.loads((out / "summary.json").read_text(encoding="utf-8"))["sites"]
    return site


def test_old_news_on_a_script_paged_later_page_is_reported(route_server, tmp_path):
    base = route_server(site_routes())
    result = run_govsite("scan", base + "/", "--out", str(tmp_path), *FAST_OPTIONS)
    assert result.returncode == 0, result.stderr[-3000:]
    old = sorted(f["url"] for f in read_findings(tmp_path) if f["type"] == "old_news")
    assert old == sorted(f"{base}/xwzx/gzdt/201503/t201503{d:02d}_{PAGES - 1}{d}.html" for d in (20, 15, 10, 5))
    assert site_summary(tmp_path)["truncated_columns"] == []


def test_a_column_whose_pagination_a_bound_stopped_is_named_in_the_summary(route_server, tmp_path):
    base = route_server(site_routes())
    result = run_govsite("scan", base + "/", "--out", str(tmp_path), *FAST_OPTIONS, "--max-pages", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    [entry] = site_summary(tmp_path)["truncated_columns"]
    assert entry["column"] == "工作动态"
    assert entry["url"] == f"{base}/xwzx/gzdt/index.html"
    assert entry["bound"] == "max_pages"
    assert entry["list_pages_missing"] == 2
    assert [f for f in read_findings(tmp_path) if f["type"] == "old_news"] == []

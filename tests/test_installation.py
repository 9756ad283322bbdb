"""What an installation must give: every declared component importable, and a missing one said aloud.

A plain `pip install .` once gave a trafilatura that could not import (lxml.html.clean
became the separate package lxml_html_clean), and `govsite text check` then read
whole pages, navigation included, without a word. That the declared dependencies
suffice is tests/text/test_plain_install.py's; here: a component that cannot load
is reported once, in Chinese, with what is lost and the fix.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from govsite import optional

ROOT = Path(__file__).resolve().parents[1]
PAGE = """<html><head><meta charset="utf-8"><title>关于开展安全检查的通知</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/hdjl/">互动交流</a></div>
<div class="article"><h1>关于开展安全检查的通知</h1>
<p>各乡镇人民政府、各有关单位：为切实做好全市安全生产工作，市政府决定于近期开展安全生产大检查，现将有关事项通知如下。</p>
<p>各单位要高度重视，精心组织，认真开展自查自纠，对发现的问题及时整改，确保各项措施落实到位。</p>
<p>请各单位于本月底前将检查情况报送市应急管理局，联系电话见附件。</p></div>
<div class="footer">主办单位：青禾市人民政府办公室 网站标识码：3301000101</div></body></html>
"""
WITHOUT_CLEAN = (
    "import sys; sys.modules['lxml_html_clean'] = None\n"  # what a plain install of lxml >= 5.2 lacked
    "from govsite.cli import main; sys.argv[0] = 'govsite'; main()\n"
)


def test_a_component_that_cannot_load_is_none_and_reported_once(caplog):
    module = optional.load("govsite_no_such_component", role="测试", without="跳过测试功能", fix="pip install x")
    assert module is None
    assert [m.module for m in optional.missing()].count("govsite_no_such_component") == 1
    with caplog.at_level(logging.WARNING, logger="govsite"):
        optional.report_missing("govsite_no_such_component")
        optional.report_missing("govsite_no_such_component")
    messages = [r.getMessage() for r in caplog.records if "govsite_no_such_component" in r.getMessage()]
    assert len(messages) == 1
    assert "测试组件 govsite_no_such_component 无法加载" in messages[0]
    assert "跳过测试功能" in messages[0] and "pip install x" in messages[0]


def test_a_component_that_loads_is_not_reported():
    assert optional.load("json", role="测试", without="", fix="") is not None
    assert "json" not in {m.module for m in optional.missing()}


def test_text_check_says_once_that_it_reads_the_whole_page_without_the_extractor(tmp_path):
    page = tmp_path / "notice.html"
    page.write_text(PAGE * 1, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_CLEAN, "text", "check", str(page), "--format", "json"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("正文抽取组件 trafilatura 无法加载") == 1, result.stderr
    assert "导航、页脚也会被检查" in result.stderr and "lxml_html_clean" in result.stderr

"""`govsite text check`: standalone checks of a file or standard input, masked output."""

from __future__ import annotations

import json

from click.testing import CliRunner
from openpyxl import Workbook

from govsite.cli import main

TEXT = "根据国家工商行政管理总局的通知，现将名单公示如下：张三，身份证号 110101199003074514，手机 13812345678。"


def test_stdin_text_gets_wording_and_privacy_findings_with_masked_values():
    result = CliRunner().invoke(main, ["text", "check", "-", "--format", "json"], input=TEXT)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["type"] for r in rows} == {"sensitive_expression", "privacy_id_number", "privacy_phone"}
    assert "110101199003074514" not in result.output and "13812345678" not in result.output


def test_a_spreadsheet_is_read_through_the_attachment_extractor(tmp_path):
    book = Workbook()
    book.active.append(["姓名", "身份证号"])
    book.active.append(["张三", "110101199003074514"])
    path = tmp_path / "名单.xlsx"
    book.save(path)
    result = CliRunner().invoke(main, ["text", "check", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [r["type"] for r in json.loads(result.output)] == ["privacy_id_number"]


def test_an_unreadable_file_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    result = CliRunner().invoke(main, ["text", "check", str(path)])
    assert result.exit_code == 2
    assert "无法读取文字" in result.output


PAGE = """<html><head><meta charset="utf-8"><title>通知</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/a">政务公开</a> 打印本页 上一页 下一页 尾页</div>
<div id="zoom"><p>各单位要全面贯彻落食党的方针政策，认真组织实施，确保各项任务落到实处，并按时报送工作总结。</p>
<p>会议由副县长瞿一鸣主持，县直有关单位主要负责同志参加会议，会议听取了各单位工作进展情况汇报。</p></div>
<div class="footer">主办单位：青禾市人民政府办公室 网站标识码：3301000101 浙ICP备39755566号-1
沪公网安备 31010102000001号 联系电话：0571-83563090 手机 13812345678</div></body></html>"""


def check(*args: str, input: str | None = None) -> list[dict]:
    result = CliRunner().invoke(main, ["text", "check", *args, "--format", "json"], input=input)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_web_page_is_checked_on_its_main_content_and_privacy_on_the_whole_page(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    rows = check(str(path))
    assert [(r["type"], r["text"]) for r in rows if r["type"] == "typo"] == [("typo", "落食")]
    assert [r["type"] for r in rows if r["type"].startswith("privacy")] == ["privacy_phone"]  # the footer counts
    assert "落食" not in {r["text"] for r in check(str(path), "--no-typos")}


def test_whitelist_file_and_site_whitelist(tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("# 本地用语\n落食\n", encoding="utf-8")
    assert check("-", "--whitelist-file", str(words), input="全面贯彻落食党的方针政策。") == []
    lexicon = tmp_path / "sites.yaml"
    lexicon.write_text("site_whitelists:\n  www.qinghe.gov.cn: [落食]\n", encoding="utf-8")
    sentence = "全面贯彻落食党的方针政策。"
    assert check("-", "--extra-lexicon", str(lexicon), "--site", "qinghe.gov.cn", input=sentence) == []
    assert check("-", "--extra-lexicon", str(lexicon), "--site", "www.qinghe.gov.cn", input=sentence) == []
    assert [
        r["text"] for r in check("-", "--extra-lexicon", str(lexicon), "--site", "other.gov.cn", input=sentence)
    ] == ["落食"]


def test_a_page_of_included_fragments_is_read_past_their_closing_tags(tmp_path):
    # The navigation include ends in its own </body></html> (as TRS includes do): a browser goes on.
    head, rest = PAGE.split('<div id="zoom">', 1)
    page = head.replace("尾页</div>", "尾页</div>\n</body>\n</html>\n") + '<div id="zoom">' + rest
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    rows = check(str(path))
    assert [(r["type"], r["text"]) for r in rows if r["type"] == "typo"] == [("typo", "落食")]
    assert [r["type"] for r in rows if r["type"].startswith("privacy")] == ["privacy_phone"]

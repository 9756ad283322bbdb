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

"""Every kind of bad score sheet gets a clear message naming its row; good files in Excel's encodings load."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from govsite import frameworks as fw
from govsite.cli import BadInput, main, run_scoring
from govsite.scoring import check_sheet, read_sheet

FRAMEWORK = "portal_county_2025"


@pytest.fixture
def framework():
    return fw.load(FRAMEWORK)


def _problems(framework, path, **kwargs) -> list[str]:
    return [str(p) for p in check_sheet(framework, read_sheet(path), **kwargs).problems]


def _first_leaf(framework):
    return next(framework.leaves())


def test_score_above_weight_names_row_column_and_range(framework, sheet_writer):
    leaf = _first_leaf(framework)
    path = sheet_writer(framework, {"甲区": Decimal("0.5"), "乙区": Decimal("0.5")})
    text = path.read_text(encoding="utf-8").replace(str(leaf.weight * Decimal("0.5")), "99", 1)
    path.write_text(text, encoding="utf-8")
    problems = _problems(framework, path)
    assert problems == [f"第 2 行“{leaf.code}”列：得分 99 超出范围 [0, {leaf.weight.normalize():f}]（{leaf.name}）"]


def test_negative_and_non_numeric_scores_are_rejected(framework, sheet_writer):
    leaves = list(framework.leaves())
    path = sheet_writer(
        framework,
        {"甲区": Decimal("0.5")},
    )
    rows = path.read_text(encoding="utf-8").splitlines()
    cells = rows[1].split(",")
    cells[1] = "-1"
    cells[2] = "优"
    rows[1] = ",".join(cells)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    problems = _problems(framework, path)
    assert f"第 2 行“{leaves[0].code}”列：得分 -1 超出范围" in problems[0]
    assert problems[1] == f"第 2 行“{leaves[1].code}”列：得分“优”不是数字"


def test_unknown_indicator_code_is_named(framework, sheet_writer):
    path = sheet_writer(framework, {"甲区": Decimal("1")}, extra={"甲区": {"aggregation.nonsense": "1"}})
    problems = _problems(framework, path)
    assert len(problems) == 1
    assert "第 2 行“aggregation.nonsense”列：未知的指标代码" in problems[0]


def test_group_code_cannot_be_scored_directly(framework, sheet_writer):
    path = sheet_writer(framework, {"甲区": Decimal("1")}, extra={"甲区": {"aggregation": "40"}})
    assert "是指标组" in _problems(framework, path)[0]


def test_missing_indicator_is_an_error_unless_allowed(framework, tmp_path):
    leaves = list(framework.leaves())
    path = tmp_path / "partial.csv"
    path.write_text(f"site,{leaves[0].code}\n甲区,{leaves[0].weight}\n", encoding="utf-8")
    problems = _problems(framework, path)
    assert len(problems) == 1
    assert f"第 2 行：缺少 {len(leaves) - 1} 个指标的得分" in problems[0]
    assert "--allow-missing" in problems[0]
    allowed = check_sheet(framework, read_sheet(path), allow_missing=True)
    assert allowed.problems == []
    assert len(allowed.not_assessed["甲区"]) == len(leaves) - 1


def test_not_assessed_indicators_are_reported_to_the_user(framework, tmp_path):
    leaves = list(framework.leaves())
    path = tmp_path / "partial.csv"
    path.write_text(f"site,{leaves[0].code}\n甲区,{leaves[0].weight}\n", encoding="utf-8")
    _, notes = run_scoring(framework, path, allow_missing=True)
    assert any("甲区" in n and "未评估" in n for n in notes)


def test_duplicate_site_rows_name_both_rows(framework, sheet_writer):
    path = sheet_writer(framework, {"甲区": Decimal("1")})
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    assert _problems(framework, path) == ["第 3 行“site”列：站点“甲区”重复（第 2 行已有）"]


def test_missing_site_name_is_reported(framework, sheet_writer):
    path = sheet_writer(framework, {"": Decimal("1")})
    assert _problems(framework, path) == ["第 2 行“site”列：缺少站点名称（site 列）"]


def test_bad_division_code_and_flag_are_reported(framework, sheet_writer):
    path = sheet_writer(
        framework,
        {"甲区": Decimal("1")},
        extra={"甲区": {"division_code": "11010", "self_registered": "maybe"}},
    )
    problems = _problems(framework, path)
    assert any("行政区划代码应为 6 位数字" in p for p in problems)
    assert any("self_registered 应为" in p for p in problems)


def test_gbk_sheet_from_excel_is_read(framework, sheet_writer):
    path = sheet_writer(framework, {"西城区": Decimal("0.5")}, encoding="gbk")
    assert path.read_bytes().decode("gbk").startswith("site")
    rows = read_sheet(path)
    assert rows[0].site == "西城区"
    assert _problems(framework, path) == []


def test_utf8_bom_sheet_is_read(framework, sheet_writer):
    path = sheet_writer(framework, {"西城区": Decimal("0.5")}, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_sheet(path)[0].site == "西城区"
    assert _problems(framework, path) == []


def test_json_sheet_is_read(framework, tmp_path):
    path = tmp_path / "scores.json"
    scores = {leaf.code: float(leaf.weight) for leaf in framework.leaves()}
    path.write_text(
        json.dumps([{"site": "西城区", "scores": scores, "bonus": 3}], ensure_ascii=False), encoding="utf-8"
    )
    ranked, _ = run_scoring(framework, path)
    assert ranked[0].result.total == 103


def test_broken_json_names_the_line(framework, tmp_path):
    path = tmp_path / "scores.json"
    path.write_text('[\n{"site": "甲区",\n "scores": {}\n', encoding="utf-8")
    with pytest.raises(BadInput, match="JSON 格式错误"):
        run_scoring(framework, path)


def test_cli_reports_every_problem_and_exits_2(framework, sheet_writer):
    leaf = _first_leaf(framework)
    path = sheet_writer(framework, {"甲区": Decimal(2), "乙区": Decimal("0.5")})
    result = CliRunner().invoke(main, ["score", "--framework", FRAMEWORK, "--scores", str(path)])
    assert result.exit_code == 2
    assert "第 2 行" in result.output and leaf.code in result.output
    assert "乙区" not in result.output


def test_cli_scores_a_good_sheet_into_xlsx(framework, sheet_writer, tmp_path):
    from openpyxl import load_workbook

    path = sheet_writer(framework, {"西城区": Decimal("0.8"), "东城区": Decimal("0.9")})
    out = tmp_path / "result.xlsx"
    result = CliRunner().invoke(
        main,
        ["score", "--framework", FRAMEWORK, "--scores", str(path), "--format", "xlsx", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames == ["排名", "指标得分"]
    ranking = book["排名"]
    assert ranking.freeze_panes == "A2"
    assert [c.value for c in ranking[1]][:5] == ["序号", "档级", "单位名称", "行政区划代码", "总分"]
    assert ranking["C2"].value == "东城区" and ranking["E2"].value == 90
    assert isinstance(ranking["E3"].value, int | float)


def test_unknown_framework_is_a_clear_error(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("site\n甲\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["score", "--framework", "nope_2025", "--scores", str(path)])
    assert result.exit_code == 2
    assert "未知的指标体系“nope_2025”" in result.output


def test_devzone_needs_a_weight_column(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("site\n甲\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["score", "--framework", "devzone_2025", "--scores", str(path)])
    assert result.exit_code == 2
    assert "etdz（经开区）" in result.output


def test_missing_file_is_a_clear_error(framework, tmp_path):
    with pytest.raises(BadInput, match="文件不存在"):
        run_scoring(framework, tmp_path / "nope.csv")

"""One score-sheet pipeline (scoring.score_sheet) behind `govsite score` and every group of `govsite report`.

Both commands refuse a bad sheet with the same lines and score a good one in the same published order.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from govsite import frameworks as fw
from govsite.cli import main
from govsite.scoring import SheetRejected, not_assessed_notes, score_sheet

FRAMEWORK = "portal_county_2025"


@pytest.fixture
def framework():
    return fw.load(FRAMEWORK).for_variant(None)


def _survey(tmp_path: Path, sheet: Path) -> Path:
    path = tmp_path / "survey.yaml"
    path.write_text(
        f"name: 测试调查\nyear: 2025\ngroups:\n  - name: 区县\n    framework: {FRAMEWORK}\n    scores: {sheet}\n",
        encoding="utf-8",
    )
    return path


def _score(sheet: Path):
    return CliRunner().invoke(main, ["score", "--framework", FRAMEWORK, "--scores", str(sheet)])


def _report(tmp_path: Path, sheet: Path):
    return CliRunner().invoke(main, ["report", str(_survey(tmp_path, sheet)), "--out", str(tmp_path / "out")])


def _flat(text: str) -> str:
    """Without whitespace: rich wraps long lines at the terminal's width."""
    return "".join(text.split())


def _break_first_two_scores(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    for row in (1, 2):
        cells = lines[row].split(",")
        cells[1] = "优"
        lines[row] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_sheet_with_bad_rows_is_refused_with_every_problem_under_a_headline(framework, sheet_writer):
    path = sheet_writer(framework, {"甲区": Decimal("0.5"), "乙区": Decimal("0.5")})
    _break_first_two_scores(path)
    with pytest.raises(SheetRejected) as caught:
        score_sheet(framework, path)
    code = next(framework.leaves()).code
    assert caught.value.headline == f"{path} 有 2 处问题："
    assert caught.value.problems == (f"第 2 行“{code}”列：得分“优”不是数字", f"第 3 行“{code}”列：得分“优”不是数字")
    assert str(caught.value).splitlines() == [caught.value.headline, *(f"  {p}" for p in caught.value.problems)]


def test_score_and_report_refuse_a_bad_sheet_with_the_same_lines(framework, sheet_writer, tmp_path):
    path = sheet_writer(framework, {"甲区": Decimal("0.5"), "乙区": Decimal("0.5")})
    _break_first_two_scores(path)
    with pytest.raises(SheetRejected) as caught:
        score_sheet(framework, path)
    lines = [caught.value.headline, *(f"  {p}" for p in caught.value.problems)]
    scored, reported = _score(path), _report(tmp_path, path)
    assert scored.exit_code == reported.exit_code == 2
    for line in lines:
        assert _flat(line) in _flat(scored.output), scored.output
        assert _flat(line) in _flat(reported.output), reported.output


def test_an_empty_sheet_is_refused_alike_by_score_and_report(framework, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text(f"site,{next(framework.leaves()).code}\n", encoding="utf-8")
    scored, reported = _score(path), _report(tmp_path, path)
    assert scored.exit_code == reported.exit_code == 2
    assert _flat(f"{path} 成绩表没有数据行") in _flat(scored.output)
    assert _flat(f"{path} 成绩表没有数据行") in _flat(reported.output)


def test_an_unreadable_sheet_is_refused_with_the_readers_message(framework, tmp_path):
    with pytest.raises(SheetRejected, match="文件不存在") as caught:
        score_sheet(framework, tmp_path / "nope.csv")
    assert caught.value.problems == ()


def test_a_good_sheet_comes_back_ranked_with_its_rows_and_what_was_not_assessed(framework, tmp_path):
    leaves = list(framework.leaves())
    path = tmp_path / "partial.csv"
    path.write_text(
        f"site,url,{leaves[0].code}\n甲区,http://a.gov.cn/,{leaves[0].weight}\n乙区,,0\n", encoding="utf-8"
    )
    sheet = score_sheet(framework, path, allow_missing=True)
    assert [item.result.site for item in sheet.ranked] == ["甲区", "乙区"]
    assert {row.site: row.url for row in sheet.rows} == {"甲区": "http://a.gov.cn/", "乙区": ""}
    missing = tuple(leaf.code for leaf in leaves[1:])
    assert sheet.not_assessed == {"甲区": missing, "乙区": missing}
    assert not_assessed_notes({"甲区": missing[:2]}) == [f"“甲区”有 2 个指标未评估，按 0 分计：{'、'.join(missing[:2])}"]
    assert not_assessed_notes({"甲区": missing[:2]}, name_codes=False) == ["“甲区”有 2 个指标未评估，按 0 分计"]

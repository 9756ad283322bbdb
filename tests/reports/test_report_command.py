"""`govsite report`: files written, exit 2 with a clear message for bad input or a machine that cannot make PDF."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from govsite.cli import main
from govsite.reports.example import write_example_survey


def _run(*args: str):
    return CliRunner().invoke(main, ["report", *args])


def test_report_writes_html_and_xlsx_and_the_named_site_pages(fixture_survey, tmp_path):
    out = tmp_path / "out"
    result = _run(str(fixture_survey.path), "--format", "html,xlsx", "--out", str(out), "--site", "北京市")
    assert result.exit_code == 0, result.output
    assert (out / "report.html").is_file() and (out / "report.xlsx").is_file()
    assert [p.name for p in (out / "sites").iterdir()] == ["省级_北京市-0001.html"]
    assert 'href="sites/省级_北京市-0001.html"' in (out / "report.html").read_text(encoding="utf-8")


def test_xlsx_alone_writes_no_html(fixture_survey, tmp_path):
    result = _run(str(fixture_survey.path), "--format", "xlsx", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]


class _MissingLibrary:
    """A meta path finder that makes `import weasyprint` fail as it does without Pango."""

    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
        return None


@pytest.fixture
def no_weasyprint_cache():
    from govsite.reports import pdf

    pdf._weasyprint.cache_clear()
    yield
    pdf._weasyprint.cache_clear()


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("package", "需要 Python 软件包 WeasyPrint"),
        ("library", "WeasyPrint 找不到它需要的系统库"),
        ("font", "生成 PDF 需要中文字体"),
    ],
)
def test_pdf_without_weasyprint_its_libraries_or_a_chinese_font_exits_2_before_writing(
    fixture_survey, tmp_path, monkeypatch, no_weasyprint_cache, broken, message
):
    from govsite.reports import pdf

    if broken == "package":
        monkeypatch.setitem(sys.modules, "weasyprint", None)  # what `import` sees when it is not installed
    elif broken == "library":
        monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
        monkeypatch.setattr(sys, "meta_path", [_MissingLibrary(), *sys.meta_path])
    else:
        monkeypatch.setattr(pdf, "installed_families", lambda: {"DejaVu Sans", "DejaVu Serif"})
    out = tmp_path / "out"
    result = _run(str(fixture_survey.path), "--format", "html,pdf,xlsx", "--out", str(out))
    assert result.exit_code == 2, result.output
    assert "无法生成 PDF" in result.output and message in result.output
    assert "fonts-noto-cjk" in result.output or broken == "package"
    assert "Traceback" not in result.output and "-----" not in result.output  # no WeasyPrint banner
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "docx"], "未知的格式“docx”"),
        (["--site", "不存在的单位"], "调查中没有这些单位：不存在的单位"),
        (["--format", "xlsx", "--site", "北京市"], "单站报告为 HTML 或 PDF 格式"),
    ],
)
def test_bad_options_exit_2_with_a_message(fixture_survey, tmp_path, args, message):
    result = _run(str(fixture_survey.path), "--out", str(tmp_path), *args)
    assert result.exit_code == 2
    assert message in result.output


def test_a_bad_definition_exits_2_naming_file_and_line(tmp_path):
    path = tmp_path / "survey.yaml"
    path.write_text("name: 测试\nyear: 2025\ngroups:\n  - name: 省级\n    framework: nope\n    scores: x.csv\n")
    result = _run(str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert f"{path}:5:" in result.output and f"{path}:6:" in result.output


def test_an_example_survey_built_from_example_sheets_reports_end_to_end(tmp_path):
    path = write_example_survey(
        tmp_path / "example", survey="portal", sizes={"部委": 5, "省和自治区": 4, "地市": 6, "区县": 40}
    )
    out = tmp_path / "out"
    result = _run(str(path), "--out", str(out), "--sites")
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "政府网站创新发展调查（示例数据）" in html and "与 2024 年比较" in html and "网站监测" in html
    assert len(list((out / "sites").iterdir())) == 55
    workbook = load_workbook(out / "report.xlsx", read_only=True)
    assert "分组比较" in workbook.sheetnames and "区县指标得分" in workbook.sheetnames


def test_the_default_example_survey_is_the_digital_government_sample(tmp_path):
    path = write_example_survey(tmp_path)
    text = Path(path).read_text(encoding="utf-8")
    assert "示例数据" in text and "previous: previous/survey.yaml" in text
    result = _run(str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "32 个省级单位中" in html and "34 个城市中" in html


def test_sites_without_a_division_code_are_one_line_not_one_per_site(tmp_path):
    """26 example cities beyond the 2025 sample have no code: one 提示 line with the count and the first names."""
    path = write_example_survey(tmp_path / "example", sizes={"省级": 3, "城市": 60}, previous=False, scan=False)
    result = _run(str(path), "--format", "xlsx", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "没有行政区划代码" in line]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("提示：城市：26 个单位没有行政区划代码，排在同档末尾：")
    assert "“城市示例0001”、“城市示例0002”" in lines[0] and "“城市示例0005”等" in lines[0]
    assert "城市示例0006" not in lines[0]


def test_summarise_notes_keeps_a_single_note_and_the_other_notes_in_place():
    from govsite.reports.survey import summarise_notes

    one = ["“甲市”没有行政区划代码，排在同档末尾", "“乙市”有 2 个指标未评估，按 0 分计"]
    assert summarise_notes(one) == one
    notes = ["“甲”在 2025 年样本中对应多个行政区划代码", *(f"“市{n}”没有行政区划代码，排在同档末尾" for n in range(3))]
    notes.append("“乙市”有 2 个指标未评估，按 0 分计")
    assert summarise_notes(notes) == [
        notes[0],
        "3 个单位没有行政区划代码，排在同档末尾：“市0”、“市1”、“市2”",
        notes[-1],
    ]

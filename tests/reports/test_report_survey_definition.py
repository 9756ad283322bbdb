"""Survey definition files: paths relative to the file, every problem reported with its line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from govsite.reports.survey import SurveyError, load_survey, read_definition


def _write(folder: Path, text: str, name: str = "survey.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(SurveyError) as caught:
        read_definition(path)
    return caught.value.problems


def test_a_definition_resolves_paths_relative_to_its_own_folder(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "scores.csv").write_text("site\n", encoding="utf-8")
    path = _write(
        tmp_path,
        """
        name: 开发区调查
        year: 2025
        as_of: 2025-10-31
        groups:
          - name: 经开区
            framework: devzone_2025:etdz
            scores: data/scores.csv
            label: 经开区网站
        """,
    )
    monkeypatch.chdir("/")
    definition = read_definition(path)
    group = definition.groups[0]
    assert group.scores == (tmp_path / "data" / "scores.csv").resolve()
    assert group.framework.display_code == "devzone_2025:etdz"
    assert group.label == "经开区网站"
    assert str(definition.as_of) == "2025-10-31"
    assert definition.previous is None


def test_every_problem_is_reported_with_its_file_and_line(tmp_path):
    (tmp_path / "scores.csv").write_text("site\n", encoding="utf-8")
    (tmp_path / "emptyscan").mkdir()
    path = _write(
        tmp_path,
        """
        name: 测试
        year: twenty
        colour: blue
        headline_band: 很好
        groups:
          - name: 省级
            framework: digital_gov_2025
            scores: missing.csv
          - name: 省级
            framework: no_such_framework
            scores: scores.csv
          - name: 开发区
            framework: devzone_2025
            scores: scores.csv
            scan: emptyscan
            leading: -1
        """,
    )
    problems = "\n".join(_problems(path))
    assert f"{path}:2: year 应为四位年份" in problems
    assert f"{path}:3: 调查定义中有未知的键“colour”" in problems
    assert f"{path}:8: scores：文件不存在" in problems
    assert f"{path}:9: 分组“省级”重复（第 6 行已有）" in problems
    assert f"{path}:10: 未知的指标体系“no_such_framework”" in problems
    assert f"{path}:13: 指标体系 devzone_2025 需要选择权重变体" in problems
    assert f"{path}:15: " in problems and "中没有 summary.json" in problems
    assert f"{path}:16: leading 应为非负整数" in problems


def test_missing_required_keys_and_unknown_group_keys_are_named(tmp_path):
    path = _write(
        tmp_path,
        """
        name: 测试
        groups:
          - name: 省级
            scores: scores.csv
            framwork: digital_gov_2025
        """,
    )
    problems = "\n".join(_problems(path))
    assert f"{path}:1: 调查定义缺少“year”" in problems
    assert f"{path}:5: 分组中有未知的键“framwork”" in problems
    assert f"{path}:3: 分组缺少“framework”" in problems


def test_a_headline_band_the_framework_lacks_is_an_error(tmp_path):
    (tmp_path / "scores.csv").write_text("site\n", encoding="utf-8")
    path = _write(
        tmp_path,
        """
        name: 测试
        year: 2025
        headline_band: 很好
        groups:
          - {name: 省级, framework: digital_gov_2025, scores: scores.csv}
        """,
    )
    assert any(p.startswith(f"{path}:3: ") and "没有档级“很好”" in p for p in _problems(path))


def test_yaml_syntax_errors_and_duplicate_keys_name_their_line(tmp_path):
    broken = _write(tmp_path, "name: 测试\nyear: [2025\n", "broken.yaml")
    assert any(p.startswith(f"{broken}:") and "YAML 语法错误" in p for p in _problems(broken))
    duplicated = _write(tmp_path, "name: 测试\nyear: 2025\nyear: 2024\ngroups: []\n", "dup.yaml")
    problems = _problems(duplicated)
    assert any(p.startswith(f"{duplicated}:3: ") and "重复" in p for p in problems)
    assert any("groups 应为非空列表" in p for p in problems)


def test_a_missing_definition_file_is_one_clear_problem(tmp_path):
    assert _problems(tmp_path / "nope.yaml") == [f"文件不存在：{tmp_path / 'nope.yaml'}"]


def test_previous_survey_errors_are_reported_under_the_previous_line(tmp_path):
    (tmp_path / "scores.csv").write_text("site\n", encoding="utf-8")
    _write(tmp_path, "name: 上年\nyear: 2024\n", "old.yaml")
    path = _write(
        tmp_path,
        """
        name: 测试
        year: 2025
        previous: old.yaml
        groups:
          - {name: 省级, framework: digital_gov_2025, scores: scores.csv}
        """,
    )
    problems = _problems(path)
    assert problems[0] == f"{path}:3: 上年调查定义有错误："
    assert any("old.yaml:1: 调查定义缺少“groups”" in p for p in problems[1:])


def test_bad_score_sheet_rows_are_reported_with_group_and_row(tmp_path):
    (tmp_path / "scores.csv").write_text("site,management.organization.leadership\n北京市,7\n", encoding="utf-8")
    path = _write(
        tmp_path,
        """
        name: 测试
        year: 2025
        groups:
          - name: 省级
            framework: digital_gov_2025
            scores: scores.csv
            allow_missing: true
        """,
    )
    with pytest.raises(SurveyError) as caught:
        load_survey(read_definition(path))
    text = "\n".join(caught.value.problems)
    assert f"{path}:4: 分组“省级”" in text
    assert "第 2 行“management.organization.leadership”列：得分 7 超出范围 [0, 1]" in text


def test_the_fixture_survey_loads_with_last_year_attached(fixture_survey):
    survey = load_survey(read_definition(fixture_survey.path))
    assert [g.name for g in survey.groups] == ["省级", "城市"]
    assert survey.previous is not None and survey.previous.year == 2024
    assert survey.previous.previous is None
    assert {g.name: len(g.ranked) for g in survey.groups} == {"省级": 6, "城市": 5}


def test_a_malformed_scan_summary_is_reported_once_with_its_path(tmp_path, fixture_survey):
    scan = tmp_path / "scan"
    scan.mkdir()
    (scan / "summary.json").write_text('{"sites": [{"site": "https://a.example/"}]}', encoding="utf-8")
    source = fixture_survey.path.parent
    path = _write(
        tmp_path,
        f"""
        name: 测试
        year: 2025
        groups:
          - {{name: 省级, framework: digital_gov_2025, scores: {source / "scores_province.csv"}, scan: scan}}
          - {{name: 城市, framework: digital_gov_2025, scores: {source / "scores_city.csv"}, scan: scan}}
        """,
    )
    with pytest.raises(SurveyError) as caught:
        load_survey(read_definition(path))
    problems = caught.value.problems
    assert len(problems) == 1
    assert f"{scan / 'summary.json'}: 第 1 个站点缺少 site、verdict 或 findings_by_type" in problems[0]

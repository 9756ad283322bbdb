"""A user's own framework gets every error with its file and line, and a hint at the fix."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from govsite import frameworks as fw
from govsite.cli import main

GOOD = """\
schema: govsite-framework/1
code: my_scheme_2026
name: 某省政府网站检查方案
year: 2026
total: 10
bands:
  - {name: 合格, min: 6}
  - {name: 不合格, min: 0}
indicators:
  - code: ops
    name: 日常运维
    weight: 10
    children:
      - code: ops.update
        name: 栏目更新
        weight: 6
        collection: auto
        assessment: 检查栏目更新情况
        finding_types: [stale_column]
      - code: ops.links
        name: 链接可用性
        weight: 4
        collection: hybrid
        assessment: 检查链接
bonus:
  code: bonus
  name: 创新加分
  weight: 2
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scheme.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _errors(tmp_path, text) -> list[str]:
    framework, problems = fw.load_file(_write(tmp_path, text))
    errors = [str(p) for p in problems if p.level == "error"]
    assert framework is None or not errors
    return errors


def test_a_good_user_framework_loads_and_scores(tmp_path):
    path = _write(tmp_path, GOOD)
    framework = fw.load(str(path))
    assert framework.code == "my_scheme_2026"
    assert [leaf.code for leaf in framework.leaves()] == ["ops.update", "ops.links"]
    assert framework.band_for(framework.total) == "合格"


def test_duplicate_code_names_both_lines(tmp_path):
    errors = _errors(tmp_path, GOOD.replace("code: ops.links", "code: ops.update"))
    assert errors == [f"{tmp_path / 'scheme.yaml'}:20: 错误: 代码“ops.update”重复（第 14 行已使用）"]


def test_non_positive_weight_is_an_error_with_its_line(tmp_path):
    errors = _errors(tmp_path, GOOD.replace("weight: 4\n", "weight: 0\n"))
    assert any(":22: 错误: 指标 ops.links 的权重必须为正数，实为 0" in e for e in errors)


def test_weight_that_is_not_a_number(tmp_path):
    errors = _errors(tmp_path, GOOD.replace("weight: 4\n", "weight: 四\n"))
    assert any(":22: 错误: 指标 ops.links 的权重 应为数字，实为“四”" in e for e in errors)


def test_framework_total_mismatch_is_an_error(tmp_path):
    errors = _errors(tmp_path, GOOD.replace("total: 10", "total: 12").replace("weight: 10\n", "weight: 12\n"))
    assert errors == [
        f"{tmp_path / 'scheme.yaml'}:5: 错误: 指标体系 my_scheme_2026 叶子指标权重合计 10，与 total 12 不一致"
    ]


def test_group_total_mismatch_is_a_warning_not_an_error(tmp_path):
    framework, problems = fw.load_file(_write(tmp_path, GOOD.replace("weight: 10\n", "weight: 11\n")))
    assert framework is not None
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'scheme.yaml'}:10: 警告: 指标体系 my_scheme_2026 的“日常运维”（ops）标注权重 11，其下指标合计 10"
    ]


def test_child_code_must_extend_the_parent_code(tmp_path):
    errors = _errors(tmp_path, GOOD.replace("code: ops.links", "code: links"))
    assert any(":20: 错误: 代码“links”应以上级代码“ops.”开头" in e for e in errors)


def test_bad_code_characters(tmp_path):
    errors = _errors(tmp_path, GOOD.replace("code: ops.links", "code: ops.Links-2"))
    assert any("代码“ops.Links-2”不合规" in e for e in errors)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("collection: hybrid", "collection: robot"), "collection 应为 auto、manual、hybrid 之一"),
        (("finding_types: [stale_column]", "finding_types: [stale_colum]"), "未知的问题类型“stale_colum”"),
        (("    name: 日常运维\n", "    name: 日常运维\n    colour: red\n"), "未知的键“colour”"),
        (
            (
                "  - {name: 合格, min: 6}\n  - {name: 不合格, min: 0}",
                "  - {name: 不合格, min: 0}\n  - {name: 合格, min: 6}",
            ),
            "档级应按下限从高到低排列",
        ),
        (("name: 创新加分\n  weight: 2", "name: 创新加分\n  weight: -2"), "权重必须为正数"),
        (("year: 2026\n", ""), "缺少必填键“year”"),
    ],
)
def test_each_schema_error_is_explained(tmp_path, change, expected):
    old, new = change
    assert old in GOOD
    errors = _errors(tmp_path, GOOD.replace(old, new))
    assert any(expected in e for e in errors), errors


def test_duplicate_yaml_key_is_caught(tmp_path):
    errors = _errors(tmp_path, GOOD.replace("total: 10\n", "total: 10\ntotal: 10\n"))
    assert any(":6: 错误: 键“total”重复出现（第 5 行已有）" in e for e in errors)


def test_yaml_syntax_error_names_the_line(tmp_path):
    errors = _errors(tmp_path, GOOD.replace("    weight: 10\n", "    weight: [10\n"))
    assert len(errors) == 1 and "YAML 语法错误" in errors[0]


def test_variant_weights_must_cover_every_variant(tmp_path):
    text = GOOD.replace("total: 10\n", "total: 10\nvariants: {a: 甲, b: 乙}\n")
    text = text.replace("weight: 6\n", "weight: {a: 6, b: 6}\n").replace("weight: 4\n", "weight: {a: 4}\n")
    text = text.replace("weight: 10\n", "weight: {a: 10, b: 10}\n").replace("weight: 2\n", "weight: {a: 2, b: 2}\n")
    errors = _errors(tmp_path, text)
    assert any("指标 ops.links 缺少变体 b 的权重" in e for e in errors)


def test_cli_validate_exits_2_and_prints_the_line(tmp_path):
    path = _write(tmp_path, GOOD.replace("code: ops.links", "code: ops.update"))
    result = CliRunner().invoke(main, ["frameworks", "validate", str(path)])
    assert result.exit_code == 2
    assert "scheme.yaml:20" in result.output and "重复" in result.output


def test_cli_validate_all_bundled_passes_with_one_warning():
    result = CliRunner().invoke(main, ["frameworks", "validate"])
    assert result.exit_code == 0, result.output
    assert result.output.count("通过") == len(fw.bundled_names())
    assert result.output.count("警告") == 2  # the message and the per-file count

"""Column update classes: the bundled rules on real-looking column names, column_status, and bad config files."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from govsite.checks.columns import (
    DEFAULT_FILE,
    UNCLASSIFIED,
    UpdateClassesError,
    classify_column,
    column_status,
    load_update_classes,
)
from govsite.crawl.records import ListItem

AS_OF = date(2025, 6, 20)


@pytest.fixture(scope="module")
def classes():
    return load_update_classes()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # 动态、要闻类
        ("工作动态", "dynamic"),
        ("部门动态", "dynamic"),
        ("政务要闻", "dynamic"),
        ("新闻", "dynamic"),
        ("新闻中心", "dynamic"),
        ("图片新闻", "dynamic"),
        ("视频新闻", "dynamic"),
        ("乡镇动态", "dynamic"),
        ("区县动态", "dynamic"),
        ("镇街动态", "dynamic"),
        ("领导活动", "dynamic"),
        ("媒体聚焦", "dynamic"),
        ("今日关注", "dynamic"),
        ("政务信息", "dynamic"),
        ("财政动态", "dynamic"),  # a 动态 name is news whatever its topic
        ("统计动态", "dynamic"),
        ("Ｗork 新闻", "dynamic"),
        # 通知公告、政策文件类
        ("通知公告", "notice"),
        ("公示公告", "notice"),
        ("公告公示", "notice"),
        ("通知 公告", "notice"),
        ("政策文件", "notice"),
        ("规范性文件", "notice"),
        ("政府文件", "notice"),
        ("部门文件", "notice"),
        ("政策解读", "notice"),  # goes with the files it explains
        ("图解政策", "notice"),
        ("新闻发布会", "notice"),  # not news, although it says 新闻
        ("政府令", "notice"),
        ("意见征集", "notice"),
        # 人事、规划计划等需长期更新类
        ("人事信息", "regular"),
        ("人事任免", "regular"),
        ("人事任免公告", "regular"),  # the topic beats 公告
        ("公务员招考", "regular"),
        ("规划计划", "regular"),
        ("发展规划", "regular"),
        ("财政预决算", "regular"),
        ("部门预算", "regular"),
        ("三公经费", "regular"),
        ("统计信息", "regular"),
        ("统计数据", "regular"),
        ("统计公报", "regular"),
        ("政府采购", "regular"),
        ("招标公告", "regular"),
        ("重点领域信息公开", "regular"),
        ("建议提案办理", "regular"),
        ("政府信息公开年报", "regular"),
        ("政府工作报告", "regular"),
        ("权责清单", "regular"),
        # 无更新要求
        ("机构职能", "static"),
        ("领导信息", "static"),
        ("领导之窗", "static"),
        ("领导简介", "static"),
        ("政府信息公开指南", "static"),
        ("政府信息公开制度", "static"),
        ("联系我们", "static"),
        ("县情概况", "static"),
        ("走进东阳", "static"),
        ("内设机构", "static"),
        # not judged
        ("互动交流", UNCLASSIFIED),
        ("领导信箱", UNCLASSIFIED),
        ("办事指南", UNCLASSIFIED),
        ("在线访谈", UNCLASSIFIED),
        ("", UNCLASSIFIED),
    ],
)
def test_bundled_rules_classify_real_column_names(classes, name, code):
    assert classify_column(name, classes).code == code


def test_bundled_limits_follow_the_inspection_rules(classes):
    assert classes.homepage.max_age_days == 14
    assert classes.get("dynamic").max_age_days == 14
    assert classes.get("notice").max_age_days == 183
    assert classes.get("regular").max_age_days == 365
    assert classes.get("static").max_age_days is None
    assert not classes.get("static").judged
    assert not classify_column("互动交流", classes).judged


def test_default_load_is_cached_and_equals_loading_the_bundled_file(classes):
    assert load_update_classes() is classes
    assert load_update_classes(DEFAULT_FILE).classes == classes.classes


# --- column_status ------------------------------------------------------------------------------


def items(*dates):
    return [ListItem(f"http://x.gov.cn/tzgg/{k}.html", f"标题{k}", d) for k, d in enumerate(dates)]


def test_fresh_dynamic_column(classes):
    status = column_status(items(date(2025, 6, 18), date(2025, 6, 1)), classes.get("dynamic"), AS_OF)
    assert (status.newest, status.age_days, status.stale) == (date(2025, 6, 18), 2, False)
    assert "未超过" in status.reason


def test_limit_is_exceeded_only_after_the_last_day(classes):
    dynamic = classes.get("dynamic")
    assert not column_status(items(AS_OF - timedelta(days=14)), dynamic, AS_OF).stale
    status = column_status(items(AS_OF - timedelta(days=15)), dynamic, AS_OF)
    assert status.stale
    assert status.age_days == 15
    assert status.reason == (
        "最新信息发布于 2025-06-05，距检查日期 2025-06-20 已 15 天，超过“动态要闻类栏目” 14 天的更新要求"
    )


def test_newest_item_decides_not_the_first(classes):
    status = column_status(items(date(2024, 1, 1), date(2025, 3, 1), None), classes.get("notice"), AS_OF)
    assert status.newest == date(2025, 3, 1)
    assert not status.stale  # 111 days < 183


def test_notice_and_regular_limits(classes):
    assert column_status(items(AS_OF - timedelta(days=184)), classes.get("notice"), AS_OF).stale
    assert not column_status(items(AS_OF - timedelta(days=183)), classes.get("notice"), AS_OF).stale
    assert column_status(items(date(2024, 6, 19)), classes.get("regular"), AS_OF).stale
    assert not column_status(items(date(2024, 6, 20)), classes.get("regular"), AS_OF).stale


def test_items_without_dates_count_as_not_updated(classes):
    status = column_status(items(None, None, None), classes.get("notice"), AS_OF)
    assert status.stale
    assert status.newest is None and status.age_days is None
    assert "未标注发布日期" in status.reason


def test_future_dates_do_not_make_a_column_fresh(classes):
    status = column_status(items(date(2052, 6, 1), date(2024, 1, 1)), classes.get("dynamic"), AS_OF)
    assert status.newest == date(2024, 1, 1)
    assert status.stale
    only_future = column_status(items(date(2052, 6, 1)), classes.get("dynamic"), AS_OF)
    assert only_future.stale and "晚于检查日期" in only_future.reason


def test_column_with_no_items_is_stale_as_an_empty_column(classes):
    status = column_status([], classes.get("dynamic"), AS_OF)
    assert status.stale
    assert "空白栏目" in status.reason


def test_static_and_unclassified_columns_are_never_stale(classes):
    old = items(date(2010, 1, 1))
    static = column_status(old, classes.get("static"), AS_OF)
    assert not static.stale
    assert static.newest == date(2010, 1, 1)
    assert "无更新要求" in static.reason
    unclassified = column_status([], classify_column("互动交流", classes), AS_OF)
    assert not unclassified.stale
    assert "未能识别栏目类别" in unclassified.reason


# --- custom files and their errors ------------------------------------------------------------------

GOOD = """\
schema: govsite-update-classes/1
classes:
  homepage: {name: 首页, max_age_days: 7}
  weekly: {name: 每周更新栏目, max_age_days: 7}
  static: {name: 无更新要求, max_age_days: null}
rules:
  - class: static
    keywords: [指南]
  - class: weekly
    keywords: [动态]
    patterns: ['^疫情', '周报$']
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "classes.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_deployment_file_replaces_the_bundled_rules(tmp_path):
    custom = load_update_classes(write(tmp_path, GOOD))
    assert classify_column("工作动态", custom).code == "weekly"
    assert classify_column("经济运行周报", custom).code == "weekly"
    assert classify_column("疫情防控", custom).code == "weekly"
    assert classify_column("信息公开指南", custom).code == "static"
    assert classify_column("通知公告", custom).code == UNCLASSIFIED
    assert custom.homepage.max_age_days == 7


def test_rule_order_is_precedence(tmp_path):
    text = GOOD.replace("keywords: [指南]", "keywords: [指南, 动态]")
    custom = load_update_classes(write(tmp_path, text))
    assert classify_column("工作动态", custom).code == "static"


def errors_of(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(UpdateClassesError) as caught:
        load_update_classes(write(tmp_path, text))
    return [str(p) for p in caught.value.problems]


def test_yaml_syntax_error_names_its_line(tmp_path):
    text = GOOD.replace("  - class: weekly\n", "  - class: weekly\n   bad: [unclosed\n")
    (error,) = errors_of(tmp_path, text)
    assert error.startswith(f"{tmp_path / 'classes.yaml'}:")
    assert "YAML 语法错误" in error


def test_unknown_class_in_a_rule_names_its_line(tmp_path):
    text = GOOD.replace("  - class: weekly", "  - class: weekley")
    assert errors_of(tmp_path, text) == [
        f"{tmp_path / 'classes.yaml'}:9: 错误: 第 2 条规则的类别“weekley”未在 classes 中定义"
    ]


def test_bad_max_age_days_names_its_line(tmp_path):
    for bad in ("0", "-3", "两周", "true", "1.5"):
        text = GOOD.replace(
            "weekly: {name: 每周更新栏目, max_age_days: 7}", f"weekly: {{name: 每周更新栏目, max_age_days: {bad}}}"
        )
        (error,) = errors_of(tmp_path, text)
        assert error.startswith(
            f"{tmp_path / 'classes.yaml'}:4: 错误: 类别“weekly”的 max_age_days 应为正整数天数或 null"
        )


def test_invalid_regex_names_its_line(tmp_path):
    text = GOOD.replace("patterns: ['^疫情', '周报$']", "patterns: ['^疫情',\n               '(周报']")
    (error,) = errors_of(tmp_path, text)
    assert error.startswith(f"{tmp_path / 'classes.yaml'}:12: 错误: 第 2 条规则的正则表达式“(周报”无效")


def test_duplicate_class_is_reported_with_both_lines(tmp_path):
    text = GOOD.replace("  static: {name: 无更新要求, max_age_days: null}", "  weekly: {name: 重复, max_age_days: 3}")
    text = text.replace("  - class: static\n    keywords: [指南]\n", "")
    (error,) = errors_of(tmp_path, text)
    assert error == f"{tmp_path / 'classes.yaml'}:5: 错误: 键“weekly”重复出现（第 4 行已有）"


def test_every_problem_is_reported_at_once(tmp_path):
    text = """\
schema: govsite-update-classes/2
classes:
  weekly: {name: 每周, max_age_days: 7, colour: red}
  unclassified: {name: 未分类, max_age_days: null}
  Bad-Code: {name: 坏, max_age_days: 1}
rules:
  - class: homepage
    keywords: [首页]
  - class: weekly
  - class: weekly
    keywords: 动态
  - just a string
extra: 1
"""
    path = tmp_path / "classes.yaml"
    assert errors_of(tmp_path, text) == [
        f"{path}:13: 错误: 未知的键“extra”，只允许 schema、classes、rules",
        f"{path}:1: 错误: schema 应为 govsite-update-classes/1，实际为“govsite-update-classes/2”",
        f"{path}:3: 错误: 类别“weekly”中有未知的键“colour”，只允许 name、max_age_days",
        f"{path}:4: 错误: “unclassified”是内置类别（未匹配任何规则的栏目），不能在文件中定义",
        f"{path}:5: 错误: 类别代码“Bad-Code”无效：只能用小写字母、数字和下划线，以字母开头",
        f"{path}:3: 错误: 缺少首页类别“homepage”（首页的更新期限）",
        f"{path}:7: 错误: 第 1 条规则：首页类别只用于首页，不能按栏目名称匹配",
        f"{path}:9: 错误: 第 2 条规则没有 keywords 或 patterns，匹配不到任何栏目",
        f"{path}:11: 错误: 第 3 条规则的 keywords 应为字符串列表",
        f"{path}:12: 错误: 第 4 条规则应为映射，包含 class 以及 keywords 或 patterns",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "文件顶层应为映射（schema、classes、rules）"),
        ("- a\n- b\n", "文件顶层应为映射（schema、classes、rules）"),
        ("schema: govsite-update-classes/1\nrules: []\n", "缺少 classes，或 classes 不是“代码: 定义”的映射"),
        (
            "schema: govsite-update-classes/1\nclasses:\n  homepage: {name: 首页, max_age_days: 14}\n",
            "缺少 rules（栏目名称到类别的规则列表）",
        ),
    ],
)
def test_structural_problems(tmp_path, text, message):
    assert any(message in e for e in errors_of(tmp_path, text))


def test_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(UpdateClassesError, match="文件不存在"):
        load_update_classes(tmp_path / "nope.yaml")
    path = tmp_path / "gbk.yaml"
    path.write_bytes("schema: 栏目".encode("gbk"))
    with pytest.raises(UpdateClassesError, match="UTF-8"):
        load_update_classes(path)

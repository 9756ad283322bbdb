"""Column update classes (栏目更新类别) and the freshness judgement of one column.

For: deciding how often a column must be updated, from its name, and
whether its newest item meets that limit — the rule of
《政府网站与政务新媒体检查指标》 “栏目不更新” (动态、要闻类 2 周；通知公告、政策文件类
6 个月；人事、规划计划类等 1 年；首页 2 周). The classes and the name rules are
configuration (update_classes.yaml beside this module, or a deployment's own
file named by CheckConfig.update_classes_file); this module loads and
validates that file, classifies names and judges one column's items.
Not for: finding columns or reading their items (govsite.crawl.listpages),
or emitting findings (the freshness detector calls `column_status` and
turns stale columns into `stale_column` / `empty_column` findings).

Precedence of the rules is the file's order, first match wins; the bundled
file documents why static columns come first, 新闻发布会/政策解读 are notice
columns (6 months), any 动态/要闻/新闻 name is dynamic, and topic words
(人事, 统计, 政府采购…) beat the generic 通知/公告/公示.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from govsite.crawl.records import ListItem
from govsite.frameworks.loader import Problem
from govsite.frameworks.yamlsource import LinedDict, LinedList, load_mapping

SCHEMA = "govsite-update-classes/1"
DEFAULT_FILE = Path(__file__).with_name("update_classes.yaml")
UNCLASSIFIED = "unclassified"
HOMEPAGE = "homepage"
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_NAME_NOISE = re.compile(r"[\s·•・]+")


@dataclass(frozen=True)
class UpdateClass:
    """A kind of column and its update limit; `max_age_days` None means it is not judged."""

    code: str
    name: str
    max_age_days: int | None

    @property
    def judged(self) -> bool:
        return self.max_age_days is not None


UNCLASSIFIED_CLASS = UpdateClass(UNCLASSIFIED, "未分类栏目", None)


@dataclass(frozen=True)
class Rule:
    """Column names containing one of `keywords` or matching one of `patterns` belong to `class_code`."""

    class_code: str
    keywords: tuple[str, ...] = ()
    patterns: tuple[re.Pattern[str], ...] = ()
    line: int = 0

    def matches(self, name: str) -> bool:
        return any(k in name for k in self.keywords) or any(p.search(name) for p in self.patterns)


@dataclass(frozen=True)
class UpdateClasses:
    """The loaded configuration: classes by code and the ordered name rules."""

    classes: dict[str, UpdateClass]
    rules: tuple[Rule, ...] = field(default=())
    source: str = ""

    @property
    def homepage(self) -> UpdateClass:
        return self.classes[HOMEPAGE]

    def get(self, code: str) -> UpdateClass:
        return self.classes.get(code, UNCLASSIFIED_CLASS)


class UpdateClassesError(ValueError):
    """An update-classes file that cannot be used; `problems` lists every reason with its line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class ColumnStatus:
    """The freshness of one column on the as-of date.

    `newest` is the latest publish date not after as-of (None when no item has
    one); `age_days` is as-of minus newest; `stale` is whether the column breaks
    its class's limit (always False for classes that are not judged);
    `reason` says why, in Chinese, for the finding's evidence.
    """

    newest: date | None
    age_days: int | None
    stale: bool
    reason: str


def normalize_name(name: str) -> str:
    """A column name as the rules see it: no spaces or middle dots, Latin letters lower-cased."""
    return _NAME_NOISE.sub("", name or "").lower()


def classify_column(name: str, classes: UpdateClasses) -> UpdateClass:
    """The update class of a column by its name: the first matching rule's class, else unclassified."""
    key = normalize_name(name)
    if not key:
        return UNCLASSIFIED_CLASS
    for rule in classes.rules:
        if rule.matches(key):
            return classes.get(rule.class_code)
    return UNCLASSIFIED_CLASS


def column_status(list_page_items: list[ListItem], update_class: UpdateClass, as_of: date) -> ColumnStatus:
    """Judge one column: is its newest dated item within its class's limit on `as_of`?

    Items dated after `as_of` are ignored (the future_date check reports them;
    they must not make a column look fresh). A column whose items carry no
    date counts as not updated; a column with no items at all is reported as
    stale here too, with its own reason (the detector reports it as an empty
    column instead when the page said so).
    """
    dates = [item.date for item in list_page_items if item.date is not None]
    past = [d for d in dates if d <= as_of]
    newest = max(past) if past else None
    age = (as_of - newest).days if newest else None
    limit = update_class.max_age_days
    if limit is None:
        why = "未能识别栏目类别" if update_class.code == UNCLASSIFIED else f"“{update_class.name}”没有更新期限"
        shown = f"，最新信息发布于 {newest.isoformat()}" if newest else ""
        return ColumnStatus(newest, age, False, f"{why}，不判断更新情况{shown}")
    if not list_page_items:
        return ColumnStatus(None, None, True, "栏目没有任何信息条目（空白栏目）")
    if newest is None:
        if dates:
            return ColumnStatus(None, None, True, f"栏目信息的发布日期均晚于检查日期 {as_of.isoformat()}，视为未更新")
        return ColumnStatus(None, None, True, "栏目信息均未标注发布日期，视为未更新")
    assert age is not None
    if age > limit:
        return ColumnStatus(
            newest,
            age,
            True,
            f"最新信息发布于 {newest.isoformat()}，距检查日期 {as_of.isoformat()} 已 {age} 天，"
            f"超过“{update_class.name}” {limit} 天的更新要求",
        )
    return ColumnStatus(
        newest,
        age,
        False,
        f"最新信息发布于 {newest.isoformat()}，距检查日期 {age} 天，未超过“{update_class.name}” {limit} 天的更新要求",
    )


# --- loading ------------------------------------------------------------------------------------


def load_update_classes(path: str | Path | None = None) -> UpdateClasses:
    """Load and validate an update-classes YAML file (the bundled defaults when `path` is None).

    Raises UpdateClassesError listing every problem as "file:line: 错误: message".
    """
    if path is None or str(path) == "":
        return _default_classes()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _default_classes() -> UpdateClasses:
    return _load(DEFAULT_FILE)


def _load(path: Path) -> UpdateClasses:
    reader = _Reader(str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        reader.error(0, "文件不存在")
        raise UpdateClassesError(reader.problems) from None
    except UnicodeDecodeError:
        reader.error(0, "文件不是 UTF-8 编码，请另存为 UTF-8")
        raise UpdateClassesError(reader.problems) from None
    except OSError as exc:
        reader.error(0, f"无法读取文件：{exc.strerror or exc}")
        raise UpdateClassesError(reader.problems) from None
    result = reader.read(text)
    if result is None or reader.problems:
        raise UpdateClassesError(reader.problems)
    return result


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.declared: set[str] = set()

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem("error", self.file, line, message))

    def read(self, text: str) -> UpdateClasses | None:
        data = load_mapping(text, self.error, "schema、classes、rules")
        if data is None:
            return None
        for key in data:
            if key not in ("schema", "classes", "rules"):
                self.error(data.line_of(key), f"未知的键“{key}”，只允许 schema、classes、rules")
        if data.get("schema") != SCHEMA:
            self.error(data.line_of("schema"), f"schema 应为 {SCHEMA}，实际为“{data.get('schema')}”")
        classes = self._classes(data)
        rules = self._rules(data)
        if self.problems:
            return None
        return UpdateClasses(classes, tuple(rules), self.file)

    def _classes(self, data: LinedDict) -> dict[str, UpdateClass]:
        raw = data.get("classes")
        out: dict[str, UpdateClass] = {}
        if not isinstance(raw, LinedDict) or not raw:
            self.error(data.line_of("classes"), "缺少 classes，或 classes 不是“代码: 定义”的映射")
            return out
        for code, spec in raw.items():
            line = raw.line_of(code)
            code_text = str(code)
            if not isinstance(code, str) or not _CODE.match(code):
                self.error(line, f"类别代码“{code_text}”无效：只能用小写字母、数字和下划线，以字母开头")
                continue
            if code == UNCLASSIFIED:
                self.error(line, f"“{UNCLASSIFIED}”是内置类别（未匹配任何规则的栏目），不能在文件中定义")
                continue
            self.declared.add(code)  # rules may name it even if its definition below is wrong
            if not isinstance(spec, LinedDict):
                self.error(line, f"类别“{code}”应为映射，包含 name 和 max_age_days")
                continue
            for key in spec:
                if key not in ("name", "max_age_days"):
                    self.error(spec.line_of(key), f"类别“{code}”中有未知的键“{key}”，只允许 name、max_age_days")
            name = spec.get("name")
            if not isinstance(name, str) or not name.strip():
                self.error(spec.line_of("name"), f"类别“{code}”缺少中文名称 name")
                name = code
            if "max_age_days" not in spec:
                self.error(spec.line, f"类别“{code}”缺少 max_age_days（天数，或 null 表示不要求更新）")
                continue
            days = spec["max_age_days"]
            if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days <= 0):
                self.error(
                    spec.line_of("max_age_days"),
                    f"类别“{code}”的 max_age_days 应为正整数天数或 null，实际为“{days}”",
                )
                continue
            out[code] = UpdateClass(code, name.strip(), days)
        if HOMEPAGE not in self.declared:
            self.error(raw.line, f"缺少首页类别“{HOMEPAGE}”（首页的更新期限）")
        return out

    def _rules(self, data: LinedDict) -> list[Rule]:
        raw = data.get("rules")
        out: list[Rule] = []
        if raw is None:
            self.error(data.line, "缺少 rules（栏目名称到类别的规则列表）")
            return out
        if not isinstance(raw, LinedList):
            self.error(data.line_of("rules"), "rules 应为列表")
            return out
        for k, spec in enumerate(raw):
            line = raw.line_of(k)
            where = f"第 {k + 1} 条规则"
            if not isinstance(spec, LinedDict):
                self.error(line, f"{where}应为映射，包含 class 以及 keywords 或 patterns")
                continue
            for key in spec:
                if key not in ("class", "keywords", "patterns"):
                    self.error(spec.line_of(key), f"{where}中有未知的键“{key}”，只允许 class、keywords、patterns")
            code = spec.get("class")
            if code == UNCLASSIFIED:
                self.error(spec.line_of("class"), f"{where}：不必为“{UNCLASSIFIED}”写规则，未匹配的栏目即为未分类")
            elif code == HOMEPAGE:
                self.error(spec.line_of("class"), f"{where}：首页类别只用于首页，不能按栏目名称匹配")
            elif not isinstance(code, str) or code not in self.declared:
                self.error(spec.line_of("class"), f"{where}的类别“{code}”未在 classes 中定义")
            keywords = self._strings(spec, "keywords", where)
            patterns: list[re.Pattern[str]] = []
            for text, text_line in self._strings_with_lines(spec, "patterns", where):
                try:
                    patterns.append(re.compile(text))
                except re.error as exc:
                    self.error(text_line, f"{where}的正则表达式“{text}”无效：{exc}")
            if not keywords and not patterns and "keywords" not in spec and "patterns" not in spec:
                self.error(line, f"{where}没有 keywords 或 patterns，匹配不到任何栏目")
            out.append(Rule(str(code), tuple(normalize_name(k) for k in keywords), tuple(patterns), line))
        return out

    def _strings(self, spec: LinedDict, key: str, where: str) -> list[str]:
        return [text for text, _ in self._strings_with_lines(spec, key, where)]

    def _strings_with_lines(self, spec: LinedDict, key: str, where: str) -> list[tuple[str, int]]:
        if key not in spec:
            return []
        value = spec[key]
        if not isinstance(value, LinedList):
            self.error(spec.line_of(key), f"{where}的 {key} 应为字符串列表")
            return []
        out: list[tuple[str, int]] = []
        for k, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.error(value.line_of(k), f"{where}的 {key} 第 {k + 1} 项应为非空字符串，实际为“{item}”")
                continue
            out.append((item.strip(), value.line_of(k)))
        return out

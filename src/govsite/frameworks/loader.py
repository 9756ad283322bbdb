"""Read a framework YAML file, check it, and build the model.

Every problem is reported with the file and line and says what to change;
the loader never stops at the first one, so a user fixing their own
framework sees everything at once. Errors block loading; warnings (a group
whose printed total disagrees with its items) do not.
The format is documented in docs/frameworks.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from pathlib import Path
from typing import Any

from govsite.findings import FINDING_TYPES
from govsite.frameworks.model import (
    COLLECTION_MODES,
    DEFAULT_VARIANT,
    Band,
    Bonus,
    BonusCategory,
    Deduction,
    Framework,
    Indicator,
)
from govsite.frameworks.yamlsource import LinedDict, LinedList, load_mapping
from govsite.sites.sample import LEVELS

SCHEMA = "govsite-framework/1"
SITE_LEVELS = LEVELS  # the site levels a framework may apply to
CODE_PART = re.compile(r"^[a-z][a-z0-9_]*$")
TOP_KEYS = {
    "schema": True,
    "code": True,
    "name": True,
    "year": True,
    "total": True,
    "indicators": True,
    "survey": False,
    "source": False,
    "applies_to": False,
    "variants": False,
    "bands": False,
    "bonus": False,
}
INDICATOR_KEYS = {
    "code",
    "name",
    "weight",
    "children",
    "collection",
    "assessment",
    "checklist",
    "finding_types",
    "scoring",
    "deductions",
}
BONUS_KEYS = {"code", "name", "weight", "note", "categories"}


@dataclass(frozen=True)
class Problem:
    level: str  # "error" | "warning"
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        label = "错误" if self.level == "error" else "警告"
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {label}: {self.message}"


class FrameworkError(ValueError):
    """A framework file that cannot be loaded; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems if p.level == "error"))


def load_file(path: str | Path) -> tuple[Framework | None, list[Problem]]:
    """Parse and check one framework file; the framework is None when there are errors."""
    path = Path(path)
    reader = _Reader(str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        reader.error(0, "文件不存在")
        return None, reader.problems
    except UnicodeDecodeError:
        reader.error(0, "文件不是 UTF-8 编码，请另存为 UTF-8")
        return None, reader.problems
    return reader.read(text), reader.problems


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.variants: dict[str, str] = {}
        self.codes: dict[str, int] = {}

    # -- reporting -------------------------------------------------------
    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem("error", self.file, line, message))

    def warning(self, line: int, message: str) -> None:
        self.problems.append(Problem("warning", self.file, line, message))

    @property
    def has_errors(self) -> bool:
        return any(p.level == "error" for p in self.problems)

    # -- top level ---------------------------------------------------------
    def read(self, text: str) -> Framework | None:
        data = load_mapping(text, self.error, "schema、code、name、indicators 等键")
        if data is None:
            return None
        self._check_keys(data, TOP_KEYS, "指标体系")
        if data.get("schema") not in (None, SCHEMA):
            self.error(data.line_of("schema"), f"schema 应为 {SCHEMA}")
        code = self._code(data, "code", data.line, dotted=False)
        self.variants = self._variants(data)
        total = self._number(data.get("total"), data.line_of("total"), "total")
        year = data.get("year")
        if "year" in data and not isinstance(year, int):
            self.error(data.line_of("year"), "year 应为年份整数，如 2025")
        applies_to = self._applies_to(data)
        indicators = self._indicators(data.get("indicators"), data.line_of("indicators"), "")
        bands = self._bands(data.get("bands"), data.line_of("bands"))
        bonus = self._bonus(data.get("bonus"), data.line_of("bonus"))
        if self.has_errors:
            return None
        framework = Framework(
            code=code,
            name=str(data["name"]),
            year=int(year),
            total=total,
            indicators=tuple(indicators),
            survey=str(data.get("survey", "")),
            source=str(data.get("source", "")),
            applies_to=applies_to,
            variants=self.variants,
            bands=bands,
            bonus=bonus,
            path=self.file,
        )
        self._check_totals(framework, data.line_of("total"))
        return None if self.has_errors else framework

    def _check_keys(self, data: LinedDict, allowed: dict[str, bool] | set[str], what: str) -> None:
        for key in data:
            if key not in allowed:
                known = "、".join(allowed)
                self.error(data.line_of(key), f"{what}中有未知的键“{key}”（可用：{known}）")
        if isinstance(allowed, dict):
            for key, required in allowed.items():
                if required and key not in data:
                    self.error(data.line, f"{what}缺少必填键“{key}”")

    def _code(self, data: LinedDict, key: str, line: int, *, dotted: bool, parent: str = "") -> str:
        code = data.get(key)
        where = data.line_of(key) if key in data else line
        if not isinstance(code, str) or not code:
            self.error(where, f"缺少 {key}（小写 ASCII 代码，如 aggregation.disclosure）")
            return ""
        parts = code.split(".") if dotted else [code]
        if not all(CODE_PART.match(part) for part in parts):
            self.error(where, f"代码“{code}”不合规：只能用小写字母、数字和下划线，以字母开头，层级用点分隔")
        if parent and not code.startswith(parent + "."):
            self.error(where, f"代码“{code}”应以上级代码“{parent}.”开头")
        return code

    def _register(self, code: str, line: int) -> None:
        if not code:
            return
        if code in self.codes:
            self.error(line, f"代码“{code}”重复（第 {self.codes[code]} 行已使用）")
        else:
            self.codes[code] = line

    def _variants(self, data: LinedDict) -> dict[str, str]:
        raw = data.get("variants")
        if raw is None:
            return {}
        if not isinstance(raw, LinedDict) or not raw:
            self.error(data.line_of("variants"), "variants 应为映射，如 {etdz: 经开区, hitech: 高新区}")
            return {}
        for key in raw:
            if not isinstance(key, str) or not CODE_PART.match(key):
                self.error(raw.line_of(key), f"变体代码“{key}”不合规（小写 ASCII）")
        return {str(k): str(v) for k, v in raw.items()}

    def _applies_to(self, data: LinedDict) -> tuple[str, ...]:
        raw = data.get("applies_to", [])
        if not isinstance(raw, list):
            self.error(data.line_of("applies_to"), "applies_to 应为列表，如 [province]")
            return ()
        for index, level in enumerate(raw):
            if level not in SITE_LEVELS:
                line = raw.line_of(index) if isinstance(raw, LinedList) else data.line
                self.error(line, f"未知的网站层级“{level}”（可用：{'、'.join(SITE_LEVELS)}）")
        return tuple(str(level) for level in raw)

    # -- numbers -----------------------------------------------------------
    def _number(self, value: Any, line: int, what: str) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.error(line, f"{what} 应为数字，实为“{value}”")
            return Decimal(0)
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.error(line, f"{what} 应为数字，实为“{value}”")
            return Decimal(0)
        if not number.is_finite():
            self.error(line, f"{what} 应为有限数字")
            return Decimal(0)
        return number

    def _weights(self, value: Any, line: int, code: str, *, required: bool) -> dict[str, Decimal]:
        if value is None:
            if required:
                self.error(line, f"指标 {code} 缺少权重 weight")
            return {}
        if self.variants:
            if not isinstance(value, LinedDict):
                names = "、".join(self.variants)
                self.error(line, f"指标 {code} 的权重应按变体给出，如 {{{names}}} 各一个数字")
                return {}
            missing = [v for v in self.variants if v not in value]
            extra = [v for v in value if v not in self.variants]
            if missing:
                self.error(line, f"指标 {code} 缺少变体 {'、'.join(missing)} 的权重")
            if extra:
                self.error(line, f"指标 {code} 有未声明的变体 {'、'.join(map(str, extra))}")
            weights = {v: self._positive(value[v], value.line_of(v), code) for v in self.variants if v in value}
            return weights
        if isinstance(value, dict):
            self.error(line, f"指标 {code} 的权重应为一个数字（本指标体系未声明 variants）")
            return {}
        return {DEFAULT_VARIANT: self._positive(value, line, code)}

    def _positive(self, value: Any, line: int, code: str) -> Decimal:
        number = self._number(value, line, f"指标 {code} 的权重")
        if number <= 0 and not self._reported_at(line):
            self.error(line, f"指标 {code} 的权重必须为正数，实为 {value}")
        return number

    def _reported_at(self, line: int) -> bool:
        return any(p.line == line and p.level == "error" for p in self.problems)

    # -- indicators ----------------------------------------------------------
    def _indicators(self, raw: Any, line: int, parent: str) -> list[Indicator]:
        if not isinstance(raw, LinedList) or not raw:
            self.error(line, "children/indicators 应为非空列表")
            return []
        result = []
        for index, item in enumerate(raw):
            if not isinstance(item, LinedDict):
                self.error(raw.line_of(index), "指标应为映射（code、name、weight……）")
                continue
            result.append(self._indicator(item, parent))
        return result

    def _indicator(self, data: LinedDict, parent: str) -> Indicator:
        self._check_keys(data, INDICATOR_KEYS, "指标")
        code = self._code(data, "code", data.line, dotted=True, parent=parent)
        self._register(code, data.line_of("code"))
        if not isinstance(data.get("name"), str) or not data.get("name"):
            self.error(data.line, f"指标 {code} 缺少中文名称 name")
        has_children = "children" in data
        weights = self._weights(data.get("weight"), data.line_of("weight"), code, required=not has_children)
        children = self._indicators(data["children"], data.line_of("children"), code) if has_children else []
        collection = data.get("collection")
        if has_children:
            for key in ("collection", "checklist", "deductions", "scoring"):
                if key in data:
                    self.error(data.line_of(key), f"指标组 {code} 不应有 {key}（它属于叶子指标）")
        elif collection not in COLLECTION_MODES:
            self.error(
                data.line_of("collection"),
                f"指标 {code} 的 collection 应为 {'、'.join(COLLECTION_MODES)} 之一，实为“{collection}”",
            )
        scoring = data.get("scoring", "score")
        if scoring not in ("score", "deduction"):
            self.error(data.line_of("scoring"), f"指标 {code} 的 scoring 应为 score 或 deduction")
        deductions = self._deductions(data, code)
        if scoring == "deduction" and not deductions:
            self.error(data.line_of("scoring"), f"减分指标 {code} 应列出 deductions（减分情形）")
        return Indicator(
            code=code,
            name=str(data.get("name", "")),
            weights=weights,
            children=tuple(children),
            collection=collection if not has_children else None,
            assessment=str(data.get("assessment", "") or ""),
            checklist=self._strings(data, "checklist", code),
            finding_types=self._finding_types(data, code),
            scoring=scoring,
            deductions=deductions,
            line=data.line,
        )

    def _strings(self, data: LinedDict, key: str, code: str) -> tuple[str, ...]:
        raw = data.get(key, [])
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            self.error(data.line_of(key), f"指标 {code} 的 {key} 应为字符串列表")
            return ()
        return tuple(raw)

    def _finding_types(self, data: LinedDict, code: str) -> tuple[str, ...]:
        types = self._strings(data, "finding_types", code)
        for name in types:
            if name not in FINDING_TYPES:
                self.error(
                    data.line_of("finding_types"),
                    f"指标 {code} 引用了未知的问题类型“{name}”（见 docs/findings.md）",
                )
        return types

    def _deductions(self, data: LinedDict, code: str) -> tuple[Deduction, ...]:
        raw = data.get("deductions")
        if raw is None:
            return ()
        if not isinstance(raw, LinedList):
            self.error(data.line_of("deductions"), f"指标 {code} 的 deductions 应为列表")
            return ()
        result = []
        seen: set[str] = set()
        for index, item in enumerate(raw):
            line = raw.line_of(index)
            if not isinstance(item, LinedDict) or not item.get("text"):
                self.error(line, f"指标 {code} 的减分情形应包含 code 和 text")
                continue
            self._check_keys(item, {"code", "text", "finding_types"}, "减分情形")
            dcode = self._code(item, "code", line, dotted=False)
            if dcode in seen:
                self.error(line, f"指标 {code} 的减分情形代码“{dcode}”重复")
            seen.add(dcode)
            result.append(Deduction(dcode, str(item["text"]), self._finding_types(item, f"{code}/{dcode}")))
        return tuple(result)

    # -- bands and bonus ---------------------------------------------------------
    def _bands(self, raw: Any, line: int) -> tuple[Band, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, LinedList) or not raw:
            self.error(line, "bands 应为列表，如 - {name: 卓越, min: 95}")
            return ()
        bands: list[Band] = []
        for index, item in enumerate(raw):
            item_line = raw.line_of(index)
            if not isinstance(item, LinedDict) or "name" not in item or "min" not in item:
                self.error(item_line, "档级应包含 name 和 min")
                continue
            bands.append(Band(str(item["name"]), self._number(item["min"], item_line, "档级下限 min")))
        for upper, lower in pairwise(bands):
            if lower.min >= upper.min:
                self.error(line, f"档级应按下限从高到低排列：“{upper.name}”之后的“{lower.name}”下限不更低")
        return tuple(bands)

    def _bonus(self, raw: Any, line: int) -> Bonus | None:
        if raw is None:
            return None
        if not isinstance(raw, LinedDict):
            self.error(line, "bonus 应为映射（code、name、weight、categories）")
            return None
        self._check_keys(raw, BONUS_KEYS, "加分项")
        code = self._code(raw, "code", raw.line, dotted=False)
        self._register(code, raw.line_of("code"))
        weights = self._weights(raw.get("weight"), raw.line_of("weight"), code or "bonus", required=True)
        categories = []
        cats = raw.get("categories", [])
        if not isinstance(cats, list):
            self.error(raw.line_of("categories"), "加分项 categories 应为列表")
            cats = []
        for index, item in enumerate(cats):
            item_line = cats.line_of(index) if isinstance(cats, LinedList) else raw.line
            if not isinstance(item, LinedDict) or "name" not in item:
                self.error(item_line, "加分类别应包含 code 和 name")
                continue
            ccode = self._code(item, "code", item_line, dotted=False)
            categories.append(BonusCategory(ccode, str(item["name"]), str(item.get("description", ""))))
        return Bonus(code, str(raw.get("name", "")), weights, tuple(categories), str(raw.get("note", "")))

    # -- totals ------------------------------------------------------------
    def _check_totals(self, framework: Framework, total_line: int) -> None:
        variants = list(framework.variants) or [DEFAULT_VARIANT]
        for variant in variants:
            label = f"（{framework.variants[variant]}）" if variant else ""
            leaf_total = sum((leaf.weights[variant] for leaf in framework.leaves()), Decimal(0))
            if leaf_total != framework.total:
                self.error(
                    total_line,
                    f"指标体系 {framework.code}{label} 叶子指标权重合计 {_fmt(leaf_total)}，"
                    f"与 total {_fmt(framework.total)} 不一致",
                )
            for group in framework.walk():
                if group.is_leaf or variant not in group.weights:
                    continue
                declared = group.weights[variant]
                actual = group.leaf_sum(variant)
                if declared != actual:
                    self.warning(
                        group.line,
                        f"指标体系 {framework.code}{label} 的“{group.name}”（{group.code}）"
                        f"标注权重 {_fmt(declared)}，其下指标合计 {_fmt(actual)}",
                    )


def _fmt(number: Decimal) -> str:
    return format(number.normalize(), "f")

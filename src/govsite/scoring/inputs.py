"""Score sheets: the per-site indicator scores that assessors hand in.

A sheet is a CSV (one row per site, one column per leaf indicator code, plus
`site`, optional `division_code`, `self_registered` and `bonus`) or JSON
(`[{"site": ..., "scores": {code: score}, "bonus": ...}]`). Reading is
separate from checking: `read_sheet` turns a file into rows, `check_sheet`
compares them with a framework and reports every problem with its row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from govsite.frameworks import Framework
from govsite.userfiles import UserFileError, read_csv_rows, read_user_text

RESERVED_COLUMNS = ("site", "division_code", "self_registered", "bonus", "level", "name", "url", "网址")
TRUE_WORDS = {"1", "true", "yes", "y", "是", "新增", "自主报名"}
FALSE_WORDS = {"", "0", "false", "no", "n", "否"}


@dataclass(frozen=True)
class SheetRow:
    """One site's scores as written in the file (values still unchecked text or numbers)."""

    row: int  # 1-based line of the CSV (header is row 1) or 1-based index in JSON
    site: str
    values: dict[str, str]
    bonus: str = ""
    division_code: str = ""
    self_registered: str = ""
    url: str = ""  # the site's homepage, when the sheet gives it (links scores to scans)


@dataclass(frozen=True)
class SiteScores:
    """A checked row: scores are numbers within their weights."""

    row: int
    site: str
    scores: dict[str, Decimal]
    bonus: Decimal
    division_code: str | None = None
    self_registered: bool | None = None  # None: the sheet does not say
    not_assessed: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScoreProblem:
    row: int
    message: str
    column: str = ""

    def __str__(self) -> str:
        where = f"第 {self.row} 行" + (f"“{self.column}”列" if self.column else "")
        return f"{where}：{self.message}"


class ScoreSheetError(ValueError):
    def __init__(self, source: str, problems: list[ScoreProblem]) -> None:
        self.source = source
        self.problems = problems
        lines = [f"{source}: {problem}" for problem in problems]
        super().__init__("\n".join(lines))


@dataclass
class CheckedSheet:
    sites: list[SiteScores] = field(default_factory=list)
    problems: list[ScoreProblem] = field(default_factory=list)
    not_assessed: dict[str, tuple[str, ...]] = field(default_factory=dict)


def read_sheet(path: str | Path) -> list[SheetRow]:
    """Read a CSV or JSON score sheet; raises UserFileError / ScoreSheetError on unreadable files."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return _read_json(path)
    if path.suffix.lower() in (".xlsx", ".xls"):
        raise UserFileError(f"{path}: 请将 Excel 表格另存为 CSV（UTF-8 或 GBK 均可）后再导入")
    return _read_csv(path)


def _read_csv(path: Path) -> list[SheetRow]:
    rows = read_csv_rows(path)
    sheet = []
    for index, row in enumerate(rows):
        site = row.get("site") or row.get("name") or ""
        values = {k: v for k, v in row.items() if k not in RESERVED_COLUMNS}
        sheet.append(
            SheetRow(
                row=index + 2,
                site=site,
                values=values,
                bonus=row.get("bonus", ""),
                division_code=row.get("division_code", ""),
                self_registered=row.get("self_registered", ""),
                url=row.get("url") or row.get("网址", ""),
            )
        )
    return sheet


def _read_json(path: Path) -> list[SheetRow]:
    text, _ = read_user_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScoreSheetError(str(path), [ScoreProblem(exc.lineno, f"JSON 格式错误：{exc.msg}")]) from exc
    if isinstance(data, dict):
        data = data.get("sites", [])
    if not isinstance(data, list):
        raise ScoreSheetError(str(path), [ScoreProblem(1, 'JSON 顶层应为站点列表或 {"sites": [...]}')])
    sheet = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("scores", {}), dict):
            raise ScoreSheetError(str(path), [ScoreProblem(index, "每个站点应为 {site, scores: {代码: 得分}}")])
        sheet.append(
            SheetRow(
                row=index,
                site=str(item.get("site", "")).strip(),
                values={str(k): _text(v) for k, v in item.get("scores", {}).items()},
                bonus=_text(item.get("bonus", "")),
                division_code=_text(item.get("division_code", "")),
                self_registered=_text(item.get("self_registered", "")),
                url=_text(item.get("url", "")),
            )
        )
    return sheet


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value).strip()


def check_sheet(framework: Framework, rows: list[SheetRow], *, allow_missing: bool = False) -> CheckedSheet:
    """Check every row against the framework; keep good rows, report each problem with its row."""
    result = CheckedSheet()
    seen: dict[str, int] = {}
    for row in rows:
        problems: list[ScoreProblem] = []
        _check_site_name(row, seen, problems)
        scores, missing = _check_scores(framework, row, problems)
        if missing and not allow_missing:
            problems.append(ScoreProblem(row.row, _missing_message(missing)))
        bonus = _check_bonus(framework, row, problems)
        flag = _check_identity(row, problems)
        if problems:
            result.problems.extend(problems)
            continue
        result.sites.append(
            SiteScores(
                row=row.row,
                site=row.site,
                scores=scores,
                bonus=bonus,
                division_code=row.division_code or None,
                self_registered=flag,
                not_assessed=tuple(missing),
            )
        )
        if missing:
            result.not_assessed[row.site] = tuple(missing)
    return result


def _check_site_name(row: SheetRow, seen: dict[str, int], problems: list[ScoreProblem]) -> None:
    if not row.site:
        problems.append(ScoreProblem(row.row, "缺少站点名称（site 列）", "site"))
    elif row.site in seen:
        problems.append(ScoreProblem(row.row, f"站点“{row.site}”重复（第 {seen[row.site]} 行已有）", "site"))
    else:
        seen[row.site] = row.row


def _check_scores(
    framework: Framework, row: SheetRow, problems: list[ScoreProblem]
) -> tuple[dict[str, Decimal], list[str]]:
    """Scores of the leaves that have one, and the leaf codes that have none."""
    leaves = {leaf.code: leaf for leaf in framework.leaves()}
    for column in row.values:
        if column not in leaves:
            problems.append(ScoreProblem(row.row, _unknown_code_message(framework, column), column))
    scores: dict[str, Decimal] = {}
    missing: list[str] = []
    for code, leaf in leaves.items():
        raw = row.values.get(code, "")
        value = _number(raw)
        if raw == "":
            missing.append(code)
        elif value is None:
            problems.append(ScoreProblem(row.row, f"得分“{raw}”不是数字", code))
        elif not Decimal(0) <= value <= leaf.weight:
            message = f"得分 {raw} 超出范围 [0, {_fmt(leaf.weight)}]（{leaf.name}）"
            problems.append(ScoreProblem(row.row, message, code))
        else:
            scores[code] = value
    return scores, missing


def _missing_message(missing: list[str]) -> str:
    shown = "、".join(missing[:5]) + ("……" if len(missing) > 5 else "")
    return (
        f"缺少 {len(missing)} 个指标的得分：{shown}"
        "（如确未评估，请加 --allow-missing，将按未评估计 0 分并在结果中注明）"
    )


def _check_identity(row: SheetRow, problems: list[ScoreProblem]) -> bool | None:
    """Check division_code and self_registered; return the flag (None when the sheet is silent)."""
    code = row.division_code
    if code and not (code.isdigit() and len(code) == 6):
        problems.append(ScoreProblem(row.row, f"行政区划代码应为 6 位数字，实为“{code}”", "division_code"))
    flag = row.self_registered.lower()
    if flag not in TRUE_WORDS | FALSE_WORDS:
        message = f"self_registered 应为 是/否 或 1/0，实为“{row.self_registered}”"
        problems.append(ScoreProblem(row.row, message, "self_registered"))
    return None if flag == "" else flag in TRUE_WORDS


def _check_bonus(framework: Framework, row: SheetRow, problems: list[ScoreProblem]) -> Decimal:
    if row.bonus == "":
        return Decimal(0)
    value = _number(row.bonus)
    if value is None or value < 0:
        problems.append(ScoreProblem(row.row, f"加分“{row.bonus}”应为非负数字", "bonus"))
        return Decimal(0)
    if framework.bonus is None:
        problems.append(ScoreProblem(row.row, f"指标体系 {framework.code} 没有加分项", "bonus"))
        return Decimal(0)
    return value


def _unknown_code_message(framework: Framework, column: str) -> str:
    known = framework.find(column)
    if known is not None:
        return f"“{column}”是指标组（{known.name}），只能给叶子指标打分"
    return f"未知的指标代码“{column}”（用 govsite frameworks show {framework.display_code} 查看代码）"


def _number(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw.replace(",", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _fmt(number: Decimal | None) -> str:
    return format(number.normalize(), "f") if number is not None else "?"

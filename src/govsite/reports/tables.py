"""Format-neutral tables and their writers.

A `Table` is a title, headers and rows of plain values. CSV is written as
UTF-8 with a BOM, which Excel and WPS open without garbling Chinese; XLSX
keeps numbers as numbers, bolds and freezes the header row and sizes the
columns for CJK text (two columns of width per character).
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

MAX_SHEET_TITLE = 31  # Excel's limit
INVALID_SHEET_CHARS = set("[]:*?/\\")


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def plain(value: Any) -> Any:
    """Decimals become floats for writers that know numbers; None becomes empty."""
    if isinstance(value, Decimal):
        return float(value)
    return "" if value is None else value


def write_csv(table: Table, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(table.headers)
        for row in table.rows:
            writer.writerow(["" if v is None else v for v in row])
    return path


def write_xlsx(tables: Sequence[Table], path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, used))
        sheet.append(table.headers)
        for row in table.rows:
            sheet.append([plain(v) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        sheet.freeze_panes = "A2"
        for index, header in enumerate(table.headers, start=1):
            values = [header, *(row[index - 1] for row in table.rows[:200] if index - 1 < len(row))]
            width = max(display_width(str(plain(v))) for v in values)
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 6), 60)
    workbook.save(path)
    return path


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _sheet_title(title: str, used: set[str]) -> str:
    clean = "".join("_" if ch in INVALID_SHEET_CHARS else ch for ch in title)[:MAX_SHEET_TITLE] or "Sheet"
    candidate, counter = clean, 2
    while candidate in used:
        suffix = f"_{counter}"
        candidate = clean[: MAX_SHEET_TITLE - len(suffix)] + suffix
        counter += 1
    used.add(candidate)
    return candidate

"""Charts as inline SVG, drawn in Python: the same markup goes into the HTML file and the PDF.

Why SVG from Python rather than a JavaScript library (ECharts and the like):
the report must open offline from one file, print, and become a PDF (HTML to
PDF engines such as WeasyPrint do not run JavaScript); a JS chart library
would also mean ~1 MB of script inlined into every report and script running
next to crawled, hostile text. These charts are plain shapes and text — every
label escaped, no script, no external reference (inline SVG in HTML needs no
xmlns; `standalone` adds it for a .svg file) — and their numbers are in the
markup, so tests read them back.

Two shapes cover the report's figures: horizontal grouped bars (average
index per indicator, one bar per group or year) and vertical grouped columns
(band counts, year-over-year band counts, the histogram of totals).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from markupsafe import Markup, escape

from govsite.reports.narrative import index_text
from govsite.reports.tables import display_width

PALETTE = ("#2f5d8a", "#d9822b", "#3a8f5c", "#a23b3b", "#6b5b95", "#7f7f7f")
FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC','WenQuanYi Micro Hei',sans-serif"
FONT_SIZE = 12
TITLE_SIZE = 14
SVG_NS = "http://www.w3.org/2000/svg"

Series = Sequence[tuple[str, Sequence[Decimal | int | None]]]


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """Approximate rendered width: CJK characters one em, others about half."""
    return display_width(text) * size * 0.55


def hbar_chart(
    title: str,
    labels: Sequence[str],
    series: Series,
    *,
    max_value: Decimal | int = 1,
    value_text: Callable[[Decimal], str] = index_text,
    bar_width: int = 360,
) -> Markup:
    """One row per label, one bar per series (e.g. 省级 / 城市, or 上年 / 本年)."""
    max_value = Decimal(max_value) or Decimal(1)
    for _, values in series:
        for value in values:
            if value is not None and Decimal(value) > max_value:
                max_value = Decimal(value)
    bar_h, gap = 14, 10
    label_w = max([text_width(label) for label in labels] + [40]) + 12
    value_w = 48
    top = 30 + (20 if len(series) > 1 else 0)
    row_h = bar_h * len(series) + gap
    width = int(label_w + bar_width + value_w + 10)
    height = int(top + row_h * len(labels) + 10)
    out = [_open(width, height, title), _title(title)]
    if len(series) > 1:
        out.append(_legend([name for name, _ in series], 10, 36))
    for row, label in enumerate(labels):
        y = top + row * row_h
        out.append(_text(label_w - 8, y + bar_h * len(series) / 2 + 4, label, anchor="end"))
        for index, (name, values) in enumerate(series):
            value = values[row]
            by = y + index * bar_h
            if value is None:
                out.append(_text(label_w + 4, by + bar_h - 3, "—", size=10, fill="#999"))
                continue
            length = float(Decimal(value) / max_value) * bar_width
            out.append(
                f'<rect x="{label_w:.1f}" y="{by:.1f}" width="{length:.1f}" height="{bar_h - 2}" '
                f'fill="{PALETTE[index % len(PALETTE)]}" data-series="{escape(name)}" data-label="{escape(label)}" '
                f'data-value="{escape(str(value))}"/>'
            )
            out.append(_text(label_w + length + 4, by + bar_h - 3, value_text(Decimal(value)), size=10))
    axis_x = label_w
    out.append(f'<line x1="{axis_x:.1f}" y1="{top - 4}" x2="{axis_x:.1f}" y2="{height - 8}" stroke="#999"/>')
    out.append("</svg>")
    return Markup("".join(out))


def column_chart(
    title: str,
    labels: Sequence[str],
    series: Series,
    *,
    value_text: Callable[[Decimal], str] = lambda v: str(int(v)),
    plot_height: int = 180,
) -> Markup:
    """Vertical columns, one cluster per label (band counts, histogram bins, 上年/本年 counts)."""
    peak = max([Decimal(v) for _, values in series for v in values if v is not None] + [Decimal(1)])
    col_w = 22 if len(series) > 1 else 30
    cluster_w = col_w * len(series) + 14
    label_room = max([text_width(label, 11) for label in labels] + [20])
    cluster_w = max(cluster_w, int(label_room) + 6)
    left, top = 20, 30 + (20 if len(series) > 1 else 0)
    width = max(int(left * 2 + cluster_w * len(labels)), int(text_width(title, TITLE_SIZE)) + 30, 240)
    base = top + 16 + plot_height
    height = base + 26
    out = [_open(width, height, title), _title(title)]
    if len(series) > 1:
        out.append(_legend([name for name, _ in series], 10, 36))
    for position, label in enumerate(labels):
        x0 = left + position * cluster_w + (cluster_w - col_w * len(series)) / 2
        for index, (name, values) in enumerate(series):
            value = values[position]
            if value is None:
                continue
            h = float(Decimal(value) / peak) * plot_height
            x = x0 + index * col_w
            out.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{col_w - 4}" height="{h:.1f}" '
                f'fill="{PALETTE[index % len(PALETTE)]}" data-series="{escape(name)}" data-label="{escape(label)}" '
                f'data-value="{escape(str(value))}"/>'
            )
            out.append(_text(x + (col_w - 4) / 2, base - h - 4, value_text(Decimal(value)), size=10, anchor="middle"))
        out.append(_text(left + position * cluster_w + cluster_w / 2, base + 16, label, size=11, anchor="middle"))
    out.append(f'<line x1="{left}" y1="{base}" x2="{width - left}" y2="{base}" stroke="#999"/>')
    out.append("</svg>")
    return Markup("".join(out))


def standalone(svg: str) -> str:
    """The chart as a .svg file (which, unlike inline SVG in HTML, needs the namespace)."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg.replace("<svg ", f'<svg xmlns="{SVG_NS}" ', 1)


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}" font-family="{FONT}" font-size="{FONT_SIZE}">'
    )


def _title(title: str) -> str:
    heading = f'<text x="10" y="20" font-size="{TITLE_SIZE}" font-weight="bold">{escape(title)}</text>'
    return f"<title>{escape(title)}</title>{heading}"


def _legend(names: Sequence[str], x: float, y: float) -> str:
    parts = []
    for index, name in enumerate(names):
        color = PALETTE[index % len(PALETTE)]
        parts.append(f'<rect x="{x:.1f}" y="{y - 9}" width="10" height="10" fill="{color}"/>')
        parts.append(_text(x + 14, y, name, size=11))
        x += 14 + text_width(name, 11) + 16
    return "".join(parts)


def _text(x: float, y: float, text: str, *, size: int = FONT_SIZE, anchor: str = "start", fill: str = "#222") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}">{escape(text)}</text>'
    )

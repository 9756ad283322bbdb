"""The probe history of a website as an inline SVG timeline (the style of reports/charts.py), and its outages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils import timezone
from markupsafe import Markup, escape

from govsite.checks.availability import Outage, reason_label
from govsite.reports.charts import FONT, FONT_SIZE

OK_COLOR, FAIL_COLOR, AXIS_COLOR = "#3a8f5c", "#a23b3b", "#999"
WIDTH, HEIGHT, LEFT, RIGHT, BAR_TOP, BAR_HEIGHT = 760, 90, 10, 10, 30, 28


def timeline_svg(probes: Sequence, start: datetime, end: datetime, title: str = "近 7 天首页访问记录") -> Markup:
    """One mark per probe between `start` and `end`: green opened, red did not; days labelled (local time)."""
    span = max((end - start).total_seconds(), 1.0)
    inner = WIDTH - LEFT - RIGHT

    def x(at: datetime) -> float:
        return LEFT + inner * min(max((at - start).total_seconds() / span, 0.0), 1.0)

    parts = [
        f'<svg class="chart timeline" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" font-family="{FONT}" font-size="{FONT_SIZE}">',
        f"<title>{escape(title)}</title>",
        f'<text x="{LEFT}" y="18" font-weight="bold">{escape(title)}</text>',
        f'<rect x="{LEFT}" y="{BAR_TOP}" width="{inner}" height="{BAR_HEIGHT}" fill="#eee"/>',
    ]
    mark = max(1.0, inner / max(len(probes), 1))
    for probe in probes:
        color = OK_COLOR if probe.ok else FAIL_COLOR
        label = "打开" if probe.ok else reason_label(probe.reason)
        when = timezone.localtime(probe.at).strftime("%m-%d %H:%M")
        parts.append(
            f'<rect class="{"ok" if probe.ok else "fail"}" x="{x(probe.at):.1f}" y="{BAR_TOP}" width="{mark:.1f}" '
            f'height="{BAR_HEIGHT}" fill="{color}"><title>{escape(when)} {escape(label)}</title></rect>'
        )
    day = timezone.localtime(start).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    while day < end:
        parts.append(
            f'<line x1="{x(day):.1f}" y1="{BAR_TOP - 2}" x2="{x(day):.1f}" y2="{BAR_TOP + BAR_HEIGHT + 4}" '
            f'stroke="{AXIS_COLOR}"/>'
        )
        parts.append(f'<text x="{x(day) + 2:.1f}" y="{HEIGHT - 12}" font-size="11">{day:%m-%d}</text>')
        day += timedelta(days=1)
    parts.append("</svg>")
    return Markup("".join(parts))


def outage_rows(found: Sequence[Outage]) -> list[dict]:
    """The outages, newest first, as a table of Chinese cells."""
    rows = []
    for outage in reversed(found):
        reasons = "、".join(f"{reason_label(code)} {n} 次" for code, n in outage.reasons.items())
        rows.append(
            {
                "start": timezone.localtime(outage.start),
                "end": None if outage.ongoing else timezone.localtime(outage.end),
                "minutes": round(outage.seconds / 60),
                "failures": outage.failures,
                "reasons": reasons,
            }
        )
    return rows

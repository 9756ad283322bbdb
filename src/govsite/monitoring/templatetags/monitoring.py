"""`{% availability_panel site %}`: the website's probe timeline, the week's verdict and its outages."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils import timezone

from govsite.checks.availability import WINDOW_DAYS, outages
from govsite.monitoring.models import AvailabilityProbe, WebsiteAvailability
from govsite.monitoring.timeline import outage_rows, timeline_svg

register = template.Library()
STATE_LABELS = {"pass": "合格", "fail": "单项否决", "unknown": "无法判定"}


@register.inclusion_tag("monitoring/availability_panel.html")
def availability_panel(site) -> dict:
    state = WebsiteAvailability.objects.filter(website_id=site.website_id).first()
    if state is None:  # every probe recorded makes the state: none, nothing to show (one query)
        return {"monitored": False}
    end = timezone.now()
    start = end - timedelta(days=WINDOW_DAYS)
    probes = list(
        AvailabilityProbe.objects.filter(website_id=site.website_id, at__gt=start, at__lte=end)
        .order_by("at")
        .only("at", "ok", "reason", "elapsed_ms")
    )
    verdict = (state.week or {}).get("verdict") or {}
    return {
        "monitored": True,
        "svg": timeline_svg(probes, start, end) if probes else "",
        "week": state.week,
        "state_label": STATE_LABELS.get(verdict.get("state", ""), ""),
        "reason": verdict.get("reason", ""),
        "up": state.up,
        "outages": outage_rows(outages(probes)),
    }

"""Rounds of probes into the database: record, roll up, judge the week, refresh verdicts, signal changes."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from govsite.checks.availability import WINDOW_DAYS, judge, outages, prober_offline, reason_label
from govsite.checks.verdict import from_dict, with_availability
from govsite.monitoring.models import AvailabilityDay, AvailabilityProbe, ProbeRound, WebsiteAvailability
from govsite.monitoring.signals import availability_changed
from govsite.surveys.models import Site, Website

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Visit:
    """One visit to store: what the prober's Attempt says, for one website."""

    website_id: int
    at: datetime
    ok: bool
    reason: str = ""
    elapsed: float = 0.0
    status: int | None = None


def homepages() -> dict[int, str]:
    """Website id -> the homepage URL to visit (its newest Site's), for every website a survey looks at."""
    urls: dict[int, str] = {}
    for website_id, url in Site.objects.order_by("website_id", "-pk").values_list("website_id", "url"):
        urls.setdefault(website_id, url)
    return urls


def run_round(now: datetime | None = None, *, options=None, slot: datetime | None = None) -> ProbeRound | None:
    """Probe every monitored website once and store it all; None when this slot's round was already run."""
    from govsite.probes.availability import UptimeOptions, probe_round  # the network: only when a round runs

    now = now or timezone.now()
    slot = slot or _slot(now)
    try:
        with transaction.atomic():
            claimed = ProbeRound.objects.create(slot=slot)
    except IntegrityError:
        log.info("availability round %s already run", slot.isoformat())
        return None
    urls = homepages()
    options = options or UptimeOptions(
        timeout=settings.GOVSITE_UPTIME_TIMEOUT_SECONDS,
        concurrency=settings.GOVSITE_UPTIME_CONCURRENCY,
        loopback_only=settings.GOVSITE_UPTIME_LOOPBACK_ONLY,
    )
    ids = list(urls)
    attempts = probe_round([urls[i] for i in ids], options)
    offline = prober_offline(attempts)
    if offline:  # the prober's own outage: no website's record, verdict or state changes
        log.warning("availability round %s not counted: %s", slot.isoformat(), offline)
        failures = sum(not a.ok for a in attempts)
        ProbeRound.objects.filter(pk=claimed.pk).update(websites=len(ids), failures=failures, not_counted=offline)
        claimed.refresh_from_db()
        return claimed
    visits = [Visit(i, a.at, a.ok, a.reason, a.elapsed, a.status) for i, a in zip(ids, attempts, strict=True)]
    record(visits, now=timezone.now())
    ProbeRound.objects.filter(pk=claimed.pk).update(websites=len(visits), failures=sum(not v.ok for v in visits))
    prune_probes(now=now)
    claimed.refresh_from_db()
    return claimed


def _slot(now: datetime) -> datetime:
    interval = max(1, int(settings.GOVSITE_UPTIME_INTERVAL_SECONDS))
    return datetime.fromtimestamp(int(now.timestamp()) // interval * interval, tz=now.tzinfo)


def record(visits: Sequence[Visit], *, now: datetime | None = None) -> list[dict]:
    """Store visits, roll their days up, judge each website's week, refresh verdicts, signal changes.

    Returns the availability_changed events sent (website, up, reason, at)."""
    now = now or timezone.now()
    if not visits:
        return []
    AvailabilityProbe.objects.bulk_create(
        AvailabilityProbe(
            website_id=v.website_id,
            at=v.at,
            ok=v.ok,
            reason=v.reason if not v.ok else "",
            elapsed_ms=max(0, round(v.elapsed * 1000)),
            status=v.status,
        )
        for v in visits
    )
    websites = sorted({v.website_id for v in visits})
    days = {timezone.localdate(v.at) for v in visits}
    for day in days:
        roll_up(day, websites)
    events = []
    for website_id in websites:
        own = sorted((v for v in visits if v.website_id == website_id), key=lambda v: v.at)
        with transaction.atomic():
            state, _ = WebsiteAvailability.objects.select_for_update().get_or_create(website_id=website_id)
            state.since = min(state.since or own[0].at, own[0].at)
            change = _advance(state, own)
            week = judge_week(website_id, now, state.since)
            state.week = week
            state.save()
            refresh_verdicts(website_id, week)
        if change is not None:
            events.append(change)
    for event in events:
        website = Website.objects.get(pk=event["website_id"])
        availability_changed.send(
            sender=Website, website=website, up=event["up"], reason=event["reason"], at=event["at"]
        )
    return events


def _advance(state: WebsiteAvailability, visits: Iterable[Visit]) -> dict | None:
    """Move the up/down state over the website's new visits; the change to signal, if it changed."""
    down_after = max(1, int(settings.GOVSITE_UPTIME_DOWN_AFTER))
    change = None
    for visit in visits:
        if visit.reason == "blocked":
            continue
        if visit.ok:
            state.failures_in_row = 0
            if not state.up:
                state.up, state.changed_at = True, visit.at
                change = {"website_id": state.website_id, "up": True, "reason": "首页恢复访问", "at": visit.at}
            continue
        state.failures_in_row += 1
        if state.up and state.failures_in_row >= down_after:
            state.up, state.changed_at = False, visit.at
            text = f"首页连续 {state.failures_in_row} 次无法打开（{reason_label(visit.reason)}）"
            change = {"website_id": state.website_id, "up": False, "reason": text, "at": visit.at}
    return change


def roll_up(day, website_ids: Sequence[int]) -> None:
    """(Re)compute the day's roll-up of these websites from their raw probes of that day."""
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    rows = AvailabilityProbe.objects.filter(website_id__in=website_ids, at__gte=start, at__lt=start + timedelta(days=1))
    by_site: dict[int, list[AvailabilityProbe]] = {}
    for probe in rows.only("website_id", "at", "ok", "reason", "elapsed_ms").order_by("at"):
        by_site.setdefault(probe.website_id, []).append(probe)
    for website_id, probes in by_site.items():
        counted = [p for p in probes if p.reason != "blocked"]
        failed = [p for p in counted if not p.ok]
        longest = max((o.seconds for o in outages(counted)), default=0.0)
        AvailabilityDay.objects.update_or_create(
            website_id=website_id,
            day=day,
            defaults={
                "attempts": len(counted),
                "failures": len(failed),
                "longest_outage_s": int(longest),
                "by_reason": dict(Counter(p.reason for p in failed)),
            },
        )


def judge_week(website_id: int, now: datetime, monitored_since: datetime | None = None) -> dict:
    """checks.availability.judge over the website's probes of the last week (and when monitoring began)."""
    since = now - timedelta(days=WINDOW_DAYS + 1)
    probes = AvailabilityProbe.objects.filter(website_id=website_id, at__gte=since).order_by("at")
    attempts: list = list(probes.only("at", "ok", "reason", "elapsed_ms"))
    if monitored_since is not None and monitored_since < since:
        # Monitored for longer than raw probes reach back: the week is complete. Outside the window, not counted.
        attempts.insert(0, Visit(website_id, monitored_since, True))
    origin = Website.objects.filter(pk=website_id).values_list("origin", flat=True).first() or ""
    return judge(attempts, now, site=origin)


def refresh_verdicts(website_id: int, week: dict | None) -> int:
    """Put the week's 站点无法访问 in each of the website's stored site verdicts; returns how many changed."""
    changed = 0
    for site in Site.objects.filter(website_id=website_id).exclude(verdict=None).only("pk", "verdict"):
        verdict = from_dict(site.verdict)
        if verdict is None:
            continue
        updated = with_availability(verdict, week).as_dict()
        if updated != site.verdict:
            Site.objects.filter(pk=site.pk).update(verdict=updated)
            changed += 1
    return changed


def week_of(website_id: int) -> dict | None:
    state = WebsiteAvailability.objects.filter(website_id=website_id).values_list("week", flat=True).first()
    return state


def prune_probes(days: int | None = None, *, now: datetime | None = None) -> int:
    """Delete raw probes older than the retention (roll-ups stay); returns how many went. 0 days keeps all."""
    days = settings.GOVSITE_UPTIME_RETENTION_DAYS if days is None else days
    if days <= 0:
        return 0
    days = max(days, WINDOW_DAYS + 1)  # the week's rule needs its week
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = AvailabilityProbe.objects.filter(at__lt=cutoff).delete()
    return deleted

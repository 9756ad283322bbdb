"""Scheduled monitoring: due SiteSchedules become Jobs, each exactly once.

Celery beat (`govsite scheduler`) sends `enqueue_due_schedules` every
GOVSITE_SCHEDULE_TICK_SECONDS; a worker runs `enqueue_due`, which claims each
due schedule by moving its `next_run_at` with a compare-and-set UPDATE. Two
ticks, two beats or two workers racing over the same schedule: one UPDATE
matches, the other finds the row already moved and does nothing. The job
and the claim commit together, and the job is sent to the broker after the
commit (a worker never looks for a job that is not there yet).

A schedule whose site still has a monitoring job queued or running (a crawl
longer than the period, or the weekly full one due the same tick: full
schedules are claimed first) is moved on without a new job (`skipped`
counts those), so a slow site never piles up jobs. Monitoring jobs judge as of the day they run, not
the survey's as-of date.

See models.py for what "incremental" means here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from govsite.surveys.models import Job, Site
from govsite.worker.models import SiteSchedule

log = logging.getLogger(__name__)
UNFINISHED = (Job.Status.QUEUED, Job.Status.RUNNING)
MONITORING = (Job.Kind.FULL, Job.Kind.INCREMENTAL)
DEFAULT_PLAN = (
    (SiteSchedule.Kind.INCREMENTAL, SiteSchedule.Period.DAILY),
    (SiteSchedule.Kind.FULL, SiteSchedule.Period.WEEKLY),
)


def next_after(due: datetime, interval: timedelta, now: datetime) -> datetime:
    """The first run time after `now` on the schedule's grid (a missed day is not run twice)."""
    if due > now:
        return due
    missed = (now - due) // interval
    return due + (missed + 1) * interval


def enqueue_due(now: datetime | None = None, *, enqueue: Callable[[Job], object]) -> list[Job]:
    """Create and hand to `enqueue` one Job for every enabled schedule due at `now`; returns the jobs created."""
    now = now or timezone.now()
    created = []
    # Full before incremental: when both are due, the full crawl also answers the incremental question.
    due = SiteSchedule.objects.filter(enabled=True, next_run_at__lte=now).order_by("kind", "next_run_at")
    for schedule in due:
        job = _claim(schedule, now)
        if job is not None:
            enqueue(job)
            created.append(job)
    return created


def _claim(schedule: SiteSchedule, now: datetime) -> Job | None:
    with transaction.atomic():
        moved = SiteSchedule.objects.filter(pk=schedule.pk, enabled=True, next_run_at=schedule.next_run_at).update(
            next_run_at=next_after(schedule.next_run_at, schedule.interval, now), last_run_at=now
        )
        if not moved:
            return None  # another tick claimed it
        busy = Job.objects.filter(site_id=schedule.site_id, kind__in=MONITORING, status__in=UNFINISHED).exists()
        if busy:
            SiteSchedule.objects.filter(pk=schedule.pk).update(skipped=F("skipped") + 1)
            log.info("schedule %s: a monitoring job of site %s is unfinished, skipped", schedule.pk, schedule.site_id)
            return None
        job = Job.objects.create(site_id=schedule.site_id, kind=schedule.kind, as_of=timezone.localdate(now))
        SiteSchedule.objects.filter(pk=schedule.pk).update(last_job=job)
        return job


def ensure_schedules(
    sites: Iterable[Site],
    plan: Iterable[tuple[str, str]] = DEFAULT_PLAN,
    *,
    enabled: bool = True,
    first_run: datetime | None = None,
) -> int:
    """Give every site the plan's schedules (kind, period), enabling or disabling them; returns how many rows."""
    first_run = first_run or timezone.now()
    count = 0
    for site in sites:
        for kind, period in plan:
            schedule, created = SiteSchedule.objects.get_or_create(
                site=site, kind=kind, defaults={"period": period, "enabled": enabled, "next_run_at": first_run}
            )
            if not created and (schedule.period != period or schedule.enabled != enabled):
                schedule.period, schedule.enabled = period, enabled
                schedule.save(update_fields=["period", "enabled"])
            count += 1
    return count

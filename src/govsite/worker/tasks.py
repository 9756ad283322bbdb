"""The Celery tasks: a site Job, a survey's fan-out, the schedule tick, archive clean-up.

`run_site_job(job_id)` is the one task family that crawls. Delivery is
at-least-once (celery.py: acks_late, reject_on_worker_lost), so the task is
written for being delivered twice, late, or after its worker was killed:

1. a DONE job returns at once (a duplicate, or a redelivery after success);
2. the site's lock (locks.py) is taken without waiting; if another job holds
   it — the same job delivered twice, or another job of the same website —
   the task is retried after GOVSITE_LOCK_RETRY_SECONDS (± 25 %), never run
   beside it;
3. under the lock a RUNNING job can only be a dead worker's: run_job resumes
   it (same folder, crawl store resumes, findings upserted by key). After
   GOVSITE_JOB_MAX_ATTEMPTS runs that all died it is marked FAILED instead, so
   a site that kills its worker (memory, a crash in the crawl) cannot loop;
4. what a finished job causes (re-check outcomes, veto work orders) is the
   workorders app's, through run_job's job_finished signal: the same here as
   in the embedded deployment.

`enqueue_job(job)` is what surveys/dispatch.py calls with GOVSITE_TASKS=celery.
It publishes after the surrounding transaction commits and then records
the task id on the job; a QUEUED job without one was never published, and
`fan_out` (and the schedule tick) publish it again, so no crash between
creating and publishing strands a job.
"""

from __future__ import annotations

import logging
import os
import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from celery.utils import uuid
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govsite.surveys.jobs import create_job, run_job
from govsite.surveys.models import Job, Site, Survey
from govsite.worker.celery import app
from govsite.worker.locks import site_lock
from govsite.worker.schedules import enqueue_due

log = logging.getLogger(__name__)
UNFINISHED = (Job.Status.QUEUED, Job.Status.RUNNING)
UNPUBLISHED_GRACE = timedelta(minutes=2)  # a commit's on_commit publish has long happened by then


@app.task(
    bind=True,
    name="govsite.worker.run_site_job",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,
)
def run_site_job(self, job_id: int) -> dict[str, Any]:
    job = Job.objects.select_related("site").filter(pk=job_id).first()
    if job is None:
        log.warning("job %s no longer exists; message dropped", job_id)
        return {"job": job_id, "status": "missing"}
    if job.status == Job.Status.DONE:
        return _result(job)
    with site_lock(job.site.url) as held:
        if not held:
            countdown = settings.GOVSITE_LOCK_RETRY_SECONDS * random.uniform(0.75, 1.25)
            log.info("job %s: site %s is locked by another job; retry in %.0f s", job_id, job.site.url, countdown)
            raise self.retry(countdown=countdown)
        job.refresh_from_db()
        if job.status == Job.Status.DONE:
            return _result(job)  # the holder we waited for was this very job
        if job.status == Job.Status.RUNNING and job.attempts >= settings.GOVSITE_JOB_MAX_ATTEMPTS:
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.FAILED,
                finished_at=timezone.now(),
                error=f"检测进程在运行中中断 {job.attempts} 次，不再重试（GOVSITE_JOB_MAX_ATTEMPTS）",
            )
            log.error("job %s: %d runs died mid-crawl; marked failed", job.pk, job.attempts)
            return {"job": job.pk, "status": Job.Status.FAILED}
        job = run_job(job_id, worker=f"{self.request.hostname or 'worker'}:{os.getpid()}")
    return _result(job)


def _result(job: Job) -> dict[str, Any]:
    return {"job": job.pk, "status": job.status, "pages": job.pages_fetched}


def enqueue_job(job: Job) -> None:
    """Send the job to the workers once the current transaction (if any) has committed."""
    transaction.on_commit(lambda: _publish(job.pk))


def _publish(job_id: int) -> str:
    task_id = uuid()
    run_site_job.apply_async(args=[job_id], task_id=task_id)
    Job.objects.filter(pk=job_id).update(task_id=task_id)
    return task_id


def fan_out(
    survey: Survey, kind: str = Job.Kind.FULL, *, user=None, enqueue: Callable[[Job], object] = enqueue_job
) -> dict[str, int]:
    """One queued job per site of the survey; idempotent, so a repeated launch (or redelivery) doubles nothing.

    A site that already has a queued or running job of this kind gets no
    other; one queued but never published is published now. Returns counts.
    """
    counts = {"created": 0, "already_running": 0, "republished": 0}
    for site in Site.objects.filter(survey=survey).select_related("survey").order_by("pk"):
        unfinished = Job.objects.filter(site=site, kind=kind, status__in=UNFINISHED).order_by("pk").first()
        if unfinished is None:
            with transaction.atomic():
                job = create_job(site, kind, user=user)
                enqueue(job)
            counts["created"] += 1
        elif unfinished.status == Job.Status.QUEUED and not unfinished.task_id:
            enqueue(unfinished)
            counts["republished"] += 1
        else:
            counts["already_running"] += 1
    return counts


@app.task(name="govsite.worker.launch_survey")
def launch_survey(survey_id: int, kind: str = Job.Kind.FULL) -> dict[str, int]:
    """The fan-out as a task (a web request need not wait for 1,000 inserts); callable directly too."""
    if kind not in Job.Kind.values:
        raise ValueError(f"unknown job kind {kind!r}")
    survey = Survey.objects.get(pk=survey_id)
    counts = fan_out(survey, kind)
    log.info("survey %s: %s", survey_id, counts)
    return counts


@app.task(name="govsite.worker.enqueue_due_schedules")
def enqueue_due_schedules() -> dict[str, Any]:
    """Beat's tick: due schedules become jobs; QUEUED jobs never published are published."""
    created = enqueue_due(enqueue=enqueue_job)
    stale = Job.objects.filter(
        status=Job.Status.QUEUED, task_id="", created_at__lt=timezone.now() - UNPUBLISHED_GRACE
    ).values_list("pk", flat=True)
    republished = [_publish(pk) for pk in stale[:1000]]
    return {"created": [job.pk for job in created], "republished": len(republished)}


@app.task(name="govsite.worker.probe_availability")
def probe_availability() -> dict[str, Any]:
    """One availability round (govsite.monitoring): every monitored website's homepage, once per slot."""
    from govsite.monitoring.services import run_round

    result = run_round()
    if result is None:
        return {"status": "already_run"}
    return {"status": "done", "websites": result.websites, "failures": result.failures}


@app.task(name="govsite.worker.prune_archives")
def prune_archives(days: int | None = None) -> dict[str, Any]:
    from govsite.worker.retention import prune_archives as prune

    return prune(days).as_dict()


@app.task(name="govsite.worker.prune_audit")
def prune_audit() -> dict[str, Any]:
    """Delete audit entries older than GOVSITE_AUDIT_RETENTION_DAYS (never under the 183-day floor)."""
    from django.conf import settings
    from django.utils import timezone

    from govsite.surveys import audit

    days = settings.GOVSITE_AUDIT_RETENTION_DAYS
    return {"deleted": audit.purge_expired(timezone.now(), days, settings.AUDIT_RETENTION_FLOOR_DAYS), "days": days}


@app.task(name="govsite.worker.settle_rechecks")
def settle_rechecks() -> int:
    """Settle re-check work orders whose job ended without its after_job hook (failed, or killed after commit)."""
    from govsite.workorders.services import settle_finished_rechecks

    return settle_finished_rechecks()


@app.task(name="govsite.worker.remind_overdue_workorders")
def remind_overdue_workorders() -> int:
    """Daily: remind the assignees of overdue work orders (the same rule as `govsite manage remind_workorders`)."""
    from django.utils import timezone

    from govsite.workorders.services import send_overdue_reminders

    return send_overdue_reminders(timezone.now())


@app.task(name="govsite.worker.alerts_tick")
def alerts_tick() -> dict[str, int]:
    """Every GOVSITE_ALERT_TICK_SECONDS: due alert reminders and retries (as `govsite manage govsite_alerts`)."""
    from govsite.alerts.services import tick

    return tick()

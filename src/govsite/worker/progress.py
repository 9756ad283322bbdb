"""What a survey's run looks like from outside: job counts, pages fetched, queue depth, history of changes.

`survey_progress` feeds `govsite survey status` and the JSON endpoint
(views.py); `queue_depths` asks the broker how many messages wait in each
queue (queues are shared by every survey, so the depth is the deployment's,
not the survey's); `site_history` lists a site's finished runs with what
each changed (Job.summary["changes"]: new, seen again, fixed — sync_findings'
SyncResult), and `job_changes` the findings behind those numbers.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.db.models import Count, Max, Sum
from django.utils import timezone

from govsite.checks.verdict import VerdictFormatError, from_dict
from govsite.surveys.models import Finding, Job, Site, Survey

RUNNING_LISTED = 50
FAILED_LISTED = 20


def queue_depths(timeout: float = 3.0) -> dict[str, Any]:
    """{"govsite.jobs": n, "govsite.control": n}, or {"error": why} when the broker cannot be asked."""
    from govsite.worker.celery import CONTROL_QUEUE, JOBS_QUEUE, app

    depths: dict[str, Any] = {}
    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            for name in (JOBS_QUEUE, CONTROL_QUEUE):
                channel = conn.channel()
                try:
                    depths[name] = channel.queue_declare(queue=name, passive=True).message_count
                except conn.channel_errors:
                    depths[name] = 0  # Redis drops an empty list; AMQP: not declared yet
                finally:
                    with contextlib.suppress(Exception):  # the channel may have gone with its error
                        channel.close()
    except Exception as exc:  # a progress page must not fail because the broker is down
        return {"error": f"{type(exc).__name__}: {exc}"}
    return depths


def survey_progress(survey: Survey, kind: str | None = None, *, with_queue: bool | None = None) -> dict[str, Any]:
    """The survey's progress; `queue` is the broker's depth (None when jobs do not go through a broker)."""
    if with_queue is None:
        from govsite.surveys.dispatch import mode

        with_queue = mode() == "celery"
    jobs = Job.objects.filter(site__survey=survey)
    if kind:
        jobs = jobs.filter(kind=kind)
    counts = {status: 0 for status in Job.Status.values}
    counts.update(dict(jobs.values_list("status").annotate(n=Count("id")).order_by()))
    latest_ids = jobs.order_by().values("site_id").annotate(last=Max("pk")).values("last")
    latest = {status: 0 for status in Job.Status.values}
    latest.update(dict(Job.objects.filter(pk__in=latest_ids).values_list("status").annotate(n=Count("id")).order_by()))
    running = jobs.filter(status=Job.Status.RUNNING).select_related("site").order_by("started_at")
    failed = jobs.filter(status=Job.Status.FAILED).select_related("site").order_by("-finished_at")
    sites = Site.objects.filter(survey=survey).count()
    data: dict[str, Any] = {
        "survey": survey.pk,
        "name": survey.name,
        "kind": kind or "all",
        "sites": sites,
        "sites_done": latest[Job.Status.DONE],
        "sites_without_job": sites - sum(latest.values()),
        "jobs": {**counts, "total": sum(counts.values())},
        "latest_job_per_site": latest,
        "pages_fetched": jobs.aggregate(n=Sum("pages_fetched"))["n"] or 0,
        "running": [
            {
                "job": job.pk,
                "site": job.site.name,
                "url": job.site.url,
                "worker": job.worker,
                "pages_fetched": job.pages_fetched,
                "attempts": job.attempts,
                "started_at": _iso(job.started_at),
            }
            for job in running[:RUNNING_LISTED]
        ],
        "failed": [
            {"job": job.pk, "site": job.site.name, "error": job.error.splitlines()[0][:300] if job.error else ""}
            for job in failed[:FAILED_LISTED]
        ],
        "updated_at": _iso(timezone.now()),
    }
    data["queue"] = queue_depths() if with_queue else None
    return data


def site_history(site: Site, limit: int = 30) -> list[dict[str, Any]]:
    """The site's finished runs, newest first, with what each changed against the one before."""
    done = Job.objects.filter(site=site, status=Job.Status.DONE).order_by("-finished_at", "-pk")[:limit]
    rows = []
    for job in done:
        summary = job.summary or {}
        rows.append(
            {
                "job": job.pk,
                "kind": job.kind,
                "as_of": job.as_of.isoformat(),
                "finished_at": _iso(job.finished_at),
                "pages_fetched": job.pages_fetched,
                "changes": summary.get("changes"),
                "verdict_state": _verdict_state(summary.get("verdict")),
            }
        )
    return rows


def job_changes(job: Job) -> dict[str, list[Finding]]:
    """The findings this job found first, and those it found gone (while nothing has reopened them)."""
    return {
        "new": list(Finding.objects.filter(first_job=job).order_by("type", "url")),
        "fixed": list(Finding.objects.filter(last_job=job, status=Finding.Status.FIXED).order_by("type", "url")),
    }


def _iso(moment) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _verdict_state(stored: object) -> str | None:
    try:
        verdict = from_dict(stored)
    except VerdictFormatError:
        return None
    return verdict.state if verdict else None

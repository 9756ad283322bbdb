"""Where a job runs: in this process (the embedded default) or on Celery workers.

GOVSITE_TASKS=inline (default) runs each job in a background thread of the
current process, which is what a laptop with SQLite needs; GOVSITE_TASKS=celery
hands it to the workers (govsite.worker). Callers only ever call `launch`.
"""

from __future__ import annotations

import os
import threading

from django.db import close_old_connections

from govsite.surveys.jobs import run_job
from govsite.surveys.models import Job


def mode() -> str:
    return os.environ.get("GOVSITE_TASKS", "inline")


def launch(job: Job) -> Job:
    """Start the job where this deployment runs jobs; returns at once."""
    if mode() == "celery":
        from govsite.worker.tasks import enqueue_job  # imported late: the embedded default needs no Celery

        enqueue_job(job)
        return job
    thread = threading.Thread(target=_run_inline, args=(job.pk,), name=f"govsite-job-{job.pk}", daemon=True)
    thread.start()
    return job


def _run_inline(job_id: int) -> None:
    try:
        run_job(job_id)
    finally:
        close_old_connections()

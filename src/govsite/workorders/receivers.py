"""What a finished job causes in the rectification loop: connected to `job_finished` in WorkordersConfig.ready.

Both run inside run_job's transaction, in every deployment (inline thread,
CLI, Celery worker): a re-check's outcome commits with the job; a veto alert
that fails is logged and rolled back to its savepoint, and the job still
counts (the next run tries the alert again).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

from govsite.surveys.models import Job
from govsite.workorders import alerts, services

log = logging.getLogger(__name__)


def settle_rechecks(sender, job: Job, **kwargs) -> None:
    services.after_job(job)


def raise_veto_alerts(sender, job: Job, **kwargs) -> None:
    if not settings.GOVSITE_VETO_ALERTS:
        return
    try:
        with transaction.atomic():  # a savepoint: a failed alert must not undo the job
            alerts.raise_veto_alerts(job)
    except Exception:
        log.exception("job %s: veto alert failed", job.pk)

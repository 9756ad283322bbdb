"""What a finished job causes in the rectification loop: connected to `job_finished` in WorkordersConfig.ready.

It runs inside run_job's transaction, in every deployment (inline thread,
CLI, Celery worker): a re-check's outcome commits with the job. The
single-veto alerts (and the work orders they open, workorders/alerts.py)
are decided by govsite.alerts (alerts/receivers.py), connected in its own
AppConfig.ready.
"""

from __future__ import annotations

import logging

from govsite.surveys.models import Job
from govsite.workorders import services

log = logging.getLogger(__name__)


def settle_rechecks(sender, job: Job, **kwargs) -> None:
    services.after_job(job)

"""A finished scan that could not reach the homepage counts as one failed probe, nothing more."""

from __future__ import annotations

from django.utils import timezone

from govsite.monitoring import services
from govsite.surveys.models import Job

COUNTED_KINDS = (Job.Kind.FULL, Job.Kind.INCREMENTAL, Job.Kind.SELFCHECK)  # a re-check visits only its URLs


def scan_counts_as_a_probe(sender, job: Job, **_kwargs) -> None:
    """job_finished: an unreachable homepage becomes one failed probe; the week's verdict goes into Site.verdict."""
    if job.kind not in COUNTED_KINDS:
        return
    site = job.site
    if (job.summary or {}).get("findings_by_type", {}).get("site_unreachable"):
        at = job.started_at or job.finished_at or timezone.now()
        services.record([services.Visit(site.website_id, at, False, "scan")])
        return
    # Reached: the scan is no probe, but its fresh verdict still gets the week's judgement (when monitored).
    services.refresh_verdicts(site.website_id, services.week_of(site.website_id))

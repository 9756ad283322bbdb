"""What feeds the alerts: a finished job (single-veto rules, security events) and availability changes.

`on_job_finished` is connected to surveys' `job_finished` in AlertsConfig.ready;
`on_availability_changed` is the receiver for the monitoring app's
`availability_changed(sender, website, up, reason, at)` signal. Each runs its
work in a savepoint and logs a failure: an alert never undoes the job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import transaction

from govsite.alerts import problems, services
from govsite.checks.verdict import FAIL, PASS, from_dict
from govsite.findings import FINDING_TYPES
from govsite.surveys.models import Finding, Job, Site, Website
from govsite.workorders import alerts as veto_orders

log = logging.getLogger(__name__)


def _guarded(step: Callable[[], object], what: str) -> None:
    try:
        with transaction.atomic():  # a savepoint: a failed alert must not undo the caller's work
            step()
    except Exception:
        log.exception("alerts: %s failed", what)


def on_job_finished(sender, job: Job, **kwargs) -> None:
    if job.kind not in veto_orders.ALERTED_KINDS or job.status != Job.Status.DONE:
        return  # a re-check judges only its URLs: it neither raises nor clears
    if settings.GOVSITE_VETO_ALERTS:
        _guarded(lambda: veto_orders.raise_veto_alerts(job), f"job {job.pk}: veto work orders")
        _guarded(lambda: notify_veto(job), f"job {job.pk}: veto alerts")
    _guarded(lambda: notify_security(job), f"job {job.pk}: security alerts")


def notify_veto(job: Job) -> None:
    """Each failing single-veto rule of the site's verdict raises its alert; a rule that passes clears it."""
    site = Site.objects.get(pk=job.site_id)
    verdict = from_dict(site.verdict)
    if verdict is None:
        return
    for rule in verdict.rules:
        if rule.state == FAIL:
            reason = veto_orders.reason_text(rule)
            code = veto_orders.rule_for(rule).code
            evidence = rule.evidence[0] if rule.evidence else site.url
            title = f"单项否决告警：{site.name}——{reason}"
            services.raise_alert(site, problems.veto(code), title, f"检测任务 #{job.pk}：{reason}", evidence)
        elif rule.state == PASS:
            services.clear_alert(site, problems.veto(rule.code), f"检测任务 #{job.pk} 复检：{rule.name}已合格")


def notify_security(job: Job) -> None:
    """Open findings of each security-event type raise one alert per site and type; none left clears it."""
    site = Site.objects.get(pk=job.site_id)
    for kind in problems.SECURITY_TYPES:
        found = list(Finding.objects.filter(site=site, type=kind, status=Finding.Status.OPEN).order_by("pk")[:50])
        label = FINDING_TYPES[kind]
        if found:
            first = found[0]
            count = Finding.objects.filter(site=site, type=kind, status=Finding.Status.OPEN).count()
            title = f"安全事件：{site.name}发现{label} {count} 处"
            detail = f"{first.url}：{first.evidence}"[:1000]
            services.raise_alert(site, problems.security(kind), title, detail, first.url)
        else:
            services.clear_alert(site, problems.security(kind), f"检测任务 #{job.pk} 未再发现{label}")


def on_availability_changed(sender, website: Website, up: bool, reason: str, at: datetime, **kwargs) -> None:
    """The website went down (raise 网站无法访问) or came back up (clear it)."""

    def step() -> None:
        if up:
            services.clear_alert(website, problems.SITE_DOWN, reason, at=at)
        else:
            title = f"网站无法访问：{website.name}"
            services.raise_alert(website, problems.SITE_DOWN, title, reason, website.origin, at=at)

    _guarded(step, f"website {website.pk}: availability")

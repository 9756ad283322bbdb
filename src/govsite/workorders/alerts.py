"""A site tripped a single-veto (单项否决) rule: open a work order, unless one for that rule is still open.

Site.verdict is `checks.verdict.Verdict.as_dict()` of the site's last scan:
{"passed": bool, "label": "合格"|"单项否决", "reasons": [Chinese sentences],
"counts": {...}}. Each reason is one rule of 《政府网站与政务新媒体检查指标》;
RULES names them by the start of their sentence (the sentences carry the
counts, which change from run to run, the starts do not). A reason nobody
has named yet still alerts, as rule "other:<hash of the sentence>".

"Still open" is any state but closed (待整改, 复核中, 申请无需修改): the
operators are on it. Once the order is closed, a site that trips the rule
again gets a new order.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.db import transaction

from govsite.surveys import audit
from govsite.surveys.models import Finding, Job, Site
from govsite.workorders import services
from govsite.workorders.models import VetoAlert, WorkOrder, WorkOrderEvent

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VetoRule:
    code: str
    prefix: str  # how checks/verdict.py starts the reason's sentence
    finding_type: str  # the findings behind it, attached to the work order


RULES = (
    VetoRule("site_unreachable", "网站无法访问", "site_unreachable"),
    VetoRule("stale_homepage", "首页栏目信息", "stale_homepage"),
    VetoRule("stale_dynamic_columns", "动态、要闻类栏目", "stale_column"),
    VetoRule("stale_columns", "应更新但长期未更新的栏目", "stale_column"),
    VetoRule("empty_columns", "空白栏目", "empty_column"),
)
ALERTED_KINDS = (Job.Kind.FULL, Job.Kind.INCREMENTAL, Job.Kind.SELFCHECK)  # a re-check judges only its URLs


def rule_for(reason: str) -> VetoRule:
    for rule in RULES:
        if reason.startswith(rule.prefix):
            return rule
    digest = hashlib.sha1(reason.encode("utf-8")).hexdigest()[:8]
    return VetoRule(f"other:{digest}", reason, "")


def raise_veto_alerts(job: Job) -> list[WorkOrder]:
    """Open a work order per vetoing rule of the job's site verdict that has none open; returns the new ones."""
    if job.kind not in ALERTED_KINDS or job.status != Job.Status.DONE:
        return []
    site = Site.objects.get(pk=job.site_id)
    verdict = site.verdict or {}
    if verdict.get("passed", True):
        return []
    opened = []
    for reason in dict.fromkeys(verdict.get("reasons", [])):
        rule = rule_for(reason)
        with transaction.atomic():
            # One alert per rule at a time, even when two jobs of the site finish together.
            Site.objects.select_for_update().filter(pk=site.pk).first()
            still_open = VetoAlert.objects.filter(site=site, rule=rule.code).exclude(
                workorder__status=WorkOrder.Status.CLOSED
            )
            if still_open.exists():
                continue
            order = WorkOrder.objects.create(
                site=site,
                title=f"单项否决告警：{site.name}——{reason}"[:300],
                finding_type=rule.finding_type,
                status=WorkOrder.Status.OPEN,
            )
            members = _unassigned(site, rule.finding_type)
            order.findings.set(members)
            note = f"检测任务 #{job.pk} 判定单项否决：{reason}"
            WorkOrderEvent.objects.create(order=order, action="create", note=note)
            after = {**services.snapshot(order), "findings": [f.pk for f in members], "rule": rule.code}
            audit.record(None, "workorder.create", order, site=site, after=after, reason=note)
            VetoAlert.objects.create(site=site, rule=rule.code, reason=reason, job=job, workorder=order)
            log.warning("site %s tripped single-veto rule %s: work order %s opened", site.pk, rule.code, order.pk)
            opened.append(order)
    return opened


def _unassigned(site: Site, finding_type: str) -> list[Finding]:
    """The rule's open findings that no unclosed order holds yet (a problem is never assigned twice)."""
    if not finding_type:
        return []
    busy = WorkOrder.findings.through.objects.filter(finding__site=site, finding__type=finding_type).exclude(
        workorder__status=WorkOrder.Status.CLOSED
    )
    return list(
        Finding.objects.filter(site=site, type=finding_type, status=Finding.Status.OPEN)
        .exclude(pk__in=busy.values("finding_id"))
        .order_by("pk")
    )

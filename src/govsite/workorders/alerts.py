"""A site tripped a single-veto (单项否决) rule: open a work order, unless one for that rule is still open.

Called by govsite.alerts (alerts/receivers.py), which owns deciding and
sending every alert: on `job_finished` it opens these work orders and
notifies the site's recipients through alerts/services.py.

Site.verdict is `checks.verdict.Verdict.as_dict()` of the site's last scan;
`checks.verdict.from_dict` reads it back (older stored verdicts too). Each
rule in state `fail` alerts, under the rule's code; a rule that could not be
judged (`unknown`) alerts nothing — a check that could not run changes no
state. RULES names the findings behind each rule, attached to the order; a
rule code nobody has named here still alerts, with no findings attached. A
verdict stored before rules had codes alerts under "other:<hash of its sentence>".

"Still open" is any state but closed (待整改, 复核中, 申请无需修改): the
operators are on it. Once the order is closed, a site that trips the rule
again gets a new order.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.db import transaction

from govsite.checks.verdict import RuleVerdict, from_dict
from govsite.surveys import audit
from govsite.surveys.models import Finding, Job, Site
from govsite.workorders import services
from govsite.workorders.models import VetoAlert, WorkOrder, WorkOrderEvent

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VetoRule:
    code: str  # checks.verdict's rule code
    finding_type: str  # the findings behind it, attached to the work order


RULES = (
    VetoRule("site_unreachable", "site_unreachable"),
    VetoRule("stale_homepage", "stale_homepage"),
    VetoRule("stale_dynamic_columns", "stale_column"),
    VetoRule("stale_columns", "stale_column"),
    VetoRule("empty_columns", "empty_column"),
    VetoRule("security_incident", "page_tampered"),  # fails once a person confirms (surveys/incidents.py)
)
ALERTED_KINDS = (Job.Kind.FULL, Job.Kind.INCREMENTAL, Job.Kind.SELFCHECK)  # a re-check judges only its URLs


def rule_for(failed: RuleVerdict) -> VetoRule:
    for rule in RULES:
        if failed.code == rule.code:
            return rule
    if failed.code == "legacy":  # a stored verdict from before rule codes: its sentence is all there is
        text = failed.reason.text if failed.reason else ""
        return VetoRule(f"other:{hashlib.sha1(text.encode('utf-8')).hexdigest()[:8]}", "")
    return VetoRule(failed.code[: VetoAlert._meta.get_field("rule").max_length], "")


def reason_text(failed: RuleVerdict) -> str:
    return failed.reason.text if failed.reason else failed.name


def raise_veto_alerts(job: Job) -> list[WorkOrder]:
    """Open a work order per vetoing rule of the job's site verdict that has none open; returns the new ones."""
    if job.kind not in ALERTED_KINDS or job.status != Job.Status.DONE:
        return []
    site = Site.objects.get(pk=job.site_id)
    verdict = from_dict(site.verdict)
    if verdict is None:
        return []
    opened = []
    for failed in verdict.failed:
        rule, reason = rule_for(failed), reason_text(failed)
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

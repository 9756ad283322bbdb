"""Serious security incidents: a person confirms a suspected one, and the site's verdict follows.

A scan only suspects a `page_tampered` (or another type of
checks.verdict.SECURITY_INCIDENT_TYPES): the single-veto rule
`security_incident` stays `unknown` until a reviewer confirms the finding
here; who and when go on the row and into the audit log, and the site's
stored verdict then fails the rule. A later scan keeps the confirmation (the
row is the same finding, upserted by key): `refresh_incident_rule` runs after
every recorded scan.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from govsite.checks.verdict import (
    SECURITY_INCIDENT_TYPES,
    VerdictFormatError,
    from_dict,
    is_incident_candidate,
    security_incident,
    with_rule,
)
from govsite.findings import Finding as FindingRecord
from govsite.surveys import audit
from govsite.surveys.models import Finding, Site

audit.register_labels(
    actions={"confirm_incident": "确认安全事件"},
    fields={"confirmed": "已确认", "confirmed_at": "确认时间"},
    objects={"Finding": "问题 #{id}"},
)


class NotAnIncident(ValueError):
    """The finding is not an open suspected security incident (the message says why, in Chinese)."""


def confirm_incident(finding: Finding, user) -> Finding:
    """Mark an open suspected incident confirmed by `user` (audited) and fail the site's rule."""
    if not is_incident_candidate(finding):
        raise NotAnIncident(f"“{finding.label}”不是需要人工确认的安全事件")
    if finding.status != Finding.Status.OPEN:
        raise NotAnIncident("该问题已消除，无需确认")
    if finding.confirmed_at is not None:
        return finding
    with transaction.atomic():
        finding.confirmed_at = timezone.now()
        finding.confirmed_by = user if getattr(user, "is_authenticated", False) else None
        finding.save(update_fields=["confirmed_at", "confirmed_by"])
        audit.record(
            user,
            "confirm_incident",
            finding,
            site=finding.site,
            before={"confirmed": False},
            after={"confirmed": True, "confirmed_at": finding.confirmed_at.isoformat(timespec="seconds")},
        )
        refresh_incident_rule(finding.site)
    return finding


def refresh_incident_rule(site: Site) -> None:
    """The site's stored verdict with its security_incident rule judged from the open rows (confirmed or not)."""
    site.refresh_from_db(fields=["verdict"])
    try:
        verdict = from_dict(site.verdict)
    except VerdictFormatError:
        return
    if verdict is None:
        return
    open_rows = Finding.objects.filter(site=site, status=Finding.Status.OPEN, type__in=SECURITY_INCIDENT_TYPES)
    rows = [row for row in open_rows if is_incident_candidate(row)]
    current = {rule.code: rule for rule in verdict.rules}.get("security_incident")
    if not rows and current is not None:
        return  # what the scan judged (passed, or unchecked) stands
    records = [_record(row) for row in rows]
    updated = with_rule(verdict, security_incident(records))
    Site.objects.filter(pk=site.pk).update(verdict=updated.as_dict())


def _record(row: Finding) -> FindingRecord:
    detail = {**(row.detail or {}), "confirmed": row.confirmed_at is not None}
    return FindingRecord(row.type, row.url, row.site.url, row.severity, row.evidence, row.page or None, detail)

"""What assessing and reviewing do to a score, whichever page or endpoint asks.

Both are one versioned write (`write_versioned`): the caller names the
version of the score it started from; a row that moved on since is a
Conflict, never a silent overwrite; the write bumps the version and appends
an audit entry with the score's state before and after. A score whose state
does not allow the step is Locked. Who may take a step is the views' to
check (govsite.surveys.access, `lock_reason`); these functions decide only
whether the score's state and version allow it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from govsite.surveys import access, audit
from govsite.surveys.models import IndicatorScore, Site, Survey

Status = IndicatorScore.Status
EDITABLE = (Status.DRAFT, Status.RETURNED)


class Conflict(Exception):
    """The score changed since the client loaded it."""

    def __init__(self, row: IndicatorScore) -> None:
        super().__init__(row.pk)
        self.row = row


class Locked(Exception):
    """The score may not be changed in its current state."""


@dataclass(frozen=True)
class Assessment:
    """What an assessor enters for one leaf (a valid ScoreForm's data)."""

    score: Decimal | None
    adjust_reason: str
    checklist: dict[str, bool | None]
    note: str
    observed_at: datetime | None


def snapshot(row: IndicatorScore) -> dict:
    """The audited state of a score (JSON-able)."""
    return {
        "score": None if row.score is None else str(row.score),
        "status": row.status,
        "adjust_reason": row.adjust_reason,
        "checklist": dict(row.checklist or {}),
        "note": row.note,
        "observed_at": row.observed_at.isoformat() if row.observed_at else None,
        "review_note": row.review_note,
    }


def lock_reason(user, site: Site, row: IndicatorScore | None) -> str | None:
    """Why this user may not change this score now (None: they may)."""
    if not access.can_assess(user, site):
        return "只有该网站的评估员或调查管理员可以修改评分"
    if site.survey.status == Survey.Status.PUBLISHED:
        return "调查结果已发布，评分已锁定"
    if row is not None and row.status not in EDITABLE:
        return f"该指标{row.get_status_display()}，不能再修改；如需修改，请审核员退回"
    return None


def write_versioned(
    row: IndicatorScore,
    version: int,
    user,
    action: str,
    changes: dict,
    *,
    site: Site,
    before: dict,
    after: dict | None = None,
    reason: str = "",
) -> IndicatorScore:
    """Write `changes` to the score if it is still at `version`, bump the version and audit `action`.

    Raises Conflict (with the score as it is now) when the stored version is another. `after` is the
    audited new state (default: the score as stored). Runs inside the caller's transaction, which has
    already compared `row.version` with `version` (a stale client is a Conflict before it is Locked).
    """
    updated = IndicatorScore.objects.filter(pk=row.pk, version=version).update(
        **changes, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise Conflict(IndicatorScore.objects.get(pk=row.pk))
    row.refresh_from_db()
    audit.record(
        user, action, row, site=site, before=before, after=snapshot(row) if after is None else after, reason=reason
    )
    return row


def save_assessment(
    site: Site, code: str, user, entry: Assessment, *, version: int, submit: bool = False
) -> IndicatorScore:
    """Write an assessor's entry (and submit it for review) if the score is still at `version`.

    Raises Conflict or Locked; an entry that changes nothing writes nothing.
    """
    with transaction.atomic():
        row, _created = IndicatorScore.objects.get_or_create(site=site, code=code)
        if row.version != version:
            raise Conflict(row)
        if row.status not in EDITABLE:
            raise Locked(f"该指标{row.get_status_display()}，不能再修改")
        before = snapshot(row)
        row.score, row.adjust_reason, row.checklist = entry.score, entry.adjust_reason, entry.checklist
        row.note, row.observed_at = entry.note, entry.observed_at
        if submit:
            row.status = Status.SUBMITTED
        after = snapshot(row)
        if after == before:
            return row
        changes = {
            "score": row.score,
            "adjust_reason": row.adjust_reason,
            "checklist": row.checklist,
            "note": row.note,
            "observed_at": row.observed_at,
            "status": row.status,
            "assessor": user,
        }
        action = "score_submit" if submit else "score_save"
        return write_versioned(
            row, version, user, action, changes, site=site, before=before, after=after, reason=row.adjust_reason
        )


def apply_review(row: IndicatorScore, user, action: str, note: str, version: int) -> IndicatorScore:
    """Confirm a submitted score or send a submitted/confirmed one back; raise Conflict or Locked."""
    with transaction.atomic():
        current = IndicatorScore.objects.select_related("site").get(pk=row.pk)
        if current.version != version:
            raise Conflict(current)
        allowed = (Status.SUBMITTED,) if action == "confirm" else (Status.SUBMITTED, Status.CONFIRMED)
        verb = "确认" if action == "confirm" else "退回"
        if current.status not in allowed:
            raise Locked(f"该得分当前为“{current.get_status_display()}”，不能{verb}")
        changes = {
            "status": Status.CONFIRMED if action == "confirm" else Status.RETURNED,
            "reviewer": user,
            "review_note": note,
        }
        site = current.site
        return write_versioned(
            current, version, user, f"review_{action}", changes, site=site, before=snapshot(current), reason=note
        )

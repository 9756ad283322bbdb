"""The one way to write the append-only audit log."""

from __future__ import annotations

from typing import Any

from govsite.surveys.models import AuditEntry, Site


def record(
    user,
    action: str,
    obj,
    *,
    site: Site | None = None,
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry: who did `action` to `obj`, its state before and after (JSON-able), and why."""
    return AuditEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        object_type=type(obj).__name__,
        object_id=str(obj.pk),
        site=site,
        before=before,
        after=after,
        reason=reason,
    )

"""Login locks (django-axes' AccessAttempt rows): which accounts are locked now, and unlocking one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Lock:
    username: str
    ip: str
    failures: int
    last: datetime
    until: datetime


def current(now: datetime | None = None) -> list[Lock]:
    """The attempts at or over the failure limit whose cool-off has not passed."""
    from axes.models import AccessAttempt

    now = now or timezone.now()
    cooloff = settings.AXES_COOLOFF_TIME
    rows = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gt=now - cooloff
    ).order_by("-attempt_time")
    return [
        Lock(r.username or "", r.ip_address or "", r.failures_since_start, r.attempt_time, r.attempt_time + cooloff)
        for r in rows
    ]


def release(username: str, ip: str | None = None) -> int:
    """Forget the account's failed attempts (all of them, or only those from `ip`); returns how many rows went."""
    from axes.utils import reset

    if not username:
        return 0
    return reset(username=username, ip=ip) if ip else reset(username=username)

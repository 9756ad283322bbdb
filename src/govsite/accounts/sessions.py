"""One session per account (GOVSITE_SINGLE_SESSION): a new login ends the account's other sessions."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.utils import timezone


def end_other_sessions(user, keep_key: str | None) -> int:
    """Delete the account's unexpired database sessions but `keep_key`; returns how many were ended."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).exclude(session_key=keep_key):
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended

"""The one place that decides and sends alerts: raise_alert, clear_alert and the periodic tick.

- raise_alert(target, problem, …): one alert per target and problem until it
  recovers. A new (or re-opened) alert queues one message per recipient; an
  alert already open sends nothing (idempotent).
- clear_alert(target, problem, detail): an open alert recovers; those who were
  told get one recovery notice; messages not yet sent are cancelled.
- tick(now): reminders every GOVSITE_ALERT_REMIND_HOURS (0 = never) while open,
  and a retry of every message that failed (up to GOVSITE_ALERT_MAX_ATTEMPTS).

Messages are queued inside the caller's transaction and sent after it commits
(or by the next tick): a send never blocks a database transaction and never
raises into the caller. The target is a surveys Website or Site; its
recipients are the enabled ones of its sites and of their surveys.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from govsite.alerts import channels
from govsite.alerts.models import Alert, Delivery, Recipient
from govsite.alerts.problems import problem_label
from govsite.surveys.models import Site, Website

log = logging.getLogger(__name__)
Target = Website | Site
STALE_CLAIM = timedelta(minutes=10)  # a "sending" claim older than this was left by a dead process


def target_key(target: Target) -> str:
    return f"{'website' if isinstance(target, Website) else 'site'}:{target.pk}"


def _sites_of(target: Target) -> list[Site]:
    return list(target.sites.all()) if isinstance(target, Website) else [target]


def recipients_for(target: Target) -> list[Recipient]:
    """The enabled recipients of the target's sites and their surveys, one per kind and address."""
    sites = _sites_of(target)
    found = Recipient.objects.filter(
        Q(site__in=sites) | Q(survey_id__in={s.survey_id for s in sites}), enabled=True
    ).order_by("pk")
    unique: dict[tuple[str, str], Recipient] = {}
    for recipient in found:
        unique.setdefault((recipient.kind, recipient.address.strip().lower()), recipient)
    return list(unique.values())


def _name_and_address(target: Target) -> tuple[str, str]:
    return (target.name, target.origin) if isinstance(target, Website) else (target.name, target.url)


def _message(alert: Alert, target: Target, event: str, at: datetime, detail: str | None = None) -> dict[str, Any]:
    name, address = _name_and_address(target)
    return {
        "event": event,
        "site": name,
        "address": address,
        "problem": alert.problem,
        "label": alert.label,
        "title": alert.title,
        "detail": alert.detail if detail is None else detail,
        "url": alert.url,
        "at": timezone.localtime(at).isoformat(),
    }


def _queue(alert: Alert, recipients: list[Recipient], event: str, message: dict[str, Any], number: int = 0) -> None:
    for recipient in recipients:
        Delivery.objects.get_or_create(
            alert=alert, recipient=recipient, event=event, episode=alert.episode, number=number,
            defaults={"message": message},
        )  # fmt: skip
    pk = alert.pk
    transaction.on_commit(lambda: deliver_pending(alert_id=pk))


def raise_alert(
    target: Target, problem: str, title: str, detail: str, url: str | None = None, *, at: datetime | None = None
) -> Alert:
    """Open the target's alert for `problem` and queue its messages; an open one is only updated."""
    at = at or timezone.now()
    key = target_key(target)
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(target_key=key, problem=problem).first()
        if alert is not None and alert.state == Alert.State.OPEN:
            alert.detail, alert.url = detail, url or alert.url
            alert.save(update_fields=["detail", "url"])
            return alert
        fields = {"label": problem_label(problem), "title": title[:300], "detail": detail, "url": url or ""}
        if alert is None:
            alert = Alert.objects.create(
                target_key=key, problem=problem, opened_at=at, **fields,
                website=target if isinstance(target, Website) else None,
                site=target if isinstance(target, Site) else None,
            )  # fmt: skip
        else:
            for name, value in fields.items():
                setattr(alert, name, value)
            alert.state, alert.episode, alert.opened_at = Alert.State.OPEN, alert.episode + 1, at
            alert.reminders_sent, alert.last_reminded_at, alert.recovered_at = 0, None, None
            alert.save()
        _queue(alert, recipients_for(target), Delivery.Event.ALERT, _message(alert, target, "alert", at))
        log.warning("alert opened: %s %s", key, problem)
        return alert


def clear_alert(target: Target, problem: str, detail: str, *, at: datetime | None = None) -> Alert | None:
    """Recover the target's open alert for `problem`, if any; the recovery goes to those who were told."""
    at = at or timezone.now()
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(target_key=target_key(target), problem=problem).first()
        if alert is None or alert.state != Alert.State.OPEN:
            return None
        alert.state, alert.recovered_at, alert.recovery_detail = Alert.State.RECOVERED, at, detail
        alert.save(update_fields=["state", "recovered_at", "recovery_detail"])
        episode = alert.deliveries.filter(episode=alert.episode)
        episode.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED]).update(
            status=Delivery.Status.CANCELLED
        )
        told = Recipient.objects.filter(
            pk__in=episode.filter(status=Delivery.Status.SENT).values("recipient_id"), enabled=True
        ).order_by("pk")
        _queue(alert, list(told), Delivery.Event.RECOVERY, _message(alert, target, "recovery", at, detail))
        log.info("alert recovered: %s %s", alert.target_key, problem)
        return alert


def _target_of(alert: Alert) -> Target:
    return alert.website if alert.website_id else alert.site


def queue_reminders(now: datetime) -> int:
    hours = settings.GOVSITE_ALERT_REMIND_HOURS
    if hours <= 0:
        return 0
    due = now - timedelta(hours=hours)
    count = 0
    for alert in Alert.objects.filter(state=Alert.State.OPEN, opened_at__lte=due).filter(
        Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=due)
    ):
        with transaction.atomic():
            alert.reminders_sent += 1
            alert.last_reminded_at = now
            alert.save(update_fields=["reminders_sent", "last_reminded_at"])
            target = _target_of(alert)
            message = _message(alert, target, "reminder", now)
            _queue(alert, recipients_for(target), Delivery.Event.REMINDER, message, number=alert.reminders_sent)
        count += 1
    return count


def _claim(delivery_id: int, now: datetime) -> bool:
    """Take one delivery for sending, so two ticks never send the same message twice."""
    ready = Q(status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED]) | Q(
        status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    claimed = Delivery.objects.filter(ready, pk=delivery_id, attempts__lt=settings.GOVSITE_ALERT_MAX_ATTEMPTS).update(
        status=Delivery.Status.SENDING, claimed_at=now
    )
    return claimed == 1


def deliver(delivery: Delivery, now: datetime | None = None) -> bool:
    """Send one queued message; a failure is logged and left for the next tick. True when sent."""
    now = now or timezone.now()
    if not _claim(delivery.pk, now):
        return False
    recipient = delivery.recipient
    try:
        channels.send(
            recipient.kind, recipient.address, channels.message_from(delivery.message),
            secret=recipient.secret, keyword=recipient.keyword,
        )  # fmt: skip
    except Exception as error:
        log.warning("alert delivery %s to %s failed: %s", delivery.pk, recipient, error)
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.FAILED, attempts=delivery.attempts + 1, last_error=str(error)[:2000]
        )
        return False
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENT, attempts=delivery.attempts + 1, sent_at=now
    )
    alert = Alert.objects.get(pk=delivery.alert_id)
    alert.first_sent_at = alert.first_sent_at or now
    alert.last_sent_at = now
    alert.save(update_fields=["first_sent_at", "last_sent_at"])
    return True


def deliver_pending(alert_id: int | None = None, now: datetime | None = None) -> int:
    """Send every message waiting or failed (of one alert, or all); never raises. Returns how many went out."""
    pending = Delivery.objects.filter(
        status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED, Delivery.Status.SENDING],
        attempts__lt=settings.GOVSITE_ALERT_MAX_ATTEMPTS,
    ).select_related("recipient")
    if alert_id is not None:
        pending = pending.filter(alert_id=alert_id)
    sent = 0
    for delivery in pending.order_by("pk"):
        try:
            sent += deliver(delivery, now)
        except Exception:
            log.exception("alert delivery %s", delivery.pk)
    return sent


def tick(now: datetime | None = None) -> dict[str, int]:
    """The periodic step (Celery beat, `govsite manage govsite_alerts`): reminders, then retries."""
    now = now or timezone.now()
    reminders = queue_reminders(now)
    return {"reminders": reminders, "sent": deliver_pending(now=now)}

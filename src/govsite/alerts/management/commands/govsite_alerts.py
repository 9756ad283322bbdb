"""`govsite manage govsite_alerts`: send due reminders and retry failed alert messages (run it from cron
every few minutes in the embedded deployment; Celery beat runs the same tick as govsite.worker.alerts_tick)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from govsite.alerts.services import tick


class Command(BaseCommand):
    help = "发送到期的告警提醒，并重试发送失败的告警消息"

    def handle(self, *args, **options) -> None:
        done = tick()
        self.stdout.write(f"新增提醒 {done['reminders']} 条；已发送消息 {done['sent']} 条")

"""`govsite manage remind_workorders`: remind assignees of overdue work orders (once a day is enough).

The same logic runs from the Celery beat schedule (services.send_overdue_reminders).
It also settles orders whose re-check job ended without settling them (a failed job).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from govsite.workorders.services import send_overdue_reminders, settle_finished_rechecks


class Command(BaseCommand):
    help = "提醒逾期未整改的工单责任人，并结算已结束的复核任务"

    def handle(self, *args, **options) -> None:
        settled = settle_finished_rechecks()
        reminded = send_overdue_reminders(timezone.now())
        self.stdout.write(f"已提醒 {reminded} 个逾期工单；结算复核 {settled} 个")

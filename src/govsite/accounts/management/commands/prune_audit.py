"""`govsite manage prune_audit`: delete audit entries older than GOVSITE_AUDIT_RETENTION_DAYS (never under 183 days)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from govsite.surveys import audit


class Command(BaseCommand):
    help = "删除超过保留期的审计日志（GOVSITE_AUDIT_RETENTION_DAYS，不得少于 183 天）"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="保留天数（默认 GOVSITE_AUDIT_RETENTION_DAYS）")

    def handle(self, *args, **options):
        floor = settings.AUDIT_RETENTION_FLOOR_DAYS
        days = options["days"] if options["days"] is not None else settings.GOVSITE_AUDIT_RETENTION_DAYS
        if days < floor:
            raise CommandError(f"保留天数不得少于 {floor} 天（等保要求审计记录至少保存六个月）")
        removed = audit.purge_expired(timezone.now(), days, floor)
        self.stdout.write(f"已删除 {removed} 条超过 {days} 天的审计日志")

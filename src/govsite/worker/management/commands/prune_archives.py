"""`govsite manage prune_archives [--days N] [--dry-run]`: delete old jobs' WARC archives, keep findings."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from govsite.worker.retention import prune_archives


class Command(BaseCommand):
    help = "删除超过保留期的检测任务存档（WARC 与网页全文），保留问题记录（GOVSITE_ARCHIVE_RETENTION_DAYS）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, help="保留天数（默认 GOVSITE_ARCHIVE_RETENTION_DAYS；0 为永久）")
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")

    def handle(self, *args, days: int | None = None, dry_run: bool = False, **options) -> None:
        report = prune_archives(days, dry_run=dry_run)
        verb = "可删除" if dry_run else "已删除"
        self.stdout.write(
            f"保留 {report.days} 天（{report.cutoff} 之前）：{verb} {len(report.jobs)} 个任务的 "
            f"{report.files} 个文件，共 {report.bytes / 1e6:.1f} MB"
        )

"""`govsite manage purge_archives --site ID [--site ID …] [--user NAME] [--reason TEXT]`: one site's raw archives."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from govsite.surveys.archives import purge_site_archives
from govsite.surveys.models import Site


class Command(BaseCommand):
    help = "立即清除指定网站全部检测任务的存档（WARC 与网页全文，含最新一次），保留问题记录；记入审计日志"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--site", type=int, action="append", required=True, help="网站编号（可重复）")
        parser.add_argument("--user", help="记入审计日志的操作人用户名")
        parser.add_argument("--reason", default="", help="清除原因（记入审计日志）")

    def handle(self, *args, site: list[int], user: str | None = None, reason: str = "", **options) -> None:
        sites = list(Site.objects.filter(pk__in=site))
        missing = sorted(set(site) - {s.pk for s in sites})
        if missing:
            raise CommandError(f"没有编号为 {'、'.join(map(str, missing))} 的网站")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"没有用户 {user}")
        for target in sites:
            report = purge_site_archives(target, user=actor, reason=reason)
            line = (
                f"{target.name}：已清除 {len(report.jobs)} 个检测任务的 {report.files} 个存档文件，"
                f"共 {report.bytes / 1e6:.1f} MB"
            )
            if report.skipped_active:
                line += f"；{len(report.skipped_active)} 个排队或检测中的任务未清除，请结束后再执行"
            self.stdout.write(line)

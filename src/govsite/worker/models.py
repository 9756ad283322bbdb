"""Monitoring schedules and the alerts they raised.

SiteSchedule: one per (site, kind) — by default a daily incremental and a
weekly full check. `next_run_at` is claimed with a compare-and-set update
(schedules.enqueue_due), so however many beat ticks or schedulers run at
once, a due schedule yields exactly one Job.

"Incremental" is honest about what it is: the crawler has no change-only
mode, so an incremental job crawls the whole site like a full one; what
makes it incremental is what it reports — the findings that are new or
fixed since the previous run (Job.summary["changes"], from sync_findings).
The two kinds differ in cadence and in how they are read, not in the crawl.

(VetoAlert, the single-veto alerts, lives in the workorders app.)
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models

from govsite.surveys.models import Job, Site


class SiteSchedule(models.Model):
    class Kind(models.TextChoices):
        INCREMENTAL = Job.Kind.INCREMENTAL.value, "增量检测"
        FULL = Job.Kind.FULL.value, "全量检测"

    class Period(models.TextChoices):
        DAILY = "daily", "每天"
        WEEKLY = "weekly", "每周"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="schedules")
    kind = models.CharField("检测类型", max_length=20, choices=Kind.choices)
    period = models.CharField("周期", max_length=10, choices=Period.choices)
    enabled = models.BooleanField("启用", default=True)
    next_run_at = models.DateTimeField("下次运行")
    last_run_at = models.DateTimeField("上次运行", null=True, blank=True)
    last_job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    skipped = models.PositiveIntegerField("因上次未完成而跳过", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "kind"], name="one_schedule_per_site_kind")]
        indexes = [models.Index(fields=["enabled", "next_run_at"])]
        verbose_name = verbose_name_plural = "监测计划"

    def __str__(self) -> str:
        return f"{self.site} · {self.get_period_display()}{self.get_kind_display()}"

    @property
    def interval(self) -> timedelta:
        return timedelta(days=1 if self.period == self.Period.DAILY else 7)

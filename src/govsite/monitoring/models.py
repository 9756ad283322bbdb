"""Probe records per Website, the daily roll-up, the current state, and the round claim."""

from __future__ import annotations

from django.db import models

from govsite.checks.availability import REASONS
from govsite.surveys.models import Website

REASON_CHOICES = [("", "正常"), *REASONS.items()]


class AvailabilityProbe(models.Model):
    """One visit of a website's homepage (kept GOVSITE_UPTIME_RETENTION_DAYS days)."""

    website = models.ForeignKey(Website, on_delete=models.CASCADE, related_name="probes")
    at = models.DateTimeField("访问时间")
    ok = models.BooleanField("打开")
    reason = models.CharField("原因", max_length=20, choices=REASON_CHOICES, blank=True)
    elapsed_ms = models.PositiveIntegerField("用时（毫秒）", default=0)
    status = models.PositiveSmallIntegerField("HTTP 状态码", null=True, blank=True)

    class Meta:
        ordering = ["website", "at"]
        indexes = [models.Index(fields=["website", "at"]), models.Index(fields=["at"])]
        verbose_name = verbose_name_plural = "可用性探测"

    @property
    def elapsed(self) -> float:  # seconds, as checks.availability reads an attempt
        return self.elapsed_ms / 1000


class AvailabilityDay(models.Model):
    """A website's visits of one day (local date), kept for good."""

    website = models.ForeignKey(Website, on_delete=models.CASCADE, related_name="availability_days")
    day = models.DateField("日期")
    attempts = models.PositiveIntegerField("访问次数", default=0)
    failures = models.PositiveIntegerField("打不开次数", default=0)
    longest_outage_s = models.PositiveIntegerField("最长中断（秒）", default=0)
    by_reason = models.JSONField("按原因", default=dict, blank=True)

    class Meta:
        ordering = ["website", "day"]
        constraints = [models.UniqueConstraint(fields=["website", "day"], name="availability_day_once")]
        verbose_name = verbose_name_plural = "可用性日汇总"


class WebsiteAvailability(models.Model):
    """What the last probes say: up or down (for the change signal), and the week's judgement."""

    website = models.OneToOneField(Website, on_delete=models.CASCADE, related_name="availability")
    up = models.BooleanField("可访问", default=True)
    failures_in_row = models.PositiveIntegerField("连续打不开次数", default=0)
    changed_at = models.DateTimeField("状态变化时间", null=True, blank=True)
    since = models.DateTimeField("开始监测时间", null=True, blank=True)  # the first probe, kept after retention
    week = models.JSONField("近一周判定", null=True, blank=True)  # checks.availability.judge()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "可用性状态"


class ProbeRound(models.Model):
    """One round per schedule slot: two beats or two workers ticking together probe once."""

    slot = models.DateTimeField(unique=True)
    started_at = models.DateTimeField(auto_now_add=True)
    websites = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    not_counted = models.CharField("未计入原因", max_length=300, blank=True)  # checks.availability.prober_offline

"""Alerts: one record per target (a Website or a Site) and problem, its recipients and each delivery.

An Alert is open until its problem clears (recovered); raising it again while
open sends nothing. A Delivery is one message (alert, reminder or recovery) to
one recipient: pending until sent, failed sends are retried by the tick
(services.tick) up to GOVSITE_ALERT_MAX_ATTEMPTS.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govsite.surveys.models import Site, Survey, Website


class Alert(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "告警中"
        RECOVERED = "recovered", "已恢复"

    target_key = models.CharField(max_length=40)  # "website:<id>" or "site:<id>"
    website = models.ForeignKey(Website, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    problem = models.CharField("问题代码", max_length=80)
    label = models.CharField("问题", max_length=200)
    title = models.CharField("标题", max_length=300)
    detail = models.TextField("详情", blank=True)
    url = models.TextField("证据链接", blank=True)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.OPEN)
    episode = models.PositiveIntegerField(default=1)  # counts the times it opened
    opened_at = models.DateTimeField("发生时间")
    first_sent_at = models.DateTimeField("首次发送", null=True, blank=True)
    last_sent_at = models.DateTimeField("最近发送", null=True, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveIntegerField("提醒次数", default=0)
    recovered_at = models.DateTimeField("恢复时间", null=True, blank=True)
    recovery_detail = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["target_key", "problem"], name="alerts_one_per_problem")]
        ordering = ["-opened_at"]
        verbose_name = verbose_name_plural = "告警"

    def __str__(self) -> str:
        return self.title

    @property
    def target_name(self) -> str:
        return (self.website or self.site).name


class Recipient(models.Model):
    """Who is told: an email address or a group-robot webhook, for a whole survey or one site."""

    class Kind(models.TextChoices):
        EMAIL = "email", "电子邮件"
        DINGTALK = "dingtalk", "钉钉群机器人"
        WECOM = "wecom", "企业微信群机器人"
        FEISHU = "feishu", "飞书群机器人"
        WEBHOOK = "webhook", "通用 JSON Webhook"

    survey = models.ForeignKey(Survey, null=True, blank=True, on_delete=models.CASCADE, related_name="alert_recipients")
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.CASCADE, related_name="alert_recipients")
    kind = models.CharField("方式", max_length=20, choices=Kind.choices)
    address = models.CharField("邮箱或 Webhook 地址", max_length=500)
    secret = models.CharField("加签密钥", max_length=200, blank=True)  # DingTalk / Feishu signing
    keyword = models.CharField("关键词", max_length=50, blank=True)  # DingTalk / Feishu keyword check
    name = models.CharField("名称", max_length=100, blank=True)
    enabled = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "address"]
        verbose_name = verbose_name_plural = "告警接收人"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name or self.address}"


class Delivery(models.Model):
    class Event(models.TextChoices):
        ALERT = "alert", "告警"
        REMINDER = "reminder", "提醒"
        RECOVERY = "recovery", "恢复"

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"
        CANCELLED = "cancelled", "已取消"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=20, choices=Event.choices)
    episode = models.PositiveIntegerField()
    number = models.PositiveIntegerField(default=0)  # the reminder's number; 0 otherwise
    message = models.JSONField()  # messages.Message's fields, fixed when the event happened
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "recipient", "event", "episode", "number"], name="alerts_one_delivery_each"
            )
        ]
        indexes = [models.Index(fields=["status"])]
        ordering = ["created_at", "id"]

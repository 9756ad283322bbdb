"""Work orders: findings handed to a site's operators, fixed, and re-checked by the same detector.

open ──(operator: 已整改)──► rechecking ──(re-check clean)──► closed
  ▲                              └──(problem still there)──► open (reopened)
  └──(reviewer rejects)── no_change_claimed ◄──(operator: 无需修改 + reason)
                               └──(reviewer accepts)──► closed
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govsite.surveys.models import (
    Finding,
    FindingTypeQuerySet,
    Job,
    Site,
    finding_type_label,
    validate_optional_finding_type,
)


class WorkOrderQuerySet(FindingTypeQuerySet):
    type_field = "finding_type"
    validate = staticmethod(validate_optional_finding_type)


class WorkOrder(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "待整改"
        RECHECKING = "rechecking", "复核中"
        NO_CHANGE_CLAIMED = "no_change_claimed", "申请无需修改"
        CLOSED = "closed", "已关闭"

    class Resolution(models.TextChoices):
        FIXED = "fixed", "已整改"
        NO_CHANGE = "no_change", "无需修改"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="workorders")
    title = models.CharField("标题", max_length=300)
    # "" for a single-veto alert whose rule no finding type stands for (a verdict stored before rule codes)
    finding_type = models.CharField("问题类型", max_length=40, blank=True, validators=[validate_optional_finding_type])
    page = models.TextField("页面", blank=True)  # set when grouped by type and page
    findings = models.ManyToManyField(Finding, related_name="workorders")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="workorders"
    )
    deadline = models.DateField("整改期限", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.OPEN)
    resolution = models.CharField("结论", max_length=20, choices=Resolution.choices, blank=True)
    claim_reason = models.TextField("说明", blank=True)
    recheck_job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = WorkOrderQuerySet.as_manager()

    class Meta:
        ordering = ["status", "deadline", "-created_at"]
        indexes = [models.Index(fields=["site", "status"]), models.Index(fields=["status", "deadline"])]
        verbose_name = verbose_name_plural = "整改工单"

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        validate_optional_finding_type(self.finding_type)
        super().save(*args, **kwargs)

    @property
    def finding_type_label(self) -> str:
        return finding_type_label(self.finding_type)


class WorkOrderEvent(models.Model):
    """The order's history, append-only (the audit log records the same actions with before/after)."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=50)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class VetoAlert(models.Model):
    """A site tripped a single-veto (单项否决) rule and a work order was opened for it (alerts.py).

    While that order is not closed, the same rule on the same site opens no
    other. The table keeps the name it had when the model lived in the worker
    app (migrations: worker 0003 / workorders 0003 moved it without copying).
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="veto_alerts")
    rule = models.CharField("否决规则", max_length=40)  # a checks.verdict rule code, or other:<code>
    reason = models.TextField("否决原因")
    job = models.ForeignKey(Job, null=True, on_delete=models.SET_NULL, related_name="+")
    workorder = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="veto_alerts")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "worker_vetoalert"
        indexes = [models.Index(fields=["site", "rule"], name="worker_veto_site_id_409945_idx")]
        verbose_name = verbose_name_plural = "单项否决告警"

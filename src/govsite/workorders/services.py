"""The rectification loop's transitions (问题发现 → 整改 → 复核), one function per step.

`next_status` is the state machine of WorkOrder's docstring as a table; every
other function applies one transition to the database in one transaction and
writes a WorkOrderEvent and an audit entry. They decide *when* a step may
happen (the order's state); *who* may take it is the views' business
(govsite.surveys.access). Launching jobs is the caller's too: `mark_fixed`
returns the RECHECK job it created, and the view hands it to dispatch.launch.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from govsite.surveys import audit
from govsite.surveys.jobs import (  # surveys never imports workorders: run_job sends job_finished
    create_job,
    not_checked_message,
)
from govsite.surveys.models import FINDING_TYPE_CHOICES, Finding, Job, Site
from govsite.workorders.models import WorkOrder, WorkOrderEvent

log = logging.getLogger(__name__)

OPEN = WorkOrder.Status.OPEN
RECHECKING = WorkOrder.Status.RECHECKING
CLAIMED = WorkOrder.Status.NO_CHANGE_CLAIMED
CLOSED = WorkOrder.Status.CLOSED

# (status, action) -> new status: the only moves an order can make.
TRANSITIONS: dict[tuple[str, str], str] = {
    (OPEN, "mark_fixed"): RECHECKING,
    (OPEN, "claim_no_change"): CLAIMED,
    (RECHECKING, "recheck_passed"): CLOSED,
    (RECHECKING, "recheck_failed"): OPEN,
    (RECHECKING, "recheck_error"): OPEN,
    (RECHECKING, "recheck_not_run"): OPEN,
    (CLAIMED, "accept_claim"): CLOSED,
    (CLAIMED, "reject_claim"): OPEN,
}
ACTION_LABELS: dict[str, str] = {
    "create": "创建工单",
    "mark_fixed": "已整改，申请复核",
    "claim_no_change": "申请无需修改",
    "recheck_passed": "复核通过",
    "recheck_failed": "复核未通过",
    "recheck_error": "复核任务失败",
    "recheck_not_run": "复核未能进行",
    "accept_claim": "同意无需修改",
    "reject_claim": "驳回无需修改申请",
    "assign": "调整指派",
    "remind": "逾期提醒",
}
# What the audit pages call this app's entries (registered with govsite.surveys.audit by WorkordersConfig.ready).
AUDIT_ACTIONS: dict[str, str] = {
    "workorder.create": "派发整改工单",
    **{f"workorder.{action}": f"工单：{label}" for action, label in ACTION_LABELS.items() if action != "create"},
    "job.recheck": "整改复核",
}
AUDIT_FIELDS: dict[str, str] = {
    "assignee": "整改责任人",
    "claim_reason": "说明",
    "resolution": "结论",
    "deadline": "整改期限",
    "recheck_job": "复核任务",
    "findings": "问题编号",
    "urls": "复核网址",
    "workorder": "工单编号",
    "rule": "单项否决规则",
}
GROUPINGS = {"each": "每个问题一个工单", "type_page": "按问题类型和页面合并"}
TYPE_LABELS = dict(FINDING_TYPE_CHOICES)
TITLE_MAX = 300
REMAINING_LISTED = 20


class TransitionError(ValueError):
    """A step the order's current state does not allow (the message is for the user)."""


def register_audit_labels() -> None:
    """Name this app's audit entries, their work orders' states and conclusions for the audit pages."""
    audit.register_labels(
        actions=AUDIT_ACTIONS,
        fields=AUDIT_FIELDS,
        objects={"WorkOrder": "工单 #{id}"},
        statuses={"WorkOrder": dict(WorkOrder.Status.choices)},
        values={"resolution": dict(WorkOrder.Resolution.choices)},
    )


def next_status(status: str, action: str) -> str:
    """The status `action` moves an order in `status` to; TransitionError when it may not."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        label = WorkOrder.Status(status).label if status in WorkOrder.Status.values else status
        raise TransitionError(f"工单当前状态为“{label}”，不能执行“{ACTION_LABELS.get(action, action)}”") from None


def person(user) -> str:
    """A user as the pages and the order history name them: 赵运维（zhao）, or the user name alone."""
    full = user.get_full_name()
    return f"{full}（{user.get_username()}）" if full else user.get_username()


def is_overdue(order: WorkOrder, today: date) -> bool:
    return order.deadline is not None and order.deadline < today and order.status != CLOSED


def snapshot(order: WorkOrder) -> dict:
    """What the audit log keeps of an order before and after a step."""
    return {
        "status": order.status,
        "resolution": order.resolution,
        "assignee": order.assignee.get_username() if order.assignee else None,
        "deadline": order.deadline.isoformat() if order.deadline else None,
        "recheck_job": order.recheck_job_id,
    }


def _event(order: WorkOrder, user, action: str, note: str = "") -> WorkOrderEvent:
    return WorkOrderEvent.objects.create(order=order, user=_real(user), action=action, note=note)


def _real(user):
    return user if getattr(user, "is_authenticated", False) else None


def _locked(order: WorkOrder) -> WorkOrder:
    """The order re-read under a row lock, so two clicks cannot both move it."""
    return WorkOrder.objects.select_for_update().select_related("site", "assignee").get(pk=order.pk)


def _move(order: WorkOrder, user, action: str, *, note: str = "", **changes) -> WorkOrder:
    """Apply one transition to a locked order: new status and fields, an event, an audit entry."""
    before = snapshot(order)
    order.status = next_status(order.status, action)
    for name, value in changes.items():
        setattr(order, name, value)
    order.save()
    _event(order, user, action, note)
    audit.record(user, f"workorder.{action}", order, site=order.site, before=before, after=snapshot(order), reason=note)
    return order


# -- creating -----------------------------------------------------------------------------


def _title(label: str, where: str, count: int) -> str:
    title = f"{label}：{where}" if count == 1 else f"{label}（{count} 处）：{where}"
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"


def create_orders(
    site: Site,
    findings: Iterable[Finding],
    *,
    grouping: str,
    assignee,
    deadline: date | None,
    user,
) -> tuple[list[WorkOrder], list[Finding]]:
    """Work orders for open findings of `site`: one per finding, or one per (type, page).

    Returns (orders created, findings skipped because they are fixed already or
    in an order that is not closed yet): a problem is never assigned twice.
    """
    if grouping not in GROUPINGS:
        raise ValueError(f"unknown grouping {grouping!r}")
    findings = list(findings)
    if any(f.site_id != site.pk for f in findings):
        raise ValueError("findings of another site")
    busy = set(
        WorkOrder.findings.through.objects.filter(
            finding_id__in=[f.pk for f in findings], workorder__status__in=[OPEN, RECHECKING, CLAIMED]
        ).values_list("finding_id", flat=True)
    )
    skipped = [f for f in findings if f.pk in busy or f.status != Finding.Status.OPEN]
    usable = [f for f in findings if f not in skipped]
    groups: dict[tuple, list[Finding]] = defaultdict(list)
    for finding in sorted(usable, key=lambda f: (f.type, f.page, f.url, f.pk)):
        key = (finding.pk,) if grouping == "each" else (finding.type, finding.page or finding.url)
        groups[key].append(finding)
    orders = []
    with transaction.atomic():
        for members in groups.values():
            first = members[0]
            label = TYPE_LABELS.get(first.type, first.type)
            if grouping == "each":
                where, page = first.url, ""
            else:
                where = page = first.page or first.url
            order = WorkOrder.objects.create(
                site=site,
                title=_title(label, where, len(members)),
                finding_type=first.type,
                page=page,
                assignee=assignee,
                deadline=deadline,
                created_by=_real(user),
            )
            order.findings.set(members)
            note = f"{len(members)} 个问题" + (f"，指派给 {person(assignee)}" if assignee else "")
            _event(order, user, "create", note)
            after = {**snapshot(order), "findings": [f.pk for f in members]}
            audit.record(user, "workorder.create", order, site=site, after=after)
            orders.append(order)
    return orders, skipped


def assign(order: WorkOrder, user, *, assignee, deadline: date | None, note: str = "") -> WorkOrder:
    """Change who fixes the order and by when (not once it is closed)."""
    with transaction.atomic():
        order = _locked(order)
        if order.status == CLOSED:
            raise TransitionError("工单已关闭，不能再调整指派")
        before = snapshot(order)
        order.assignee, order.deadline = assignee, deadline
        if deadline is None or deadline >= timezone.localdate():
            order.reminded_at = None  # a new deadline earns a new reminder when it passes
        order.save()
        who = person(assignee) if assignee else "无"
        text = f"指派给 {who}，整改期限 {deadline.isoformat() if deadline else '未设'}" + (f"；{note}" if note else "")
        _event(order, user, "assign", text)
        audit.record(
            user, "workorder.assign", order, site=order.site, before=before, after=snapshot(order), reason=note
        )
    return order


# -- the operator's answer and the reviewer's decision --------------------------------------


def recheck_urls(order: WorkOrder) -> list[str]:
    """Exactly the URLs a re-check of the order judges: each finding's url and page."""
    urls: list[str] = []
    for url, page in order.findings.order_by("pk").values_list("url", "page"):
        urls.append(url)
        if page:
            urls.append(page)
    return list(dict.fromkeys(urls))


def mark_fixed(order: WorkOrder, user, note: str = "") -> Job:
    """已整改: the order goes to rechecking with a new RECHECK job for its URLs (the caller launches it)."""
    with transaction.atomic():
        order = _locked(order)
        next_status(order.status, "mark_fixed")
        job = create_job(order.site, Job.Kind.RECHECK, user=_real(user), urls=recheck_urls(order))
        text = f"复核任务 #{job.pk}" + (f"；{note}" if note else "")
        _move(order, user, "mark_fixed", note=text, recheck_job=job, resolution=WorkOrder.Resolution.FIXED)
        audit.record(user, "job.recheck", job, site=order.site, after={"urls": job.urls, "workorder": order.pk})
    return job


def claim_no_change(order: WorkOrder, user, reason: str) -> WorkOrder:
    """无需修改: needs a reason, and a reviewer's decision afterwards."""
    reason = reason.strip()
    if not reason:
        raise TransitionError("申请无需修改必须说明理由")
    with transaction.atomic():
        order = _locked(order)
        return _move(order, user, "claim_no_change", note=reason, claim_reason=reason)


def accept_claim(order: WorkOrder, user, note: str = "") -> WorkOrder:
    with transaction.atomic():
        order = _locked(order)
        return _move(
            order,
            user,
            "accept_claim",
            note=note.strip(),
            resolution=WorkOrder.Resolution.NO_CHANGE,
            closed_at=timezone.now(),
        )


def reject_claim(order: WorkOrder, user, reason: str) -> WorkOrder:
    reason = reason.strip()
    if not reason:
        raise TransitionError("驳回申请必须说明理由")
    with transaction.atomic():
        order = _locked(order)
        return _move(order, user, "reject_claim", note=reason, resolution="")


# -- the re-check's outcome ----------------------------------------------------------------


def after_job(job: Job) -> int:
    """Settle the orders this job re-checked (a job_finished receiver, see receivers.py). Returns how many."""
    if job.kind != Job.Kind.RECHECK:
        return 0
    settled = 0
    for order in WorkOrder.objects.filter(recheck_job_id=job.pk, status=RECHECKING):
        settled += settle_recheck(order)
    return settled


def settle_recheck(order: WorkOrder) -> int:
    """Close a rechecking order whose findings are all gone, reopen it otherwise; 0 while its job still runs.

    A failed (or vanished) re-check job reopens the order too, saying so,
    and the operator asks for a new re-check.
    """
    with transaction.atomic():
        order = _locked(order)
        if order.status != RECHECKING:
            return 0
        job = Job.objects.filter(pk=order.recheck_job_id).first()
        if job is not None and job.status in (Job.Status.QUEUED, Job.Status.RUNNING):
            return 0
        if job is None or job.status == Job.Status.FAILED:
            why = f"复核任务 #{job.pk} 失败：{job.error[:300]}" if job else "复核任务已不存在"
            _move(order, None, "recheck_error", note=why + "；请重新提交复核", resolution="")
            return 1
        not_checked = (job.summary or {}).get("not_checked")
        if not_checked:
            note = f"复核任务 #{job.pk} {not_checked_message(job)}请确认网站可以访问后重新提交复核"
            _move(order, None, "recheck_not_run", note=note, resolution="")
            return 1
        remaining = list(order.findings.filter(status=Finding.Status.OPEN).order_by("type", "url"))
        if not remaining:
            _move(order, None, "recheck_passed", note=f"复核任务 #{job.pk}：问题已全部消除", closed_at=timezone.now())
            return 1
        unfetched = set((job.summary or {}).get("not_fetched") or ())
        lines = [_remaining_line(f, unfetched) for f in remaining]
        if len(lines) > REMAINING_LISTED:
            lines = [*lines[:REMAINING_LISTED], f"……另有 {len(lines) - REMAINING_LISTED} 个"]
        note = f"复核任务 #{job.pk}：仍有 {len(remaining)} 个问题未消除\n" + "\n".join(lines)
        _move(order, None, "recheck_failed", note=note, resolution="")
        return 1


def _remaining_line(finding: Finding, unfetched: set[str]) -> str:
    line = f"{TYPE_LABELS.get(finding.type, finding.type)}：{finding.url}（{finding.evidence[:100]}）"
    if (finding.page or finding.url) in unfetched:
        line += "——本次未能抓取该页面，无法复核"
    return line


def settle_finished_rechecks() -> int:
    """Settle every rechecking order whose job has ended without the hook (failed jobs, older deployments)."""
    stuck = WorkOrder.objects.filter(status=RECHECKING).filter(
        Q(recheck_job__isnull=True) | Q(recheck_job__status__in=[Job.Status.DONE, Job.Status.FAILED])
    )
    return sum(settle_recheck(order) for order in stuck)


# -- reminders -------------------------------------------------------------------------------


def send_overdue_reminders(now: datetime) -> int:
    """Remind the assignee of every open order past its deadline, at most once a day; returns how many.

    Each reminder stamps reminded_at, writes an event and an audit entry, and
    mails the assignee when they have an address (a mail failure is logged,
    the reminder still counts). The Celery beat schedule calls this too.
    """
    today = timezone.localdate(now)
    start_of_day = timezone.make_aware(datetime.combine(today, time.min), timezone.get_current_timezone())
    due = (
        WorkOrder.objects.filter(status=OPEN, deadline__lt=today)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=start_of_day))
        .select_related("site", "assignee")
        .order_by("deadline", "pk")
    )
    count = 0
    for order in due:
        days = (today - order.deadline).days
        note = f"已超过整改期限 {order.deadline.isoformat()}（逾期 {days} 天），请尽快整改"
        with transaction.atomic():
            before = snapshot(order)
            WorkOrder.objects.filter(pk=order.pk).update(reminded_at=now)
            order.reminded_at = now
            _event(order, None, "remind", note)
            audit.record(None, "workorder.remind", order, site=order.site, before=before, after=snapshot(order))
        _mail_reminder(order, note)
        count += 1
    return count


def _mail_reminder(order: WorkOrder, note: str) -> None:
    if order.assignee is None or not order.assignee.email:
        return
    subject = f"【整改提醒】{order.site.name}：{order.title}"[:200]
    greeting = f"{order.assignee.get_full_name() or order.assignee.get_username()}，您好："
    body = f"{greeting}\n\n工单 #{order.pk}“{order.title}”{note}。\n\n——政府网站评估监测平台\n"
    try:
        send_mail(subject.replace("\n", " "), body, None, [order.assignee.email])
    except Exception:  # a mail server outage must not stop the other reminders
        log.exception("reminder mail for work order %s failed", order.pk)

"""Work-order pages: the list, creating orders from findings, one order and its steps.

Reach and roles come from govsite.surveys.access: an order of a site the
user cannot see is a 404; a step the user's role does not allow is a 403.
Survey managers and reviewers create orders and decide 无需修改 claims; the
site's operators (and the assignee) answer them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govsite.surveys import access, dispatch
from govsite.surveys.models import FINDING_TYPE_CHOICES, Finding, Job, Site
from govsite.surveys.views.common import site_crumbs
from govsite.workorders import services
from govsite.workorders.forms import (
    SORTS,
    AssignForm,
    ClaimForm,
    CreateOrdersForm,
    FixedForm,
    OrderFilterForm,
    ReviewClaimForm,
)
from govsite.workorders.models import WorkOrder

PAGE_SIZE = 30
NEW_PAGE_LIMIT = 500  # findings offered at once on the "new orders" page; narrow by type for more
ACTIVE = [WorkOrder.Status.OPEN, WorkOrder.Status.RECHECKING, WorkOrder.Status.NO_CHANGE_CLAIMED]


def visible_orders(user):
    return WorkOrder.objects.filter(site__in=access.sites_for(user))


def can_answer(user, order: WorkOrder) -> bool:
    """The operator's side: mark fixed, claim 无需修改."""
    return order.assignee_id == user.id or access.is_operator(user, order.site)


def can_manage(user, site: Site) -> bool:
    """The evaluation team's side: create, assign, decide claims."""
    return access.can_review(user, site)


@login_required
def order_list(request):
    form = OrderFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    orders = visible_orders(request.user).select_related("site", "assignee").annotate(n_findings=Count("findings"))
    today = timezone.localdate()
    if filters.get("status"):
        orders = orders.filter(status=filters["status"])
    if filters.get("overdue"):
        orders = orders.filter(deadline__lt=today).exclude(status=WorkOrder.Status.CLOSED)
    if filters.get("type"):
        orders = orders.filter(finding_type=filters["type"])
    site = None
    if filters.get("site"):
        site = get_object_or_404(access.sites_for(request.user), pk=filters["site"])
        orders = orders.filter(site=site)
    if filters.get("mine"):
        orders = orders.filter(assignee=request.user)
    if filters.get("sort"):
        orders = orders.order_by(SORTS[filters["sort"]][0], "pk")
    else:
        orders = orders.order_by("status", "deadline", "-created_at", "pk")
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    counted = visible_orders(request.user) if site is None else visible_orders(request.user).filter(site=site)
    counts = dict(counted.values_list("status").annotate(n=Count("id")).order_by())
    overdue = counted.filter(deadline__lt=today).exclude(status=WorkOrder.Status.CLOSED).count()
    return render(
        request,
        "workorders/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": today,
            "site": site,
            "status_counts": [(value, label, counts.get(value, 0)) for value, label in WorkOrder.Status.choices],
            "overdue_count": overdue,
            "breadcrumbs": [("工作台", reverse("home")), ("整改工单", None)],
        },
    )


@login_required
def order_new(request, site_id: int):
    site = get_object_or_404(access.sites_for(request.user).select_related("survey"), pk=site_id)
    if not can_manage(request.user, site):
        raise PermissionDenied("只有调查管理员或审核员可以派发整改工单")
    if request.method == "POST":
        form = CreateOrdersForm(site, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            orders, skipped = services.create_orders(
                site,
                data["findings"],
                grouping=data["grouping"],
                assignee=data["assignee"],
                deadline=data["deadline"],
                user=request.user,
            )
            if orders:
                messages.success(request, f"已生成 {len(orders)} 个整改工单")
            if skipped:
                messages.warning(request, f"{len(skipped)} 个问题已在未关闭的工单中或已消除，未重复派发")
            return redirect(f"{reverse('workorders:list')}?site={site.pk}")
    else:
        chosen = [v for v in request.GET.getlist("finding") if v.isdigit()]
        form = CreateOrdersForm(site, initial={"findings": chosen, "grouping": request.GET.get("grouping", "each")})
    offered = (
        Finding.objects.filter(site=site, status=Finding.Status.OPEN)
        .exclude(workorders__status__in=ACTIVE)
        .order_by("type", "page", "url", "pk")
    )
    type_filter = request.GET.get("type", "")
    if type_filter:
        offered = offered.filter(type=type_filter)
    total = offered.count()
    selected = {str(v) for v in (form["findings"].value() or [])}
    return render(
        request,
        "workorders/new.html",
        {
            "site": site,
            "form": form,
            "offered": offered[:NEW_PAGE_LIMIT],
            "offered_total": total,
            "limit": NEW_PAGE_LIMIT,
            "selected": selected,
            "type_filter": type_filter,
            "type_choices": FINDING_TYPE_CHOICES,
            "breadcrumbs": [
                *site_crumbs(site, request.user),
                ("监测问题", reverse("ops:findings", args=[site.pk])),
                ("派发整改工单", None),
            ],
        },
    )


def _order_for(request, pk: int) -> WorkOrder:
    return get_object_or_404(visible_orders(request.user).select_related("site__survey", "assignee"), pk=pk)


@login_required
def order_detail(request, pk: int):
    order = _order_for(request, pk)
    if order.status == WorkOrder.Status.RECHECKING and (
        order.recheck_job_id is None
        or Job.objects.filter(pk=order.recheck_job_id, status__in=[Job.Status.DONE, Job.Status.FAILED]).exists()
    ):
        services.settle_recheck(order)  # the job ended without its hook (a failure): settle it now
        order = _order_for(request, pk)
    manage = can_manage(request.user, order.site)
    answer = can_answer(request.user, order)
    findings = order.findings.order_by("type", "page", "url", "pk")
    open_count = findings.filter(status=Finding.Status.OPEN).count()
    return render(
        request,
        "workorders/detail.html",
        {
            "order": order,
            "findings": findings,
            "open_count": open_count,
            "events": order.events.select_related("user"),
            "job": order.recheck_job,
            "can_answer": answer,
            "can_manage": manage,
            "fixed_form": FixedForm(),
            "claim_form": ClaimForm(),
            "review_form": ReviewClaimForm(),
            "assign_form": AssignForm(order.site, initial={"assignee": order.assignee_id, "deadline": order.deadline}),
            "overdue": services.is_overdue(order, timezone.localdate()),
            "breadcrumbs": [
                *site_crumbs(order.site, request.user),
                ("整改工单", f"{reverse('workorders:list')}?site={order.site_id}"),
                (f"#{order.pk}", None),
            ],
        },
    )


def _back(order: WorkOrder) -> HttpResponseRedirect:
    return redirect("workorders:detail", pk=order.pk)


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
@require_POST
def order_fixed(request, pk: int):
    order = _order_for(request, pk)
    if not can_answer(request.user, order):
        raise PermissionDenied("只有该网站的运维人员可以提交整改")
    form = FixedForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(order)
    try:
        job = services.mark_fixed(order, request.user, form.cleaned_data["note"])
    except services.TransitionError as exc:
        messages.error(request, str(exc))
        return _back(order)
    dispatch.launch(job)
    messages.success(request, f"已提交整改，复核任务 #{job.pk} 已开始")
    return _back(order)


@login_required
@require_POST
def order_claim(request, pk: int):
    order = _order_for(request, pk)
    if not can_answer(request.user, order):
        raise PermissionDenied("只有该网站的运维人员可以申请无需修改")
    form = ClaimForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(order)
    try:
        services.claim_no_change(order, request.user, form.cleaned_data["reason"])
    except services.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已提交无需修改申请，等待审核")
    return _back(order)


@login_required
@require_POST
def order_review(request, pk: int):
    order = _order_for(request, pk)
    if not can_manage(request.user, order.site):
        raise PermissionDenied("只有审核员或调查管理员可以审核无需修改申请")
    form = ReviewClaimForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(order)
    data = form.cleaned_data
    try:
        if data["decision"] == "accept":
            services.accept_claim(order, request.user, data["note"])
            messages.success(request, "已同意无需修改，工单关闭")
        else:
            services.reject_claim(order, request.user, data["note"])
            messages.success(request, "已驳回申请，工单退回整改")
    except services.TransitionError as exc:
        messages.error(request, str(exc))
    return _back(order)


@login_required
@require_POST
def order_assign(request, pk: int):
    order = _order_for(request, pk)
    if not can_manage(request.user, order.site):
        raise PermissionDenied("只有审核员或调查管理员可以调整指派")
    form = AssignForm(order.site, request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(order)
    data = form.cleaned_data
    try:
        services.assign(order, request.user, assignee=data["assignee"], deadline=data["deadline"], note=data["note"])
    except services.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已调整指派")
    return _back(order)


def order_counts(site_ids: list[int], today) -> dict[int, dict]:
    """Per site: per-status counts and the overdue count of its orders (two queries for any number of sites)."""
    rows = WorkOrder.objects.filter(site_id__in=site_ids).values_list("site_id", "status").annotate(n=Count("id"))
    by_site: dict[int, dict[str, int]] = {pk: {} for pk in site_ids}
    for site_id, status, n in rows.order_by():
        by_site[site_id][status] = n
    overdue = dict(
        WorkOrder.objects.filter(site_id__in=site_ids, deadline__lt=today)
        .exclude(status=WorkOrder.Status.CLOSED)
        .values_list("site_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        pk: {
            "by_status": [(value, label, counts.get(value, 0)) for value, label in WorkOrder.Status.choices],
            "active": sum(counts.get(s, 0) for s in ACTIVE),
            "overdue": overdue.get(pk, 0),
        }
        for pk, counts in by_site.items()
    }

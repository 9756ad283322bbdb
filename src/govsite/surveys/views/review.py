"""Reviewers' pages: the review queue, confirm / send back, and the audit history.

Reviewing is optimistic-locked like assessing (govsite.surveys.services):
a reviewer who looked at version 3 cannot confirm version 4. Every decision
is audited with the score's state before and after and the reviewer's note
as the reason. What the audit history calls each entry is registered with
govsite.surveys.audit.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from govsite.surveys import access, audit
from govsite.surveys.forms import ReviewForm
from govsite.surveys.frameworks import info_or_none, num, specs_by_level
from govsite.surveys.models import LEVEL_LABELS, AuditEntry, Evidence, IndicatorScore, Site, Survey
from govsite.surveys.services import Conflict, Locked, apply_review
from govsite.surveys.views.assess import leaf_or_404
from govsite.surveys.views.common import (
    Table,
    require_manager,
    require_view_assessment,
    roles_in,
    site_or_404,
    survey_or_404,
    visible_sites,
)

Status = IndicatorScore.Status


def _back(request, default: str):
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(default)


@login_required
@require_POST
def score_review(request, score_id: int):
    row = get_object_or_404(
        IndicatorScore.objects.select_related("site__survey"), pk=score_id, site__in=visible_sites(request.user)
    )
    site = row.site
    if not access.can_review(request.user, site):
        raise PermissionDenied("需要审核员权限")
    default = reverse("review_queue", args=[site.survey_id])
    if site.survey.status == Survey.Status.PUBLISHED:
        messages.error(request, "调查结果已发布，不能再审核")
        return _back(request, default)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return _back(request, default)
    data = form.cleaned_data
    try:
        apply_review(row, request.user, data["action"], data["note"], data["version"])
    except Conflict:
        messages.error(request, "该得分在您审核期间已被修改，请查看最新内容后重新审核")
    except Locked as exc:
        messages.error(request, str(exc))
    else:
        verb = "已确认" if data["action"] == "confirm" else "已退回"
        messages.success(request, f"{verb}：{site.name} · {row.code}")
    return _back(request, default)


QUEUE_SORTS = {
    "site": ("site__level", "site__division_code", "site__name", "code"),
    "code": ("code", "site__name"),
    "updated": ("updated_at", "pk"),
    "score": ("score", "pk"),
    "assessor": ("assessor__username", "updated_at"),
}
QUEUE_STATUSES = [
    ("submitted", "待审核"),
    ("returned", "已退回"),
    ("confirmed", "已确认"),
    ("all", "全部（不含草稿）"),
]


@login_required
def review_queue(request, survey_id: int):
    survey = survey_or_404(request, survey_id)
    if not roles_in(request.user, survey) & {access.MANAGER, access.REVIEWER}:
        raise PermissionDenied("需要审核员权限")
    if request.method == "POST":
        return _bulk_confirm(request, survey)
    table = Table(request, sorts=QUEUE_SORTS, default="site", filters=("q", "status", "site", "indicator", "level"))
    rows = IndicatorScore.objects.filter(site__in=visible_sites(request.user, survey))
    status = table.get("status") or "submitted"
    if status == "all":
        rows = rows.exclude(status=Status.DRAFT)
    elif status in Status.values:
        rows = rows.filter(status=status)
    if table.get("q"):
        rows = rows.filter(Q(site__name__icontains=table.get("q")) | Q(site__url__icontains=table.get("q")))
    if table.get("site").isdigit():
        rows = rows.filter(site_id=int(table.get("site")))
    specs = specs_by_level(survey)
    if table.get("indicator"):
        text = table.get("indicator")
        named = {
            leaf.code
            for info in filter(None, (info_or_none(spec) for spec in specs.values()))
            for leaf in info.leaves
            if text in leaf.path_text
        }
        rows = rows.filter(Q(code__icontains=text) | Q(code__in=named))
    if table.get("level"):
        rows = rows.filter(site__level=table.get("level"))
    # Sort and page the ids alone, then read the page's 50 rows whole: sorting every score of a large
    # survey with its site and users joined costs several times more. Evidence is counted for the page only.
    page, page_query = table.page(table.order(rows).values_list("pk", flat=True))
    wanted = list(page.object_list)
    whole = IndicatorScore.objects.select_related("site", "assessor", "reviewer").in_bulk(wanted)
    page.object_list = [whole[pk] for pk in wanted if pk in whole]
    evidence = dict(
        Evidence.objects.filter(score_id__in=[row.pk for row in page])
        .values_list("score_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    items = []
    for row in page:
        row.evidence_count = evidence.get(row.pk, 0)
        info = info_or_none(specs.get(row.site.level))
        leaf = info.by_code.get(row.code) if info else None
        items.append(
            {
                "row": row,
                "leaf": leaf,
                "score": num(row.score),
                "auto_score": num(row.auto_score),
                "adjusted": row.auto_score is not None and row.score is not None and row.score != row.auto_score,
                "reviewable": row.status in (Status.SUBMITTED, Status.CONFIRMED)
                and survey.status != Survey.Status.PUBLISHED,
            }
        )
    columns = [
        ("网站", "site"),
        ("指标", "code"),
        ("权重", "", True),
        ("建议分", "", True),
        ("得分", "score", True),
        ("评估员", "assessor"),
        ("佐证", "", True),
        ("更新时间", "updated"),
        ("审核", ""),
    ]
    return render(
        request,
        "surveys/review_queue.html",
        {
            "survey": survey,
            "items": items,
            "page_obj": page,
            "page_query": page_query,
            "table": table,
            "status": status,
            "columns": table.columns(columns),
            "status_choices": QUEUE_STATUSES,
            "level_choices": [(lvl, LEVEL_LABELS[lvl]) for lvl in specs],
            "published": survey.status == Survey.Status.PUBLISHED,
            "breadcrumbs": [
                ("工作台", reverse("home")),
                (survey.name, reverse("survey_detail", args=[survey.pk])),
                ("审核队列", None),
            ],
        },
    )


def _bulk_confirm(request, survey: Survey):
    """Confirm every ticked score (each sent as id:version, so a changed one is not confirmed blindly)."""
    back = reverse("review_queue", args=[survey.pk])
    if survey.status == Survey.Status.PUBLISHED:
        messages.error(request, "调查结果已发布，不能再审核")
        return _back(request, back)
    wanted: dict[int, int] = {}
    for value in request.POST.getlist("score"):
        head, _, version = value.partition(":")
        if head.isdigit() and version.isdigit():
            wanted[int(head)] = int(version)
    if not wanted:
        messages.error(request, "请先勾选要确认的得分")
        return _back(request, back)
    rows = IndicatorScore.objects.filter(pk__in=wanted, site__in=visible_sites(request.user, survey))
    done, skipped = 0, 0
    for row in rows:
        try:
            apply_review(row, request.user, "confirm", request.POST.get("note", "").strip(), wanted[row.pk])
            done += 1
        except (Conflict, Locked):
            skipped += 1
    note = f"；{skipped} 项已被修改或不在待审核状态，未确认" if skipped else ""
    messages.success(request, f"已确认 {done} 项{note}")
    return _back(request, back)


# ---------------------------------------------------------------- audit history

def _entries(request, entries, survey: Survey):
    page = Table(request, sorts={"at": ("-at",)}, default="at", filters=("q",)).page(entries)
    score_ids = [int(e.object_id) for e in page[0] if e.object_type == "IndicatorScore" and e.object_id.isdigit()]
    codes = dict(IndicatorScore.objects.filter(pk__in=score_ids).values_list("pk", "code"))
    specs = specs_by_level(survey)
    items = []
    for entry in page[0]:
        what = audit.object_label(entry.object_type, entry.object_id)
        if entry.object_type == "IndicatorScore":
            code = codes.get(int(entry.object_id), "")
            info = info_or_none(specs.get(entry.site.level)) if entry.site else None
            leaf = info.by_code.get(code) if info else None
            what = leaf.name if leaf else code
        items.append(
            {
                "e": entry,
                "action": audit.action_label(entry.action),
                "what": what,
                "changes": audit.changes(entry),
            }
        )
    return items, page[0], page[1]


def _render_audit(request, title: str, entries, survey: Survey, crumbs, **extra):
    q = request.GET.get("q", "").strip()
    if q:
        entries = entries.filter(Q(action__icontains=q) | Q(reason__icontains=q) | Q(user__username__icontains=q))
    entries = entries.select_related("user", "site").order_by("-at", "-id")
    items, page, page_query = _entries(request, entries, survey)
    context = {
        "title": title,
        "items": items,
        "page_obj": page,
        "page_query": page_query,
        "q": q,
        "breadcrumbs": crumbs,
    }
    return render(request, "surveys/audit_list.html", {**context, **extra})


@login_required
def site_audit(request, site_id: int):
    site = site_or_404(request, site_id)
    require_view_assessment(request.user, site)
    crumbs = [
        ("工作台", reverse("home")),
        (site.survey.name, reverse("survey_detail", args=[site.survey_id])),
        (site.name, reverse("site_detail", args=[site.pk])),
        ("变更记录", None),
    ]
    return _render_audit(request, f"{site.name} · 变更记录", AuditEntry.objects.filter(site=site), site.survey, crumbs)


@login_required
def score_audit(request, site_id: int, code: str):
    site: Site = site_or_404(request, site_id)
    require_view_assessment(request.user, site)
    _info, leaf = leaf_or_404(site, code)
    row = get_object_or_404(IndicatorScore, site=site, code=code)
    entries = AuditEntry.objects.filter(object_type="IndicatorScore", object_id=str(row.pk))
    crumbs = [
        ("工作台", reverse("home")),
        (site.survey.name, reverse("survey_detail", args=[site.survey_id])),
        (site.name, reverse("site_detail", args=[site.pk])),
        (leaf.name, reverse("indicator_detail", args=[site.pk, code])),
        ("变更记录", None),
    ]
    return _render_audit(request, f"{leaf.name} · 变更记录", entries, site.survey, crumbs)


@login_required
def survey_audit(request, survey_id: int):
    survey = survey_or_404(request, survey_id)
    require_manager(request.user, survey)
    entries = AuditEntry.objects.filter(Q(site__survey=survey) | Q(object_type="Survey", object_id=str(survey.pk)))
    crumbs = [
        ("工作台", reverse("home")),
        (survey.name, reverse("survey_detail", args=[survey.pk])),
        ("审计日志", None),
    ]
    return _render_audit(request, f"{survey.name} · 审计日志", entries, survey, crumbs)

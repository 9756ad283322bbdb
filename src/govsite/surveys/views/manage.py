"""Survey managers' pages: create and configure a survey, import and assign sites, launch scans, publish.

The survey page doubles as everyone's progress table: managers and reviewers
see every site, an assessor only the sites assigned to them.
"""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Count, OuterRef, Q, Subquery, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govsite.surveys import access, audit, dispatch, jobs
from govsite.surveys.forms import AssignForm, FrameworksForm, MemberForm, SiteImportForm, SurveyForm
from govsite.surveys.frameworks import framework_choices, info_or_none, num, specs_by_level
from govsite.surveys.imports import import_sites
from govsite.surveys.models import (
    LEVEL_CHOICES,
    LEVEL_LABELS,
    IndicatorScore,
    Job,
    Site,
    Survey,
    SurveyFramework,
    SurveyMember,
)
from govsite.surveys.results import results_snapshot, survey_results
from govsite.surveys.views.common import (
    Table,
    require_manager,
    roles_in,
    selected_ids,
    survey_or_404,
    visible_sites,
)
from govsite.userfiles import UserFileError

JOB_STATUS_LABELS = dict(Job.Status.choices)
ACTIVE_JOBS = (Job.Status.QUEUED, Job.Status.RUNNING)


@login_required
def home(request):
    user = request.user
    surveys = list(access.surveys_for(user))
    roles: dict[int, list[str]] = {}
    for survey_id, role in SurveyMember.objects.filter(user=user).values_list("survey_id", "role"):
        roles.setdefault(survey_id, []).append(SurveyMember.Role(role).label)
    assigned = dict(
        Site.objects.filter(assessor=user).values("survey_id").annotate(n=Count("id")).values_list("survey_id", "n")
    )
    operated = dict(
        Site.objects.filter(operators=user).values("survey_id").annotate(n=Count("id")).values_list("survey_id", "n")
    )
    for survey_id in assigned:
        roles.setdefault(survey_id, []).append("评估员")
    for survey_id, n in operated.items():
        roles.setdefault(survey_id, []).append(f"网站运维（{n} 个网站）")
    rows = [
        {
            "survey": s,
            "roles": ("平台管理员",) if user.is_superuser else roles.get(s.pk, ()),
            "assigned": assigned.get(s.pk, 0),
        }
        for s in surveys
    ]
    can_create = user.has_perm("surveys.add_survey")
    context = {"surveys": surveys, "rows": rows, "can_create": can_create, "operates": bool(operated)}
    return render(request, "surveys/home.html", context)


# ---------------------------------------------------------------- create / edit


def _frameworks_initial(survey: Survey | None) -> dict:
    if survey is None:
        return {}
    return {f"fw_{level}": spec for level, spec in specs_by_level(survey).items()}


def _suggested_frameworks(choices: list[tuple[str, str]]) -> dict[str, str]:
    """A new survey starts with, for each site type, the most specific bundled framework written for it."""
    initial = {}
    for level, _label in LEVEL_CHOICES:
        fitting = []
        for spec, _title in choices:
            info = info_or_none(spec)
            if info is None or level not in info.framework.applies_to:
                continue
            variant = spec.partition(":")[2]
            if variant and variant != level:
                continue
            fitting.append((len(info.framework.applies_to), spec))
        if fitting:
            initial[f"fw_{level}"] = min(fitting)[1]
    return initial


def _save_frameworks(survey: Survey, selected: dict[str, str]) -> dict[str, str]:
    for level, spec in selected.items():
        if spec:
            SurveyFramework.objects.update_or_create(survey=survey, level=level, defaults={"framework": spec})
        else:
            SurveyFramework.objects.filter(survey=survey, level=level).delete()
    return {level: spec for level, spec in selected.items() if spec}


def _warn_unfit(request, selected: dict[str, str]) -> None:
    """A framework written for other levels is allowed (a survey may decide so), but said out loud."""
    for level, spec in selected.items():
        info = info_or_none(spec)
        applies = info.framework.applies_to if info else ()
        if spec and applies and level not in applies:
            fits = "、".join(LEVEL_LABELS.get(a, a) for a in applies)
            messages.warning(request, f"{LEVEL_LABELS[level]}网站使用的“{info.title}”原本适用于：{fits}")


@login_required
def survey_create(request):
    if not request.user.has_perm("surveys.add_survey"):
        raise PermissionDenied("没有新建调查的权限")
    choices = framework_choices()
    form = SurveyForm(request.POST or None, initial={"year": timezone.localdate().year})
    fw_form = FrameworksForm(request.POST or None, choices=choices, initial=_suggested_frameworks(choices))
    if request.method == "POST" and form.is_valid() and fw_form.is_valid():
        with transaction.atomic():
            survey = form.save(commit=False)
            survey.created_by = request.user
            survey.save()
            SurveyMember.objects.get_or_create(survey=survey, user=request.user, role=SurveyMember.Role.MANAGER)
            selected = _save_frameworks(survey, fw_form.selected())
            audit.record(request.user, "survey_create", survey, after={**_survey_state(survey), "frameworks": selected})
        _warn_unfit(request, selected)
        messages.success(request, f"已创建调查“{survey.name}”，下一步：导入网站名单")
        return redirect("survey_import", survey.pk)
    return render(
        request,
        "surveys/survey_form.html",
        {
            "form": form,
            "fw_form": fw_form,
            "creating": True,
            "breadcrumbs": [("工作台", reverse("home")), ("新建调查", None)],
        },
    )


def _survey_state(survey: Survey) -> dict:
    return {"name": survey.name, "year": survey.year, "as_of": survey.as_of.isoformat(), "status": survey.status}


@login_required
def survey_edit(request, survey_id: int):
    survey = survey_or_404(request, survey_id)
    require_manager(request.user, survey)
    before = {**_survey_state(survey), "frameworks": specs_by_level(survey)}
    form = SurveyForm(request.POST or None, instance=survey)
    fw_form = FrameworksForm(request.POST or None, choices=framework_choices(), initial=_frameworks_initial(survey))
    if request.method == "POST" and form.is_valid() and fw_form.is_valid():
        with transaction.atomic():
            survey = form.save()
            selected = _save_frameworks(survey, fw_form.selected())
            after = {**_survey_state(survey), "frameworks": selected}
            if after != before:
                audit.record(request.user, "survey_update", survey, before=before, after=after)
        _warn_unfit(request, selected)
        messages.success(request, "已保存调查设置")
        return redirect("survey_detail", survey.pk)
    return render(
        request,
        "surveys/survey_form.html",
        {"form": form, "fw_form": fw_form, "survey": survey, "breadcrumbs": _crumbs(survey, "调查设置")},
    )


def _crumbs(survey: Survey, *tail: str) -> list[tuple[str, str | None]]:
    crumbs = [("工作台", reverse("home")), (survey.name, reverse("survey_detail", args=[survey.pk]))]
    return crumbs + [(label, None) for label in tail]


# ---------------------------------------------------------------- the progress table

# Site types in the survey's own order (国务院部门, 省级 … 区县, 开发区), not alphabetically by code.
LEVEL_ORDER = Case(*(When(level=level, then=Value(i)) for i, (level, _) in enumerate(LEVEL_CHOICES)), default=Value(99))

SITE_SORTS = {
    "level": ("level_order", "division_code", "name"),
    "name": ("name", "pk"),
    "code": ("division_code", "name"),
    "assessor": ("assessor__username", "name"),
    "job": ("job_status", "name"),
    "pages": ("job_pages", "name"),
    "scored": ("scored", "name"),
    "submitted": ("submitted", "name"),
    "confirmed": ("confirmed", "name"),
}


def _score_counts() -> dict:
    status = IndicatorScore.Status
    return {
        "scored": Count("scores", filter=Q(scores__score__isnull=False), distinct=True),
        "submitted": Count("scores", filter=Q(scores__status=status.SUBMITTED), distinct=True),
        "confirmed": Count("scores", filter=Q(scores__status=status.CONFIRMED), distinct=True),
        "returned": Count("scores", filter=Q(scores__status=status.RETURNED), distinct=True),
    }


def _job_columns() -> dict:
    last_job = Job.objects.filter(site=OuterRef("pk")).order_by("-created_at", "-pk")
    return {
        "job_status": Subquery(last_job.values("status")[:1]),
        "job_pages": Subquery(last_job.values("pages_fetched")[:1]),
        "job_at": Subquery(last_job.values("created_at")[:1]),
    }


def progress_rows(sites):
    """Sites with their last job and score counts, in one query."""
    return sites.select_related("assessor").annotate(level_order=LEVEL_ORDER, **_job_columns(), **_score_counts())


def progress_page(table: Table, sites):
    """One page of the progress table: sorted and paged by ids, then the page's sites read with their counts.

    The score counts are a GROUP BY over every score of the survey; only a sort by one of them needs it
    for all the sites, every other sort needs it for the fifty sites on the page.
    """
    key = table.sort.lstrip("-")
    counts = _score_counts()
    wants_jobs = key in ("job", "pages") and "job_status" not in sites.query.annotations  # a status filter adds them
    keys = sites.annotate(level_order=LEVEL_ORDER, **(_job_columns() if wants_jobs else {}))
    if key in counts:
        keys = keys.annotate(**{key: counts[key]})
    page, page_query = table.page(table.order(keys).values_list("pk", flat=True))
    wanted = list(page.object_list)
    whole = progress_rows(Site.objects.filter(pk__in=wanted)).in_bulk(wanted)
    page.object_list = [whole[pk] for pk in wanted if pk in whole]
    return page, page_query


@login_required
def survey_detail(request, survey_id: int):
    survey = survey_or_404(request, survey_id)
    user = request.user
    roles = roles_in(user, survey)
    manager = access.MANAGER in roles
    staff = bool(roles & set(access.VIEW_ROLES))
    sites = visible_sites(user, survey)
    if not staff and not sites.filter(assessor=user).exists():
        # An operator: their sites' problems live in the work orders, not in the assessment.
        return render(
            request,
            "surveys/survey_operator.html",
            {"survey": survey, "sites": sites.order_by("name"), "breadcrumbs": _crumbs(survey)},
        )
    if not staff:
        sites = sites.filter(assessor=user)

    table = Table(request, sorts=SITE_SORTS, default="level", filters=("q", "level", "status", "assessor"))
    if table.get("q"):
        q = table.get("q")
        sites = sites.filter(Q(name__icontains=q) | Q(url__icontains=q) | Q(province__icontains=q))
    if table.get("level"):
        sites = sites.filter(level=table.get("level"))
    if table.get("status") == "none":
        sites = sites.annotate(**_job_columns()).filter(job_status__isnull=True)
    elif table.get("status") in JOB_STATUS_LABELS:
        sites = sites.annotate(**_job_columns()).filter(job_status=table.get("status"))
    if manager and table.get("assessor") == "none":
        sites = sites.filter(assessor__isnull=True)
    elif manager and table.get("assessor").isdigit():
        sites = sites.filter(assessor_id=int(table.get("assessor")))
    page, page_query = progress_page(table, sites)

    specs = specs_by_level(survey)
    leaves = {}
    for level, spec in specs.items():
        info = info_or_none(spec)
        leaves[level] = len(info.leaves) if info else 0
    items = []
    running = False
    for site in page:
        total = leaves.get(site.level, 0)
        running = running or site.job_status in ACTIVE_JOBS
        items.append(
            {
                "site": site,
                "level": LEVEL_LABELS.get(site.level, site.level),
                "framework": specs.get(site.level, ""),
                "job_label": JOB_STATUS_LABELS.get(site.job_status, "未检测"),
                "total": total,
                "percent": round(100 * min(site.scored, total) / total) if total else 0,
            }
        )
    columns = [
        ("网站", "name"),
        ("类型", "level"),
        ("区划代码", "code"),
        ("评估员", "assessor"),
        ("检测状态", "job"),
        ("已抓取", "pages", True),
        ("已评分/指标数", "scored", True),
        ("待审核", "submitted", True),
        ("已确认", "confirmed", True),
    ]
    context = {
        "survey": survey,
        "manager": manager,
        "reviewer": bool(roles & {access.MANAGER, access.REVIEWER}),
        "staff": staff,
        "table": table,
        "columns": table.columns(columns),
        "page_obj": page,
        "page_query": page_query,
        "items": items,
        "running": running,
        "level_choices": LEVEL_CHOICES,
        "job_choices": [("none", "未检测"), *Job.Status.choices],
        "frameworks": _frameworks_in_use(survey, specs) if staff else [],
        "assessor_choices": list(AssignForm.base_fields["assessor"].queryset.all()) if manager else [],
        "breadcrumbs": [*_crumbs(survey)[:-1], (survey.name, None)],
    }
    return render(request, "surveys/survey_detail.html", context)


def _frameworks_in_use(survey: Survey, specs: dict[str, str]) -> list[tuple[str, str, object]]:
    """(type, spec, info) for each type of site the survey holds (every configured one while it holds none)."""
    present = set(Site.objects.filter(survey=survey).values_list("level", flat=True).distinct().order_by())
    levels = [lvl for lvl, _ in LEVEL_CHOICES if (lvl in present if present else lvl in specs)]
    return [(LEVEL_LABELS[lvl], specs.get(lvl, ""), info_or_none(specs.get(lvl))) for lvl in levels]


# ---------------------------------------------------------------- members


@login_required
def survey_members(request, survey_id: int):
    survey = survey_or_404(request, survey_id)
    require_manager(request.user, survey)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and request.POST.get("remove"):
        member = get_object_or_404(SurveyMember, pk=request.POST["remove"], survey=survey)
        managers = survey.members.filter(role=SurveyMember.Role.MANAGER).count()
        if member.role == SurveyMember.Role.MANAGER and managers <= 1:
            messages.error(request, "调查至少要保留一名调查管理员")
        else:
            state = {"user": member.user.username, "role": member.role}
            audit.record(request.user, "member_remove", survey, before=state)
            member.delete()
            messages.success(request, f"已移除 {state['user']} 的{SurveyMember.Role(state['role']).label}角色")
        return redirect("survey_members", survey.pk)
    if request.method == "POST" and form.is_valid():
        user, role = form.cleaned_data["user"], form.cleaned_data["role"]
        member, created = SurveyMember.objects.get_or_create(survey=survey, user=user, role=role)
        if created:
            audit.record(request.user, "member_add", survey, after={"user": user.username, "role": role})
            messages.success(request, f"已添加 {user.username} 为{member.get_role_display()}")
        else:
            messages.info(request, f"{user.username} 已是{member.get_role_display()}")
        return redirect("survey_members", survey.pk)
    members = survey.members.select_related("user").order_by("role", "user__username")
    assessors = (
        Site.objects.filter(survey=survey, assessor__isnull=False)
        .values("assessor__username", "assessor__first_name", "assessor__last_name")
        .annotate(n=Count("id"))
        .order_by("assessor__username")
    )
    return render(
        request,
        "surveys/survey_members.html",
        {
            "survey": survey,
            "form": form,
            "members": members,
            "assessors": assessors,
            "breadcrumbs": _crumbs(survey, "成员"),
        },
    )


# ---------------------------------------------------------------- sites


@login_required
def survey_import(request, survey_id: int):
    survey = survey_or_404(request, survey_id)
    require_manager(request.user, survey)
    form = SiteImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_sites(survey, upload.name, upload.read(), request.user)
        except UserFileError as exc:
            form.add_error("file", str(exc))
        else:
            summary = f"导入完成：新增 {result.created} 个网站，更新 {result.updated} 个，未变 {result.unchanged} 个"
            if result.errors:
                rows = len({e.row for e in result.errors})
                messages.warning(request, f"{summary}；{rows} 行有错误未导入，见下方列表")
            else:
                messages.success(request, summary)
    specs = specs_by_level(survey)
    missing = sorted({lvl for lvl in Site.objects.filter(survey=survey).values_list("level", flat=True)} - set(specs))
    return render(
        request,
        "surveys/site_import.html",
        {
            "survey": survey,
            "form": form,
            "result": result,
            "unconfigured": [LEVEL_LABELS.get(level, level) for level in missing],
            "levels": [(value, label, _framework_title(specs.get(value))) for value, label in LEVEL_CHOICES],
            "breadcrumbs": _crumbs(survey, "导入网站"),
        },
    )


def _framework_title(spec: str | None) -> str:
    info = info_or_none(spec)
    return info.title if info else (spec or "")


def _back(request, survey: Survey):
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("survey_detail", survey.pk)


@login_required
@require_POST
def survey_assign(request, survey_id: int):
    survey = survey_or_404(request, survey_id)
    require_manager(request.user, survey)
    chosen = request.POST.get("assessor", "")
    form = AssignForm({"assessor": "" if chosen == "none" else chosen})
    ids = selected_ids(request)
    if not chosen:  # the list starts at "请选择评估员": nothing is unassigned by a click on the default
        messages.error(request, "请先选择评估员（取消分配请选“取消分配”）")
        return _back(request, survey)
    if not form.is_valid():
        messages.error(request, "请选择有效的评估员")
        return _back(request, survey)
    if not ids:
        messages.error(request, "请先勾选要分配的网站")
        return _back(request, survey)
    assessor = form.cleaned_data["assessor"]
    with transaction.atomic():
        sites = list(Site.objects.filter(survey=survey, pk__in=ids).select_related("assessor"))
        changed = [s for s in sites if s.assessor_id != (assessor.pk if assessor else None)]
        Site.objects.filter(pk__in=[s.pk for s in changed]).update(assessor=assessor)
        for site in changed:
            audit.record(
                request.user,
                "assign",
                site,
                site=site,
                before={"assessor": site.assessor.username if site.assessor else None},
                after={"assessor": assessor.username if assessor else None},
            )
    who = assessor.get_full_name() or assessor.username if assessor else "（无）"
    messages.success(
        request, f"已将 {len(changed)} 个网站分配给 {who}" if assessor else f"已取消 {len(changed)} 个网站的分配"
    )
    return _back(request, survey)


@login_required
@require_POST
def survey_scan(request, survey_id: int):
    survey = survey_or_404(request, survey_id)
    require_manager(request.user, survey)
    if survey.status == Survey.Status.PUBLISHED:
        messages.error(request, "调查已发布，不能再启动检测")
        return _back(request, survey)
    sites = Site.objects.filter(survey=survey)
    if not request.POST.get("all"):
        ids = selected_ids(request)
        if not ids:
            messages.error(request, "请先勾选要检测的网站，或选择“检测全部网站”")
            return _back(request, survey)
        sites = sites.filter(pk__in=ids)
    busy = set(Job.objects.filter(site__in=sites, status__in=ACTIVE_JOBS).values_list("site_id", flat=True))
    launched = []
    for site in sites.select_related("survey").order_by("pk"):
        if site.pk in busy:
            continue
        job = jobs.create_job(site, user=request.user)
        launched.append(job)
    if launched:
        audit.record(
            request.user,
            "launch_scans",
            survey,
            after={"jobs": [j.pk for j in launched], "sites": [j.site_id for j in launched]},
        )
    for job in launched:
        dispatch.launch(job)
    note = f"；{len(busy)} 个网站已有进行中的检测，未重复启动" if busy else ""
    messages.success(request, f"已启动 {len(launched)} 个网站的检测{note}")
    return _back(request, survey)


# ---------------------------------------------------------------- publish and results


@login_required
@require_POST
def survey_publish(request, survey_id: int):
    survey = survey_or_404(request, survey_id)
    require_manager(request.user, survey)
    if survey.status == Survey.Status.PUBLISHED:
        messages.info(request, "调查已发布")
        return redirect("survey_results", survey.pk)
    with transaction.atomic():
        outcomes = survey_results(survey)
        pending = Counter(
            IndicatorScore.objects.filter(site__survey=survey)
            .exclude(status=IndicatorScore.Status.CONFIRMED)
            .values_list("status", flat=True)
        )
        before = survey.status
        survey.status, survey.published_at = Survey.Status.PUBLISHED, timezone.now()
        survey.save(update_fields=["status", "published_at"])
        audit.record(
            request.user,
            "publish",
            survey,
            before={"status": before},
            after={"status": survey.status, "results": results_snapshot(outcomes)},
            reason=request.POST.get("reason", "").strip(),
        )
    unconfirmed = pending[IndicatorScore.Status.SUBMITTED] + pending[IndicatorScore.Status.RETURNED]
    note = f"（{unconfirmed} 项未确认的得分未计入）" if unconfirmed else ""
    messages.success(request, f"已发布 {len(outcomes)} 个网站的结果{note}")
    return redirect("survey_results", survey.pk)


@login_required
@require_POST
def survey_unpublish(request, survey_id: int):
    survey = survey_or_404(request, survey_id)
    require_manager(request.user, survey)
    reason = request.POST.get("reason", "").strip()
    if survey.status != Survey.Status.PUBLISHED:
        messages.info(request, "调查尚未发布")
    elif not reason:
        messages.error(request, "撤销发布须填写原因")
    else:
        survey.status, survey.published_at = Survey.Status.REVIEWING, None
        survey.save(update_fields=["status", "published_at"])
        audit.record(
            request.user,
            "unpublish",
            survey,
            before={"status": "published"},
            after={"status": survey.status},
            reason=reason,
        )
        messages.success(request, "已撤销发布，调查回到审核中")
    return redirect("survey_detail", survey.pk)


LEVEL_INDEX = {level: i for i, (level, _) in enumerate(LEVEL_CHOICES)}
RESULT_SORTS = {
    "position": lambda o: (o.framework.spec, o.position),
    "total": lambda o: o.result.total,
    "name": lambda o: o.site.name,
    "level": lambda o: (LEVEL_INDEX.get(o.site.level, 99), o.position),
}


@login_required
def survey_results_view(request, survey_id: int):
    survey = survey_or_404(request, survey_id)
    roles = roles_in(request.user, survey)
    published = survey.status == Survey.Status.PUBLISHED
    if not published and not roles & {access.MANAGER, access.REVIEWER}:
        raise PermissionDenied("结果尚未发布")
    outcomes = survey_results(survey)
    visible = set(visible_sites(request.user, survey).values_list("pk", flat=True))
    table = Table(request, sorts=RESULT_SORTS, default="position", filters=("q", "level"))
    rows = [o for site_id, o in outcomes.items() if site_id in visible]
    if table.get("q"):
        rows = [o for o in rows if table.get("q") in o.site.name or table.get("q") in o.site.url]
    if table.get("level"):
        rows = [o for o in rows if o.site.level == table.get("level")]
    page, page_query = table.page(table.order_list(rows))
    items = [
        {
            "o": o,
            "level": LEVEL_LABELS.get(o.site.level, o.site.level),
            "total": num(o.result.total),
            "base": num(o.result.base),
            "missing": len(o.result.not_assessed),
        }
        for o in page
    ]
    columns = [
        ("指标体系 / 发布顺序", "position"),
        ("名次", "", True),
        ("网站", "name"),
        ("类型", "level"),
        ("总分", "total", True),
        ("基础分", "", True),
        ("档次", ""),
        ("未确认指标", "", True),
    ]
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "published": published,
            "manager": access.MANAGER in roles,
            "items": items,
            "page_obj": page,
            "page_query": page_query,
            "table": table,
            "columns": table.columns(columns),
            "level_choices": LEVEL_CHOICES,
            "breadcrumbs": _crumbs(survey, "评估结果"),
        },
    )

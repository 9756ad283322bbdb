"""Assessors' pages: a site's indicator list, the indicator page with its autosaved form, evidence files.

Saving is the same for the form and the autosave endpoint
(govsite.surveys.services.save_assessment): the client sends the version it
started from; a row that moved on since is a conflict (HTTP 409), never a
silent overwrite. Every change is audited.
"""

from __future__ import annotations

import functools
import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Count, IntegerField, When
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.views.decorators.http import require_GET, require_POST

from govsite.findings import FINDING_TYPES
from govsite.surveys import access, audit
from govsite.surveys.forms import EVIDENCE_TYPES, EvidenceForm, ReviewForm, ScoreForm
from govsite.surveys.frameworks import FrameworkInfo, LeafInfo, info_or_none, num
from govsite.surveys.models import LEVEL_LABELS, Evidence, Finding, IndicatorScore, Job, Site, Survey
from govsite.surveys.results import survey_results
from govsite.surveys.services import Conflict, Locked, lock_reason, save_assessment, snapshot
from govsite.surveys.views.common import (
    COLLECTION_LABELS,
    Table,
    json_error,
    optional_url,
    protected_file,
    require_view_assessment,
    roles_in,
    safe_href,
    site_or_404,
    visible_sites,
)

Status = IndicatorScore.Status
STATUS_LABELS = dict(Status.choices)
EXAMPLES = 5
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")  # shown inline (evidence_download serves them as images)


def leaf_or_404(site: Site, code: str) -> tuple[FrameworkInfo, LeafInfo]:
    info = info_or_none(site.survey.framework_for(site.level))
    if info is None or code not in info.by_code:
        raise Http404("该网站没有这个指标")
    return info, info.by_code[code]


# ---------------------------------------------------------------- site page

LEAF_SORTS = {
    "order": lambda r: r["leaf"].position,
    "code": lambda r: r["leaf"].code,
    "weight": lambda r: r["leaf"].weight,
    "status": lambda r: r["status"],
    "score": lambda r: r["row"].score if r["row"] is not None else None,
}


def _site_operators(request, site: Site):
    """A manager adds (by user name) or removes one of the site's operators; audited like every change."""
    if not access.is_manager(request.user, site.survey):
        raise PermissionDenied("需要调查管理员权限")
    before = sorted(site.operators.values_list("username", flat=True))
    removing = request.POST.get("remove_operator", "")
    if removing.isdigit():
        user = site.operators.filter(pk=int(removing)).first()
        if user is None:
            messages.info(request, "该用户已不是本网站的运维人员")
            return redirect("site_detail", site.pk)
        site.operators.remove(user)
        done = f"已移除运维人员 {user.get_full_name() or user.username}"
    else:
        name = request.POST.get("operator", "").strip()
        user = get_user_model().objects.filter(username=name, is_active=True).first() if name else None
        if user is None:
            messages.error(request, f"用户“{name}”不存在或已停用；请先由平台管理员创建账号" if name else "请填写用户名")
            return redirect("site_detail", site.pk)
        site.operators.add(user)
        done = f"已将 {user.get_full_name() or user.username}（{user.username}）设为本网站运维人员"
    after = sorted(site.operators.values_list("username", flat=True))
    if after != before:
        audit.record(
            request.user, "site_operators", site, site=site, before={"operators": before}, after={"operators": after}
        )
    messages.success(request, done)
    return redirect("site_detail", site.pk)


@login_required
def site_detail(request, site_id: int):
    site = site_or_404(request, site_id)
    user = request.user
    survey = site.survey
    roles = roles_in(user, survey)
    if not (site.assessor_id == user.pk or roles & set(access.VIEW_ROLES)):
        raise PermissionDenied("没有查看该网站评估的权限")
    if request.method == "POST":
        return _site_operators(request, site)
    info = info_or_none(survey.framework_for(site.level))
    scores = {
        row.code: row for row in IndicatorScore.objects.filter(site=site).annotate(evidence_count=Count("evidence"))
    }
    table = Table(request, sorts=LEAF_SORTS, default="order", filters=("q", "status", "collection"))
    rows = []
    for leaf in info.leaves if info else ():
        row = scores.get(leaf.code)
        rows.append(
            {
                "leaf": leaf,
                "row": row,
                "status": row.status if row else "none",
                "status_label": STATUS_LABELS[row.status] if row else "未评",
                "score": num(row.score) if row else "",
                "auto_score": num(row.auto_score) if row else "",
                "collection": COLLECTION_LABELS.get(leaf.collection, leaf.collection),
            }
        )
    counts = {
        "total": len(rows),
        "scored": sum(1 for r in rows if r["row"] is not None and r["row"].score is not None),
        "submitted": sum(1 for r in rows if r["status"] == Status.SUBMITTED),
        "confirmed": sum(1 for r in rows if r["status"] == Status.CONFIRMED),
        "returned": sum(1 for r in rows if r["status"] == Status.RETURNED),
    }
    q = table.get("q")
    if q:
        rows = [r for r in rows if q in r["leaf"].path_text or q in r["leaf"].code]
    if table.get("status"):
        rows = [r for r in rows if r["status"] == table.get("status")]
    if table.get("collection"):
        rows = [r for r in rows if r["leaf"].collection == table.get("collection")]
    page, page_query = table.page(table.order_list(rows), per_page=100)
    last_job = Job.objects.filter(site=site).order_by("-created_at", "-pk").first()
    outcome = survey_results(survey).get(site.pk) if survey.status == Survey.Status.PUBLISHED else None
    columns = [
        ("指标", "order"),
        ("代码", "code"),
        ("权重", "weight", True),
        ("采集方式", ""),
        ("监测建议分", "", True),
        ("得分", "score", True),
        ("状态", "status"),
        ("佐证", "", True),
    ]
    return render(
        request,
        "surveys/site_detail.html",
        {
            "site": site,
            "survey": survey,
            "level": LEVEL_LABELS.get(site.level, site.level),
            "site_href": safe_href(site.url),
            "info": info,
            "items": page,
            "page_obj": page,
            "page_query": page_query,
            "table": table,
            "columns": table.columns(columns),
            "counts": counts,
            "status_choices": [("none", "未评"), *Status.choices],
            "collection_choices": list(COLLECTION_LABELS.items()),
            "last_job": last_job,
            "outcome": outcome,
            "outcome_total": num(outcome.result.total) if outcome else "",
            "manager": access.MANAGER in roles,
            "operators": list(site.operators.order_by("username")) if roles & set(access.VIEW_ROLES) else None,
            "findings_url": optional_url("ops:findings", site.pk),
            "cases_url": optional_url("ops:cases", site.pk),
            "breadcrumbs": _crumbs(site),
        },
    )


def _crumbs(site: Site, *tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    crumbs = [
        ("工作台", reverse("home")),
        (site.survey.name, reverse("survey_detail", args=[site.survey_id])),
        (site.name, reverse("site_detail", args=[site.pk]) if tail else None),
    ]
    return crumbs + list(tail)


# ---------------------------------------------------------------- indicator page


def _findings(site: Site, leaf: LeafInfo) -> dict:
    if not leaf.feeding:
        return {"types": [], "examples": [], "total": 0}
    open_findings = Finding.objects.filter(site=site, status=Finding.Status.OPEN, type__in=leaf.feeding)
    counts = dict(open_findings.values("type").annotate(n=Count("id")).order_by().values_list("type", "n"))
    severity = Case(
        When(severity="high", then=0), When(severity="medium", then=1), default=2, output_field=IntegerField()
    )
    examples = list(open_findings.annotate(rank=severity).order_by("rank", "-found_at", "pk")[:EXAMPLES])
    return {
        "types": [
            {
                "type": t,
                "label": FINDING_TYPES.get(t, t),
                "count": counts.get(t, 0),
                "url": optional_url("ops:findings", site.pk, query={"type": t, "status": "open"}),
            }
            for t in leaf.feeding
        ],
        "examples": [{"f": f, "href": safe_href(f.url), "page_href": safe_href(f.page)} for f in examples],
        "total": sum(counts.values()),
    }


def _indicator_page(
    request,
    site: Site,
    info: FrameworkInfo,
    leaf: LeafInfo,
    row: IndicatorScore | None,
    *,
    form: ScoreForm | None = None,
    evidence_form: EvidenceForm | None = None,
    conflict: str = "",
    status: int = 200,
):
    user = request.user
    checklist = leaf.indicator.checklist
    if form is None:
        form = ScoreForm(
            initial=ScoreForm.initial_for(row, checklist),
            weight=leaf.weight,
            auto_score=row.auto_score if row else None,
            checklist=checklist,
        )
    reason = lock_reason(user, site, row)
    can_review = (
        row is not None
        and row.status in (Status.SUBMITTED, Status.CONFIRMED)
        and site.survey.status != Survey.Status.PUBLISHED
        and access.can_review(user, site)
    )
    evidence = list(row.evidence.select_related("created_by").order_by("created_at")) if row else []
    position = leaf.position
    previous = info.leaves[position - 1] if position > 0 else None
    following = info.leaves[position + 1] if position + 1 < len(info.leaves) else None
    checks = [(item, form[f"check_{index}"]) for index, item in enumerate(checklist)]
    context = {
        "site": site,
        "survey": site.survey,
        "info": info,
        "leaf": leaf,
        "row": row,
        "score_text": num(row.score) if row else "",
        "auto_text": num(row.auto_score) if row and row.auto_score is not None else "",
        "status_label": row.get_status_display() if row else "未评",
        "collection": COLLECTION_LABELS.get(leaf.collection, leaf.collection),
        "form": form,
        "checks": checks,
        "evidence_form": evidence_form or EvidenceForm(),
        "evidence": [
            {
                "e": e,
                "href": safe_href(e.url),
                "filename": PurePath(e.file.name).name if e.file else "",
                "image": bool(e.file) and PurePath(e.file.name).suffix.lower() in IMAGE_SUFFIXES,
            }
            for e in evidence
        ],
        "findings": _findings(site, leaf),
        "findings_url": _findings_url(site, leaf),
        "can_edit": reason is None,
        "lock_reason": reason,
        "can_review": can_review,
        "review_form": ReviewForm(initial={"version": row.version}) if can_review else None,
        "previous": previous,
        "following": following,
        "conflict": conflict,
        "storage_key": f"govsite:score:{user.pk}:{site.pk}:{leaf.code}",
        "max_upload_mb": settings.GOVSITE_UPLOAD_MAX_BYTES // (1024 * 1024),
        "accept": ",".join(EVIDENCE_TYPES),
        "breadcrumbs": _crumbs(site, (leaf.name, None)),
    }
    return render(request, "surveys/indicator.html", context, status=status)


def _findings_url(site: Site, leaf: LeafInfo) -> str | None:
    """The site's full list of open findings (the findings page filters one type at a time; see the table)."""
    if not leaf.feeding:
        return None
    return optional_url("ops:findings", site.pk, query={"status": "open"})


def _score_form(request_data, leaf: LeafInfo, row: IndicatorScore | None) -> ScoreForm:
    return ScoreForm(
        request_data, weight=leaf.weight, auto_score=row.auto_score if row else None, checklist=leaf.indicator.checklist
    )


@login_required
def indicator_detail(request, site_id: int, code: str):
    site = site_or_404(request, site_id)
    require_view_assessment(request.user, site)
    info, leaf = leaf_or_404(site, code)
    row = IndicatorScore.objects.filter(site=site, code=code).select_related("assessor", "reviewer").first()
    if request.method != "POST":
        return _indicator_page(request, site, info, leaf, row)
    reason = lock_reason(request.user, site, row)
    if reason:
        raise PermissionDenied(reason)
    form = _score_form(request.POST, leaf, row)
    submit = request.POST.get("action") == "submit"
    if form.is_valid() and submit and form.cleaned_data["score"] is None:
        form.add_error("score", "提交审核前请填写得分")
    if not form.is_valid():
        return _indicator_page(request, site, info, leaf, row, form=form)
    try:
        row = save_assessment(
            site, code, request.user, form.assessment(), version=form.cleaned_data["version"], submit=submit
        )
    except Conflict as exc:
        data = request.POST.copy()
        data["version"] = str(exc.row.version)
        message = (
            "保存失败：该指标已在其他页面或由他人修改。下方保留了您填写的内容；"
            "请对照当前记录确认后再次保存（将覆盖当前记录）。"
        )
        return _indicator_page(
            request, site, info, leaf, exc.row, form=_score_form(data, leaf, exc.row), conflict=message, status=409
        )
    except Locked as exc:
        messages.error(request, str(exc))
        return redirect("indicator_detail", site.pk, code)
    if submit:
        messages.success(request, f"已提交审核：{leaf.name}")
    else:
        messages.success(request, f"已保存：{leaf.name}")
    return redirect("indicator_detail", site.pk, code)


def login_required_json(view):
    """Like login_required, but an expired session gets a JSON 401 the autosave script understands."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            login = resolve_url(settings.LOGIN_URL)
            return json_error(
                "登录已超时，请重新登录；您填写的内容已保存在本浏览器，登录后回到本页会自动续传",
                401,
                login_url=login,
            )
        return view(request, *args, **kwargs)

    return wrapper


@login_required_json
@require_POST
def indicator_autosave(request, site_id: int, code: str):
    site = site_or_404(request, site_id)
    if not access.can_assess(request.user, site):
        return json_error("只有该网站的评估员或调查管理员可以修改评分", 403, locked=True)
    _info, leaf = leaf_or_404(site, code)
    row = IndicatorScore.objects.filter(site=site, code=code).first()
    reason = lock_reason(request.user, site, row)
    if reason:
        return json_error(reason, 403, locked=True)
    form = _score_form(request.POST, leaf, row)
    if not form.is_valid():
        errors = {name: list(messages_) for name, messages_ in form.errors.items()}
        first = next(iter(errors.values()))[0]
        return json_error(f"未保存：{first}", 400, errors=errors)
    try:
        row = save_assessment(site, code, request.user, form.assessment(), version=form.cleaned_data["version"])
    except Conflict as exc:
        return json_error(
            "未保存：该指标已在其他页面或由他人修改（服务器版本 "
            f"{exc.row.version}）。您的内容仍保存在本浏览器；请选择载入服务器版本或用您的内容覆盖。",
            409,
            version=exc.row.version,
            server=snapshot(exc.row),
        )
    except Locked as exc:
        return json_error(str(exc), 403, locked=True)
    return JsonResponse(
        {
            "ok": True,
            "version": row.version,
            "status": row.status,
            "status_label": row.get_status_display(),
            "saved_at": timezone.localtime(row.updated_at).strftime("%H:%M:%S"),
        },
        json_dumps_params={"ensure_ascii": False},
    )


@login_required_json
@require_GET
def csrf_token_view(request):
    """A fresh CSRF token for a page whose token went stale (the user logged in again in another tab)."""
    return JsonResponse({"token": get_token(request)})


# ---------------------------------------------------------------- evidence


def _evidence_state(evidence: Evidence) -> dict:
    return {
        "evidence": evidence.pk,
        "url": evidence.url,
        "file": PurePath(evidence.file.name).name if evidence.file else "",
        "note": evidence.note,
        "observed_at": evidence.observed_at.isoformat() if evidence.observed_at else None,
    }


def _stored_name(original: str, suffix: str) -> str:
    stem = get_valid_filename(PurePath(original).stem)[:30] or "file"
    return f"{uuid.uuid4().hex}/{stem}{suffix}"


@login_required
@require_POST
def evidence_upload(request, site_id: int, code: str):
    site = site_or_404(request, site_id)
    require_view_assessment(request.user, site)
    info, leaf = leaf_or_404(site, code)
    row = IndicatorScore.objects.filter(site=site, code=code).first()
    reason = lock_reason(request.user, site, row)
    if reason:
        raise PermissionDenied(reason)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _indicator_page(request, site, info, leaf, row, evidence_form=form, status=400)
    data = form.cleaned_data
    with transaction.atomic():
        row, _created = IndicatorScore.objects.get_or_create(site=site, code=code)
        evidence = Evidence(
            score=row,
            url=data["url"],
            note=data["note"].strip(),
            observed_at=data["observed_at"],
            created_by=request.user,
        )
        upload = data.get("file")
        if upload:
            evidence.file.save(_stored_name(upload.name, data["suffix"]), upload, save=False)
        evidence.save()
        audit.record(request.user, "evidence_add", row, site=site, after=_evidence_state(evidence))
    messages.success(request, "已添加佐证材料")
    return redirect(reverse("indicator_detail", args=[site.pk, code]) + "#evidence")


def _evidence_or_404(request, evidence_id: int) -> Evidence:
    evidence = get_object_or_404(
        Evidence.objects.select_related("score__site__survey", "score__site__assessor"),
        pk=evidence_id,
        score__site__in=visible_sites(request.user),
    )
    require_view_assessment(request.user, evidence.score.site)
    return evidence


@login_required
@require_GET
def evidence_download(request, evidence_id: int):
    evidence = _evidence_or_404(request, evidence_id)
    if not evidence.file:
        raise Http404("该佐证没有文件")
    name = PurePath(evidence.file.name).name
    suffix = PurePath(name).suffix.lower()
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已不存在") from None
    inline = suffix in IMAGE_SUFFIXES and request.GET.get("download") != "1"
    return protected_file(handle, name, EVIDENCE_TYPES.get(suffix, "application/octet-stream"), inline=inline)


@login_required
@require_POST
def evidence_delete(request, evidence_id: int):
    evidence = _evidence_or_404(request, evidence_id)
    row, site = evidence.score, evidence.score.site
    reason = lock_reason(request.user, site, row)
    if reason:
        raise PermissionDenied(reason)
    if evidence.created_by_id != request.user.pk and not access.is_manager(request.user, site.survey):
        raise PermissionDenied("只能删除自己上传的佐证材料")
    with transaction.atomic():
        audit.record(request.user, "evidence_delete", row, site=site, before=_evidence_state(evidence))
        if evidence.file:
            evidence.file.delete(save=False)
        evidence.delete()
    messages.success(request, "已删除佐证材料")
    return redirect(reverse("indicator_detail", args=[site.pk, row.code]) + "#evidence")

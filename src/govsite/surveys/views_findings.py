"""What the machine found on a site, and the site operator's own pages.

- the findings page: anyone who may see the site (access.sites_for) reads its
  findings grouped by type, filtered and searched, with the evidence and the
  national inspection verdict; managers and reviewers pick findings there to
  hand out as work orders;
- the operator's dashboard: an operator's own sites, their findings, verdict,
  work orders, published scores, and the 一键自查 button with the job's progress.

Crawled text (URLs, evidence, detail) is hostile: templates auto-escape it,
links are made only of http(s) URLs (the `crawled` filters), nothing is marked safe.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govsite import frameworks as fw
from govsite.findings import FINDING_TYPES
from govsite.scoring.engine import SiteResult, score_site
from govsite.scoring.inputs import SiteScores
from govsite.surveys import access, audit, dispatch
from govsite.surveys.jobs import create_job
from govsite.surveys.models import FINDING_TYPE_CHOICES, SEVERITY_CHOICES, Finding, IndicatorScore, Job, Site, Survey
from govsite.surveys.views_cases import site_bonus_for

PAGE_SIZE = 50
EVIDENCE_MAX = 4000
TYPE_ORDER = Case(
    *(When(type=code, then=Value(i)) for i, code in enumerate(FINDING_TYPES)), output_field=IntegerField()
)
SEVERITY_ORDER = Case(
    *(When(severity=code, then=Value(i)) for i, (code, _) in enumerate(SEVERITY_CHOICES)), output_field=IntegerField()
)
STATUS_ORDER = Case(When(status=Finding.Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
ACTIVE_JOB = [Job.Status.QUEUED, Job.Status.RUNNING]
STALE_JOB_AFTER = timedelta(hours=12)  # a queued/running job older than this no longer blocks a new self-check


class FindingFilterForm(forms.Form):
    type = forms.ChoiceField(label="问题类型", required=False, choices=[("", "全部"), *FINDING_TYPE_CHOICES])
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *Finding.Status.choices])
    severity = forms.ChoiceField(label="严重程度", required=False, choices=[("", "全部"), *SEVERITY_CHOICES])
    q = forms.CharField(label="网址包含", required=False, max_length=500)
    change = forms.ChoiceField(
        label="最近一次检测",
        required=False,
        choices=[("", "不限"), ("new", "新发现"), ("fixed", "已消除")],
    )


def _visible_site(request, site_id: int) -> Site:
    return get_object_or_404(access.sites_for(request.user).select_related("survey"), pk=site_id)


def last_finished_job(site: Site) -> Job | None:
    return site.jobs.filter(status=Job.Status.DONE).order_by("-finished_at", "-pk").first()


def type_summary(site: Site) -> list[dict]:
    """Per finding type present on the site, in catalogue order: code, label, open and fixed counts."""
    rows = Finding.objects.filter(site=site).values("type", "status").annotate(n=Count("id")).order_by()
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["type"], {})[row["status"]] = row["n"]
    order = {code: i for i, code in enumerate(FINDING_TYPES)}
    return [
        {
            "code": code,
            "label": FINDING_TYPES.get(code, code),
            "open": c.get(Finding.Status.OPEN, 0),
            "fixed": c.get(Finding.Status.FIXED, 0),
        }
        for code, c in sorted(counts.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
    ]


def severity_counts(site: Site) -> list[tuple[str, str, int]]:
    rows = dict(
        Finding.objects.filter(site=site, status=Finding.Status.OPEN)
        .values_list("severity")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [(code, label, rows.get(code, 0)) for code, label in SEVERITY_CHOICES]


def filter_findings(site: Site, data: dict, last_job: Job | None) -> QuerySet[Finding]:
    findings = Finding.objects.filter(site=site)
    if data.get("type"):
        findings = findings.filter(type=data["type"])
    if data.get("status"):
        findings = findings.filter(status=data["status"])
    if data.get("severity"):
        findings = findings.filter(severity=data["severity"])
    if data.get("q"):
        findings = findings.filter(Q(url__icontains=data["q"]) | Q(page__icontains=data["q"]))
    if data.get("change") == "new":
        findings = findings.filter(first_job=last_job) if last_job else findings.none()
    elif data.get("change") == "fixed":
        findings = findings.filter(last_job=last_job, status=Finding.Status.FIXED) if last_job else findings.none()
    return findings.annotate(type_order=TYPE_ORDER, status_order=STATUS_ORDER, severity_order=SEVERITY_ORDER).order_by(
        "type_order", "type", "status_order", "severity_order", "page", "url", "pk"
    )


@login_required
def site_findings(request, site_id: int):
    site = _visible_site(request, site_id)
    form = FindingFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    last_job = last_finished_job(site)
    findings = filter_findings(site, data, last_job).prefetch_related("workorders")
    page = Paginator(findings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    history = None
    if last_job is not None:
        history = {
            "job": last_job,
            "new": Finding.objects.filter(site=site, first_job=last_job).count(),
            "fixed": Finding.objects.filter(site=site, last_job=last_job, status=Finding.Status.FIXED).count(),
        }
    return render(
        request,
        "surveys/findings.html",
        {
            "site": site,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "types": type_summary(site),
            "severities": severity_counts(site),
            "total_open": Finding.objects.filter(site=site, status=Finding.Status.OPEN).count(),
            "total_fixed": Finding.objects.filter(site=site, status=Finding.Status.FIXED).count(),
            "history": history,
            "verdict": site.verdict if isinstance(site.verdict, dict) else None,
            "can_order": access.can_review(request.user, site),
            "is_operator": access.is_operator(request.user, site),
            "evidence_max": EVIDENCE_MAX,
            "breadcrumbs": [("工作台", reverse("home")), (site.name, None), ("监测问题", None)],
        },
    )


# -- the operator's pages -----------------------------------------------------------------


def operated_sites(user) -> QuerySet[Site]:
    """The sites a user runs (every site for a superuser)."""
    sites = Site.objects.all() if user.is_superuser else Site.objects.filter(operators=user)
    return sites.select_related("survey").order_by("survey", "name")


def published_scores(site: Site) -> tuple[SiteResult | None, str]:
    """The site's confirmed scores once its survey is published: (result, '') or (None, why not)."""
    if site.survey.status != Survey.Status.PUBLISHED:
        return None, "尚未发布"
    spec = site.survey.framework_for(site.level)
    if not spec:
        return None, "调查未配置该类网站的指标体系"
    try:
        framework = fw.load(spec)
        scores = {
            row.code: row.score
            for row in IndicatorScore.objects.filter(
                site=site, status=IndicatorScore.Status.CONFIRMED, score__isnull=False
            )
        }
        _, bonus, _ = site_bonus_for(site, framework)
        sheet = SiteScores(row=0, site=site.name, scores=scores, bonus=bonus)
        return score_site(framework, sheet), ""
    except (ValueError, fw.FrameworkError) as exc:
        return None, f"无法计算得分：{exc}"


def _site_card(site: Site, today) -> dict:
    from govsite.workorders.views import site_order_counts  # the workorders app builds on this one

    result, why = published_scores(site)
    return {
        "site": site,
        "verdict": site.verdict if isinstance(site.verdict, dict) else None,
        "severities": severity_counts(site),
        "open": Finding.objects.filter(site=site, status=Finding.Status.OPEN).count(),
        "types": [t for t in type_summary(site) if t["open"]][:6],
        "orders": site_order_counts(site, today),
        "job": site.jobs.order_by("-created_at", "-pk").first(),
        "result": result,
        "no_result": why,
    }


@login_required
def operator_home(request):
    today = timezone.localdate()
    cards = [_site_card(site, today) for site in operated_sites(request.user)]
    return render(
        request,
        "surveys/operator_home.html",
        {"cards": cards, "today": today, "breadcrumbs": [("工作台", reverse("home")), ("我的网站", None)]},
    )


def _operator_site(request, site_id: int) -> Site:
    site = _visible_site(request, site_id)
    if not (access.is_operator(request.user, site) or access.can_review(request.user, site)):
        raise PermissionDenied("只有该网站的运维人员可以进入")
    return site


@login_required
def operator_site(request, site_id: int):
    from govsite.workorders.models import WorkOrder

    site = _operator_site(request, site_id)
    today = timezone.localdate()
    card = _site_card(site, today)
    orders = (
        WorkOrder.objects.filter(site=site)
        .exclude(status=WorkOrder.Status.CLOSED)
        .select_related("assignee")
        .order_by("deadline", "pk")[:50]
    )
    result = card["result"]
    return render(
        request,
        "surveys/operator_site.html",
        {
            **card,
            "today": today,
            "orders_active": orders,
            "indicators": [r for r in result.indicators if r.depth <= 2] if result else [],
            "jobs": site.jobs.order_by("-created_at", "-pk")[:10],
            "can_selfcheck": access.is_operator(request.user, site) or access.is_manager(request.user, site.survey),
            "breadcrumbs": [("工作台", reverse("home")), ("我的网站", reverse("ops:operator_home")), (site.name, None)],
        },
    )


@login_required
@require_POST
def selfcheck(request, site_id: int):
    site = _visible_site(request, site_id)
    if not (access.is_operator(request.user, site) or access.is_manager(request.user, site.survey)):
        raise PermissionDenied("只有该网站的运维人员可以发起自查")
    recent = timezone.now() - STALE_JOB_AFTER
    busy = site.jobs.filter(status__in=ACTIVE_JOB, created_at__gte=recent).order_by("-created_at").first()
    if busy is not None:
        messages.warning(request, f"检测任务 #{busy.pk}（{busy.get_kind_display()}）正在进行，请等待其完成")
        return redirect("ops:operator_site", site_id=site.pk)
    job = create_job(site, Job.Kind.SELFCHECK, user=request.user)
    audit.record(request.user, "job.selfcheck", job, site=site, after={"kind": job.kind})
    dispatch.launch(job)
    messages.success(request, f"一键自查已开始（任务 #{job.pk}）")
    return redirect("ops:operator_site", site_id=site.pk)


def job_payload(job: Job) -> dict:
    return {
        "id": job.pk,
        "kind": job.kind,
        "kind_label": job.get_kind_display(),
        "status": job.status,
        "status_label": job.get_status_display(),
        "pages_fetched": job.pages_fetched,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "finished": job.status in (Job.Status.DONE, Job.Status.FAILED),
        "error": job.error[:500] if job.status == Job.Status.FAILED else "",
    }


@login_required
def job_status(request, job_id: int):
    job = get_object_or_404(Job.objects.filter(site__in=access.sites_for(request.user)), pk=job_id)
    return JsonResponse(job_payload(job), json_dumps_params={"ensure_ascii": False})

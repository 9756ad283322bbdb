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

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govsite.checks.verdict import SECURITY_INCIDENT_TYPES, VerdictFormatError, from_dict
from govsite.findings import FINDING_TYPES
from govsite.surveys import access, audit, dispatch
from govsite.surveys.access import can_view_assessment
from govsite.surveys.forms import FindingFilterForm
from govsite.surveys.jobs import create_job, not_checked_message
from govsite.surveys.models import (
    SEVERITY_CHOICES,
    Finding,
    Job,
    Site,
)
from govsite.surveys.results import published_scores_of
from govsite.surveys.views.common import site_crumbs, site_or_404

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


def last_finished_job(site: Site) -> Job | None:
    return site.jobs.filter(status=Job.Status.DONE).order_by("-finished_at", "-pk").first()


def type_summaries(site_ids: list[int]) -> dict[int, list[dict]]:
    """Per site, per finding type present, in catalogue order: code, label, open and fixed counts (one query)."""
    rows = Finding.objects.filter(site_id__in=site_ids).values_list("site_id", "type", "status").annotate(n=Count("id"))
    counts: dict[int, dict[str, dict[str, int]]] = {pk: {} for pk in site_ids}
    for site_id, type_, status, n in rows.order_by():
        counts[site_id].setdefault(type_, {})[status] = n
    order = {code: i for i, code in enumerate(FINDING_TYPES)}
    return {
        site_id: [
            {
                "code": code,
                "label": FINDING_TYPES.get(code, code),
                "open": c.get(Finding.Status.OPEN, 0),
                "fixed": c.get(Finding.Status.FIXED, 0),
            }
            for code, c in sorted(by_type.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
        ]
        for site_id, by_type in counts.items()
    }


def type_summary(site: Site) -> list[dict]:
    return type_summaries([site.pk])[site.pk]


def severity_counts_of(site_ids: list[int]) -> dict[int, list[tuple[str, str, int]]]:
    """Per site, its open findings by severity (one query)."""
    rows = (
        Finding.objects.filter(site_id__in=site_ids, status=Finding.Status.OPEN)
        .values_list("site_id", "severity")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {pk: {} for pk in site_ids}
    for site_id, severity, n in rows:
        counts[site_id][severity] = n
    return {pk: [(code, label, c.get(code, 0)) for code, label in SEVERITY_CHOICES] for pk, c in counts.items()}


def severity_counts(site: Site) -> list[tuple[str, str, int]]:
    return severity_counts_of([site.pk])[site.pk]


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
    site = site_or_404(request, site_id)
    assessment = can_view_assessment(request.user, site)
    operator = access.is_operator(request.user, site)
    form = FindingFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    last_job = last_finished_job(site)
    findings = filter_findings(site, data, last_job).prefetch_related("workorders")
    page = Paginator(findings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    types = type_summary(site)
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
            "types": types,
            "severities": severity_counts(site),
            "total_open": sum(t["open"] for t in types),
            "total_fixed": sum(t["fixed"] for t in types),
            "history": history,
            "verdict": verdict_view(site),
            "can_order": access.can_review(request.user, site),
            "incident_types": sorted(SECURITY_INCIDENT_TYPES),
            "is_operator": operator,
            "assessment_url": reverse("site_detail", args=[site.pk]) if assessment else None,
            "evidence_max": EVIDENCE_MAX,
            "breadcrumbs": site_crumbs(site, request.user, "监测问题", assessment=assessment, operator=operator),
        },
    )


@login_required
@require_POST
def confirm_finding(request, finding_id: int):
    """A reviewer confirms a suspected security incident (疑似网页篡改): the single-veto rule then fails."""
    from govsite.surveys.incidents import NotAnIncident, confirm_incident

    finding = get_object_or_404(Finding.objects.select_related("site"), pk=finding_id)
    site = site_or_404(request, finding.site_id)
    if not access.can_review(request.user, site):
        raise PermissionDenied("只有审核人员可以确认安全事件")
    try:
        confirm_incident(finding, request.user)
        messages.success(request, f"已确认“{finding.label}”，该网站“严重安全问题”单项否决")
    except NotAnIncident as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('ops:findings', args=[site.pk])}#finding-{finding.pk}")


# -- the operator's pages -----------------------------------------------------------------


def operated_sites(user) -> QuerySet[Site]:
    """The sites a user runs (every site for a superuser), each with the id of its last job."""
    sites = Site.objects.all() if user.is_superuser else Site.objects.filter(operators=user)
    last_job = Job.objects.filter(site=OuterRef("pk")).order_by("-created_at", "-pk").values("pk")[:1]
    return sites.select_related("survey").annotate(last_job_id=Subquery(last_job)).order_by("survey", "name")


def site_cards(sites: list[Site], today) -> list[dict]:
    """What the operator's pages show of each site, in a fixed number of queries for any number of sites."""
    from govsite.workorders.views import order_counts  # the workorders app builds on this one

    ids = [s.pk for s in sites]
    types = type_summaries(ids)
    severities = severity_counts_of(ids)
    orders = order_counts(ids, today)
    jobs = Job.objects.in_bulk([s.last_job_id for s in sites if getattr(s, "last_job_id", None)])
    results = published_scores_of(sites)
    cards = []
    for site in sites:
        result, why = results[site.pk]
        cards.append(
            {
                "site": site,
                "verdict": verdict_view(site),
                "severities": severities[site.pk],
                "open": sum(t["open"] for t in types[site.pk]),
                "types": [t for t in types[site.pk] if t["open"]][:6],
                "all_types": types[site.pk],
                "orders": orders[site.pk],
                "job": jobs.get(getattr(site, "last_job_id", None)),
                "result": result,
                "no_result": why,
            }
        )
    return cards


@login_required
def operator_home(request):
    today = timezone.localdate()
    cards = site_cards(list(operated_sites(request.user)), today)
    return render(
        request,
        "surveys/operator_home.html",
        {"cards": cards, "today": today, "breadcrumbs": [("工作台", reverse("home")), ("我的网站", None)]},
    )


def verdict_view(site: Site) -> dict | None:
    """The site's stored verdict in today's shape for the pages (older stored shapes too); None if unreadable."""
    try:
        verdict = from_dict(site.verdict)
    except VerdictFormatError:
        return None
    return verdict.as_dict() if verdict else None


def _operator_site(request, site_id: int) -> Site:
    site = site_or_404(request, site_id)
    if not (access.is_operator(request.user, site) or access.can_review(request.user, site)):
        raise PermissionDenied("只有该网站的运维人员可以进入")
    return site


@login_required
def operator_site(request, site_id: int):
    from govsite.workorders.models import WorkOrder

    site = _operator_site(request, site_id)
    today = timezone.localdate()
    jobs = list(site.jobs.order_by("-created_at", "-pk")[:10])
    site.last_job_id = jobs[0].pk if jobs else None
    card = site_cards([site], today)[0]
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
            "jobs": jobs,
            "can_selfcheck": access.is_operator(request.user, site) or access.is_manager(request.user, site.survey),
            "breadcrumbs": [("工作台", reverse("home")), ("我的网站", reverse("ops:operator_home")), (site.name, None)],
        },
    )


@login_required
@require_POST
def selfcheck(request, site_id: int):
    site = site_or_404(request, site_id)
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
        "error": job.error[:500] if job.status == Job.Status.FAILED else not_checked_message(job),
    }


@login_required
def job_status(request, job_id: int):
    job = get_object_or_404(Job.objects.filter(site__in=access.sites_for(request.user)), pk=job_id)
    return JsonResponse(job_payload(job), json_dumps_params={"ensure_ascii": False})

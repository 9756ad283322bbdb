"""优秀创新案例 pages: a site's cases, their attachments, and the expert panel's votes.

A site's operators or the survey's managers enter cases (the category is
one of the bonus categories of the site's framework) and attach files;
the survey's experts vote a score; the bonus is computed by
govsite.surveys.cases (mean of votes, capped at the bonus weight).
Attachments live under MEDIA_ROOT and leave it only through
`attachment_download`, which checks that the user may see the case.
Once the survey is published, cases no longer change.
"""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from govsite import frameworks as fw
from govsite.surveys import access, audit
from govsite.surveys.cases import MAX_ATTACHMENTS_PER_CASE, bonus_cap, case_bonus, content_type_for, site_bonus
from govsite.surveys.forms import AttachmentsForm, CaseForm, VoteForm
from govsite.surveys.models import CaseAttachment, CaseVote, InnovationCase, Site, Survey
from govsite.surveys.views.common import protected_file, site_crumbs, site_or_404


def site_framework(site: Site) -> fw.Framework | None:
    spec = site.survey.framework_for(site.level)
    if not spec:
        return None
    try:
        return fw.load(spec)
    except (ValueError, fw.FrameworkError):
        return None


def site_bonus_for(site: Site, framework: fw.Framework | None = None):
    """(cap, the site's bonus, [(case, its bonus or None)]) from the votes in the database."""
    framework = framework if framework is not None else site_framework(site)
    cap = bonus_cap(framework)
    rows = []
    for case in site.cases.prefetch_related("votes").order_by("created_at", "pk"):
        rows.append((case, case_bonus((v.score for v in case.votes.all()), cap)))
    return cap, site_bonus((b for _, b in rows), cap), rows


def category_labels(framework: fw.Framework | None) -> dict[str, str]:
    if framework is None or framework.bonus is None:
        return {}
    return {c.code: c.name for c in framework.bonus.categories}


def can_edit_cases(user, site: Site) -> bool:
    return access.is_operator(user, site) or access.is_manager(user, site.survey)


def sees_votes(user, site: Site) -> bool:
    """The evaluation team sees every vote and the bonus before publication; operators only afterwards."""
    return access.has_role(user, site.survey, access.MANAGER, access.REVIEWER, access.EXPERT)


def _published(site: Site) -> bool:
    return site.survey.status == Survey.Status.PUBLISHED


# -- views --------------------------------------------------------------------------------


def _visible_case(request, case_id: int) -> InnovationCase:
    cases = InnovationCase.objects.filter(site__in=access.sites_for(request.user)).select_related("site__survey")
    return get_object_or_404(cases, pk=case_id)


def _crumbs(site: Site, *tail):
    """工作台 › survey › site › 优秀创新案例 › tail."""
    crumbs = site_crumbs(site, None, assessment=False, operator=False)
    return [*crumbs, ("优秀创新案例", reverse("ops:cases", args=[site.pk])), *tail]


@login_required
def case_list(request, site_id: int):
    site = site_or_404(request, site_id)
    framework = site_framework(site)
    cap, bonus, rows = site_bonus_for(site, framework)
    labels = category_labels(framework)
    return render(
        request,
        "surveys/cases.html",
        {
            "site": site,
            "rows": [(case, labels.get(case.category, case.category), b) for case, b in rows],
            "cap": cap,
            "bonus": bonus,
            "show_bonus": sees_votes(request.user, site) or _published(site),
            "can_edit": can_edit_cases(request.user, site) and not _published(site),
            "has_categories": bool(labels),
            "categories": framework.bonus.categories if framework and framework.bonus else (),
            "breadcrumbs": site_crumbs(site, request.user, "优秀创新案例"),
        },
    )


def _require_editable(request, site: Site) -> None:
    if not can_edit_cases(request.user, site):
        raise PermissionDenied("只有该网站的运维人员或调查管理员可以填报案例")


@login_required
def case_new(request, site_id: int):
    site = site_or_404(request, site_id)
    _require_editable(request, site)
    if _published(site):
        messages.error(request, "调查已发布，不能再填报案例")
        return redirect("ops:cases", site_id=site.pk)
    labels = category_labels(site_framework(site))
    if not labels:
        messages.error(request, "该网站的指标体系没有优秀创新案例类别")
        return redirect("ops:cases", site_id=site.pk)
    form = CaseForm(request.POST or None, categories=labels)
    files = AttachmentsForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and files.is_valid():
        with transaction.atomic():
            case = form.save(commit=False)
            case.site, case.created_by = site, request.user
            case.save()
            audit.record(request.user, "case.create", case, site=site, after=_case_state(case))
            _attach(request, case, files.cleaned_data["files"])
        messages.success(request, "案例已保存")
        return redirect("ops:case_detail", case_id=case.pk)
    return render(
        request,
        "surveys/cases_form.html",
        {"site": site, "form": form, "files": files, "case": None, "breadcrumbs": _crumbs(site, ("新建案例", None))},
    )


def _case_state(case: InnovationCase) -> dict:
    return {"category": case.category, "title": case.title, "description": case.description, "links": case.links}


def _attach(request, case: InnovationCase, uploads) -> None:
    for upload in uploads:
        attachment = CaseAttachment.objects.create(case=case, file=upload)
        audit.record(
            request.user, "case.attach", attachment, site=case.site, after={"case": case.pk, "file": upload.name}
        )


@login_required
def case_detail(request, case_id: int):
    case = _visible_case(request, case_id)
    site = case.site
    framework = site_framework(site)
    cap = bonus_cap(framework)
    votes = list(case.votes.select_related("expert").order_by("created_at", "pk"))
    is_expert = access.has_role(request.user, site.survey, access.EXPERT) and not _published(site)
    mine = next((v for v in votes if v.expert_id == request.user.pk), None)
    vote_form = None
    if is_expert:
        initial = {"score": mine.score, "comment": mine.comment} if mine else {}
        vote_form = VoteForm(initial=initial, cap=cap)
    editable = can_edit_cases(request.user, site) and not _published(site)
    return render(
        request,
        "surveys/cases_detail.html",
        {
            "site": site,
            "case": case,
            "category": category_labels(framework).get(case.category, case.category),
            "links": [line for line in case.links.splitlines() if line.strip()],
            "attachments": [(a, PurePath(a.file.name).name) for a in case.attachments.order_by("created_at", "pk")],
            "votes": votes,
            "bonus": case_bonus((v.score for v in votes), cap),
            "cap": cap,
            "show_votes": sees_votes(request.user, site),
            "show_bonus": sees_votes(request.user, site) or _published(site),
            "vote_form": vote_form,
            "my_vote": mine,
            "can_edit": editable,
            "upload_form": AttachmentsForm() if editable else None,
            "max_attachments": MAX_ATTACHMENTS_PER_CASE,
            "breadcrumbs": _crumbs(site, (case.title, None)),
        },
    )


@login_required
def case_edit(request, case_id: int):
    case = _visible_case(request, case_id)
    site = case.site
    _require_editable(request, site)
    if _published(site):
        messages.error(request, "调查已发布，案例不能再修改")
        return redirect("ops:case_detail", case_id=case.pk)
    labels = category_labels(site_framework(site))
    if case.category not in labels:
        labels = {case.category: case.category, **labels}
    before = _case_state(case)
    form = CaseForm(request.POST or None, instance=case, categories=labels)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            case = form.save()
            audit.record(request.user, "case.update", case, site=site, before=before, after=_case_state(case))
        messages.success(request, "案例已更新")
        return redirect("ops:case_detail", case_id=case.pk)
    return render(
        request,
        "surveys/cases_form.html",
        {"site": site, "form": form, "files": None, "case": case, "breadcrumbs": _crumbs(site, ("修改案例", None))},
    )


@login_required
@require_POST
def case_upload(request, case_id: int):
    case = _visible_case(request, case_id)
    _require_editable(request, case.site)
    if _published(case.site):
        messages.error(request, "调查已发布，案例不能再修改")
        return redirect("ops:case_detail", case_id=case.pk)
    form = AttachmentsForm(request.POST, request.FILES, existing=case.attachments.count())
    if form.is_valid():
        with transaction.atomic():
            _attach(request, case, form.cleaned_data["files"])
        messages.success(request, f"已上传 {len(form.cleaned_data['files'])} 个附件")
    else:
        for error in form.errors.get("files", []):
            messages.error(request, error)
    return redirect("ops:case_detail", case_id=case.pk)


def _visible_attachment(request, attachment_id: int) -> CaseAttachment:
    attachments = CaseAttachment.objects.filter(case__site__in=access.sites_for(request.user)).select_related(
        "case__site__survey"
    )
    return get_object_or_404(attachments, pk=attachment_id)


@login_required
def attachment_download(request, attachment_id: int):
    attachment = _visible_attachment(request, attachment_id)
    name = PurePath(attachment.file.name).name
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("附件文件已不存在") from exc
    return protected_file(handle, name, content_type_for(name))


@login_required
@require_POST
def attachment_delete(request, attachment_id: int):
    attachment = _visible_attachment(request, attachment_id)
    case = attachment.case
    _require_editable(request, case.site)
    if _published(case.site):
        messages.error(request, "调查已发布，案例不能再修改")
        return redirect("ops:case_detail", case_id=case.pk)
    name = attachment.file.name
    with transaction.atomic():
        audit.record(request.user, "case.detach", attachment, site=case.site, before={"case": case.pk, "file": name})
        attachment.delete()
        transaction.on_commit(lambda: attachment.file.storage.delete(name))
    messages.success(request, "附件已删除")
    return redirect("ops:case_detail", case_id=case.pk)


@login_required
@require_POST
def case_vote(request, case_id: int):
    case = _visible_case(request, case_id)
    site = case.site
    if not access.has_role(request.user, site.survey, access.EXPERT):
        raise PermissionDenied("只有评审专家可以评分")
    if _published(site):
        messages.error(request, "调查已发布，不能再评分")
        return redirect("ops:case_detail", case_id=case.pk)
    form = VoteForm(request.POST, cap=bonus_cap(site_framework(site)))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("ops:case_detail", case_id=case.pk)
    with transaction.atomic():
        vote = CaseVote.objects.select_for_update().filter(case=case, expert=request.user).first()
        before = {"score": str(vote.score), "comment": vote.comment} if vote else None
        if vote is None:
            vote = CaseVote(case=case, expert=request.user)
        vote.score, vote.comment = form.cleaned_data["score"], form.cleaned_data["comment"]
        vote.save()
        after = {"score": str(vote.score), "comment": vote.comment, "case": case.pk}
        audit.record(request.user, "case.vote", vote, site=site, before=before, after=after)
    messages.success(request, "评分已保存")
    return redirect("ops:case_detail", case_id=case.pk)

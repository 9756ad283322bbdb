"""Report downloads: the survey report and a site's report in HTML, PDF or XLSX, drawn from the database.

Who may download: a survey's managers and reviewers at any time (to proof
the report), every other participant once the survey is published; a site's
report goes to whoever may see the site, its operators only after
publication. Everything else is a 404 (out of reach) or a 403 (role missing).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from govsite.reports.pdf import PdfUnavailable, check_pdf_support
from govsite.surveys import access, audit
from govsite.surveys.models import Survey
from govsite.surveys.reporting import write_survey_report
from govsite.surveys.views.common import protected_file

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SITE_FORMATS = ("html", "pdf")


@login_required
def survey_report(request, survey_id: int, fmt: str):
    survey = get_object_or_404(access.surveys_for(request.user), pk=survey_id)
    if fmt not in FORMATS:
        raise Http404
    staff = access.has_role(request.user, survey, access.MANAGER, access.REVIEWER)
    if not staff and survey.status != Survey.Status.PUBLISHED:
        raise PermissionDenied("评估结果发布后才能下载报告")
    audit.record(request.user, "report_download", survey, after={"format": fmt})
    return _render(fmt, f"{survey.name}-评估报告", lambda out: write_survey_report(survey, out, [fmt]))


@login_required
def site_report(request, site_id: int, fmt: str):
    site = get_object_or_404(access.sites_for(request.user).select_related("survey"), pk=site_id)
    if fmt not in SITE_FORMATS:
        raise Http404
    staff = access.has_role(request.user, site.survey, access.MANAGER, access.REVIEWER, access.EXPERT)
    assessor = site.assessor_id == request.user.id
    if not (staff or assessor) and site.survey.status != Survey.Status.PUBLISHED:
        raise PermissionDenied("评估结果发布后才能下载本网站的报告")
    audit.record(request.user, "report_download", site, site=site, after={"format": fmt})
    return _render(
        fmt, f"{site.name}-网站评估报告", lambda out: write_survey_report(site.survey, out, [fmt], site=site)
    )


def _render(fmt: str, title: str, write) -> HttpResponse:
    if fmt == "pdf":
        try:
            check_pdf_support()
        except PdfUnavailable as exc:
            return HttpResponse(f"无法生成 PDF：{exc}", status=503, content_type="text/plain; charset=utf-8")
    out = Path(tempfile.mkdtemp(prefix="govsite-report-"))
    try:
        paths = write(out)
        wanted = [p for p in paths if p.suffix == f".{fmt}"]
        data = wanted[0].read_bytes()
    except LookupError as exc:
        raise Http404(str(exc)) from exc
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return protected_file(data, f"{title}.{fmt}", FORMATS[fmt])

"""The site operator's side and what anyone who sees a site may read: findings, cases, self-checks.

Included at the root by govsite.web.urls under the `ops` namespace
(`{% url 'ops:findings' site.pk %}`); work orders live in govsite.workorders.
"""

from django.urls import path

from govsite.surveys.views import cases, findings, reports

app_name = "ops"

urlpatterns = [
    path("surveys/<int:survey_id>/report.<str:fmt>", reports.survey_report, name="survey_report"),
    path("sites/<int:site_id>/report.<str:fmt>", reports.site_report, name="site_report"),
    path("sites/<int:site_id>/findings/", findings.site_findings, name="findings"),
    path("findings/<int:finding_id>/confirm/", findings.confirm_finding, name="finding_confirm"),
    path("operator/", findings.operator_home, name="operator_home"),
    path("operator/sites/<int:site_id>/", findings.operator_site, name="operator_site"),
    path("operator/sites/<int:site_id>/selfcheck/", findings.selfcheck, name="selfcheck"),
    path("operator/jobs/<int:job_id>/status.json", findings.job_status, name="job_status"),
    path("sites/<int:site_id>/cases/", cases.case_list, name="cases"),
    path("sites/<int:site_id>/cases/new/", cases.case_new, name="case_new"),
    path("cases/<int:case_id>/", cases.case_detail, name="case_detail"),
    path("cases/<int:case_id>/edit/", cases.case_edit, name="case_edit"),
    path("cases/<int:case_id>/vote/", cases.case_vote, name="case_vote"),
    path("cases/<int:case_id>/attachments/", cases.case_upload, name="case_upload"),
    path("cases/attachments/<int:attachment_id>/", cases.attachment_download, name="case_attachment"),
    path(
        "cases/attachments/<int:attachment_id>/delete/",
        cases.attachment_delete,
        name="case_attachment_delete",
    ),
]

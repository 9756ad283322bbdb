"""The site operator's side and what anyone who sees a site may read: findings, cases, self-checks.

Included at the root by govsite.web.urls under the `ops` namespace
(`{% url 'ops:findings' site.pk %}`); work orders live in govsite.workorders.
"""

from django.urls import path

from govsite.surveys import views_cases, views_findings, views_reports

app_name = "ops"

urlpatterns = [
    path("surveys/<int:survey_id>/report.<str:fmt>", views_reports.survey_report, name="survey_report"),
    path("sites/<int:site_id>/report.<str:fmt>", views_reports.site_report, name="site_report"),
    path("sites/<int:site_id>/findings/", views_findings.site_findings, name="findings"),
    path("operator/", views_findings.operator_home, name="operator_home"),
    path("operator/sites/<int:site_id>/", views_findings.operator_site, name="operator_site"),
    path("operator/sites/<int:site_id>/selfcheck/", views_findings.selfcheck, name="selfcheck"),
    path("operator/jobs/<int:job_id>/status.json", views_findings.job_status, name="job_status"),
    path("sites/<int:site_id>/cases/", views_cases.case_list, name="cases"),
    path("sites/<int:site_id>/cases/new/", views_cases.case_new, name="case_new"),
    path("cases/<int:case_id>/", views_cases.case_detail, name="case_detail"),
    path("cases/<int:case_id>/edit/", views_cases.case_edit, name="case_edit"),
    path("cases/<int:case_id>/vote/", views_cases.case_vote, name="case_vote"),
    path("cases/<int:case_id>/attachments/", views_cases.case_upload, name="case_upload"),
    path("cases/attachments/<int:attachment_id>/", views_cases.attachment_download, name="case_attachment"),
    path(
        "cases/attachments/<int:attachment_id>/delete/",
        views_cases.attachment_delete,
        name="case_attachment_delete",
    ),
]

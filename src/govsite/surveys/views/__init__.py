"""Survey pages: the dashboard, survey management, assessment, review and audit history.

One module per group of pages: manage, assess, review (routed by
govsite.surveys.urls), findings and the operator's pages, cases, report
downloads (routed by govsite.surveys.urls_operator); common holds what they
share. Every view narrows its querysets with govsite.surveys.access: an
object outside the user's reach is a 404, a missing role a 403. Domain logic
is in govsite.surveys.services, forms in govsite.surveys.forms.
"""

from govsite.surveys.views.assess import (
    csrf_token_view,
    evidence_delete,
    evidence_download,
    evidence_upload,
    indicator_autosave,
    indicator_detail,
    site_detail,
)
from govsite.surveys.views.manage import (
    home,
    survey_assign,
    survey_create,
    survey_detail,
    survey_edit,
    survey_import,
    survey_members,
    survey_publish,
    survey_results_view,
    survey_scan,
    survey_unpublish,
)
from govsite.surveys.views.review import review_queue, score_audit, score_review, site_audit, survey_audit

__all__ = [
    "csrf_token_view",
    "evidence_delete",
    "evidence_download",
    "evidence_upload",
    "home",
    "indicator_autosave",
    "indicator_detail",
    "review_queue",
    "score_audit",
    "score_review",
    "site_audit",
    "site_detail",
    "survey_assign",
    "survey_audit",
    "survey_create",
    "survey_detail",
    "survey_edit",
    "survey_import",
    "survey_members",
    "survey_publish",
    "survey_results_view",
    "survey_scan",
    "survey_unpublish",
]

from django.urls import path

from govsite.surveys import views

urlpatterns = [
    path("", views.home, name="home"),
    path("surveys/new/", views.survey_create, name="survey_create"),
    path("surveys/<int:survey_id>/", views.survey_detail, name="survey_detail"),
    path("surveys/<int:survey_id>/edit/", views.survey_edit, name="survey_edit"),
    path("surveys/<int:survey_id>/members/", views.survey_members, name="survey_members"),
    path("surveys/<int:survey_id>/import/", views.survey_import, name="survey_import"),
    path("surveys/<int:survey_id>/assign/", views.survey_assign, name="survey_assign"),
    path("surveys/<int:survey_id>/scan/", views.survey_scan, name="survey_scan"),
    path("surveys/<int:survey_id>/publish/", views.survey_publish, name="survey_publish"),
    path("surveys/<int:survey_id>/unpublish/", views.survey_unpublish, name="survey_unpublish"),
    path("surveys/<int:survey_id>/results/", views.survey_results_view, name="survey_results"),
    path("surveys/<int:survey_id>/review/", views.review_queue, name="review_queue"),
    path("surveys/<int:survey_id>/audit/", views.survey_audit, name="survey_audit"),
    path("sites/<int:site_id>/", views.site_detail, name="site_detail"),
    path("sites/<int:site_id>/audit/", views.site_audit, name="site_audit"),
    path("sites/<int:site_id>/indicators/<str:code>/", views.indicator_detail, name="indicator_detail"),
    path("sites/<int:site_id>/indicators/<str:code>/autosave/", views.indicator_autosave, name="indicator_autosave"),
    path("sites/<int:site_id>/indicators/<str:code>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("sites/<int:site_id>/indicators/<str:code>/audit/", views.score_audit, name="score_audit"),
    path("scores/<int:score_id>/review/", views.score_review, name="score_review"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:evidence_id>/delete/", views.evidence_delete, name="evidence_delete"),
    path("api/csrf-token/", views.csrf_token_view, name="csrf_token"),
]

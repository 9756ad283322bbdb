"""Mounted by web/urls.py as path("worker/", include("govsite.worker.urls"))."""

from django.urls import path

from govsite.worker import views

app_name = "worker"
urlpatterns = [
    path("surveys/<int:survey_id>/progress.json", views.survey_progress, name="survey_progress"),
    path("sites/<int:site_id>/history.json", views.site_history, name="site_history"),
    path("queues.json", views.queues, name="queues"),
]

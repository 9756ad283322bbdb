from django.urls import path

from govsite.alerts import views

urlpatterns = [path("surveys/<int:survey_id>/", views.survey_alerts, name="survey_alerts")]

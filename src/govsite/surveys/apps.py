from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "govsite.surveys"
    label = "surveys"
    verbose_name = "调查评估"

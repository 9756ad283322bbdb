from django.apps import AppConfig


class WorkordersConfig(AppConfig):
    name = "govsite.workorders"
    label = "workorders"
    verbose_name = "整改工单"

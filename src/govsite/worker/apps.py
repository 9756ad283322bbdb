from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "govsite.worker"
    label = "worker"
    verbose_name = "分布式任务与监测"

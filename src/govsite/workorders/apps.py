from django.apps import AppConfig


class WorkordersConfig(AppConfig):
    name = "govsite.workorders"
    label = "workorders"
    verbose_name = "整改工单"

    def ready(self) -> None:
        from govsite.surveys.signals import job_finished
        from govsite.workorders import receivers, services

        services.register_audit_labels()
        job_finished.connect(receivers.settle_rechecks, dispatch_uid="workorders.settle_rechecks")

from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "govsite.alerts"
    label = "alerts"
    verbose_name = "告警"

    def ready(self) -> None:
        from govsite.alerts import receivers, views
        from govsite.monitoring.signals import availability_changed
        from govsite.surveys.signals import job_finished

        views.register_audit_labels()
        job_finished.connect(receivers.on_job_finished, dispatch_uid="alerts.on_job_finished")
        availability_changed.connect(receivers.on_availability_changed, dispatch_uid="alerts.on_availability_changed")

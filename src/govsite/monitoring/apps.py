from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "govsite.monitoring"
    label = "monitoring"
    verbose_name = "可用性监测"

    def ready(self) -> None:
        from govsite.monitoring import receivers
        from govsite.surveys.signals import job_finished

        # Before workorders' veto alerts (INSTALLED_APPS order): they read the verdict this refreshes.
        job_finished.connect(receivers.scan_counts_as_a_probe, dispatch_uid="monitoring.scan_counts_as_a_probe")

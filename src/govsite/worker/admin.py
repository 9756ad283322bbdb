from django.contrib import admin

from govsite.worker.models import SiteSchedule


@admin.register(SiteSchedule)
class SiteScheduleAdmin(admin.ModelAdmin):
    list_display = ("site", "kind", "period", "enabled", "next_run_at", "last_run_at", "last_job", "skipped")
    list_filter = ("enabled", "kind", "period", "site__survey")
    search_fields = ("site__name", "site__url")
    raw_id_fields = ("site", "last_job")

from django.contrib import admin

from govsite.monitoring.models import AvailabilityDay, AvailabilityProbe, WebsiteAvailability


@admin.register(AvailabilityProbe)
class AvailabilityProbeAdmin(admin.ModelAdmin):
    list_display = ("website", "at", "ok", "reason", "elapsed_ms", "status")
    list_filter = ("ok", "reason")
    date_hierarchy = "at"
    raw_id_fields = ("website",)


@admin.register(AvailabilityDay)
class AvailabilityDayAdmin(admin.ModelAdmin):
    list_display = ("website", "day", "attempts", "failures", "longest_outage_s")
    date_hierarchy = "day"
    raw_id_fields = ("website",)


@admin.register(WebsiteAvailability)
class WebsiteAvailabilityAdmin(admin.ModelAdmin):
    list_display = ("website", "up", "failures_in_row", "changed_at", "since")
    list_filter = ("up",)
    raw_id_fields = ("website",)

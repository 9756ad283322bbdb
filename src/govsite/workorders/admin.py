from django.contrib import admin

from govsite.workorders.models import VetoAlert


@admin.register(VetoAlert)
class VetoAlertAdmin(admin.ModelAdmin):
    list_display = ("site", "rule", "workorder", "job", "created_at")
    list_filter = ("rule",)
    search_fields = ("site__name", "reason")
    raw_id_fields = ("site", "job", "workorder")

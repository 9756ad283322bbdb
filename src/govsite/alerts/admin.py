from django.contrib import admin

from govsite.alerts.models import Alert, Delivery, Recipient


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("title", "label", "state", "opened_at", "last_sent_at", "reminders_sent", "recovered_at")
    list_filter = ("state",)


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    list_display = ("kind", "address", "name", "survey", "site", "enabled")
    list_filter = ("kind", "enabled")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("alert", "recipient", "event", "status", "attempts", "sent_at")
    list_filter = ("status", "event")

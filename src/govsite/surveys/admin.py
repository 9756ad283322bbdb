"""The admin: a tool for platform administrators' data fixes, not the assessors' UI.

The audit log is read-only here as everywhere: no add, change or delete.
"""

from __future__ import annotations

from django.contrib import admin, messages

from govsite.surveys.models import (
    AuditEntry,
    Evidence,
    Finding,
    IndicatorScore,
    InnovationCase,
    Job,
    Site,
    Survey,
    SurveyFramework,
    SurveyMember,
    Website,
)


class SurveyFrameworkInline(admin.TabularInline):
    model = SurveyFramework
    extra = 0


class SurveyMemberInline(admin.TabularInline):
    model = SurveyMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "as_of", "status", "published_at"]
    list_filter = ["status", "year"]
    search_fields = ["name"]
    inlines = [SurveyFrameworkInline, SurveyMemberInline]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "level", "division_code", "province", "survey", "assessor"]
    list_filter = ["survey", "level"]
    search_fields = ["name", "url", "division_code"]
    list_select_related = ["survey", "assessor"]
    autocomplete_fields = ["assessor", "operators"]
    actions = ["purge_archives"]

    @admin.action(description="清除所选网站的检测存档（WARC 与网页全文；问题记录保留）", permissions=["delete"])
    def purge_archives(self, request, queryset) -> None:
        from govsite.surveys.archives import purge_site_archives

        jobs = files = size = 0
        for site in queryset:
            report = purge_site_archives(site, user=request.user, reason="管理后台清除")
            jobs, files, size = jobs + len(report.jobs), files + report.files, size + report.bytes
        self.message_user(
            request, f"已清除 {jobs} 个检测任务的 {files} 个存档文件，共 {size / 1e6:.1f} MB", messages.SUCCESS
        )


@admin.register(Website)
class WebsiteAdmin(admin.ModelAdmin):
    """The register of websites across surveys; the origin is the key and is not edited here."""

    list_display = ["name", "origin", "level", "division_code", "created_at"]
    list_filter = ["level"]
    search_fields = ["name", "origin", "division_code"]
    readonly_fields = ["origin"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["pk", "site", "kind", "status", "pages_fetched", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["site__name", "site__url"]
    list_select_related = ["site"]
    raw_id_fields = ["site", "requested_by"]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["type", "severity", "status", "site", "url", "found_at"]
    list_filter = ["status", "severity", "type"]
    search_fields = ["url", "site__name"]
    list_select_related = ["site"]
    raw_id_fields = ["site", "first_job", "last_job"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["url", "file", "note", "observed_at", "created_by"]
    raw_id_fields = ["created_by"]


@admin.register(IndicatorScore)
class IndicatorScoreAdmin(admin.ModelAdmin):
    list_display = ["site", "code", "score", "auto_score", "status", "assessor", "reviewer", "updated_at"]
    list_filter = ["status"]
    search_fields = ["site__name", "code"]
    list_select_related = ["site", "assessor", "reviewer"]
    raw_id_fields = ["site", "assessor", "reviewer"]
    readonly_fields = ["version", "updated_at"]
    inlines = [EvidenceInline]


@admin.register(InnovationCase)
class InnovationCaseAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "site", "created_at"]
    search_fields = ["title", "site__name"]
    raw_id_fields = ["site", "created_by"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "object_type", "object_id", "site", "reason"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "reason", "user__username"]
    list_select_related = ["user", "site"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

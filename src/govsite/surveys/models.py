"""The survey's records: what is evaluated, by whom, what the machine found and what people scored.

Website (one per canonical origin; outlives surveys: monitoring history and year-over-year hang from it)
   └─ Site (the website's participation in one survey)
Survey ─┬─ SurveyFramework (one framework per site level)
        ├─ SurveyMember (manager / reviewer / expert roles within the survey)
        └─ Site ─┬─ Job (one crawl → checks → auto-scoring run)
                 ├─ Finding (deduplicated by key across runs; open or fixed)
                 ├─ IndicatorScore ── Evidence
                 └─ InnovationCase ── CaseVote
AuditEntry is append-only: every change to a score, review or work order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from govsite.findings import FINDING_TYPES, SEVERITIES
from govsite.sites.origin import canonical_origin
from govsite.sites.sample import LEVELS

LEVEL_LABELS = {
    "ministry": "国务院部门",
    "province": "省级",
    "municipality": "直辖市",
    "capital": "省会及副省级城市",
    "prefecture": "地市",
    "county": "区县",
    "etdz": "国家级经开区",
    "hitech": "国家级高新区",
}
assert set(LEVEL_LABELS) == set(LEVELS)
LEVEL_CHOICES = [(level, LEVEL_LABELS[level]) for level in LEVELS]
FINDING_TYPE_CHOICES = list(FINDING_TYPES.items())  # for forms; the columns keep no choices (see below)
SEVERITY_CHOICES = [("high", "高"), ("medium", "中"), ("low", "低")]
assert [s for s, _ in SEVERITY_CHOICES] == list(SEVERITIES)


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "筹备中"
        COLLECTING = "collecting", "采集评估中"
        REVIEWING = "reviewing", "审核中"
        PUBLISHED = "published", "已发布"

    name = models.CharField("名称", max_length=200)
    year = models.PositiveIntegerField("年度")
    as_of = models.DateField("评估基准日")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = verbose_name_plural = "调查"

    def __str__(self) -> str:
        return self.name

    def framework_for(self, level: str) -> str | None:
        """The framework name (NAME or NAME:VARIANT) used for sites of this level."""
        row = self.frameworks.filter(level=level).first()
        return row.framework if row else None


class SurveyFramework(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="frameworks")
    level = models.CharField("网站类型", max_length=20, choices=LEVEL_CHOICES)
    framework = models.CharField("指标体系", max_length=100)  # NAME or NAME:VARIANT of govsite.frameworks

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "level"], name="one_framework_per_level")]
        verbose_name = verbose_name_plural = "指标体系配置"


class SurveyMember(models.Model):
    """A user's role within one survey (assessors are given sites instead, see Site.assessor)."""

    class Role(models.TextChoices):
        MANAGER = "manager", "调查管理员"
        REVIEWER = "reviewer", "审核员"
        EXPERT = "expert", "评审专家"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_roles")
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "user", "role"], name="one_role_once")]
        verbose_name = verbose_name_plural = "调查成员"


@dataclass(frozen=True)
class WebsiteEntry:
    """A site list's word on a website: its URL and how the list names it."""

    url: str
    name: str
    level: str
    division_code: str = ""


class WebsiteQuerySet(models.QuerySet):
    def register(self, url: str, *, name: str, level: str, division_code: str = "") -> Website:
        """The Website of `url`'s canonical origin, created when new (see `register_many`)."""
        return self.register_many([WebsiteEntry(url, name, level, division_code)])[canonical_origin(url)]

    def register_many(self, entries: Iterable[WebsiteEntry]) -> dict[str, Website]:
        """canonical origin -> Website for every entry, creating the new ones, in a fixed number of queries.

        An existing website takes an entry's name, level and division code when
        they are not empty and differ: the latest site list names the website as
        it is now (a renamed department, a county turned district). Of entries
        with one origin the last one speaks.
        """
        latest = {canonical_origin(entry.url): entry for entry in entries}
        found = {w.origin: w for w in self.filter(origin__in=list(latest))}
        new = [
            Website(origin=o, name=e.name, level=e.level, division_code=e.division_code)
            for o, e in latest.items()
            if o not in found
        ]
        if new:
            self.bulk_create(new, ignore_conflicts=True)  # a concurrent import may have made some
            found = {w.origin: w for w in self.filter(origin__in=list(latest))}
        changed = [w for w in found.values() if _renamed(w, latest[w.origin])]
        if changed:
            self.bulk_update(changed, ["name", "level", "division_code"])
        return found


def _renamed(website: Website, entry: WebsiteEntry) -> bool:
    """Give `website` the entry's non-empty values; whether anything changed."""
    changed = False
    for key in ("name", "level", "division_code"):
        value = getattr(entry, key)
        if value and getattr(website, key) != value:
            setattr(website, key, value)
            changed = True
    return changed


class Website(models.Model):
    """One government website, by canonical origin (`govsite.sites.origin`), whatever survey looks at it.

    Surveys reference it through `Site`; history across surveys and monitoring
    rounds (availability probes, finding trends, year-over-year results, a
    province's register of its sites) hangs from it.
    """

    origin = models.CharField("网站源地址", max_length=300, unique=True)  # scheme://host[:port]
    name = models.CharField("网站名称", max_length=200)
    level = models.CharField("网站类型", max_length=20, choices=LEVEL_CHOICES)
    division_code = models.CharField("行政区划代码", max_length=6, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WebsiteQuerySet.as_manager()

    class Meta:
        ordering = ["division_code", "name"]
        indexes = [models.Index(fields=["division_code"])]
        verbose_name = verbose_name_plural = "网站档案"

    def __str__(self) -> str:
        return self.name


class SiteQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Sites without a website get theirs (created when new), as save() gives them."""
        objs = list(objs)
        homeless = [site for site in objs if site.website_id is None]
        if homeless:
            entries = [WebsiteEntry(s.url, s.name, s.level, s.division_code) for s in homeless]
            websites = Website.objects.register_many(entries)
            for site in homeless:
                site.website = websites[canonical_origin(site.url)]
        return super().bulk_create(objs, *args, **kwargs)


class Site(models.Model):
    """A website's participation in one survey (its name, level and people as this survey has them)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sites")
    # Derived from `url` on save (attach_website), never edited by hand.
    website = models.ForeignKey(Website, on_delete=models.PROTECT, related_name="sites", editable=False)
    name = models.CharField("网站名称", max_length=200)
    url = models.URLField("首页网址", max_length=500)
    level = models.CharField("网站类型", max_length=20, choices=LEVEL_CHOICES)
    division_code = models.CharField("行政区划代码", max_length=6, blank=True)
    province = models.CharField("省份", max_length=50, blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assessed_sites"
    )
    operators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="operated_sites")
    verdict = models.JSONField("单项否决结论", null=True, blank=True)  # inspection_verdict().as_dict() of the last scan
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["survey", "level", "division_code", "name"]
        constraints = [models.UniqueConstraint(fields=["survey", "url"], name="one_site_per_url")]
        indexes = [models.Index(fields=["survey", "level"]), models.Index(fields=["assessor"])]
        verbose_name = verbose_name_plural = "网站"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        site = super().from_db(db, field_names, values)
        site._loaded_url = site.__dict__.get("url")  # to tell on save whether the URL changed
        return site

    def save(self, *args, **kwargs) -> None:
        before = self.website_id
        self.attach_website()
        if self.website_id != before and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = [*kwargs["update_fields"], "website"]
        super().save(*args, **kwargs)
        self._loaded_url = self.url

    def attach_website(self) -> None:
        """Point at the Website of this site's URL (created when new); a changed URL moves it."""
        unchanged = "url" in self.get_deferred_fields() or self.url == getattr(self, "_loaded_url", None)
        if self.website_id is not None and unchanged:
            return
        if self.website_id is None or self.website.origin != canonical_origin(self.url):
            self.website = Website.objects.register(
                self.url, name=self.name, level=self.level, division_code=self.division_code
            )


class Job(models.Model):
    """One run of crawl → checks → auto-scoring for a site; idempotent, so it may be retried."""

    class Kind(models.TextChoices):
        FULL = "full", "全量检测"
        INCREMENTAL = "incremental", "增量检测"
        RECHECK = "recheck", "整改复核"
        SELFCHECK = "selfcheck", "一键自查"

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "检测中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.FULL)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.QUEUED)
    as_of = models.DateField("评估基准日")
    urls = models.JSONField("复核网址", default=list, blank=True)  # recheck: exactly these URLs
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pages_fetched = models.PositiveIntegerField("已抓取", default=0)
    attempts = models.PositiveIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True)
    task_id = models.CharField(max_length=100, blank=True)
    out_dir = models.CharField(max_length=500, blank=True)  # the scan's output folder (WARC, records)
    summary = models.JSONField(null=True, blank=True)  # the scan's per-site summary
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["site", "-created_at"]), models.Index(fields=["status"])]
        verbose_name = verbose_name_plural = "检测任务"


def validate_finding_type(value: str) -> None:
    """A finding type must be in the catalogue (govsite/findings.py), checked here rather than frozen
    into a migration's `choices`, so a new catalogue type needs no migration."""
    if value not in FINDING_TYPES:
        raise ValidationError(
            "未知的问题类型“%(type)s”：不在问题类型目录（govsite/findings.py）中",
            code="unknown_finding_type",
            params={"type": value},
        )


def finding_type_label(value: str) -> str:
    return FINDING_TYPES.get(value, value)


def validate_optional_finding_type(value: str) -> None:
    """A catalogue type, or "" (a work order for a single-veto rule that no finding type stands for)."""
    if value:
        validate_finding_type(value)


class FindingTypeQuerySet(models.QuerySet):
    """Every way rows enter the table checks the type: save() and create() through the model,
    bulk_create, bulk_update and update() here (they bypass save())."""

    type_field = "type"
    validate = staticmethod(validate_finding_type)

    def _check(self, objs) -> list:
        objs = list(objs)
        for obj in objs:
            self.validate(getattr(obj, self.type_field))
        return objs

    def bulk_create(self, objs, *args, **kwargs):
        return super().bulk_create(self._check(objs), *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = self._check(objs) if self.type_field in fields else objs
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        if self.type_field in kwargs:
            self.validate(kwargs[self.type_field])
        return super().update(**kwargs)


def finding_key_hash(type_: str, url: str, key: str) -> str:
    """A fixed-length id of Finding.key, so the database can index and deduplicate it."""
    return hashlib.sha1(f"{type_}\x00{url}\x00{key}".encode()).hexdigest()


class Finding(models.Model):
    """A problem on a site, kept across scans: the same key seen again updates it, gone means fixed."""

    class Status(models.TextChoices):
        OPEN = "open", "未整改"
        FIXED = "fixed", "已消除"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="findings")
    type = models.CharField("问题类型", max_length=40, validators=[validate_finding_type])
    url = models.TextField("问题网址")
    page = models.TextField("所在页面", blank=True)
    severity = models.CharField("严重程度", max_length=10, choices=SEVERITY_CHOICES)
    evidence = models.TextField("证据")
    detail = models.JSONField(default=dict, blank=True)
    key_hash = models.CharField(max_length=40)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    found_at = models.DateTimeField("发现时间")
    first_job = models.ForeignKey(Job, null=True, on_delete=models.SET_NULL, related_name="+")
    last_job = models.ForeignKey(Job, null=True, on_delete=models.SET_NULL, related_name="+")
    fixed_at = models.DateTimeField("消除时间", null=True, blank=True)
    # A suspected security incident (page_tampered…) a person confirmed (surveys/incidents.py).
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = FindingTypeQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "key_hash"], name="one_finding_per_key")]
        indexes = [
            models.Index(fields=["site", "status", "type"]),
            models.Index(fields=["type", "status"]),
        ]
        verbose_name = verbose_name_plural = "监测问题"

    def save(self, *args, **kwargs) -> None:
        validate_finding_type(self.type)
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return finding_type_label(self.type)


class IndicatorScore(models.Model):
    """An assessor's score of one leaf indicator for one site, and its review state."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待审核"
        CONFIRMED = "confirmed", "已确认"
        RETURNED = "returned", "已退回"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="scores")
    code = models.CharField("指标代码", max_length=100)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    auto_score = models.DecimalField("监测建议分", max_digits=6, decimal_places=2, null=True, blank=True)
    auto_explanation = models.TextField(blank=True)
    adjust_reason = models.TextField("调整理由", blank=True)
    checklist = models.JSONField("核查项", default=dict, blank=True)  # checklist item index -> true/false/null
    note = models.TextField("评估说明", blank=True)
    observed_at = models.DateTimeField("核查时间", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.TextField("审核意见", blank=True)
    version = models.PositiveIntegerField(default=0)  # optimistic locking for autosave from several tabs
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "code"], name="one_score_per_indicator")]
        indexes = [models.Index(fields=["site", "status"])]
        verbose_name = verbose_name_plural = "指标得分"


def evidence_upload_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.score.site.survey_id}/{instance.score.site_id}/{filename}"


class Evidence(models.Model):
    score = models.ForeignKey(IndicatorScore, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField("网址", max_length=1000, blank=True)
    file = models.FileField("截图或文件", upload_to=evidence_upload_path, blank=True)
    note = models.TextField("说明", blank=True)
    observed_at = models.DateTimeField("核查时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "佐证材料"


class InnovationCase(models.Model):
    """An 优秀创新案例 entry; the expert panel's votes turn into the bonus score."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="cases")
    category = models.CharField("类别", max_length=100)  # a BonusCategory code of the site's framework
    title = models.CharField("案例名称", max_length=200)
    description = models.TextField("案例说明")
    links = models.TextField("相关链接", blank=True)  # one URL per line
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "创新案例"


def case_upload_path(instance: CaseAttachment, filename: str) -> str:
    return f"cases/{instance.case.site.survey_id}/{instance.case_id}/{filename}"


class CaseAttachment(models.Model):
    case = models.ForeignKey(InnovationCase, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=case_upload_path)
    created_at = models.DateTimeField(auto_now_add=True)


class CaseVote(models.Model):
    case = models.ForeignKey(InnovationCase, on_delete=models.CASCADE, related_name="votes")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField("评分", max_digits=5, decimal_places=2, default=Decimal(0))
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "expert"], name="one_vote_per_expert")]


class AuditEntry(models.Model):
    """Append-only: who changed what, when, from what to what, and why."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=50)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=50)
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["action", "at"])]
        verbose_name = verbose_name_plural = "审计日志"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加，不能删除")

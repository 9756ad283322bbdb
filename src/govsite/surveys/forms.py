"""Forms of the survey pages: every input a manager, assessor, reviewer, expert or operator sends is checked here.

Messages are in Chinese and say what to do; numbers are Decimal all the way
(weights such as 0.5 must compare exactly).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from govsite.surveys.cases import ATTACHMENT_TYPES, MAX_ATTACHMENTS_PER_CASE, attachment_problem
from govsite.surveys.models import (
    FINDING_TYPE_CHOICES,
    LEVEL_CHOICES,
    SEVERITY_CHOICES,
    Finding,
    IndicatorScore,
    InnovationCase,
    Survey,
    SurveyMember,
)
from govsite.surveys.services import Assessment

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_LOCAL)


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["name", "year", "as_of", "status"]
        widgets = {
            "name": forms.TextInput(attrs={"size": 40}),
            "as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Publishing is its own action (it computes and freezes results); the form moves between the other states.
        self.fields["status"].choices = [c for c in Survey.Status.choices if c[0] != Survey.Status.PUBLISHED]
        if self.instance.pk and self.instance.status == Survey.Status.PUBLISHED:
            self.fields["status"].disabled = True
            self.fields["status"].choices = Survey.Status.choices

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise ValidationError("年度应为 2000–2100 之间的四位年份")
        return year


class FrameworksForm(forms.Form):
    """One framework per site level; a level left empty has none (its sites cannot be scored yet)."""

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        options = [("", "（不使用）"), *choices]
        for level, label in LEVEL_CHOICES:
            self.fields[f"fw_{level}"] = forms.ChoiceField(label=label, choices=options, required=False)

    def selected(self) -> dict[str, str]:
        return {level: self.cleaned_data.get(f"fw_{level}", "") for level, _ in LEVEL_CHOICES}


class MemberForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    role = forms.ChoiceField(label="角色", choices=SurveyMember.Role.choices)

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise ValidationError(f"用户“{name}”不存在或已停用；请先由平台管理员创建账号")
        self.cleaned_data["user"] = user
        return name


class SiteImportForm(forms.Form):
    file = forms.FileField(label="网站名单（CSV 或 XLSX）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = PurePath(upload.name or "").suffix.lower()
        if suffix == ".xls":
            raise ValidationError("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 CSV")
        if suffix not in (".csv", ".xlsx", ".txt"):
            raise ValidationError("请上传 .csv 或 .xlsx 文件")
        return upload


class AssignForm(forms.Form):
    assessor = forms.ModelChoiceField(
        label="评估员",
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        empty_label="（取消分配）",
    )


CHECK_CHOICES = [("", "未核查"), ("yes", "是"), ("no", "否")]


def parse_score(raw: str, weight: Decimal) -> Decimal | None:
    """The score an assessor typed, checked against the indicator's weight; ValidationError in Chinese."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            f"得分“{text}”不是数字，请填写 0 到 {_fmt(weight)} 之间的数，例如 {_fmt(weight)} 或 0.5"
        ) from None
    if not value.is_finite():
        raise ValidationError(f"得分“{text}”不是数字")
    if value < 0 or value > weight:
        raise ValidationError(f"得分 {text} 超出范围：本指标权重 {_fmt(weight)} 分，得分应在 0 到 {_fmt(weight)} 之间")
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError("得分最多保留两位小数")
    return value.quantize(Decimal("0.01"))


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


class ScoreForm(forms.Form):
    """An assessor's score of one leaf: checked against its weight and its monitoring suggestion."""

    score = forms.CharField(label="得分", required=False, max_length=20)
    adjust_reason = forms.CharField(label="调整理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label="评估说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    observed_at = forms.DateTimeField(label="核查时间", required=False, widget=DateTimeLocalInput())
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, weight: Decimal, auto_score: Decimal | None, checklist: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.weight = weight
        self.auto_score = auto_score
        self.checklist_items = checklist
        for index, item in enumerate(checklist):
            self.fields[f"check_{index}"] = forms.ChoiceField(
                label=item, choices=CHECK_CHOICES, required=False, widget=forms.RadioSelect
            )
        self.fields["score"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean_score(self):
        return parse_score(self.cleaned_data.get("score", ""), self.weight)

    def clean(self):
        data = super().clean()
        score = data.get("score")
        reason = (data.get("adjust_reason") or "").strip()
        data["adjust_reason"] = reason
        adjusted = self.auto_score is not None and score is not None and score != self.auto_score
        if "score" not in self.errors and adjusted and not reason:
            self.add_error(
                "adjust_reason",
                f"得分 {_fmt(score)} 与监测建议分 {_fmt(self.auto_score)} 不同，请填写调整理由",
            )
        return data

    def checklist_answers(self) -> dict[str, bool | None]:
        answers = {}
        for index in range(len(self.checklist_items)):
            value = self.cleaned_data.get(f"check_{index}", "")
            answers[str(index)] = {"yes": True, "no": False}.get(value)
        return answers

    def assessment(self) -> Assessment:
        """The valid form's entry as govsite.surveys.services saves it."""
        data = self.cleaned_data
        return Assessment(
            score=data["score"],
            adjust_reason=data["adjust_reason"],
            checklist=self.checklist_answers(),
            note=data["note"].strip(),
            observed_at=data["observed_at"],
        )

    @staticmethod
    def initial_for(row: IndicatorScore | None, checklist: tuple[str, ...]) -> dict:
        if row is None:
            return {"version": 0}
        initial = {
            "score": _fmt(row.score) if row.score is not None else "",
            "adjust_reason": row.adjust_reason,
            "note": row.note,
            "observed_at": row.observed_at,
            "version": row.version,
        }
        for index in range(len(checklist)):
            answer = (row.checklist or {}).get(str(index))
            initial[f"check_{index}"] = {True: "yes", False: "no"}.get(answer, "")
        return initial


class ReviewForm(forms.Form):
    action = forms.ChoiceField(choices=[("confirm", "确认"), ("return", "退回")])
    note = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(min_value=0)

    def clean(self):
        data = super().clean()
        data["note"] = (data.get("note") or "").strip()
        if data.get("action") == "return" and not data["note"]:
            self.add_error("note", "退回时请填写审核意见，说明需要修改什么")
        return data


# Uploads: the extension says what it claims to be, the first bytes must agree (signatures: cases.ATTACHMENT_TYPES).
EVIDENCE_TYPES = {s: ATTACHMENT_TYPES[s][0] for s in (".png", ".jpg", ".jpeg", ".pdf", ".docx", ".xlsx")}


def _office_part(upload, suffix: str) -> bool:
    """A .docx holds word/, an .xlsx holds xl/: a renamed zip of something else is refused."""
    import zipfile

    wanted = "word/" if suffix == ".docx" else "xl/"
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(n.startswith(wanted) for n in names)


def check_evidence_file(upload) -> str:
    """Raise ValidationError unless the upload is an allowed type within the size limit; returns its extension."""
    limit = settings.GOVSITE_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"文件过大：{upload.size / 1024 / 1024:.1f} MB，上限 {limit / 1024 / 1024:.0f} MB；请压缩截图或拆分文件"
        )
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise ValidationError("只能上传 PNG、JPG 截图或 PDF、DOCX、XLSX 文件")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in ATTACHMENT_TYPES[suffix][1]):
        raise ValidationError(f"文件内容与扩展名 {suffix} 不符，请上传真实的 PNG、JPG、PDF、DOCX 或 XLSX 文件")
    if suffix in (".docx", ".xlsx") and not _office_part(upload, suffix):
        raise ValidationError(f"文件不是有效的 {suffix} 文档")
    return ".jpg" if suffix == ".jpeg" else suffix


class EvidenceForm(forms.Form):
    url = forms.URLField(label="网址", required=False, max_length=1000, assume_scheme="https")
    file = forms.FileField(label="截图或文件", required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    observed_at = forms.DateTimeField(label="核查时间", required=False, widget=DateTimeLocalInput())

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.cleaned_data["suffix"] = check_evidence_file(upload)
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("url") and not data.get("file") and not self.errors:
            raise ValidationError("请填写网址或上传截图、文件（至少一项）")
        return data


# ---------------------------------------------------------------- 优秀创新案例

MAX_LINKS = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def check_upload(upload) -> str | None:
    head = upload.read(16)
    upload.seek(0)
    return attachment_problem(upload.name, upload.size, head, max_bytes=settings.GOVSITE_UPLOAD_MAX_BYTES)


class AttachmentsForm(forms.Form):
    files = MultipleFileField(label="附件", required=False, help_text="PDF、图片、Word/Excel/PowerPoint 文件")

    def __init__(self, *args, existing: int = 0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.existing = existing

    def clean_files(self):
        files = self.cleaned_data["files"] or []
        if self.existing + len(files) > MAX_ATTACHMENTS_PER_CASE:
            raise forms.ValidationError(f"每个案例最多 {MAX_ATTACHMENTS_PER_CASE} 个附件")
        problems = [f"{upload.name}：{problem}" for upload in files if (problem := check_upload(upload))]
        if problems:
            raise forms.ValidationError(problems)
        return files


class CaseForm(forms.ModelForm):
    category = forms.ChoiceField(label="案例类别")

    class Meta:
        model = InnovationCase
        fields = ["category", "title", "description", "links"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "links": forms.Textarea(
                attrs={"rows": 3, "placeholder": "每行一个网址，如 https://www.example.gov.cn/zt/"}
            ),
        }

    def __init__(self, *args, categories: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = list(categories.items())

    def clean_links(self):
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise forms.ValidationError(f"最多 {MAX_LINKS} 个链接")
        for line in lines:
            parts = urlsplit(line)
            if parts.scheme not in ("http", "https") or not parts.netloc or len(line) > 1000:
                raise forms.ValidationError(f"“{line[:100]}”不是 http(s) 网址")
        return "\n".join(lines)


class VoteForm(forms.Form):
    score = forms.DecimalField(label="评分", max_digits=5, decimal_places=2, min_value=Decimal(0))
    comment = forms.CharField(label="意见", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, cap: Decimal, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cap = cap
        self.fields["score"].widget.attrs.update(max=str(cap), step="0.5")

    def clean_score(self):
        score = self.cleaned_data["score"]
        if score > self.cap:
            raise forms.ValidationError(f"评分不能超过该项加分上限 {self.cap}")
        return score



# ---------------------------------------------------------------- findings


class FindingFilterForm(forms.Form):
    type = forms.ChoiceField(label="问题类型", required=False, choices=[("", "全部"), *FINDING_TYPE_CHOICES])
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *Finding.Status.choices])
    severity = forms.ChoiceField(label="严重程度", required=False, choices=[("", "全部"), *SEVERITY_CHOICES])
    q = forms.CharField(label="网址包含", required=False, max_length=500)
    change = forms.ChoiceField(
        label="最近一次检测",
        required=False,
        choices=[("", "不限"), ("new", "新发现"), ("fixed", "已消除")],
    )

"""Forms of the work-order pages: validation only; the steps themselves are in services."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from govsite.surveys.models import FINDING_TYPE_CHOICES, Finding, Site
from govsite.workorders.models import WorkOrder
from govsite.workorders.services import GROUPINGS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _future(deadline):
    if deadline is not None and deadline < timezone.localdate():
        raise forms.ValidationError("整改期限不能早于今天")
    return deadline


class OperatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        full = obj.get_full_name()
        return f"{full}（{obj.get_username()}）" if full else obj.get_username()


class CreateOrdersForm(forms.Form):
    findings = forms.ModelMultipleChoiceField(
        queryset=Finding.objects.none(), widget=forms.CheckboxSelectMultiple, label="问题"
    )
    grouping = forms.ChoiceField(label="生成方式", choices=list(GROUPINGS.items()), initial="each")
    assignee = OperatorChoiceField(queryset=get_user_model().objects.none(), label="整改责任人")
    deadline = forms.DateField(label="整改期限", widget=DATE_INPUT)

    def __init__(self, site: Site, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["findings"].queryset = Finding.objects.filter(site=site, status=Finding.Status.OPEN)
        self.fields["assignee"].queryset = site.operators.order_by("username")
        self.fields["assignee"].empty_label = "请选择该网站的运维人员"

    def clean_deadline(self):
        return _future(self.cleaned_data["deadline"])


class AssignForm(forms.Form):
    assignee = OperatorChoiceField(queryset=get_user_model().objects.none(), label="整改责任人", required=False)
    deadline = forms.DateField(label="整改期限", widget=DATE_INPUT, required=False)
    note = forms.CharField(label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, site: Site, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = site.operators.order_by("username")

    def clean_deadline(self):
        return _future(self.cleaned_data["deadline"])


class FixedForm(forms.Form):
    note = forms.CharField(label="整改说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ClaimForm(forms.Form):
    reason = forms.CharField(label="无需修改的理由", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewClaimForm(forms.Form):
    decision = forms.ChoiceField(label="审核结论", choices=[("accept", "同意无需修改"), ("reject", "驳回，继续整改")])
    note = forms.CharField(label="审核意见", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", "驳回须说明理由")
        return data


SORTS = {
    "deadline": ("deadline", "整改期限（早→晚）"),
    "-deadline": ("-deadline", "整改期限（晚→早）"),
    "-created": ("-created_at", "创建时间（新→旧）"),
    "created": ("created_at", "创建时间（旧→新）"),
    "status": ("status", "状态"),
    "site": ("site__name", "网站"),
}


class OrderFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *WorkOrder.Status.choices])
    overdue = forms.BooleanField(label="仅逾期", required=False)
    type = forms.ChoiceField(label="问题类型", required=False, choices=[("", "全部"), *FINDING_TYPE_CHOICES])
    site = forms.IntegerField(required=False, widget=forms.HiddenInput)
    mine = forms.BooleanField(label="仅我负责的", required=False)
    sort = forms.ChoiceField(
        label="排序", required=False, choices=[("", "默认"), *((k, label) for k, (_, label) in SORTS.items())]
    )

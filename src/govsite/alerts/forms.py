from __future__ import annotations

from django import forms

from govsite.alerts import channels
from govsite.alerts.models import Recipient
from govsite.surveys.models import Survey

SIGNED_KINDS = (Recipient.Kind.DINGTALK, Recipient.Kind.FEISHU)


class RecipientForm(forms.ModelForm):
    scope = forms.ChoiceField(label="范围")

    class Meta:
        model = Recipient
        fields = ["kind", "address", "name", "keyword", "secret"]

    def __init__(self, *args, survey: Survey, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        sites = survey.sites.order_by("name")
        self.fields["scope"].choices = [("", "整个调查"), *[(str(s.pk), s.name) for s in sites]]
        self.fields["scope"].required = False
        self.sites = {str(s.pk): s for s in sites}
        self.survey = survey

    def clean(self):
        data = super().clean()
        kind, address = data.get("kind"), (data.get("address") or "").strip()
        if kind and address:
            try:
                channels.validate_address(kind, address)
            except forms.ValidationError as error:
                self.add_error("address", error)
        if kind not in SIGNED_KINDS and (data.get("secret") or data.get("keyword")):
            self.add_error("secret", "只有钉钉和飞书机器人使用加签密钥和关键词")
        data["address"] = address
        return data

    def save(self, commit: bool = True) -> Recipient:
        recipient = super().save(commit=False)
        site = self.sites.get(self.cleaned_data.get("scope") or "")
        recipient.site, recipient.survey = (site, None) if site else (None, self.survey)
        if commit:
            recipient.save()
        return recipient

"""The survey's alert page for its managers: recipients (survey-wide or per site) and recent alerts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render

from govsite.alerts.forms import RecipientForm
from govsite.alerts.models import Alert, Recipient
from govsite.surveys import audit
from govsite.surveys.views.common import require_manager, survey_or_404

AUDIT_ACTIONS = {"alert_recipient_add": "添加告警接收人", "alert_recipient_remove": "移除告警接收人"}


def register_audit_labels() -> None:
    audit.register_labels(actions=AUDIT_ACTIONS, objects={"Recipient": "告警接收人 #{id}"})


def _state(recipient: Recipient) -> dict:
    return {"kind": recipient.get_kind_display(), "address": recipient.address, "site": recipient.site_id}


@login_required
def survey_alerts(request, survey_id: int):
    survey = survey_or_404(request, survey_id)
    require_manager(request.user, survey)
    mine = Recipient.objects.filter(Q(survey=survey) | Q(site__survey=survey)).select_related("site")
    if request.method == "POST" and request.POST.get("remove"):
        recipient = get_object_or_404(mine, pk=request.POST["remove"])
        audit.record(request.user, "alert_recipient_remove", recipient, site=recipient.site, before=_state(recipient))
        recipient.delete()
        messages.success(request, "已移除告警接收人")
        return redirect("survey_alerts", survey.pk)
    form = RecipientForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        recipient = form.save(commit=False)
        recipient.created_by = request.user
        recipient.save()
        audit.record(request.user, "alert_recipient_add", recipient, site=recipient.site, after=_state(recipient))
        messages.success(request, f"已添加告警接收人：{recipient.get_kind_display()}")
        return redirect("survey_alerts", survey.pk)
    alerts = (
        Alert.objects.filter(Q(site__survey=survey) | Q(website__sites__survey=survey))
        .distinct()
        .select_related("site", "website")[:100]
    )
    context = {"survey": survey, "form": form, "recipients": mine.order_by("site__name", "kind"), "alerts": alerts}
    return render(request, "alerts/survey_alerts.html", context)

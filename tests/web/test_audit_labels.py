"""The audit pages name every entry from the labels each app registers with govsite.surveys.audit."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from opfixtures import add_finding, make_world

from govsite.surveys import audit
from govsite.workorders import services

pytestmark = pytest.mark.django_db


def _rows(html: str) -> list[str]:
    """The audit table's entries (each starting at its time cell) as text, tags dropped."""
    body = html.split('<table class="data audit">', 1)[1]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)) for row in body.split('<td class="small">')[1:]]


def test_the_workorders_app_names_its_entries_orders_states_and_conclusions(client_for):
    world = make_world()
    deadline = timezone.localdate() + timedelta(days=3)
    (order,), _ = services.create_orders(
        world.site,
        [add_finding(world.site)],
        grouping="each",
        assignee=world.operator,
        deadline=deadline,
        user=world.manager,
    )
    services.claim_no_change(order, world.operator, "按规定保留")
    services.accept_claim(order, world.reviewer, "同意")
    audit.record(
        None,
        "workorder.recheck_not_run",
        order,
        site=world.site,
        before={"status": "rechecking"},
        after={"status": "open"},
    )
    client = client_for(world.manager)
    rows = _rows(client.get(reverse("survey_audit", args=[world.survey.pk])).content.decode())
    created = next(r for r in rows if "派发整改工单" in r)
    assert f"工单 #{order.pk}" in created and "整改责任人" in created and "待整改" in created
    accepted = next(r for r in rows if "工单：同意无需修改" in r)
    assert "申请无需修改 → 已关闭" in accepted and "结论" in accepted and "无需修改" in accepted
    assert any("工单：申请无需修改" in r for r in rows)
    not_run = next(r for r in rows if "工单：复核未能进行" in r)
    assert "复核中 → 待整改" in not_run
    assert not any("workorder." in r for r in rows)


def test_a_registered_name_cannot_be_given_another():
    audit.register_labels(actions={"score_save": "保存评分"})  # the same name again: harmless
    with pytest.raises(ValueError, match="score_save"):
        audit.register_labels(actions={"score_save": "另一个名字", "brand_new.action": "新操作"})
    assert audit.action_label("score_save") == "保存评分"
    assert audit.action_label("brand_new.action") == "brand_new.action"

"""A manager names a site's operators on its page, and assigns assessors only by an explicit choice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govsite.surveys.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_manager_adds_and_removes_an_operator_on_the_site_page(client_for, users, sites):
    site = sites[1]
    client = client_for(users["manager"])
    url = reverse("site_detail", args=[site.pk])
    response = client.post(url, {"operator": "operator"}, follow=True)
    assert "已将 网站运维（operator）设为本网站运维人员" in response.content.decode()
    assert list(site.operators.values_list("username", flat=True)) == ["operator"]
    entry = AuditEntry.objects.get(action="site_operators", site=site)
    assert (entry.before, entry.after) == ({"operators": []}, {"operators": ["operator"]})
    page = client.get(url).content.decode()
    assert "网站运维人员" in page and "添加运维人员" in page

    missing = client.post(url, {"operator": "nobody"}, follow=True)
    assert "用户“nobody”不存在或已停用" in missing.content.decode()
    client.post(url, {"remove_operator": users["operator"].pk})
    assert not site.operators.exists()
    assert AuditEntry.objects.filter(action="site_operators", site=site).count() == 2


def test_only_managers_change_operators_and_assessors_do_not_see_them(client_for, users, sites):
    site = sites[0]
    for role in ("reviewer", "assessor"):
        response = client_for(users[role]).post(reverse("site_detail", args=[site.pk]), {"operator": "outsider"})
        assert response.status_code == 403
    assert list(site.operators.values_list("username", flat=True)) == ["operator"]
    reviewer_page = client_for(users["reviewer"]).get(reverse("site_detail", args=[site.pk])).content.decode()
    assert "网站运维人员" in reviewer_page and "添加运维人员" not in reviewer_page
    assessor_page = client_for(users["assessor"]).get(reverse("site_detail", args=[site.pk])).content.decode()
    assert "网站运维人员" not in assessor_page


def test_assigning_needs_a_chosen_assessor_and_none_cancels(client_for, users, survey, sites):
    client = client_for(users["manager"])
    url = reverse("survey_assign", args=[survey.pk])
    response = client.post(url, {"site": [sites[0].pk]}, follow=True)  # the list left at 请选择评估员
    assert "请先选择评估员" in response.content.decode()
    sites[0].refresh_from_db()
    assert sites[0].assessor == users["assessor"]
    client.post(url, {"site": [sites[0].pk], "assessor": "none"})
    sites[0].refresh_from_db()
    assert sites[0].assessor is None
    page = client.get(reverse("survey_detail", args=[survey.pk])).content.decode()
    assert '<option value="" selected>请选择评估员</option><option value="none">（取消分配）</option>' in page
    assert "评估员甲（assessor）" in page

"""Survey managers: create and configure a survey, members, bulk assignment, scans, the progress table."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse

from govsite.surveys.models import AuditEntry, IndicatorScore, Job, Site, Survey, SurveyMember

pytestmark = pytest.mark.django_db


def test_a_user_allowed_to_create_surveys_becomes_its_manager(client_for, users):
    creator = users["outsider"]
    creator.user_permissions.add(Permission.objects.get(codename="add_survey"))
    client = client_for(creator)
    page = client.get(reverse("survey_create"))
    assert page.status_code == 200
    assert "devzone_2025:etdz" in page.content.decode()  # weight variants are offered one by one
    response = client.post(
        reverse("survey_create"),
        {
            "name": "2026 年评估",
            "year": "2026",
            "as_of": "2026-11-30",
            "status": "draft",
            "fw_prefecture": "portal_city_2025",
            "fw_etdz": "devzone_2025:etdz",
            "fw_hitech": "devzone_2025:hitech",
        },
    )
    survey = Survey.objects.get(name="2026 年评估")
    assert response.status_code == 302 and response["Location"] == reverse("survey_import", args=[survey.pk])
    assert SurveyMember.objects.filter(survey=survey, user=creator, role="manager").exists()
    assert dict(survey.frameworks.values_list("level", "framework")) == {
        "prefecture": "portal_city_2025",
        "etdz": "devzone_2025:etdz",
        "hitech": "devzone_2025:hitech",
    }
    assert AuditEntry.objects.filter(action="survey_create", object_id=str(survey.pk)).exists()


def test_creating_a_survey_needs_the_permission(client_for, users):
    assert client_for(users["manager"]).get(reverse("survey_create")).status_code == 403


def test_manager_edits_frameworks_and_the_change_is_audited(client_for, users, survey):
    response = client_for(users["manager"]).post(
        reverse("survey_edit", args=[survey.pk]),
        {
            "name": survey.name,
            "year": "2025",
            "as_of": "2025-11-30",
            "status": "collecting",
            "fw_prefecture": "portal_city_2025",
            "fw_county": "portal_county_2025",
        },
    )
    assert response.status_code == 302
    assert survey.framework_for("county") == "portal_county_2025"
    entry = AuditEntry.objects.get(action="survey_update")
    assert entry.before["frameworks"]["county"] == "portal_city_2025"
    assert entry.after["frameworks"]["county"] == "portal_county_2025"
    assert client_for(users["reviewer"]).get(reverse("survey_edit", args=[survey.pk])).status_code == 403


def test_a_year_out_of_range_is_refused_in_chinese(client_for, users, survey):
    response = client_for(users["manager"]).post(
        reverse("survey_edit", args=[survey.pk]),
        {"name": survey.name, "year": "25", "as_of": "2025-11-30", "status": "collecting"},
    )
    assert response.status_code == 200 and "四位年份" in response.content.decode()


def test_members_are_added_and_removed_but_the_last_manager_stays(client_for, users, survey):
    client = client_for(users["manager"])
    url = reverse("survey_members", args=[survey.pk])
    client.post(url, {"username": "assessor2", "role": "reviewer"})
    member = SurveyMember.objects.get(survey=survey, user=users["assessor2"])
    assert member.role == "reviewer"
    missing = client.post(url, {"username": "nobody", "role": "reviewer"})
    assert "不存在" in missing.content.decode()
    client.post(url, {"remove": member.pk})
    assert not SurveyMember.objects.filter(pk=member.pk).exists()
    manager = SurveyMember.objects.get(survey=survey, role="manager")
    client.post(url, {"remove": manager.pk})
    assert SurveyMember.objects.filter(pk=manager.pk).exists()
    assert [e.action for e in AuditEntry.objects.filter(object_type="Survey").order_by("id")] == [
        "member_add",
        "member_remove",
    ]
    # the security audit's own record of the role, whoever changes it (this page, the admin, a command)
    roles = AuditEntry.objects.filter(object_type="SurveyMember", object_id=str(member.pk)).order_by("id")
    assert [(e.action, (e.after or e.before)["user"], e.user) for e in roles] == [
        ("role_grant", "assessor2", users["manager"]),
        ("role_revoke", "assessor2", users["manager"]),
    ]


def test_bulk_assignment_sets_the_assessor_and_audits_each_site(client_for, users, survey, sites):
    response = client_for(users["manager"]).post(
        reverse("survey_assign", args=[survey.pk]),
        {"site": [sites[0].pk, sites[2].pk], "assessor": users["assessor2"].pk},
    )
    assert response.status_code == 302
    assert {s.assessor_id for s in Site.objects.filter(pk__in=[sites[0].pk, sites[2].pk])} == {users["assessor2"].pk}
    entries = AuditEntry.objects.filter(action="assign")
    assert [(e.site_id, e.before, e.after) for e in entries] == [
        (sites[0].pk, {"assessor": "assessor"}, {"assessor": "assessor2"})
    ]  # sites[2] already had assessor2: nothing changed, nothing audited


def test_assignment_is_for_managers_only(client_for, users, survey, sites):
    url = reverse("survey_assign", args=[survey.pk])
    for role in ("assessor", "reviewer"):  # in the survey, without the manager role
        response = client_for(users[role]).post(url, {"site": [sites[2].pk], "assessor": users[role].pk})
        assert response.status_code == 403
    response = client_for(users["outsider"]).post(url, {"site": [sites[2].pk], "assessor": users["outsider"].pk})
    assert response.status_code == 404
    assert Site.objects.get(pk=sites[2].pk).assessor_id == users["assessor2"].pk


def test_scans_launch_for_selected_or_all_sites_without_doubling_running_ones(
    client_for, users, survey, sites, launched
):
    client = client_for(users["manager"])
    url = reverse("survey_scan", args=[survey.pk])
    client.post(url, {"site": [sites[1].pk]})
    assert [job.site_id for job in launched] == [sites[1].pk]
    assert Job.objects.get(site=sites[1]).requested_by == users["manager"]
    client.post(url, {"all": "1"})
    assert sorted(job.site_id for job in launched) == sorted([sites[1].pk, sites[0].pk, sites[2].pk])
    assert Job.objects.filter(site=sites[1]).count() == 1  # still queued: not launched twice
    assert client_for(users["reviewer"]).post(url, {"all": "1"}).status_code == 403


def test_progress_table_shows_scan_state_and_score_counts(client_for, users, survey, sites):
    Job.objects.create(site=sites[0], as_of=survey.as_of, status=Job.Status.DONE, pages_fetched=321)
    Job.objects.create(site=sites[0], as_of=survey.as_of, status=Job.Status.RUNNING, pages_fetched=12)
    IndicatorScore.objects.create(site=sites[0], code="fusion.channel", score=Decimal("0.5"), status="confirmed")
    IndicatorScore.objects.create(site=sites[0], code="fusion.function", score=Decimal("1"), status="submitted")
    IndicatorScore.objects.create(site=sites[0], code="delivery.accessibility", auto_score=Decimal("1"))
    response = client_for(users["manager"]).get(reverse("survey_detail", args=[survey.pk]))
    assert response.status_code == 200
    row = next(item for item in response.context["items"] if item["site"].pk == sites[0].pk)
    site = row["site"]
    assert (site.job_status, site.job_pages) == ("running", 12)  # the last job
    assert (site.scored, site.submitted, site.confirmed, row["total"]) == (2, 1, 1, 41)
    assert response.context["running"]  # the page refreshes itself while a scan runs


def test_progress_table_filters_sorts_and_paginates_on_the_server(client_for, users, survey, sites):
    client = client_for(users["manager"])
    url = reverse("survey_detail", args=[survey.pk])
    by_level = client.get(url, {"level": "county"})
    assert [i["site"].name for i in by_level.context["items"]] == ["乙县人民政府"]
    by_name = client.get(url, {"q": "丙"})
    assert [i["site"].name for i in by_name.context["items"]] == ["丙市人民政府"]
    unscanned = client.get(url, {"status": "none", "sort": "-code"})
    assert [i["site"].division_code for i in unscanned.context["items"]] == ["330200", "330122", "330100"]
    unassigned = client.get(url, {"assessor": "none"})
    assert unassigned.context["items"] == []
    header = {c.label: c for c in unscanned.context["columns"]}
    assert header["区划代码"].arrow == "▼" and "sort=code" in header["区划代码"].url


def test_assessors_see_only_their_sites_in_the_table(client_for, users, survey, sites):
    response = client_for(users["assessor"]).get(reverse("survey_detail", args=[survey.pk]))
    assert response.status_code == 200
    assert {i["site"].pk for i in response.context["items"]} == {sites[0].pk, sites[1].pk}
    assert "丙市人民政府" not in response.content.decode()
    assert client_for(users["outsider"]).get(reverse("survey_detail", args=[survey.pk])).status_code == 404


def test_home_lists_my_surveys_and_my_role(client_for, users, survey, sites):
    page = client_for(users["assessor"]).get(reverse("home"))
    assert page.status_code == 200
    row = page.context["rows"][0]
    assert row["survey"] == survey and row["assigned"] == 2
    assert client_for(users["outsider"]).get(reverse("home")).context["rows"] == []


def test_createuser_command_makes_an_account_with_a_survey_role(survey):
    call_command(
        "createuser",
        "zhang",
        "--password",
        "pw-123456",
        "--name",
        "张三",
        "--survey",
        str(survey.pk),
        "--role",
        "reviewer",
    )
    user = get_user_model().objects.get(username="zhang")
    assert user.check_password("pw-123456") and user.first_name == "张三"
    assert SurveyMember.objects.filter(survey=survey, user=user, role="reviewer").exists()
    call_command("createuser", "zhang", "--can-create-surveys", "--no-input")  # again: updates, keeps the password
    user.refresh_from_db()
    assert user.check_password("pw-123456") and user.has_perm("surveys.add_survey")

"""Reviewers: the queue, confirm / send back with audit, the audit history, and publishing results."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import RequestFactory
from django.urls import reverse

from govsite import frameworks as fw
from govsite.scoring import SiteScores, published_order, score_site
from govsite.surveys.models import (
    AuditEntry,
    CaseVote,
    IndicatorScore,
    InnovationCase,
    Site,
    Survey,
    SurveyFramework,
)

pytestmark = pytest.mark.django_db

MANUAL = "aggregation.disclosure.statutory"


@pytest.fixture
def submitted(sites, users):
    """A submitted score of sites[0], as the assessor left it."""
    return IndicatorScore.objects.create(
        site=sites[0], code=MANUAL, score=Decimal("15"), status="submitted", assessor=users["assessor"], version=3
    )


def _review(client, row, action, note="", version=None, **extra):
    data = {"action": action, "note": note, "version": row.version if version is None else version, **extra}
    return client.post(reverse("score_review", args=[row.pk]), data)


def test_reviewer_confirms_and_the_audit_keeps_before_and_after(client_for, users, submitted):
    response = _review(client_for(users["reviewer"]), submitted, "confirm", "材料充分")
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.reviewer, submitted.version) == ("confirmed", users["reviewer"], 4)
    entry = AuditEntry.objects.get(action="review_confirm")
    assert entry.before["status"] == "submitted" and entry.after["status"] == "confirmed"
    assert entry.after["review_note"] == "材料充分" and entry.reason == "材料充分"
    assert (entry.user, entry.site_id, entry.object_type, entry.object_id) == (
        users["reviewer"],
        submitted.site_id,
        "IndicatorScore",
        str(submitted.pk),
    )


def test_sending_back_needs_a_note_and_reopens_the_score(client_for, users, submitted):
    client = client_for(users["reviewer"])
    _review(client, submitted, "return")
    submitted.refresh_from_db()
    assert submitted.status == "submitted"  # no note: nothing happened
    _review(client, submitted, "return", "缺少栏目截图")
    submitted.refresh_from_db()
    assert submitted.status == "returned" and submitted.review_note == "缺少栏目截图"
    entry = AuditEntry.objects.get(action="review_return")
    assert (entry.before["status"], entry.after["status"], entry.reason) == ("submitted", "returned", "缺少栏目截图")
    # the assessor may edit again and resubmit
    page = client_for(users["assessor"]).get(reverse("indicator_detail", args=[submitted.site_id, MANUAL]))
    assert page.context["can_edit"] and "缺少栏目截图" in page.content.decode()


def test_a_stale_review_is_not_applied(client_for, users, submitted):
    _review(client_for(users["reviewer"]), submitted, "confirm", version=2)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert not AuditEntry.objects.filter(action__startswith="review").exists()


def test_only_reviewers_and_managers_review(client_for, users, submitted):
    assert _review(client_for(users["assessor"]), submitted, "confirm").status_code == 403
    assert _review(client_for(users["expert"]), submitted, "confirm").status_code == 403
    assert _review(client_for(users["outsider"]), submitted, "confirm").status_code == 404
    assert (
        client_for(users["assessor"]).get(reverse("review_queue", args=[submitted.site.survey_id])).status_code == 403
    )
    assert _review(client_for(users["manager"]), submitted, "confirm").status_code == 302


def test_review_queue_lists_submitted_scores_with_filters(client_for, users, sites, submitted):
    IndicatorScore.objects.create(site=sites[2], code="fusion.channel", score=Decimal("0.5"), status="submitted")
    IndicatorScore.objects.create(site=sites[1], code="fusion.channel", score=Decimal("0.5"), status="draft")
    client = client_for(users["reviewer"])
    url = reverse("review_queue", args=[sites[0].survey_id])
    everything = client.get(url)
    assert {i["row"].pk for i in everything.context["items"]} == {
        submitted.pk,
        IndicatorScore.objects.get(site=sites[2]).pk,
    }
    by_site = client.get(url, {"site": sites[0].pk})
    assert [i["row"].pk for i in by_site.context["items"]] == [submitted.pk]
    assert by_site.context["items"][0]["leaf"].path_text.endswith("法定主动公开")
    by_indicator = client.get(url, {"indicator": "fusion"})
    assert [i["row"].site_id for i in by_indicator.context["items"]] == [sites[2].pk]
    by_name = client.get(url, {"q": "丙市"})
    assert [i["row"].site_id for i in by_name.context["items"]] == [sites[2].pk]


def test_bulk_confirm_skips_scores_that_changed(client_for, users, sites, submitted):
    other = IndicatorScore.objects.create(
        site=sites[2], code="fusion.channel", score=Decimal("0.5"), status="submitted"
    )
    url = reverse("review_queue", args=[sites[0].survey_id])
    client_for(users["reviewer"]).post(url, {"score": [f"{submitted.pk}:{submitted.version}", f"{other.pk}:99"]})
    submitted.refresh_from_db()
    other.refresh_from_db()
    assert (submitted.status, other.status) == ("confirmed", "submitted")


def test_audit_entries_cannot_be_modified_or_deleted(users, submitted):
    entry = AuditEntry.objects.create(action="score_save", object_type="IndicatorScore", object_id=str(submitted.pk))
    entry.reason = "改写历史"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""
    request = RequestFactory().get("/")
    request.user = users["admin"]
    model_admin = admin_site._registry[AuditEntry]
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    assert not model_admin.has_add_permission(request)


def test_audit_history_per_site_and_per_score(client_for, users, submitted):
    reviewer = client_for(users["reviewer"])
    _review(reviewer, submitted, "return", "请补充说明")
    site_page = reviewer.get(reverse("site_audit", args=[submitted.site_id]))
    assert site_page.status_code == 200
    [item] = site_page.context["items"]
    assert item["action"] == "审核退回" and item["what"] == "法定主动公开"
    assert ("状态", "待审核", "已退回") in item["changes"]
    score_page = client_for(users["assessor"]).get(reverse("score_audit", args=[submitted.site_id, MANUAL]))
    assert score_page.status_code == 200 and "请补充说明" in score_page.content.decode()
    assert (
        client_for(users["assessor2"]).get(reverse("score_audit", args=[submitted.site_id, MANUAL])).status_code == 404
    )
    assert client_for(users["manager"]).get(reverse("survey_audit", args=[submitted.site.survey_id])).status_code == 200
    assert (
        client_for(users["reviewer"]).get(reverse("survey_audit", args=[submitted.site.survey_id])).status_code == 403
    )


# ---------------------------------------------------------------- publishing


@pytest.fixture
def scored_survey(survey, sites, users):
    """Confirmed scores on every site, plus two provincial sites scored on the banded digital_gov table."""
    SurveyFramework.objects.create(survey=survey, level="province", framework="digital_gov_2025")
    provinces = [
        Site.objects.create(
            survey=survey,
            name="浙江省人民政府",
            url="http://zj.example.gov.cn/",
            level="province",
            division_code="330000",
        ),
        Site.objects.create(
            survey=survey,
            name="北京市人民政府",
            url="http://bj.example.gov.cn/",
            level="province",
            division_code="110000",
        ),
    ]
    city = fw.load("portal_city_2025")
    digital = fw.load("digital_gov_2025")
    shares = {sites[0].pk: Decimal("0.9"), sites[1].pk: Decimal("0.8"), sites[2].pk: Decimal("0.9")}
    for site in sites:
        for leaf in city.leaves():
            IndicatorScore.objects.create(
                site=site, code=leaf.code, score=leaf.weight * shares[site.pk], status="confirmed"
            )
    for site, share in zip(provinces, [Decimal("0.9"), Decimal("0.96")], strict=True):
        for leaf in digital.leaves():
            IndicatorScore.objects.create(
                site=site, code=leaf.code, score=(leaf.weight * share).quantize(Decimal("0.01")), status="confirmed"
            )
    # not confirmed: must not count
    IndicatorScore.objects.filter(site=sites[1], code=MANUAL).update(status="submitted")
    # an innovation case voted 4 and 6: a bonus of 5 for 丙市
    case = InnovationCase.objects.create(site=sites[2], category="x", title="一网通办", description="……")
    CaseVote.objects.create(case=case, expert=users["expert"], score=Decimal(4))
    CaseVote.objects.create(case=case, expert=users["reviewer"], score=Decimal(6))
    return survey, [*sites, *provinces]


BONUS = {"丙市人民政府": Decimal(5)}


def _expected(framework_name, sites):
    """The published order computed straight from govsite.scoring, independent of the web app."""
    framework = fw.load(framework_name)
    results = []
    for site in sites:
        scores = dict(IndicatorScore.objects.filter(site=site, status="confirmed").values_list("code", "score"))
        bonus = BONUS.get(site.name, Decimal(0))
        sheet = SiteScores(row=0, site=site.name, scores=scores, bonus=bonus, division_code=site.division_code)
        results.append(score_site(framework, sheet))
    return {
        r.result.site: (r.result.total, r.band, r.position, r.rank_by_total)
        for r in published_order(framework, results)
    }


def test_publish_computes_totals_bands_and_ranks_like_the_scoring_engine(client_for, users, scored_survey):
    survey, all_sites = scored_survey
    assessor = client_for(users["assessor"])
    assert assessor.get(reverse("survey_results", args=[survey.pk])).status_code == 403  # not yet published
    preview = client_for(users["reviewer"]).get(reverse("survey_results", args=[survey.pk]))
    assert preview.status_code == 200 and not preview.context["published"]

    response = client_for(users["manager"]).post(reverse("survey_publish", args=[survey.pk]), REMOTE_ADDR="10.7.7.7")
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.status == Survey.Status.PUBLISHED and survey.published_at is not None
    published = AuditEntry.objects.get(action="publish")  # the security audit's who, when, from where
    assert published.user == users["manager"] and published.ip == "10.7.7.7" and published.at is not None

    expected = {**_expected("portal_city_2025", all_sites[:3]), **_expected("digital_gov_2025", all_sites[3:])}
    page = client_for(users["manager"]).get(reverse("survey_results", args=[survey.pk]))
    shown = {
        i["o"].site.name: (i["o"].result.total, i["o"].band, i["o"].position, i["o"].rank)
        for i in page.context["items"]
    }
    assert shown == expected
    assert expected["北京市人民政府"][1] == "卓越" and expected["浙江省人民政府"][1] == "优秀"
    city_total = Decimal("100") * Decimal("0.8") - Decimal("17") * Decimal("0.8")  # the unconfirmed item counts 0
    assert expected["乙县人民政府"][0] == city_total
    assert [expected[name][0] for name in ("丙市人民政府", "甲市人民政府")] == [Decimal(95), Decimal(90)]
    assert expected["丙市人民政府"][2:] == (1, 1)  # the bonus puts 丙市 first

    snapshot = AuditEntry.objects.get(action="publish").after["results"]
    assert Decimal(snapshot[str(all_sites[1].pk)]["total"]) == city_total

    mine = assessor.get(reverse("survey_results", args=[survey.pk]))  # published: visible, own sites only
    assert {i["o"].site.pk for i in mine.context["items"]} == {all_sites[0].pk, all_sites[1].pk}
    site_page = assessor.get(reverse("site_detail", args=[all_sites[0].pk]))
    outcome = site_page.context["outcome"]
    assert (outcome.result.total, outcome.band, outcome.position) == expected["甲市人民政府"][:3]


def test_a_published_survey_locks_scores_and_reviews(client_for, users, submitted):
    survey = submitted.site.survey
    client_for(users["manager"]).post(reverse("survey_publish", args=[survey.pk]))
    assert _review(client_for(users["reviewer"]), submitted, "confirm").status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    autosave = client_for(users["assessor"]).post(
        reverse("indicator_autosave", args=[submitted.site_id, "fusion.channel"]), {"score": "0.5", "version": 0}
    )
    assert autosave.status_code == 403 and "已发布" in autosave.json()["error"]
    client_for(users["manager"]).post(reverse("survey_unpublish", args=[survey.pk]), {"reason": "复核争议"})
    survey.refresh_from_db()
    assert survey.status == Survey.Status.REVIEWING
    assert AuditEntry.objects.get(action="unpublish").reason == "复核争议"

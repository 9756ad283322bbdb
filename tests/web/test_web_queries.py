"""No N+1: the survey tables cost the same few queries for 50 sites as for 5."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from govsite import frameworks as fw
from govsite.surveys.models import Evidence, IndicatorScore, Job, Site

pytestmark = pytest.mark.django_db

SITES = 50


@pytest.fixture
def big_survey(survey, users):
    leaves = [leaf.code for leaf in fw.load("portal_city_2025").leaves()]
    sites = Site.objects.bulk_create(
        Site(
            survey=survey,
            name=f"测试市{i:02d}",
            url=f"http://s{i}.example.gov.cn/",
            level="prefecture" if i % 2 else "county",
            division_code=f"33{i:02d}00",
            assessor=users["assessor"] if i % 3 else users["assessor2"],
        )
        for i in range(SITES)
    )
    Job.objects.bulk_create(
        Job(site=site, as_of=survey.as_of, status=Job.Status.DONE, pages_fetched=100 + n)
        for site in sites
        for n in range(2)
    )
    statuses = ["draft", "submitted", "confirmed", "returned"]
    scores = IndicatorScore.objects.bulk_create(
        IndicatorScore(site=site, code=code, score=Decimal("0.5"), status=statuses[k % 4], assessor=users["assessor"])
        for site in sites
        for k, code in enumerate(leaves[:12])
    )
    Evidence.objects.bulk_create(
        Evidence(score=row, url="http://e.example/", created_by=users["assessor"]) for row in scores[::5]
    )
    site = sites[1]
    site.operators.add(users["operator"], users["outsider"])  # joins must not multiply the counts
    return survey, sites


def test_progress_table_of_50_sites_costs_a_fixed_number_of_queries(
    client_for, users, big_survey, django_assert_max_num_queries
):
    survey, _sites = big_survey
    client = client_for(users["manager"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("survey_detail", args=[survey.pk]), {"sort": "-scored"})
    assert response.status_code == 200
    items = response.context["items"]
    assert len(items) == SITES
    assert all(item["site"].scored == 12 and item["site"].submitted == 3 for item in items)
    assert all(item["site"].job_pages == 101 for item in items)  # the last job
    assessor = client_for(users["assessor"])
    with django_assert_max_num_queries(12):
        assert assessor.get(reverse("survey_detail", args=[survey.pk])).status_code == 200


def test_site_indicator_list_costs_a_fixed_number_of_queries(
    client_for, users, big_survey, django_assert_max_num_queries
):
    _survey, sites = big_survey
    client = client_for(users["reviewer"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("site_detail", args=[sites[1].pk]))
    assert response.status_code == 200
    assert len(list(response.context["items"])) == 41


def test_review_queue_costs_a_fixed_number_of_queries(client_for, users, big_survey, django_assert_max_num_queries):
    survey, _sites = big_survey
    client = client_for(users["reviewer"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("review_queue", args=[survey.pk]), {"status": "all"})
    assert response.status_code == 200
    assert len(response.context["items"]) == 50  # a page of the 450 reviewable scores
    assert response.context["page_obj"].paginator.count == SITES * 9


def test_results_and_audit_pages_cost_a_fixed_number_of_queries(
    client_for, users, big_survey, django_assert_max_num_queries
):
    survey, sites = big_survey
    client = client_for(users["manager"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("survey_results", args=[survey.pk])).status_code == 200
    client.post(
        reverse("survey_assign", args=[survey.pk]), {"site": [s.pk for s in sites], "assessor": users["assessor"].pk}
    )
    with django_assert_max_num_queries(10):
        assert client.get(reverse("survey_audit", args=[survey.pk])).status_code == 200

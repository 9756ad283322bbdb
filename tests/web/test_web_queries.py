"""No N+1: every main page costs the same few queries for 60 sites as for 10, and a fixed small number.

`grow` adds sites with everything a survey accumulates — jobs, findings,
scores in every review state with evidence, work orders, audit entries — and
the operator and the assessor get some of them. Each page is requested once
to warm up, its queries counted, the survey grown sixfold (and the big site's
findings tenfold), and counted again: the counts must be equal.
benchmarks/web_benchmark.py times the same pages at 1,000 sites and 100,000 findings.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from govsite import frameworks as fw
from govsite.surveys.models import (
    AuditEntry,
    CaseVote,
    Evidence,
    Finding,
    IndicatorScore,
    InnovationCase,
    Job,
    Site,
    Survey,
    finding_key_hash,
)
from govsite.workorders.models import WorkOrder, WorkOrderEvent

pytestmark = pytest.mark.django_db
Status = IndicatorScore.Status

SITES = 50
CODE = "security_ops.daily_ops"
TYPES = ["broken_link", "broken_download", "stale_column", "old_news", "privacy_phone", "typo"]


def leaves(level: str) -> list[str]:
    return [
        leaf.code for leaf in fw.load("portal_city_2025" if level == "prefecture" else "portal_county_2025").leaves()
    ]


def grow(survey, users, count: int, *, start: int, findings: int = 12) -> list[Site]:
    """`count` more sites with jobs, findings, scores, evidence, cases, work orders and audit entries."""
    now = timezone.now()
    sites = Site.objects.bulk_create(
        Site(
            survey=survey,
            name=f"测试市{i:03d}",
            url=f"http://s{i}.example.gov.cn/",
            level="prefecture" if i % 2 else "county",
            division_code=f"33{i:04d}",
            assessor=users["assessor"] if i % 3 else users["assessor2"],
            verdict={"label": "合格", "passed": True},
        )
        for i in range(start, start + count)
    )
    for site in sites[1::2]:
        site.operators.add(users["operator"], users["outsider"])  # joins must not multiply the counts
    jobs = Job.objects.bulk_create(
        Job(site=site, as_of=survey.as_of, status=Job.Status.DONE, pages_fetched=100 + n, finished_at=now)
        for site in sites
        for n in range(2)
    )
    job_of = {job.site_id: job for job in jobs}
    add_findings(sites, job_of, findings)
    statuses = ["draft", "submitted", "confirmed", "returned"]
    scores = IndicatorScore.objects.bulk_create(
        IndicatorScore(
            site=site,
            code=code,
            score=Decimal("0.5"),
            auto_score=Decimal("0.5") if k % 2 else None,
            status=Status.SUBMITTED if code == CODE else statuses[k % 4],
            assessor=users["assessor"],
        )
        for site in sites
        for k, code in enumerate([*leaves(site.level)[:12], CODE])
    )
    Evidence.objects.bulk_create(
        Evidence(score=row, url="http://e.example/", created_by=users["assessor"]) for row in scores[::5]
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(
            user=users["assessor"],
            action="score_save",
            object_type="IndicatorScore",
            object_id=str(row.pk),
            site_id=row.site_id,
            after={"score": "0.5", "status": row.status},
        )
        for row in scores[::3]
    )
    for site in sites[::4]:
        case = InnovationCase.objects.create(site=site, category="innovation", title="一网通办", description="说明")
        CaseVote.objects.create(case=case, expert=users["expert"], score=Decimal("1"))
    for site in sites:
        open_findings = list(Finding.objects.filter(site=site, status=Finding.Status.OPEN)[:2])
        order = WorkOrder.objects.create(
            site=site,
            title="整改",
            finding_type=open_findings[0].type,
            assignee=users["operator"],
            deadline=timezone.localdate() - timedelta(days=site.pk % 3),
            created_by=users["manager"],
        )
        order.findings.set(open_findings)
        WorkOrderEvent.objects.create(order=order, user=users["manager"], action="create")
    return sites


def add_findings(sites, job_of: dict, per_site: int, *, start: int = 0) -> None:
    now = timezone.now()
    rows = []
    for site in sites:
        for n in range(start, start + per_site):
            type_ = TYPES[n % len(TYPES)]
            url = f"{site.url}art/{n}.html"
            rows.append(
                Finding(
                    site=site,
                    type=type_,
                    url=url,
                    page=site.url,
                    severity=["high", "medium", "low"][n % 3],
                    evidence="HTTP 404",
                    detail={"status": 404, "link_text": "详见"},
                    key_hash=finding_key_hash(type_, url, str(n)),
                    status=Finding.Status.FIXED if n % 4 == 0 else Finding.Status.OPEN,
                    found_at=now,
                    first_job=job_of.get(site.pk),
                    last_job=job_of.get(site.pk),
                )
            )
    Finding.objects.bulk_create(rows, batch_size=1000)


def page_urls(survey, big: Site) -> list[tuple[str, str]]:
    """(user, URL) of every page whose cost must not grow with the survey."""
    return [
        ("manager", reverse("home")),
        ("manager", reverse("survey_detail", args=[survey.pk])),
        ("manager", reverse("survey_detail", args=[survey.pk]) + "?sort=-scored&level=prefecture&page=2"),
        ("manager", reverse("survey_detail", args=[survey.pk]) + "?status=done&sort=-pages&q=测试"),
        ("assessor", reverse("survey_detail", args=[survey.pk])),
        ("reviewer", reverse("site_detail", args=[big.pk])),
        ("assessor", reverse("indicator_detail", args=[big.pk, CODE])),
        ("reviewer", reverse("review_queue", args=[survey.pk]) + "?status=all"),
        ("reviewer", reverse("review_queue", args=[survey.pk]) + "?indicator=日常运维&sort=-updated"),
        ("manager", reverse("survey_results", args=[survey.pk])),
        ("manager", reverse("survey_audit", args=[survey.pk])),
        ("manager", reverse("site_audit", args=[big.pk])),
        ("manager", reverse("ops:findings", args=[big.pk])),
        ("manager", reverse("ops:findings", args=[big.pk]) + "?type=broken_link&status=open&page=2"),
        ("manager", reverse("workorders:list")),
        ("manager", reverse("workorders:list") + f"?site={big.pk}&status=open&sort=deadline"),
        ("manager", reverse("workorders:new", args=[big.pk])),
        ("manager", reverse("workorders:detail", args=[big.workorders.first().pk])),
        ("operator", reverse("ops:operator_home")),
        ("operator", reverse("ops:operator_site", args=[big.pk])),
        ("operator", reverse("workorders:list")),
        ("manager", reverse("ops:cases", args=[big.pk])),
    ]


def count_queries(clients: dict, pages: list[tuple[str, str]]) -> dict[str, int]:
    counts = {}
    for user, url in pages:
        client = clients[user]
        assert client.get(url).status_code == 200, url  # warm-up: sessions, caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[f"{user} {url}"] = len(queries)
    return counts


@pytest.mark.parametrize("published", [False, True], ids=["collecting", "published"])
def test_no_page_costs_more_queries_for_sixty_sites_than_for_ten(client_for, users, survey, published):
    first = grow(survey, users, 10, start=0)
    big = first[1]  # a prefecture site the operator runs
    if published:
        Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.PUBLISHED, published_at=timezone.now())
        survey.refresh_from_db()
    clients = {name: client_for(users[name]) for name in ("manager", "reviewer", "assessor", "operator")}
    pages = page_urls(survey, big)
    small = count_queries(clients, pages)

    grow(survey, users, 50, start=10)
    add_findings([big], {big.pk: big.jobs.first()}, 300, start=100)  # the big site: tenfold findings, several pages
    large = count_queries(clients, pages)

    grown = {page: (small[page], large[page]) for page in small if small[page] != large[page]}
    assert not grown, f"页面查询数随数据量增长：{grown}"
    heavy = {page: n for page, n in large.items() if n > 20}
    assert not heavy, f"页面查询数过多：{heavy}"


# -- fixed budgets of the busiest pages, with what they show -------------------------------------


@pytest.fixture
def big_survey(survey, users):
    return survey, grow(survey, users, SITES, start=0, findings=4)


def test_progress_table_of_50_sites_costs_a_fixed_number_of_queries(
    client_for, users, big_survey, django_assert_max_num_queries
):
    survey, _sites = big_survey
    client = client_for(users["manager"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("survey_detail", args=[survey.pk]), {"sort": "-scored"})
    assert response.status_code == 200
    items = response.context["items"]
    assert len(items) == SITES
    assert all(item["site"].scored == 13 and item["site"].submitted == 4 for item in items)
    assert all(item["site"].job_pages == 101 for item in items)  # the last job
    assessor = client_for(users["assessor"])
    with django_assert_max_num_queries(14):
        assert assessor.get(reverse("survey_detail", args=[survey.pk])).status_code == 200


def test_site_indicator_list_costs_a_fixed_number_of_queries(
    client_for, users, big_survey, django_assert_max_num_queries
):
    _survey, sites = big_survey
    client = client_for(users["reviewer"])
    with django_assert_max_num_queries(13):
        response = client.get(reverse("site_detail", args=[sites[1].pk]))
    assert response.status_code == 200
    assert len(list(response.context["items"])) == 41


def test_review_queue_costs_a_fixed_number_of_queries(client_for, users, big_survey, django_assert_max_num_queries):
    survey, _sites = big_survey
    client = client_for(users["reviewer"])
    with django_assert_max_num_queries(13):
        response = client.get(reverse("review_queue", args=[survey.pk]), {"status": "all"})
    assert response.status_code == 200
    assert len(response.context["items"]) == 50  # a page of the 500 reviewable scores
    assert response.context["page_obj"].paginator.count == SITES * 10
    assert sum(item["row"].evidence_count for item in response.context["items"]) == 10  # one score in five
    named = client.get(reverse("review_queue", args=[survey.pk]), {"status": "all", "indicator": "日常运维"})
    assert named.context["page_obj"].paginator.count == SITES  # found by its name, not only by its code


def test_results_and_audit_pages_cost_a_fixed_number_of_queries(
    client_for, users, big_survey, django_assert_max_num_queries
):
    survey, sites = big_survey
    client = client_for(users["manager"])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("survey_results", args=[survey.pk])).status_code == 200
    client.post(
        reverse("survey_assign", args=[survey.pk]), {"site": [s.pk for s in sites], "assessor": users["assessor"].pk}
    )
    with django_assert_max_num_queries(12):
        assert client.get(reverse("survey_audit", args=[survey.pk])).status_code == 200


def test_the_operators_dashboard_costs_the_same_for_25_sites_as_for_one(
    client_for, users, big_survey, django_assert_max_num_queries
):
    client = client_for(users["operator"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("ops:operator_home"))
    cards = response.context["cards"]
    assert len(cards) == SITES // 2
    assert all(card["job"] is not None and card["job"].pages_fetched == 101 for card in cards)
    assert all(card["open"] == 3 and card["orders"]["active"] == 1 for card in cards)

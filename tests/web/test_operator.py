"""The operator's dashboard: own sites only, findings, verdict, orders, published scores, 一键自查 with progress."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from opfixtures import add_finding, make_world

from govsite import frameworks as fw
from govsite.surveys.models import AuditEntry, CaseVote, IndicatorScore, InnovationCase, Job, Survey
from govsite.workorders import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def test_operators_see_only_their_own_sites(world, client_for):
    add_finding(world.site)
    add_finding(world.site, "missing_icp", world.site.url, severity="high", detail={"key": "ICP"})
    add_finding(world.other_site)
    response = client_for(world.operator).get(reverse("ops:operator_home"))
    assert [card["site"] for card in response.context["cards"]] == [world.site]
    card = response.context["cards"][0]
    assert card["open"] == 2 and dict((c, n) for c, _, n in card["severities"])["high"] == 2
    html = response.content.decode()
    assert "清河县人民政府" in html and "白河县人民政府" not in html
    assert client_for(world.outsider).get(reverse("ops:operator_home")).context["cards"] == []


def test_the_site_page_shows_verdict_findings_and_orders(world, client_for):
    world.site.verdict = {"passed": True, "label": "合格", "reasons": [], "counts": {}}
    world.site.save()
    finding = add_finding(world.site)
    services.create_orders(
        world.site,
        [finding],
        grouping="each",
        assignee=world.operator,
        deadline=timezone.localdate() - timedelta(days=1),
        user=world.manager,
    )
    response = client_for(world.operator).get(reverse("ops:operator_site", args=[world.site.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "合格" in html and "链接不可用" in html
    assert response.context["orders"]["active"] == 1 and response.context["orders"]["overdue"] == 1
    assert "逾期" in html


def test_the_site_page_is_for_its_operators_and_the_evaluation_team(world, client_for):
    url = reverse("ops:operator_site", args=[world.site.pk])
    assert client_for(world.reviewer).get(url).status_code == 200
    assert client_for(world.expert).get(url).status_code == 403
    assert client_for(world.assessor).get(url).status_code == 403
    assert client_for(world.other_operator).get(url).status_code == 404
    assert client_for(world.outsider).get(url).status_code == 404


def test_scores_are_hidden_until_the_survey_is_published(world, client_for):
    leaves = list(fw.load("portal_county_2025").leaves())
    IndicatorScore.objects.create(site=world.site, code=leaves[0].code, score=Decimal(18), status="confirmed")
    IndicatorScore.objects.create(site=world.site, code=leaves[1].code, score=Decimal(1), status="confirmed")
    IndicatorScore.objects.create(site=world.site, code=leaves[2].code, score=Decimal(4), status="draft")
    case = InnovationCase.objects.create(site=world.site, category="fusion", title="案例", description="说明")
    CaseVote.objects.create(case=case, expert=world.expert, score=Decimal(5))
    client = client_for(world.operator)
    url = reverse("ops:operator_site", args=[world.site.pk])
    before = client.get(url)
    assert before.context["result"] is None and "尚未发布" in before.content.decode()
    assert "尚未发布" in client.get(reverse("ops:operator_home")).content.decode()
    Survey.objects.filter(pk=world.survey.pk).update(status=Survey.Status.PUBLISHED)
    after = client.get(url)
    result = after.context["result"]
    assert (result.base, result.bonus, result.total) == (Decimal(19), Decimal(5), Decimal(24))  # drafts do not count
    assert "总分 <strong>24.00</strong>" in after.content.decode()


def test_selfcheck_creates_and_launches_a_job_once(world, launched, client_for):
    client = client_for(world.operator)
    url = reverse("ops:selfcheck", args=[world.site.pk])
    assert client.post(url).status_code == 302
    job = Job.objects.get()
    assert (job.kind, job.site, job.requested_by, job.status) == ("selfcheck", world.site, world.operator, "queued")
    assert launched == [job]
    assert AuditEntry.objects.filter(action="job.selfcheck", object_id=str(job.pk)).exists()
    page = client.post(url, follow=True).content.decode()  # still running: no second job
    assert Job.objects.count() == 1 and "正在进行" in page
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=1))  # a stale, dead job
    client.post(url)
    assert Job.objects.count() == 2


def test_who_may_start_a_selfcheck(world, launched, client_for):
    url = reverse("ops:selfcheck", args=[world.site.pk])
    assert client_for(world.reviewer).post(url).status_code == 403
    assert client_for(world.assessor).post(url).status_code == 403
    assert client_for(world.other_operator).post(url).status_code == 404
    assert client_for(world.operator).get(url).status_code == 405
    assert client_for(world.manager).post(url).status_code == 302
    assert len(launched) == 1


def test_job_progress_is_polled_as_json(world, launched, client_for):
    client_for(world.operator).post(reverse("ops:selfcheck", args=[world.site.pk]))
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, pages_fetched=42, started_at=timezone.now())
    url = reverse("ops:job_status", args=[job.pk])
    data = client_for(world.operator).get(url).json()
    assert data["status"] == "running" and data["status_label"] == "检测中" and data["pages_fetched"] == 42
    assert data["finished"] is False
    assert client_for(world.other_operator).get(url).status_code == 404
    page = client_for(world.operator).get(reverse("ops:operator_site", args=[world.site.pk])).content.decode()
    assert f'data-status-url="{url}" data-active="1"' in page and "surveys/jobpoll.js" in page
    # the poller is a static file (the CSP allows no inline script) and writes text only
    from django.contrib.staticfiles import finders

    assert "textContent" in Path(finders.find("surveys/jobpoll.js")).read_text()

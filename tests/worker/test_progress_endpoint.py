"""The JSON the web app polls: a survey's progress and queue depth, a site's history of changes."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from govsite.surveys.models import Job, Site, Survey, SurveyMember
from govsite.worker import progress

pytestmark = [pytest.mark.django_db, pytest.mark.urls("worker_test_urls")]
QUEUE = {"govsite.jobs": 7, "govsite.control": 0}


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    monkeypatch.setenv("GOVSITE_TASKS", "celery")
    monkeypatch.setattr(progress, "queue_depths", lambda timeout=3.0: dict(QUEUE))


@pytest.fixture
def survey():
    survey = Survey.objects.create(name="进度", year=2025, as_of=date(2025, 11, 30))
    sites = [
        Site.objects.create(survey=survey, name=f"网站{n}", url=f"http://127.0.0.1:{9000 + n}/", level="county")
        for n in range(4)
    ]
    changes = {"new": 5, "seen_again": 20, "fixed": 2}
    Job.objects.create(site=sites[0], as_of=survey.as_of, status=Job.Status.DONE, pages_fetched=100)
    Job.objects.create(
        site=sites[0], as_of=survey.as_of, status=Job.Status.DONE, pages_fetched=120,
        summary={"changes": changes, "verdict": {"passed": False}},
    )  # fmt: skip
    Job.objects.create(site=sites[1], as_of=survey.as_of, status=Job.Status.RUNNING, pages_fetched=30, worker="w1@h:7")
    Job.objects.create(site=sites[2], as_of=survey.as_of, status=Job.Status.FAILED, error="ScanFailed: 退出码 1\n…")
    return survey


def test_progress_counts_jobs_sites_pages_and_the_queue(survey, client_for):
    admin = get_user_model().objects.create_superuser("admin", "a@example.org", "x")
    data = client_for(admin).get(f"/worker/surveys/{survey.pk}/progress.json").json()
    assert data["ok"] and data["sites"] == 4 and data["sites_done"] == 1 and data["sites_without_job"] == 1
    assert data["jobs"] == {"queued": 0, "running": 1, "done": 2, "failed": 1, "total": 4}
    assert data["pages_fetched"] == 250
    assert data["queue"] == QUEUE
    assert [row["worker"] for row in data["running"]] == ["w1@h:7"]
    assert data["failed"][0]["error"] == "ScanFailed: 退出码 1"


def test_history_lists_what_each_run_changed(survey, client_for):
    admin = get_user_model().objects.create_superuser("admin", "a@example.org", "x")
    site = survey.sites.get(name="网站0")
    data = client_for(admin).get(f"/worker/sites/{site.pk}/history.json").json()
    assert [row["changes"] for row in data["history"]] == [{"new": 5, "seen_again": 20, "fixed": 2}, None]
    assert data["history"][0]["verdict_state"] == "fail"  # a verdict stored in the older shape still reads


def test_no_queue_when_jobs_run_in_process(survey, monkeypatch, client_for):
    monkeypatch.delenv("GOVSITE_TASKS")
    admin = get_user_model().objects.create_superuser("admin", "a@example.org", "x")
    assert client_for(admin).get(f"/worker/surveys/{survey.pk}/progress.json").json()["queue"] is None


def test_who_may_see_it(survey, client_for):
    users = get_user_model().objects
    outsider, manager = users.create_user("outsider"), users.create_user("manager")
    SurveyMember.objects.create(survey=survey, user=manager, role=SurveyMember.Role.MANAGER)
    url = f"/worker/surveys/{survey.pk}/progress.json"
    assert Client().get(url).status_code == 401
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(manager).get(url).status_code == 200
    assert client_for(manager).get(url + "?kind=bogus").status_code == 400
    assert client_for(manager).get("/worker/queues.json").status_code == 403
    manager.is_staff = True
    manager.save()
    assert client_for(manager).get("/worker/queues.json").json() == {"ok": True, "queue": QUEUE}

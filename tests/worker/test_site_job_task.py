"""The site-job task's rules, run eagerly in this process: done is done, locked waits, a poison job stops."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest
from celery.exceptions import Retry

from govsite.surveys.models import Job, Site, Survey
from govsite.worker import tasks
from govsite.worker.locks import site_lock

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture
def survey():
    survey = Survey.objects.create(name="扇出", year=2025, as_of=date(2025, 11, 30))
    for n in range(3):
        Site.objects.create(survey=survey, name=f"网站{n}", url=f"http://127.0.0.1:{9000 + n}/", level="county")
    return survey


@pytest.fixture
def ran(monkeypatch):
    """run_job replaced: records the jobs it was given and marks them done."""
    calls = []

    def fake_run_job(job_id, *, scan_args=(), worker=""):
        calls.append((job_id, worker))
        Job.objects.filter(pk=job_id).update(status=Job.Status.DONE)
        return Job.objects.get(pk=job_id)

    monkeypatch.setattr(tasks, "run_job", fake_run_job)
    return calls


def test_fan_out_makes_one_job_per_site_and_repeats_nothing(survey):
    sent = []
    assert tasks.fan_out(survey, enqueue=sent.append) == {"created": 3, "already_running": 0, "republished": 0}
    assert tasks.fan_out(survey, enqueue=sent.append) == {"created": 0, "already_running": 0, "republished": 3}
    Job.objects.update(task_id="sent")
    assert tasks.fan_out(survey, enqueue=sent.append) == {"created": 0, "already_running": 3, "republished": 0}
    Job.objects.update(status=Job.Status.DONE)
    assert tasks.fan_out(survey, enqueue=sent.append)["created"] == 3, "a finished round: the next one starts"
    assert Job.objects.count() == 6 and len(sent) == 9


def test_enqueue_publishes_after_commit_and_records_the_task_id(
    survey, monkeypatch, django_capture_on_commit_callbacks
):
    published = []
    monkeypatch.setattr(tasks.run_site_job, "apply_async", lambda args, task_id: published.append((args, task_id)))
    job = Job.objects.create(site=survey.sites.first(), as_of=survey.as_of)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue_job(job)
        assert published == [], "nothing is sent before the transaction commits"
    job.refresh_from_db()
    assert published == [([job.pk], job.task_id)] and job.task_id


def test_a_done_job_is_not_run_again(survey, ran):
    job = Job.objects.create(site=survey.sites.first(), as_of=survey.as_of, status=Job.Status.DONE)
    assert tasks.run_site_job.apply(args=[job.pk]).get()["status"] == "done"
    assert ran == []


def test_a_job_whose_site_is_locked_is_retried_not_run(survey, ran, monkeypatch):
    @contextmanager
    def busy(url):
        yield False

    monkeypatch.setattr(tasks, "site_lock", busy)
    job = Job.objects.create(site=survey.sites.first(), as_of=survey.as_of)
    with pytest.raises(Retry):
        tasks.run_site_job(job.pk)
    assert ran == [] and Job.objects.get(pk=job.pk).status == Job.Status.QUEUED


def test_a_running_job_under_the_lock_is_a_dead_workers_and_resumes(survey, ran):
    job = Job.objects.create(site=survey.sites.first(), as_of=survey.as_of, status=Job.Status.RUNNING, attempts=1)
    assert tasks.run_site_job.apply(args=[job.pk]).get()["status"] == "done"
    assert [job_id for job_id, _worker in ran] == [job.pk]


def test_a_job_that_killed_its_worker_too_often_is_failed(survey, ran, settings):
    settings.GOVSITE_JOB_MAX_ATTEMPTS = 3
    job = Job.objects.create(site=survey.sites.first(), as_of=survey.as_of, status=Job.Status.RUNNING, attempts=3)
    assert tasks.run_site_job.apply(args=[job.pk]).get()["status"] == "failed"
    job.refresh_from_db()
    assert ran == [] and job.status == Job.Status.FAILED and "GOVSITE_JOB_MAX_ATTEMPTS" in job.error


def test_a_deleted_job_is_dropped(ran):
    assert tasks.run_site_job.apply(args=[987654]).get() == {"job": 987654, "status": "missing"}


def test_the_lock_admits_one_holder_at_a_time(settings, tmp_path):
    with site_lock("http://127.0.0.1:9/a") as first, site_lock("http://127.0.0.1:9/b") as second:
        assert (first, second) == (True, False)
    with site_lock("http://127.0.0.1:9/") as again:
        assert again

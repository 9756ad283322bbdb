"""A survey launched on two real Celery workers gives the findings of a run without them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from workerharness import create_survey, job_rows, open_findings, sql, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def govsite(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "govsite.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


def survey_status(env: dict, survey_id: int) -> dict:
    done = govsite(env, "survey", "status", str(survey_id), "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_survey_on_two_workers_matches_an_in_process_run(services, sample_urls, workers, reference_findings):
    db = services["DATABASE_URL"]
    survey = create_survey(services, "分布式调查", list(sample_urls.values()))["survey"]
    pair = workers(2)

    launched = govsite(services, "survey", "launch", str(survey))
    assert launched.returncode == 0, launched.stderr
    assert "新建并排队 3 个任务" in launched.stdout

    wait_for(lambda: survey_status(services, survey)["sites_done"] == 3, 240, "every site's job to finish")
    jobs = job_rows(db, survey)
    assert [job["status"] for job in jobs] == ["done"] * 3, jobs
    assert {job["worker"].split("@")[0] for job in jobs} == {w.name for w in pair}, "both workers took jobs"
    assert open_findings(db, survey) == reference_findings

    status = survey_status(services, survey)
    assert status["jobs"]["done"] == 3 and status["jobs"]["total"] == 3
    assert status["pages_fetched"] > 500
    assert status["queue"] == {"govsite.jobs": 0, "govsite.control": 0}

    # Launching again while nothing runs starts a new round; launching twice in a row doubles nothing.
    again = govsite(services, "survey", "launch", str(survey))
    twice = govsite(services, "survey", "launch", str(survey))
    assert "新建并排队 3 个任务" in again.stdout and "新建并排队 0 个任务" in twice.stdout, twice.stdout
    wait_for(lambda: survey_status(services, survey)["jobs"]["done"] == 6, 240, "the second round to finish")
    changes = sql(
        db,
        "SELECT j.summary->'changes' FROM surveys_job j JOIN surveys_site s ON s.id = j.site_id "
        "WHERE s.survey_id = %s ORDER BY j.id",
        (survey,),
    )
    first, second = [row[0] for row in changes[:3]], [row[0] for row in changes[3:]]
    assert all(c["new"] > 0 and c["fixed"] == 0 for c in first), first
    assert all(c["new"] == 0 and c["fixed"] == 0 and c["seen_again"] > 0 for c in second), second
    assert open_findings(db, survey) == reference_findings, "a second run upserts: no finding is doubled"


def test_a_vetoed_site_gets_one_work_order_per_rule(services, sample_urls, workers):
    """云川县 (yunchuan) trips three single-veto rules; two runs open three orders, not six."""
    db = services["DATABASE_URL"]
    created = create_survey(services, "否决告警", [sample_urls["yunchuan"], sample_urls["qinghe"]], jobs_per_site=2)
    workers(2)
    from workerharness import django_call

    django_call(
        services,
        f"""
        from govsite.surveys.models import Job
        from govsite.worker.tasks import enqueue_job
        for job in Job.objects.filter(pk__in={created["jobs"]!r}):
            enqueue_job(job)
        """,
    )
    wait_for(lambda: all(job["status"] == "done" for job in job_rows(db, created["survey"])), 240, "the four jobs")
    orders = sql(
        db,
        "SELECT s.url, o.title, o.status, o.finding_type, a.rule, "
        "(SELECT count(*) FROM workorders_workorder_findings m WHERE m.workorder_id = o.id) "
        "FROM workorders_workorder o JOIN surveys_site s ON s.id = o.site_id "
        "JOIN worker_vetoalert a ON a.workorder_id = o.id WHERE s.survey_id = %s ORDER BY a.rule",
        (created["survey"],),
    )
    assert [(url, rule) for url, _title, _status, _type, rule, _n in orders] == [
        (sample_urls["yunchuan"], "stale_columns"),
        (sample_urls["yunchuan"], "stale_dynamic_columns"),
        (sample_urls["yunchuan"], "stale_homepage"),
    ]
    titles = {rule: title for _url, title, _s, _t, rule, _n in orders}
    assert titles["stale_homepage"].startswith("单项否决告警：样例0——首页栏目信息超过 2 周未更新")
    assert all(status == "open" for _u, _t, status, *_ in orders)
    assert {(rule, ftype) for _u, _t, _s, ftype, rule, _n in orders} == {
        ("stale_columns", "stale_column"),
        ("stale_dynamic_columns", "stale_column"),
        ("stale_homepage", "stale_homepage"),
    }
    by_rule = {rule: n for _u, _t, _s, _f, rule, n in orders}
    assert by_rule["stale_homepage"] == 1 and by_rule["stale_dynamic_columns"] > 0
    assert by_rule["stale_columns"] == 0, "a finding already in an open order is not assigned twice"

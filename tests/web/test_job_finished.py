"""What a finished job causes has one owner: run_job's job_finished signal, the same inline and on Celery.

A 一键自查 of a loopback site whose homepage shows no dated item trips the
single-veto rule "首页栏目信息超过 2 周未更新": the embedded default
(GOVSITE_TASKS=inline: dispatch's thread runs run_job) and the Celery task
(run eagerly in this process: lock, run_job, result) must open the same work order.
"""

from __future__ import annotations

import pytest
from opfixtures import SCAN_ARGS, make_world

from govsite.surveys import dispatch
from govsite.surveys import jobs as survey_jobs
from govsite.surveys.jobs import create_job
from govsite.surveys.models import Job
from govsite.worker import tasks
from govsite.workorders.models import VetoAlert, WorkOrder
from loopback import RouteServer, html_page

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

UNDATED_HOME = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>清河县人民政府</title></head>
<body><h1>清河县人民政府</h1><ul><li><a href="/about.html">走进清河</a></li></ul>
<div class="footer">主办单位：清河县人民政府办公室</div></body></html>"""
ABOUT = '<!doctype html><html><head><meta charset="utf-8"><title>走进清河</title></head><body><h1>走进清河</h1></body></html>'


def run_inline(job_id: int) -> None:
    dispatch.run_job(job_id)  # what dispatch.launch's thread runs (its closing of connections would end the test's)


def run_on_celery(job_id: int) -> None:
    result = tasks.run_site_job.apply(args=[job_id])
    assert result.successful(), result.traceback


@pytest.fixture(autouse=True)
def _scan_env(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    settings.GOVSITE_VETO_ALERTS = True
    monkeypatch.setenv("GOVSITE_LOOPBACK_ONLY", "1")
    monkeypatch.setenv("GOVSITE_SCAN_ARGS", " ".join(SCAN_ARGS))
    monkeypatch.setattr(survey_jobs, "PROGRESS_SECONDS", 0.25)


@pytest.mark.parametrize("run", [run_inline, run_on_celery], ids=["inline", "celery"])
def test_a_failing_selfcheck_opens_the_same_veto_work_order_inline_and_on_celery(run):
    with RouteServer({"/": html_page(UNDATED_HOME), "/about.html": html_page(ABOUT)}) as server:
        world = make_world(site_url=server.url)
        job = create_job(world.site, Job.Kind.SELFCHECK, user=world.operator)
        run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    alert = VetoAlert.objects.get(site=world.site)
    order = alert.workorder
    assert (alert.rule, alert.job_id) == ("stale_homepage", job.pk)
    assert (order.status, order.finding_type) == (WorkOrder.Status.OPEN, "stale_homepage")
    assert order.title == "单项否决告警：清河县人民政府——首页栏目信息超过 2 周未更新"
    assert list(order.findings.values_list("type", "url")) == [("stale_homepage", server.url)]
    assert order.events.get().action == "create"

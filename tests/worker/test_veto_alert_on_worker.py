"""A real Celery worker opens the same veto work order as the inline run (tests/web/test_job_finished.py).

The worker only moves the job; the work order comes from run_job's
job_finished signal, connected by the alerts app (alerts/receivers.py) in the worker process.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from workerharness import django_call, sql, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

UNDATED_HOME = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>清河县人民政府</title></head>
<body><h1>清河县人民政府</h1><div class="footer">主办单位：清河县人民政府办公室</div></body></html>"""


@pytest.fixture
def undated_site(tmp_path):
    """A loopback site whose homepage shows no dated item (单项否决: 首页不更新)."""
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text(UNDATED_HOME, encoding="utf-8")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_failing_selfcheck_on_a_worker_opens_the_veto_work_order(services, workers, undated_site):
    db = services["DATABASE_URL"]
    job_id = django_call(
        services,
        f"""
        from datetime import date
        from govsite.surveys.jobs import create_job
        from govsite.surveys.models import Job, Site, Survey
        from govsite.worker.tasks import enqueue_job
        from django.db import transaction
        survey = Survey.objects.create(name="一键自查（工作进程）", year=2025, as_of=date(2025, 11, 30))
        site = Site.objects.create(survey=survey, name="清河县人民政府", url={undated_site!r}, level="county")
        with transaction.atomic():
            job = create_job(site, Job.Kind.SELFCHECK)
            enqueue_job(job)
        result = job.pk
        """,
    )
    workers(1)
    wait_for(
        lambda: sql(db, "SELECT status FROM surveys_job WHERE id = %s", (job_id,))[0][0] in ("done", "failed"),
        240,
        "the self-check to finish on the worker",
    )
    assert sql(db, "SELECT status, error FROM surveys_job WHERE id = %s", (job_id,)) == [("done", "")]
    orders = sql(
        db,
        "SELECT a.rule, w.title, w.status, w.finding_type FROM worker_vetoalert a "
        "JOIN workorders_workorder w ON w.id = a.workorder_id WHERE a.job_id = %s",
        (job_id,),
    )
    assert orders == [("stale_homepage", "单项否决告警：清河县人民政府——首页栏目信息超过 2 周未更新", "open", "stale_homepage")]

"""Scheduled monitoring: a due schedule becomes exactly one job, however many ticks see it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from workerharness import WorkerProcess, create_survey, django_call, sql, wait_for

from govsite.worker.schedules import next_after

DAY = timedelta(days=1)


def test_next_run_stays_on_the_grid_and_never_runs_a_missed_day_twice():
    due = datetime(2025, 11, 1, 2, 0, tzinfo=UTC)
    assert next_after(due, DAY, due) == due + DAY
    assert next_after(due, DAY, due + timedelta(hours=5)) == due + DAY
    assert next_after(due, DAY, due + 3 * DAY + timedelta(minutes=1)) == due + 4 * DAY
    assert next_after(due + DAY, DAY, due) == due + DAY  # not due yet: unchanged
    assert next_after(due, 7 * DAY, due + 8 * DAY) == due + 14 * DAY


TICK = """
import json, time, django
django.setup()
from datetime import datetime
from govsite.worker.models import SiteSchedule
from govsite.worker.schedules import enqueue_due
site, start_at = int(sys.argv[1]), float(sys.argv[2])
SiteSchedule.objects.get_or_create(
    site_id=site, kind="incremental",
    defaults={"period": "daily", "next_run_at": datetime.fromisoformat("2025-01-01T00:00:00+00:00")},
)
time.sleep(max(0.0, start_at - time.time()))
print(json.dumps([job.pk for job in enqueue_due(enqueue=lambda job: None)]))
"""


@pytest.mark.postgres
def test_concurrent_ticks_make_one_job(services):
    """Four processes run the tick at the same moment over the same due schedule."""
    site = create_survey(services, "并发调度", ["http://127.0.0.1:9/"])["sites"][0]
    start_at = str(time.time() + 8)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", "import sys\n" + TICK, str(site), start_at],
            env=services,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    made = [pk for out in outputs for pk in json.loads(out.strip().splitlines()[-1])]
    assert len(made) == 1, outputs
    db = services["DATABASE_URL"]
    jobs = sql(db, "SELECT id, kind, status FROM surveys_job WHERE site_id = %s", (site,))
    assert jobs == [(made[0], "incremental", "queued")]
    last_job, next_run = sql(
        db, "SELECT last_job_id, next_run_at FROM worker_siteschedule WHERE site_id = %s", (site,)
    )[0]
    assert last_job == made[0] and next_run > datetime.now(UTC)
    # Never sent (enqueue was a no-op here): retire it, or the scheduler test's tick would publish it.
    sql(db, "UPDATE surveys_job SET status = 'failed' WHERE id = %s", (made[0],))


@pytest.mark.postgres
@pytest.mark.slow
def test_the_scheduler_enqueues_a_due_schedule_once(services, tmp_path):
    """`govsite scheduler` (beat, ticking every second) and a control-queue worker: one job, one message."""
    created = create_survey(services, "定期监测", ["http://127.0.0.1:9/", "http://127.0.0.1:10/"])
    due, later = created["sites"]
    django_call(
        services,
        f"""
        from datetime import timedelta
        from django.utils import timezone
        from govsite.surveys.models import Site
        from govsite.worker.schedules import ensure_schedules
        ensure_schedules(Site.objects.filter(pk={due}), first_run=timezone.now() - timedelta(minutes=1))
        ensure_schedules(Site.objects.filter(pk={later}), first_run=timezone.now() + timedelta(hours=1))
        """,
    )
    env = {**services, "GOVSITE_SCHEDULE_TICK_SECONDS": "1"}
    control = WorkerProcess("control", env, tmp_path, queues="govsite.control")
    beat = WorkerProcess(
        "beat",
        env,
        tmp_path,
        command=[sys.executable, "-m", "govsite.cli", "scheduler", "--schedule-file", str(tmp_path / "beat-state")],
    )
    try:
        control.wait_ready()
        beat.wait_ready(marker="beat: Starting...")

        def jobs():
            return sql(
                services["DATABASE_URL"],
                "SELECT id, site_id, kind, task_id FROM surveys_job WHERE site_id IN (%s, %s) ORDER BY id",
                (due, later),
            )

        wait_for(jobs, 60, "the scheduler to create the due job")
        ticks_before = control.log().count("enqueue_due_schedules")
        wait_for(lambda: control.log().count("enqueue_due_schedules") >= ticks_before + 10, 60, "five more ticks")
    finally:
        beat.stop()
        control.stop()
    rows = jobs()
    # The weekly full check is claimed first; the daily incremental one, due at the same time, is skipped.
    assert [(site, kind) for _id, site, kind, _task in rows] == [(due, "full")]
    assert rows[0][3], "the job was sent to the broker (its task id recorded)"
    schedules = sql(
        services["DATABASE_URL"],
        "SELECT kind, last_job_id, skipped, next_run_at > now() FROM worker_siteschedule WHERE site_id = %s "
        "ORDER BY kind",
        (due,),
    )
    assert schedules == [("full", rows[0][0], 0, True), ("incremental", None, 1, True)]
    status = django_call(
        services,
        """
        from govsite.worker.progress import queue_depths
        result = queue_depths()
        """,
    )
    assert status["govsite.jobs"] == 1, "exactly one message waits for a crawl worker"


def test_the_scheduler_ticks_settles_rechecks_reminds_and_prunes_archives(settings):
    from govsite.worker.celery import _beat_schedule

    settings.GOVSITE_SCHEDULE_TICK_SECONDS = 30
    schedule = _beat_schedule()
    assert {name: entry["task"] for name, entry in schedule.items()} == {
        "govsite-enqueue-due-schedules": "govsite.worker.enqueue_due_schedules",
        "govsite-settle-rechecks": "govsite.worker.settle_rechecks",
        "govsite-remind-overdue-workorders": "govsite.worker.remind_overdue_workorders",
        "govsite-prune-archives": "govsite.worker.prune_archives",
        "govsite-probe-availability": "govsite.worker.probe_availability",
        "govsite-alerts-tick": "govsite.worker.alerts_tick",
        "govsite-prune-audit": "govsite.worker.prune_audit",
    }
    assert schedule["govsite-enqueue-due-schedules"]["schedule"] == 30.0

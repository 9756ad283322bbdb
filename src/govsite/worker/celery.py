"""The Celery application: `celery -A govsite.worker.celery worker` (or `govsite worker`).

What may vary by deployment comes from GOVSITE_* environment variables,
read once in web/settings.py (CELERY_* names there; docs/deployment.md lists
them). What is fixed here is the delivery contract a site Job relies on:

- acks_late + reject_on_worker_lost: the message is acknowledged when the
  job ends, so a worker killed mid-crawl leaves it to be delivered again
  (at once when a pool process dies or a RabbitMQ connection drops; after
  the Redis visibility timeout when a whole Redis-connected worker dies);
- prefetch 1: a worker holds no job it is not running, so a slow crawl
  never sits on jobs another worker could take;
- two queues: govsite.jobs (site crawls, minutes to hours each) and
  govsite.control (fan-out, schedule ticks, clean-up: milliseconds), so
  ticks can be served by a small worker of their own while crawls queue.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.web.settings")

JOBS_QUEUE = "govsite.jobs"
CONTROL_QUEUE = "govsite.control"

app = Celery("govsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    task_acks_on_failure_or_timeout=True,
    worker_prefetch_multiplier=1,
    worker_cancel_long_running_tasks_on_connection_loss=True,
    broker_connection_retry_on_startup=True,
    task_default_queue=JOBS_QUEUE,
    task_default_exchange=JOBS_QUEUE,
    task_default_routing_key=JOBS_QUEUE,
    task_queues=tuple(Queue(name, Exchange(name), routing_key=name) for name in (JOBS_QUEUE, CONTROL_QUEUE)),
    task_routes={
        "govsite.worker.run_site_job": {"queue": JOBS_QUEUE},
        # seconds, not hours (asyncio, bounded by the probe timeout): never behind crawls on the jobs queue
        "govsite.worker.probe_availability": {"queue": CONTROL_QUEUE},
        "govsite.worker.*": {"queue": CONTROL_QUEUE},
    },
    task_serializer="json",
    accept_content=["json"],
    worker_send_task_events=False,
)


def _beat_schedule() -> dict:
    from django.conf import settings

    return {
        "govsite-enqueue-due-schedules": {
            "task": "govsite.worker.enqueue_due_schedules",
            "schedule": float(settings.GOVSITE_SCHEDULE_TICK_SECONDS),
        },
        "govsite-settle-rechecks": {
            "task": "govsite.worker.settle_rechecks",
            "schedule": 300.0,
        },
        "govsite-remind-overdue-workorders": {
            "task": "govsite.worker.remind_overdue_workorders",
            "schedule": crontab(hour=8, minute=0),
        },
        "govsite-probe-availability": {
            "task": "govsite.worker.probe_availability",
            "schedule": float(settings.GOVSITE_UPTIME_INTERVAL_SECONDS),
        },
        "govsite-alerts-tick": {
            "task": "govsite.worker.alerts_tick",
            "schedule": float(settings.GOVSITE_ALERT_TICK_SECONDS),
        },
        "govsite-prune-archives": {
            "task": "govsite.worker.prune_archives",
            "schedule": crontab(hour=3, minute=30),
        },
        "govsite-prune-audit": {
            "task": "govsite.worker.prune_audit",
            "schedule": crontab(hour=3, minute=45),
        },
    }


@app.on_after_configure.connect
def _configure_beat(sender: Celery, **_kwargs) -> None:
    sender.conf.beat_schedule = _beat_schedule()


app.autodiscover_tasks(["govsite.worker"])

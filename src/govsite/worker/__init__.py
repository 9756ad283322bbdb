"""Distributed surveys: site Jobs on Celery workers, scheduled monitoring, retention.

The unit of work is the site Job of govsite.surveys (a site is the natural unit
of distribution: docs/deployment.md); this app only moves it around:

    launch_survey ─► one Job per site ─► broker queue ─► run_site_job on any worker
                                                          ├─ per-site lock (locks.py)
                                                          ├─ surveys.jobs.run_job (crawl resumes, upsert)
                                                          └─ job_finished → workorders (re-checks, veto alerts)
    beat tick ─► schedules.enqueue_due ─► monitoring Jobs (daily incremental, weekly full)

`celery.py` is the Celery app (configured from GOVSITE_* variables in
web/settings.py), `tasks.py` the tasks, `progress.py` what `govsite survey
status` and the JSON endpoint show, `retention.py` the WARC clean-up.
Not for: crawling or judging (govsite.scan) or deciding findings (surveys.jobs).
"""

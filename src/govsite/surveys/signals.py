"""The signals the surveys app sends; other apps connect their consequences in `AppConfig.ready`.

`job_finished(sender=Job, job=job)` is sent by `surveys.jobs.run_job` inside
the transaction that marks the job DONE (findings synced, scores refreshed,
verdict stored), whether the job runs inline in the web process, in the CLI
or in a Celery worker. A receiver's writes commit or roll back together with
the job; a receiver that must not undo the job on failure guards itself.
"""

from __future__ import annotations

from django.dispatch import Signal

job_finished = Signal()  # kwargs: job (the Job, status DONE)

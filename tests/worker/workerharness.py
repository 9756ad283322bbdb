"""Helpers for the distributed tests: real Celery workers, a PostgreSQL database, a Redis DB of their own.

Every process that touches the test database — workers, the in-process
reference run, the set-up of surveys — is a child process given the same
environment (DATABASE_URL, GOVSITE_DATA_DIR, GOVSITE_BROKER_URL …), as a
deployment would give it; the test process itself reads the results with
plain SQL. So nothing here depends on pytest-django's database handling.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

POSTGRES_URL = os.environ.get("GOVSITE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("GOVSITE_TEST_REDIS_URL", "redis://127.0.0.1:6379")
REDIS_DBS = range(15, 7, -1)  # the upper half of Redis' 16 databases, claimed one per test session
CLAIM_KEY = "govsite-test-claim"
AS_OF = "2025-11-30"
FAST_SCAN = "--loopback-only --delay 0 --no-autothrottle --retries 0 --timeout 5 --slow-ms 5000"


def service_or_skip(what: str, exc: Exception):
    if os.environ.get("CI"):
        raise exc
    pytest.skip(f"{what} not available: {exc}")


def create_database() -> str:
    psycopg = pytest.importorskip("psycopg")
    try:
        with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5) as admin:
            name = f"govsite_worker_{uuid.uuid4().hex[:10]}"
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        service_or_skip(f"PostgreSQL at {POSTGRES_URL}", exc)
    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def claim_redis_db() -> tuple[str, object]:
    """A Redis database number nobody uses (empty), marked as ours; returns (broker URL, client)."""
    import redis

    token = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    for number in REDIS_DBS:
        client = redis.Redis.from_url(f"{REDIS_URL}/{number}", socket_timeout=5)
        try:
            if client.dbsize() == 0 and client.set(CLAIM_KEY, token, nx=True, ex=6 * 3600):
                return f"{REDIS_URL}/{number}", client
        except redis.RedisError as exc:
            service_or_skip(f"Redis at {REDIS_URL}", exc)
    pytest.skip("no empty Redis database among 8..15")
    raise AssertionError  # unreachable


def sql(db_url: str, query: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(db_url, autocommit=True) as conn:
        cursor = conn.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def django_call(env: dict[str, str], code: str, timeout: float = 600) -> object:
    """Run `code` in a fresh Python process with Django set up; it leaves its answer in `result` (JSON)."""
    script = "import json, django\ndjango.setup()\nresult = None\n" + textwrap.dedent(code)
    script += "\nprint('\\nRESULT ' + json.dumps(result, default=str))\n"
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    line = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT ") :])


def wait_for(
    condition: Callable[[], object],
    timeout: float,
    what: str,
    interval: float = 0.5,
    explain: Callable[[], str] | None = None,
) -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            detail = f"\n{explain()}" if explain else ""
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}{detail}")
        time.sleep(interval)


def broker_state(broker_url: str) -> str:
    """What the Redis broker holds: queue lengths, unacknowledged messages, the restore mutex."""
    import redis

    client = redis.Redis.from_url(broker_url, socket_timeout=5)
    queues = {name: client.llen(name) for name in ("govsite.jobs", "govsite.control")}
    return (
        f"broker: queues {queues}, unacked {client.hlen('unacked')}, "
        f"unacked_index {client.zrange('unacked_index', 0, -1, withscores=True)}, "
        f"mutex ttl {client.ttl('unacked_mutex')}, now {time.time():.0f}"
    )


class WorkerProcess:
    """`celery -A govsite.worker.celery worker` in a session of its own (so it can be killed whole)."""

    def __init__(self, name: str, env: dict[str, str], log_dir: Path, *, queues: str = "", command=None) -> None:
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self._log = self.log_path.open("wb")
        command = command or [
            sys.executable, "-m", "celery", "-A", "govsite.worker.celery", "worker",
            "--hostname", f"{name}@%h", "--concurrency", "1", "--prefetch-multiplier", "1",
            "--loglevel", "INFO", "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        if queues:
            command += ["--queues", queues]
        self.process = subprocess.Popen(
            command, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, timeout: float = 90, marker: str = " ready.") -> None:
        def ready():
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited {self.process.returncode}:\n{self.log()[-3000:]}")
            return marker in self.log()

        wait_for(ready, timeout, f"{self.name} to be ready")

    def kill(self) -> None:
        """SIGKILL the worker's whole process group: main process, pool processes, crawls."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        self._log.close()


def open_findings(db_url: str, survey_id: int) -> set[tuple[str, str, str, str]]:
    """(site URL, type, url, key hash) of the survey's open findings — comparable across surveys."""
    rows = sql(
        db_url,
        "SELECT s.url, f.type, f.url, f.key_hash FROM surveys_finding f JOIN surveys_site s ON s.id = f.site_id "
        "WHERE s.survey_id = %s AND f.status = 'open'",
        (survey_id,),
    )
    return set(rows)


def job_rows(db_url: str, survey_id: int) -> list[dict]:
    rows = sql(
        db_url,
        "SELECT j.id, s.url, j.status, j.attempts, j.started_at, j.finished_at, j.worker, j.error, j.out_dir "
        "FROM surveys_job j JOIN surveys_site s ON s.id = j.site_id WHERE s.survey_id = %s ORDER BY j.id",
        (survey_id,),
    )
    keys = ["id", "url", "status", "attempts", "started_at", "finished_at", "worker", "error", "out_dir"]
    return [dict(zip(keys, row, strict=True)) for row in rows]


def create_survey(env: dict[str, str], name: str, urls: list[str], *, jobs_per_site: int = 0) -> dict:
    """A survey with one county site per URL (and optionally that many queued jobs each, not yet sent)."""
    return django_call(
        env,
        f"""
        from datetime import date
        from govsite.surveys.jobs import create_job
        from govsite.surveys.models import Site, Survey
        survey = Survey.objects.create(name={name!r}, year=2025, as_of=date.fromisoformat({AS_OF!r}))
        sites = [
            Site.objects.create(survey=survey, name=f"样例{{i}}", url=url, level="county")
            for i, url in enumerate({urls!r})
        ]
        jobs = [create_job(site).pk for site in sites for _ in range({jobs_per_site})]
        result = {{"survey": survey.pk, "sites": [s.pk for s in sites], "jobs": jobs}}
        """,
    )


def fetch_lines(out_dir: str) -> list[dict]:
    lines = []
    for path in sorted(Path(out_dir).glob("sites/*/fetches.jsonl")):
        with path.open(encoding="utf-8") as handle:
            lines += [json.loads(line) for line in handle if line.endswith("\n")]
    return lines

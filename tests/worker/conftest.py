"""Fixtures for the distributed tests: one PostgreSQL database, one Redis DB and the generated sites per session."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from workerharness import (
    FAST_SCAN,
    WorkerProcess,
    claim_redis_db,
    create_database,
    create_survey,
    django_call,
    drop_database,
    open_findings,
)

from govsite.samplesites.generate import default_specs, generate_sample
from govsite.samplesites.measure import served, site_url
from govsite.samplesites.server import SampleServers


@pytest.fixture(scope="session")
def sample_servers(tmp_path_factory) -> Iterator[SampleServers]:
    """The three default generated sites, served on 127.0.0.1 for the whole session."""
    root = tmp_path_factory.mktemp("worker-sample")
    generate_sample(root, default_specs())
    with served(root) as servers:
        yield servers


@pytest.fixture(scope="session")
def sample_urls(sample_servers) -> dict[str, str]:
    """slug -> homepage URL of the served sample sites."""
    return {slug: site_url(url) for slug, url in sample_servers.urls().items()}


@pytest.fixture(scope="session")
def services(tmp_path_factory) -> Iterator[dict[str, str]]:
    """A fresh, migrated PostgreSQL database and an empty Redis database; the environment that points at them."""
    db_url = create_database()
    broker_url, redis_client = claim_redis_db()
    data_dir = tmp_path_factory.mktemp("worker-data")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVSITE_", "DJANGO_")) and k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=db_url,
        DJANGO_SETTINGS_MODULE="govsite.web.settings",
        GOVSITE_DATA_DIR=str(data_dir),
        GOVSITE_BROKER_URL=broker_url,
        GOVSITE_TASKS="celery",
        GOVSITE_LOOPBACK_ONLY="1",
        GOVSITE_SCAN_ARGS=FAST_SCAN,
        GOVSITE_LOCK_RETRY_SECONDS="1",
        PYTHONUNBUFFERED="1",
    )
    try:
        migrate = subprocess.run(
            [sys.executable, "-m", "govsite.cli", "manage", "migrate", "--noinput"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert migrate.returncode == 0, migrate.stdout + migrate.stderr
        yield env
    finally:
        redis_client.flushdb()
        redis_client.close()
        drop_database(db_url)


@pytest.fixture
def workers(services, tmp_path) -> Iterator:
    """Start real worker processes: workers(2, GOVSITE_X="…") -> [WorkerProcess, …], ready; stopped afterwards."""
    started: list[WorkerProcess] = []

    def start(count: int = 2, *, queues: str = "", **env_overrides: str) -> list[WorkerProcess]:
        env = {**services, **env_overrides}
        batch = [WorkerProcess(f"w{len(started) + i + 1}", env, tmp_path, queues=queues) for i in range(count)]
        started.extend(batch)
        for worker in batch:
            worker.wait_ready()
        return batch

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture(scope="session")
def reference_findings(services, sample_urls) -> set:
    """The generated sites judged by run_job called directly (no broker, no worker), one after the other."""
    created = create_survey(services, "参照（不经工作进程）", list(sample_urls.values()), jobs_per_site=1)
    statuses = django_call(
        services,
        f"""
        from govsite.surveys.jobs import run_job
        result = [run_job(pk).status for pk in {created["jobs"]!r}]
        """,
    )
    assert statuses == ["done"] * len(sample_urls)
    findings = open_findings(services["DATABASE_URL"], created["survey"])
    assert {site for site, *_ in findings} == set(sample_urls.values())
    return findings


@pytest.fixture
def log_dir(tmp_path) -> Path:
    return tmp_path

"""The application runs on the embedded SQLite default and on PostgreSQL by configuration."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest

POSTGRES_URL = os.environ.get("GOVSITE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _migrate(env_overrides: dict[str, str], data_dir) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(GOVSITE_DATA_DIR=str(data_dir), **env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "govsite.cli", "manage", "migrate", "--noinput"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_embedded_default_is_sqlite_in_the_data_dir(tmp_path):
    result = _migrate({}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "govsite.sqlite3").stat().st_size > 0


def test_health_view_answers(client):
    response = client.get("/health/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.postgres
def test_database_url_selects_postgresql(tmp_path):
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL at {POSTGRES_URL}: {exc}")
    name = f"govsite_test_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
        result = _migrate({"DATABASE_URL": url}, tmp_path)
        assert result.returncode == 0, result.stderr
        with psycopg.connect(url) as conn:
            tables = {row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname='public'")}
        assert {"django_migrations", "auth_user"} <= tables
        assert not (tmp_path / "govsite.sqlite3").exists()
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

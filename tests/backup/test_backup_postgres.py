"""The same round trip on PostgreSQL (127.0.0.1:5432): pg_dump -Fc into the archive, pg_restore into a fresh database."""

from __future__ import annotations

import os
import uuid

import pytest
from backuphelpers import Instance

pytestmark = pytest.mark.postgres
ADMIN_URL = os.environ.get("GOVSITE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def databases():
    psycopg = pytest.importorskip("psycopg")
    names = [f"govsite_backup_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    try:
        with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
            for name in names:
                admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL at {ADMIN_URL} not available: {exc}")
    base = ADMIN_URL.rsplit("/", 1)[0]
    yield [f"{base}/{name}" for name in names]
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgres_backup_restores_into_a_fresh_database(databases, tmp_path):
    source = Instance(tmp_path / "a", databases[0])
    source.populate()
    archive = tmp_path / "pg.tar"
    source.govsite("backup", str(archive))
    target = Instance(tmp_path / "b", databases[1])
    done = target.govsite("restore", str(archive))
    assert "已恢复 PostgreSQL 数据库" in done.stdout
    before, after = source.snapshot(), target.snapshot()
    assert before["findings"] and before["audit"] and before["workorders"]
    assert after == before
    # a second restore into the now full database is refused, then forced
    refused = target.govsite("restore", str(archive), check=False)
    assert refused.returncode == 2 and "目标实例不是空的" in refused.stderr
    target.govsite("restore", str(archive), "--force")
    assert target.snapshot() == before


def test_without_the_postgres_tools_backup_says_so(databases, tmp_path):
    source = Instance(tmp_path / "a", databases[0], extra={"PATH": str(tmp_path / "empty")})
    source.govsite("manage", "migrate", "--noinput")
    refused = source.govsite("backup", str(tmp_path / "pg.tar"), check=False)
    assert refused.returncode == 2 and "未找到 PostgreSQL 客户端工具 pg_dump、pg_restore" in refused.stderr
    assert not (tmp_path / "pg.tar").exists()

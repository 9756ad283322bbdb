"""The database part of a backup: SQLite through its online backup API, PostgreSQL through its own tools.

Django must be set up (settings name the database); nothing here reads the
project's models.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

from govsite.backup.manifest import ENGINE_LABELS, BackupError

PG_TOOLS = ("pg_dump", "pg_restore")
DATA_APPS = ("auth", "surveys", "workorders", "worker")  # the apps whose rows make an instance "not empty"


def engine() -> str:
    """ "sqlite" or "postgresql" (the only engines settings.DATABASES may name)."""
    vendor = connection.vendor
    if vendor not in ENGINE_LABELS:
        raise BackupError(f"不支持备份此类数据库：{vendor}（仅支持 SQLite 与 PostgreSQL）")
    return vendor


def sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def require_pg_tools() -> dict[str, str]:
    """Where pg_dump and pg_restore are; a clear refusal when either is not on PATH."""
    found = {tool: shutil.which(tool) for tool in PG_TOOLS}
    missing = [tool for tool, path in found.items() if not path]
    if missing:
        raise BackupError(
            f"未找到 PostgreSQL 客户端工具 {'、'.join(missing)}（PATH 中没有）。"
            "请安装与服务器版本一致的客户端（Debian/Ubuntu：apt-get install postgresql-client），再重试。"
        )
    return found  # type: ignore[return-value]


def _pg_env() -> dict[str, str]:
    """libpq's environment for the configured database (the password never on a command line)."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    return env


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tool, detail = Path(command[0]).name, done.stderr.strip()[-800:]
        raise BackupError(f"{what}失败（{tool} 退出码 {done.returncode}）：{detail}")


def snapshot(dest: Path) -> None:
    """A consistent copy of the database into `dest` while the application keeps running."""
    if engine() == "sqlite":
        source = sqlite3.connect(f"file:{sqlite_path()}?mode=ro", uri=True)
        target = sqlite3.connect(dest)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return
    tools = require_pg_tools()
    _run([tools["pg_dump"], "--format=custom", "--no-owner", "--no-privileges", f"--file={dest}"], "数据库导出")


def applied_migrations_of_snapshot(path: Path, kind: str) -> dict[str, list[str]]:
    """app -> migrations applied, read from the snapshot itself (SQLite) or the live database (PostgreSQL)."""
    if kind == "sqlite":
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            rows = db.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
            rows = cursor.fetchall()
    state: dict[str, list[str]] = {}
    for app, name in rows:
        state.setdefault(app, []).append(name)
    return state


def code_migrations() -> dict[str, list[str]]:
    """app -> the migrations this code has on disk."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    state: dict[str, list[str]] = {}
    for app, name in sorted(loader.disk_migrations):
        state.setdefault(app, []).append(name)
    return state


def holds_data() -> bool:
    """Whether the target database has any row of users, surveys, jobs or work orders."""
    from django.apps import apps

    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for app in DATA_APPS:
            for model in apps.get_app_config(app).get_models():
                table = model._meta.db_table
                if table in tables:
                    cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                    if cursor.fetchone():
                        return True
    return False


def check_engine(kind: str) -> None:
    """Refuse an archive of another engine, and PostgreSQL without its tools, before anything is touched."""
    if kind != engine():
        raise BackupError(
            f"备份的数据库是 {ENGINE_LABELS[kind]}，当前配置的是 {ENGINE_LABELS[engine()]}：请配置同类数据库后再恢复"
        )
    if kind == "postgresql":
        require_pg_tools()


def load(source: Path, kind: str) -> None:
    """Put the snapshot in place of the target database (whatever tables the target holds are replaced)."""
    check_engine(kind)
    connections.close_all()
    if kind == "sqlite":
        target = sqlite_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = target.with_name(target.name + ".restoring")
        shutil.copyfile(source, staged)
        for suffix in ("-wal", "-shm", "-journal"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        os.replace(staged, target)
        return
    tools = require_pg_tools()
    # --clean --if-exists: a target that `migrate` already built (even empty) takes the dump's tables
    command = [tools["pg_restore"], "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    command += ["--clean", "--if-exists"]
    _run([*command, f"--dbname={settings.DATABASES['default']['NAME']}", str(source)], "数据库恢复")

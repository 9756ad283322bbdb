"""Upgrades: the database of the first release (v0.1.0 = d267abf, tests/data/release-0.1.0.sqlite3.gz,
built by tests/data/make_instance.py at that commit) migrates with the current code and keeps its data."""

from __future__ import annotations

import gzip
import shutil

from backuphelpers import DATA, Instance

from govsite.backup.manifest import compare_migrations, newer_message

FIXTURE = DATA / "release-0.1.0.sqlite3.gz"


def test_the_release_fixture_is_small():
    assert FIXTURE.stat().st_size < 1_000_000


def test_the_first_release_database_migrates_and_keeps_its_data(tmp_path):
    instance = Instance(tmp_path / "var")
    instance.data_dir.mkdir()
    with gzip.open(FIXTURE) as source, (instance.data_dir / "govsite.sqlite3").open("wb") as target:
        shutil.copyfileobj(source, target)
    instance.govsite("manage", "migrate", "--noinput")
    assert instance.govsite("manage", "migrate", "--check").returncode == 0
    found = instance.call(
        """
        from django.contrib.auth import authenticate
        from django.test import RequestFactory
        from govsite.surveys.models import AuditEntry, Evidence, Finding, IndicatorScore, Site, Survey
        from govsite.workorders.models import WorkOrder
        result = {
            "surveys": list(Survey.objects.values_list("name", flat=True)),
            "sites": sorted(Site.objects.values_list("name", "website__origin")),
            "findings": sorted(Finding.objects.values_list("type", "evidence")),
            "score": str(IndicatorScore.objects.get(code="1.1").score),
            "evidence": Evidence.objects.get().file.name,
            "audit": sorted(AuditEntry.objects.values_list("action", flat=True)),
            "orders": [(o.title, [f.type for f in o.findings.all()]) for o in WorkOrder.objects.all()],
            "login": authenticate(RequestFactory().post("/login/"), username="manager", password="Gov-site-2025!x")
            is not None,
        }
        """
    )
    assert found["surveys"] == ["2025年政府网站评估"]
    assert found["sites"] == [["清河县人民政府", "http://127.0.0.1:9"], ["白河县人民政府", "http://127.0.0.1:8"]]
    assert found["findings"] == [["broken_link", "HTTP 404"], ["privacy_phone", "联系人 138****8000"]]
    assert found["score"] == "3.50"
    assert found["evidence"].startswith("evidence/") and found["evidence"].endswith("home.png")
    assert found["audit"] == ["create", "evidence_add", "score_save"]
    assert found["orders"] == [["清河县人民政府：失效链接", ["broken_link"]]]
    assert found["login"] is True


def test_migration_states_compare_both_ways():
    code = {"surveys": ["0001_initial", "0002_x"], "auth": ["0001_initial"]}
    same = compare_migrations(code, code)
    assert same.restorable and not same.pending
    older = compare_migrations({"surveys": ["0001_initial"], "auth": ["0001_initial"]}, code)
    assert older.restorable and older.pending == {"surveys": ["0002_x"]}
    newer = compare_migrations({**code, "axes": ["0001_initial"], "surveys": [*code["surveys"], "0003_y"]}, code)
    assert not newer.restorable and newer.newer == {"axes": ["0001_initial"], "surveys": ["0003_y"]}
    message = newer_message(newer, "0.2.0", "0.1.0")
    assert "axes.0001_initial" in message and "surveys.0003_y" in message and "0.2.0" in message


def test_a_backup_of_the_first_release_restores_into_the_current_code_and_is_migrated(tmp_path):
    """The archive carries the v0.1.0 migration state; restore migrates whatever the code has added since."""
    import sqlite3

    from govsite.backup.database import code_migrations

    old = Instance(tmp_path / "old")
    old.data_dir.mkdir()
    with gzip.open(FIXTURE) as source, (old.data_dir / "govsite.sqlite3").open("wb") as target:
        shutil.copyfileobj(source, target)
    with sqlite3.connect(old.data_dir / "govsite.sqlite3") as db:
        applied = {}
        for app, name in db.execute("SELECT app, name FROM django_migrations"):
            applied.setdefault(app, []).append(name)
    pending = compare_migrations(applied, code_migrations()).pending
    archive = tmp_path / "v0.1.0.tar"
    old.govsite("backup", str(archive))

    new = Instance(tmp_path / "new")
    done = new.govsite("restore", str(archive))
    assert ("已执行" in done.stdout) == bool(pending)
    assert new.govsite("manage", "migrate", "--check").returncode == 0
    found = new.call("from govsite.surveys.models import Finding\nresult = Finding.objects.count()")
    assert found == 2

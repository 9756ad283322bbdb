"""Finding types live in the catalogue (govsite/findings.py), not in migrations: checked where rows enter the database."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from govsite.findings import FINDING_TYPES
from govsite.findings import Finding as FindingRecord
from govsite.surveys.jobs import create_job, sync_findings
from govsite.surveys.models import Finding, Site, Survey
from govsite.workorders.models import WorkOrder

SITE = "http://127.0.0.1:9/"
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture
def site(db):
    survey = Survey.objects.create(name="测试调查", year=2025, as_of=date(2025, 11, 30))
    return Site.objects.create(survey=survey, name="清河县人民政府", url=SITE, level="county")


def _row(site, type_: str, n: int = 0) -> Finding:
    return Finding(
        site=site, type=type_, url=f"{SITE}{n}", severity="low", evidence="e", key_hash=f"{n:040d}", found_at="2025-11-30T00:00Z"
    )


def test_unknown_type_is_refused_by_save_bulk_create_and_update(site):
    with pytest.raises(ValidationError, match="未知的问题类型“no_such_type”"):
        Finding.objects.create(**{k: v for k, v in _row(site, "no_such_type").__dict__.items() if not k.startswith("_")})
    with pytest.raises(ValidationError, match="no_such_type"):
        Finding.objects.bulk_create([_row(site, "typo", 1), _row(site, "no_such_type", 2)])
    assert not Finding.objects.exists()  # nothing half-written
    kept = _row(site, "typo", 3)
    kept.save()
    with pytest.raises(ValidationError, match="bogus"):
        Finding.objects.filter(pk=kept.pk).update(type="bogus")
    kept.type = "bogus"
    with pytest.raises(ValidationError, match="bogus"):
        Finding.objects.bulk_update([kept], ["type"])
    kept.refresh_from_db()
    assert kept.type == "typo"


def test_form_validation_names_the_unknown_type(site):
    row = _row(site, "no_such_type")
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert "no_such_type" in str(caught.value.message_dict["type"])


def test_work_order_with_unknown_type_is_refused(site):
    with pytest.raises(ValidationError, match="no_such_type"):
        WorkOrder.objects.create(site=site, title="工单", finding_type="no_such_type")
    assert not WorkOrder.objects.exists()
    assert WorkOrder.objects.create(site=site, title="工单", finding_type="broken_link").finding_type_label == "链接不可用"


def test_a_type_added_to_the_catalogue_is_stored_without_a_migration(site, monkeypatch):
    monkeypatch.setitem(FINDING_TYPES, "page_unavailable_week", "一周内多次无法访问")
    record = FindingRecord(type="page_unavailable_week", url=SITE, site=SITE, severity="high", evidence="7 次中 3 次失败")
    assert sync_findings(create_job(site), [record], fetched=None).new == 1
    assert Finding.objects.get(site=site).label == "一周内多次无法访问"


def test_makemigrations_check_passes_with_an_extra_catalogue_type(tmp_path):
    """Register a type before Django loads the models, as a deployment's plug-in would: no migration is due."""
    script = (
        "import sys\n"
        "from govsite.findings import FINDING_TYPES\n"
        "FINDING_TYPES['page_unavailable_week'] = '一周内多次无法访问'\n"
        "import django\n"
        "django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('makemigrations', '--check', '--dry-run', verbosity=1)\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "govsite.web.settings",
        "GOVSITE_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No changes detected" in done.stdout

"""Old jobs lose their WARC archives and page text; findings, records and the newest archive stay."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from govsite.surveys.models import Finding, Job, Site, Survey
from govsite.worker.retention import MARKER, prune_archives

pytestmark = pytest.mark.django_db
PRUNED = ("archive/crawl-001.warc.gz", "archive/crawl-002.warc.gz", "pages.jsonl", "documents.jsonl")
KEPT = ("fetches.jsonl", "findings.jsonl", "state.json")


@pytest.fixture
def site(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    survey = Survey.objects.create(name="留存", year=2025, as_of=date(2025, 11, 30))
    return Site.objects.create(survey=survey, name="石桥区人民政府", url="http://127.0.0.1:9/", level="county")


def _job(site: Site, tmp_path: Path, age_days: float, status: str = Job.Status.DONE) -> Job:
    job = Job.objects.create(site=site, as_of=site.survey.as_of, status=status)
    folder = tmp_path / "data" / "jobs" / str(job.pk)
    for name in (*PRUNED, *KEPT):
        path = folder / "sites" / "127.0.0.1_9_abcd" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * 1000)
    (folder / "summary.json").write_text("{}", encoding="utf-8")
    finished = timezone.now() - timedelta(days=age_days) if status in (Job.Status.DONE, Job.Status.FAILED) else None
    Job.objects.filter(pk=job.pk).update(out_dir=str(folder), finished_at=finished)
    Finding.objects.create(
        site=site, type="broken_link", url=f"http://127.0.0.1:9/{job.pk}", severity="medium", evidence="404",
        key_hash=f"{job.pk:040d}", found_at=timezone.now(), first_job=job, last_job=job,
    )  # fmt: skip
    return Job.objects.get(pk=job.pk)


def _site_dir(job: Job) -> Path:
    return Path(job.out_dir) / "sites" / "127.0.0.1_9_abcd"


def test_old_archives_go_and_everything_else_stays(site, tmp_path):
    old = _job(site, tmp_path, age_days=40)
    old_failed = _job(site, tmp_path, age_days=35, status=Job.Status.FAILED)
    recent = _job(site, tmp_path, age_days=3)
    running = _job(site, tmp_path, age_days=0, status=Job.Status.RUNNING)
    newest_old = _job(site, tmp_path, age_days=31)  # newest DONE job of the site: kept though old
    Job.objects.filter(pk=recent.pk).update(status=Job.Status.FAILED)

    report = prune_archives(30)
    assert report.jobs == [old.pk, old_failed.pk]
    assert report.files == 2 * len(PRUNED) and report.bytes == 2 * len(PRUNED) * 1000
    for job in (old, old_failed):
        assert not any((_site_dir(job) / name).exists() for name in PRUNED)
        assert all((_site_dir(job) / name).exists() for name in KEPT)
        assert json.loads((Path(job.out_dir) / MARKER).read_text())["files"] == len(PRUNED)
    for job in (recent, running, newest_old):
        assert all((_site_dir(job) / name).exists() for name in PRUNED)
    assert Finding.objects.filter(site=site).count() == 5
    assert prune_archives(30).jobs == [], "pruning again finds nothing to do"


def test_dry_run_and_keep_forever_delete_nothing(site, tmp_path):
    old = _job(site, tmp_path, age_days=400)
    _job(site, tmp_path, age_days=1)
    assert prune_archives(30, dry_run=True).jobs == [old.pk]
    assert prune_archives(0).jobs == []
    assert all((_site_dir(old) / name).exists() for name in PRUNED)


def test_the_management_command_uses_the_setting(site, tmp_path, settings):
    settings.GOVSITE_ARCHIVE_RETENTION_DAYS = 7
    old = _job(site, tmp_path, age_days=8)
    _job(site, tmp_path, age_days=1)
    out = StringIO()
    call_command("prune_archives", stdout=out)
    assert "保留 7 天" in out.getvalue() and "已删除 1 个任务的 4 个文件" in out.getvalue()
    assert not (_site_dir(old) / "pages.jsonl").exists()

"""Personal data at rest: raw archives private (0700 / 0600), purged per site (command, admin action, audited),
privacy findings stored masked."""

from __future__ import annotations

import json
import os
import stat
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from govsite.crawl.store import open_for_append
from govsite.findings import Finding as FindingRecord
from govsite.surveys.archives import MARKER
from govsite.surveys.audit import action_label
from govsite.surveys.jobs import sync_findings
from govsite.surveys.models import AuditEntry, Finding, Job, Site, Survey

pytestmark = pytest.mark.django_db
ARCHIVED = ("archive/crawl-001.warc.gz", "pages.jsonl", "documents.jsonl")
KEPT = ("fetches.jsonl", "findings.jsonl")
RAW_PHONE = "13800138000"


@pytest.fixture
def survey(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return Survey.objects.create(name="隐私", year=2025, as_of=date(2025, 11, 30))


def _site(survey: Survey, name: str, port: int) -> Site:
    return Site.objects.create(survey=survey, name=name, url=f"http://127.0.0.1:{port}/", level="county")


def _job(site: Site, root: Path, status: str = Job.Status.DONE) -> Job:
    job = Job.objects.create(site=site, as_of=site.survey.as_of, status=status)
    folder = root / "jobs" / str(job.pk)
    for name in (*ARCHIVED, *KEPT):
        path = folder / "sites" / "s" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"联系人 {RAW_PHONE}".encode())
    Job.objects.filter(pk=job.pk).update(out_dir=str(folder), finished_at=timezone.now())
    return Job.objects.get(pk=job.pk)


def _files(job: Job) -> set[str]:
    return {p.relative_to(Path(job.out_dir) / "sites" / "s").as_posix() for p in Path(job.out_dir).rglob("s/**/*")}


def test_purge_command_clears_one_sites_archives_newest_included_and_is_audited(survey, settings):
    site, other = _site(survey, "清河县人民政府", 9), _site(survey, "白河县人民政府", 8)
    old, newest = _job(site, settings.DATA_DIR), _job(site, settings.DATA_DIR)
    running = _job(site, settings.DATA_DIR, status=Job.Status.RUNNING)
    elsewhere = _job(other, settings.DATA_DIR)
    admin = get_user_model().objects.create_user("admin")
    Finding.objects.create(
        site=site, type="privacy_phone", url=site.url, severity="high", evidence="138****8000",
        key_hash="1" * 40, found_at=timezone.now(), first_job=newest, last_job=newest,
    )  # fmt: skip

    call_command("purge_archives", "--site", str(site.pk), "--user", "admin", "--reason", "当事人申请删除")

    for job in (old, newest):
        assert _files(job) == {"archive", *KEPT}, _files(job)
        note = json.loads((Path(job.out_dir) / MARKER).read_text(encoding="utf-8"))
        assert note["purged_by"] == "admin" and note["files"] == len(ARCHIVED)
    assert _files(running) == {"archive", *ARCHIVED, *KEPT}  # its crawl may still be writing
    assert _files(elsewhere) == {"archive", *ARCHIVED, *KEPT}
    assert Finding.objects.filter(site=site).count() == 1
    entry = AuditEntry.objects.get(action="archive_purge")
    assert entry.user == admin and entry.site == site and entry.reason == "当事人申请删除"
    assert entry.after["jobs"] == [old.pk, newest.pk] and entry.after["files"] == 2 * len(ARCHIVED)
    assert action_label(entry.action) == "清除检测存档"


def test_the_site_admin_purges_archives_with_an_audit_entry(survey, settings, client_for):
    site = _site(survey, "清河县人民政府", 9)
    job = _job(site, settings.DATA_DIR)
    superuser = get_user_model().objects.create_superuser("root", password="x")
    response = client_for(superuser).post(
        "/admin/surveys/site/", {"action": "purge_archives", "_selected_action": [site.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "已清除 1 个检测任务的 3 个存档文件" in response.content.decode()
    assert _files(job) == {"archive", *KEPT}
    assert AuditEntry.objects.filter(action="archive_purge", user=superuser, site=site).exists()


def test_crawl_files_are_written_for_the_service_account_only(tmp_path):
    old = os.umask(0o022)
    try:
        fd = open_for_append(tmp_path / "crawl-001.warc.gz")
        os.close(fd)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "crawl-001.warc.gz").stat().st_mode) == 0o600


def test_privacy_findings_are_stored_masked_whatever_the_check_wrote(survey, settings):
    site = _site(survey, "清河县人民政府", 9)
    job = _job(site, settings.DATA_DIR)
    record = FindingRecord(
        type="privacy_phone", url="http://127.0.0.1:9/a", site=site.url, severity="high",
        evidence=f"页面公开了 1 个手机号码：联系人 {RAW_PHONE}",
    )  # fmt: skip
    other = FindingRecord(
        type="broken_link", url="http://127.0.0.1:9/t20251130_1234567.html", site=site.url, severity="medium",
        evidence="HTTP 404 t20251130_1234567",
    )  # fmt: skip
    typo = FindingRecord(
        type="typo", url="http://127.0.0.1:9/c", site=site.url, severity="low",
        evidence=f"“联系电话：{RAW_PHONE}，工作日受理”中疑似错别字",
    )  # fmt: skip
    sync_findings(job, [record, other, typo], fetched=set())
    stored = dict(Finding.objects.values_list("type", "evidence"))
    assert RAW_PHONE not in stored["privacy_phone"] and "138****8000" in stored["privacy_phone"]
    assert stored["broken_link"] == "HTTP 404 t20251130_1234567"  # no personal number: as the check wrote it
    assert stored["typo"] == "“联系电话：138****8000，工作日受理”中疑似错别字"
    sync_findings(job, [record], fetched=set())  # seen again: the update path masks too
    assert RAW_PHONE not in Finding.objects.get(type="privacy_phone").evidence


def test_no_route_serves_a_job_folder():
    """Job folders are read by the crawl, the judge and the backup only: no view module opens them."""
    views = Path(__file__).resolve().parents[2] / "src" / "govsite"
    modules = [*views.glob("surveys/views/*.py"), views / "workorders" / "views.py", views / "worker" / "views.py"]
    assert len(modules) > 3
    for module in modules:
        text = module.read_text(encoding="utf-8")
        assert "out_dir" not in text and "job_folder" not in text and ".warc" not in text, module

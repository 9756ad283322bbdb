"""A site's raw scan archives: the WARC segments and page text, the one place a leaked page is kept as fetched.

Findings hold masked evidence only (checks/privacy.py, and `stored_evidence`
below when they are written); the job folder (GOVSITE_DATA_DIR/jobs/<id>/)
keeps the pages as they were, personal numbers included. No route serves a
job folder; the folder is 0700 and the crawl's files 0600
(crawl/store.py), so only the service account reads them. They go after
GOVSITE_ARCHIVE_RETENTION_DAYS (worker/retention.py) or, for one site at
once, by `purge_site_archives` (`govsite manage purge_archives --site ID`,
the site admin's action), which the audit log records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from govsite.surveys import audit
from govsite.surveys.models import Job, Site
from govsite.text.personal_data import find_personal_numbers, mask_text

MARKER = "archive_pruned.json"
ARCHIVE_PATTERNS = ("sites/*/archive/*.warc.gz", "sites/*/pages.jsonl", "sites/*/documents.jsonl")
ACTIVE = (Job.Status.QUEUED, Job.Status.RUNNING)


@dataclass
class PurgeReport:
    jobs: list[int] = field(default_factory=list)
    files: int = 0
    bytes: int = 0
    skipped_active: list[int] = field(default_factory=list)  # queued or running: their crawl is writing


def archive_files(folder: Path) -> list[Path]:
    return [path for pattern in ARCHIVE_PATTERNS for path in folder.glob(pattern)]


def delete_archive(folder: Path, note: dict) -> tuple[int, int]:
    """Delete the folder's archive files and leave `note` (plus counts) in their place; (files, bytes)."""
    files = archive_files(folder)
    size = sum(path.stat().st_size for path in files)
    for path in files:
        path.unlink(missing_ok=True)
    marker = {**note, "files": len(files), "bytes": size}
    (folder / MARKER).write_text(json.dumps(marker, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(files), size


def purge_site_archives(site: Site, *, user=None, reason: str = "") -> PurgeReport:
    """Every finished job's archive of `site`, the newest one's too; findings and records stay. Audited."""
    report = PurgeReport()
    now = timezone.now().isoformat(timespec="seconds")
    for job in Job.objects.filter(site=site).exclude(out_dir="").order_by("pk"):
        if job.status in ACTIVE:
            report.skipped_active.append(job.pk)
            continue
        folder = Path(job.out_dir)
        if not folder.is_dir() or not archive_files(folder):
            continue
        who = getattr(user, "username", "") or ""
        files, size = delete_archive(folder, {"purged_at": now, "purged_by": who, "reason": reason})
        report.jobs.append(job.pk)
        report.files += files
        report.bytes += size
    audit.record(
        user,
        "archive_purge",
        site,
        site=site,
        after={"jobs": report.jobs, "files": report.files, "bytes": report.bytes},
        reason=reason,
    )
    return report


def stored_evidence(type_: str, evidence: str) -> str:
    """A finding's evidence as the database keeps it (and so every page, export, report, admin list and
    work order shows it): a privacy finding's masked once more, whatever the check wrote; any other
    type's with its personal numbers masked (a typo's sentence quoting a phone number)."""
    if type_.startswith("privacy_"):
        return mask_text(evidence)
    pieces, pos = [], 0
    for number in find_personal_numbers(evidence):
        if number.start >= pos:
            pieces += [evidence[pos : number.start], number.masked]
            pos = number.end
    return "".join(pieces) + evidence[pos:] if pieces else evidence

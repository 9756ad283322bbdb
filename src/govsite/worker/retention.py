"""Archive retention: old jobs' WARC archives (and page text) go, their findings stay.

A crawl folder holds the WARC segments and the page index with every page's
text — most of its size — beside small records: the fetch log (what was
requested and how it answered), the findings and summary (scan/output.py),
state.json and scan.log. After GOVSITE_ARCHIVE_RETENTION_DAYS (0 keeps everything) the
first kind is deleted and an `archive_pruned.json` note left in its place;
the small records and the findings in the database are kept for good.

Never pruned: a job still queued or running, and the newest finished job of
each site (its archive is the evidence behind the site's open findings and
work orders, however old it is).

Job folders are on the worker hosts' disk (GOVSITE_DATA_DIR); a folder this
host does not have is skipped, so on workers without shared storage run the
clean-up on each host (docs/deployment.md).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from govsite.surveys.archives import ARCHIVE_PATTERNS, MARKER, archive_files, delete_archive
from govsite.surveys.models import Job

log = logging.getLogger(__name__)
PRUNED_PATTERNS = ARCHIVE_PATTERNS
__all__ = ["MARKER", "PRUNED_PATTERNS", "PruneReport", "prune_archives"]


@dataclass
class PruneReport:
    days: int
    cutoff: str
    jobs: list[int] = field(default_factory=list)
    files: int = 0
    bytes: int = 0
    dry_run: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def prune_archives(days: int | None = None, *, now: datetime | None = None, dry_run: bool = False) -> PruneReport:
    days = settings.GOVSITE_ARCHIVE_RETENTION_DAYS if days is None else days
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    report = PruneReport(days=days, cutoff=cutoff.isoformat(timespec="seconds"), dry_run=dry_run)
    if days <= 0:
        return report
    newest = (
        Job.objects.filter(status=Job.Status.DONE).order_by().values("site_id").annotate(last=Max("pk")).values("last")
    )
    old = (
        Job.objects.filter(status__in=[Job.Status.DONE, Job.Status.FAILED], finished_at__lt=cutoff)
        .exclude(pk__in=newest)
        .exclude(out_dir="")
        .order_by("pk")
    )
    for job in old.iterator():
        folder = Path(job.out_dir)
        if not folder.is_dir() or (folder / MARKER).exists():
            continue
        files = archive_files(folder)
        report.jobs.append(job.pk)
        report.files += len(files)
        report.bytes += sum(path.stat().st_size for path in files)
        if not dry_run:
            delete_archive(folder, {"pruned_at": now.isoformat(timespec="seconds"), "retention_days": days})
    if report.jobs:
        log.info("pruned archives of %d jobs (%d bytes)%s", len(report.jobs), report.bytes, " [dry run]" * dry_run)
    return report

"""A site Job: crawl → checks → findings in the database → auto-scoring.

`run_job` is the one implementation; the embedded default calls it in a
thread of the web process or in the CLI, Celery workers call it from a task
(govsite.worker). It is idempotent and resumable: the crawl state lives in
the job's own folder (an interrupted crawl continues from its JSONL store),
and findings are upserted by key, so running a job twice leaves the same rows.
"""

from __future__ import annotations

import logging
import os
import shlex
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govsite import frameworks as fw
from govsite.findings import Finding as FindingRecord
from govsite.scan import output
from govsite.scoring.prescore import prescore
from govsite.surveys.archives import stored_evidence
from govsite.surveys.incidents import refresh_incident_rule
from govsite.surveys.models import Finding, IndicatorScore, Job, Site, finding_key_hash
from govsite.surveys.signals import job_finished

log = logging.getLogger(__name__)
PROGRESS_SECONDS = 2.0
SCAN_TIMEOUT_SECONDS = 24 * 3600  # a crawl still running after a day is stuck; the next run resumes it


@dataclass(frozen=True)
class SyncResult:
    new: int
    seen_again: int
    fixed: int


def job_folder(job: Job) -> Path:
    return Path(settings.DATA_DIR) / "jobs" / str(job.pk)


def create_job(site: Site, kind: str = Job.Kind.FULL, *, user=None, urls: Iterable[str] = ()) -> Job:
    return Job.objects.create(
        site=site, kind=kind, as_of=site.survey.as_of, requested_by=user, urls=list(dict.fromkeys(urls))
    )


def run_job(job_id: int, *, scan_args: Sequence[str] = (), worker: str = "") -> Job:
    """Run (or resume) one job to the end; a failure is recorded on the job, never raised for one bad site.

    The crawl runs as a `govsite scan` child process: Twisted's reactor starts
    once per process, and a crash or hang in one site's crawl must not take
    the web process or the worker with it. `scan_args` are extra options of
    `govsite scan` (politeness, bounds); GOVSITE_SCAN_ARGS adds deployment-wide ones.
    `worker` names who runs it (default host:pid), shown in progress views.

    Run again — a redelivered task after a worker was killed finds the job
    RUNNING with nobody running it — it picks up where the dead run stopped:
    the same folder, so the crawl resumes from its JSON lines store (a crawl
    that had finished is only judged again); a new WARC segment; findings
    upserted by key in one transaction, so nothing is doubled; `attempts`
    counts the runs. A DONE job is never run again. Callers that may run a
    job twice at once must serialise it (govsite.worker holds a per-site lock);
    the child process dies with its parent, and a resumed scan waits for any
    scan still writing the folder, so a killed run never leaves a second
    writer behind.
    """
    job = Job.objects.select_related("site__survey").get(pk=job_id)
    if job.status == Job.Status.DONE:
        return job
    folder = job_folder(job)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        started_at=job.started_at or timezone.now(),
        finished_at=None,
        attempts=job.attempts + 1,
        worker=(worker or f"{socket.gethostname()}:{os.getpid()}")[:200],
        out_dir=str(folder),
        error="",
    )
    try:
        _crawl(job, folder, scan_args)
        summary = output.read_site_summaries(folder)[0]
        findings = [f for f in output.read_findings(folder) if _judges(job, f.url, f.page)]
        fetched = output.fetched_urls(folder)
        with transaction.atomic():
            record_scan(job, summary, findings, fetched)
            # Inside the transaction: a job is DONE only together with what its end causes (work orders).
            job_finished.send(sender=Job, job=Job.objects.get(pk=job.pk))
    except Exception as exc:  # one bad site must never stop a survey
        log.exception("job %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}"
        )
    return Job.objects.get(pk=job.pk)


# The scan child's first lines: die with the process that started it (Linux: PR_SET_PDEATHSIG), and
# wait for any earlier scan still writing the same folder (an orphan where that signal is not available).
_SCAN_BOOTSTRAP = """\
import fcntl, os, signal, sys
parent, folder = int(sys.argv.pop(1)), sys.argv.pop(1)
try:
    import ctypes
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
except (OSError, AttributeError):
    pass
if os.getppid() != parent:
    sys.exit(75)
guard = open(os.path.join(folder, ".scan.lock"), "a")
fcntl.flock(guard, fcntl.LOCK_EX)
sys.argv[0] = "govsite"
from govsite.cli import main
main()
"""


def _crawl(job: Job, folder: Path, scan_args: Sequence[str]) -> None:
    """`govsite scan` for the job's site into its folder, reporting progress from the fetch log."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder.chmod(0o700)  # the raw pages, personal data included: the service account's only
    extra = [*shlex.split(os.environ.get("GOVSITE_SCAN_ARGS", "")), *scan_args]
    command = [sys.executable, "-c", _SCAN_BOOTSTRAP, str(os.getpid()), str(folder)]
    command += ["scan", job.site.url, "--out", str(folder), "--as-of", job.as_of.isoformat(), *extra]
    baseline = baseline_folder(job)
    if baseline is not None and "--baseline" not in extra:
        command += ["--baseline", str(baseline)]
    log_path = folder / "scan.log"
    limit = float(os.environ.get("GOVSITE_SCAN_TIMEOUT_SECONDS", SCAN_TIMEOUT_SECONDS))
    started = time.monotonic()
    with log_path.open("ab") as log_file:
        child = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT)
        while child.poll() is None:
            time.sleep(PROGRESS_SECONDS)
            Job.objects.filter(pk=job.pk).update(pages_fetched=_count_fetches(folder))
            if limit > 0 and time.monotonic() - started > limit:
                child.kill()
                child.wait()
                raise ScanFailed(f"govsite scan 超过 {limit:.0f} 秒未结束，已终止（GOVSITE_SCAN_TIMEOUT_SECONDS）")
    if child.returncode != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise ScanFailed(f"govsite scan 退出码 {child.returncode}：{tail.strip()}")


BASELINE_KINDS = (Job.Kind.FULL, Job.Kind.INCREMENTAL, Job.Kind.SELFCHECK)  # a recheck sees a few URLs only


def baseline_folder(job: Job) -> Path | None:
    """The output folder of the site's previous finished scan (the baseline `page_tampered` and
    `external_link_hijacked` compare with), or None: the first scan of a site has none, and those
    types are then reported unchecked. A scan that found the pages tampered with is no baseline
    (a defacement still there would compare equal to itself and look fixed): the last one that
    did not is taken."""
    earlier = (
        Job.objects.filter(site_id=job.site_id, status=Job.Status.DONE, kind__in=BASELINE_KINDS)
        .exclude(pk=job.pk)
        .exclude(out_dir="")
        .order_by("-finished_at", "-pk")
    )
    for previous in earlier[:20]:
        folder = Path(previous.out_dir)
        tampered = ((previous.summary or {}).get("findings_by_type") or {}).get("page_tampered")
        if not tampered and folder != job_folder(job) and output.has_summary(folder):
            return folder
    return None


class ScanFailed(RuntimeError):
    """The crawl's child process failed; the message carries the end of its log."""


def _count_fetches(folder: Path) -> int:
    total = 0
    for path in output.fetch_log_paths(folder):
        if not path.is_file():
            continue
        with path.open("rb") as handle:
            total += sum(chunk.count(b"\n") for chunk in iter(lambda h=handle: h.read(1 << 20), b""))
    return total


def record_scan(job: Job, summary: dict, findings: list[FindingRecord], fetched: set[str]) -> SyncResult:
    """Store one site's scan in the database: findings synced, scores, the site's verdict, the job DONE.

    `summary` is the site's entry of the scan's summary; `findings` what the job
    judges of it; `fetched` the URLs that answered. Call inside a transaction.
    The one way a scan gets into the database (run_job, the demo survey).
    """
    not_checked = why_not_checked(summary)
    changes = sync_findings(
        job,
        findings,
        fetched=None if not_checked else fetched,
        aliases=summary.get("aliases") or {},
        unchecked=frozenset(summary.get("unchecked_types") or ()),
    )
    prescore_site(job.site)
    Site.objects.filter(pk=job.site_id).update(verdict=summary.get("verdict"))
    refresh_incident_rule(job.site)  # a confirmed incident stays confirmed (surveys/incidents.py)
    extra: dict = {"changes": asdict(changes), "not_checked": not_checked}
    if job.kind == Job.Kind.RECHECK:
        extra["not_fetched"] = [url for url in job.urls if url not in fetched]
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE,
        finished_at=timezone.now(),
        pages_fetched=summary.get("pages", 0),
        summary={**summary, **extra},
    )
    return changes


def why_not_checked(summary: dict) -> str:
    """Why a scan proves nothing about what it did not see (Chinese), or "" when it ran to its end."""
    if not summary.get("pages"):
        failures = summary.get("fetch_failures") or {}
        detail = "、".join(f"{FETCH_FAILURE_LABELS.get(k, k)} {v} 次" for k, v in failures.items())
        return "网站没有响应，未能抓取到任何页面" + (f"（{detail}）" if detail else "")
    if summary.get("crawl_complete") is False:
        return "抓取未完成，结果不能说明全站情况"
    return ""


def not_checked_message(job: Job) -> str:
    """What the pages and notes say of a finished job that could not check the site (Chinese), else ""."""
    why = (job.summary or {}).get("not_checked") if job.status == Job.Status.DONE else ""
    return f"检测未能进行：{why}。问题和工单保持原状，单项否决结论为“无法判定”。" if why else ""


FETCH_FAILURE_LABELS = {
    "timeout": "超时",
    "dns": "域名无法解析",
    "refused": "连接被拒绝",
    "tls": "TLS 握手失败",
    "redirect_loop": "重定向循环",
    "too_large": "内容过大",
    "blocked": "被策略阻止",
    "error": "其他错误",
}


def _judges(job: Job, url: str, page: str | None) -> bool:
    """A full scan judges the whole site; a re-check exactly the URLs it was asked about (a finding's url or page)."""
    return job.kind != Job.Kind.RECHECK or url in job.urls or (page or "") in job.urls


def sync_findings(
    job: Job,
    records: list[FindingRecord],
    *,
    fetched: set[str] | None,
    aliases: dict[str, str] | None = None,
    unchecked: frozenset[str] = frozenset(),
) -> SyncResult:
    """Upsert this run's findings by key; an open finding this run could see but did not is fixed.

    "Could see": the job judges its URL (a full scan the whole site, a re-check
    only its URLs) and the page that showed it (its `page`, else its `url`)
    answered in this run (`fetched`). A fetch that failed proves nothing, so
    the finding stays open; `fetched=None` (a site that did not answer, a crawl
    cut short) fixes nothing at all; nor does a finding type in `unchecked` (its detector did
    not run: the summary's `unchecked_types`) fix its findings.

    `aliases` (URL -> its page's canonical URL, from the scan summary): a finding
    stored under an alias (`/index.html` of `/`) is the same problem as the one
    now reported on the canonical URL, so it is re-keyed, never "fixed" and
    found again; one stored under both keeps the canonical row, and the alias
    row follows its status.
    """
    now = timezone.now()
    existing = {f.key_hash: f for f in Finding.objects.filter(site_id=job.site_id)}
    rekeyed, duplicates = _rekey_aliases(existing, aliases or {})
    seen: set[str] = set()
    new_rows, changed = [], []
    for record in records:
        key_hash = finding_key_hash(*record.key)
        if key_hash in seen:
            continue
        seen.add(key_hash)
        row = existing.get(key_hash)
        if row is None:
            new_rows.append(_new_row(job, record, key_hash, now))
            continue
        row.evidence, row.detail = stored_evidence(record.type, record.evidence), record.detail
        row.severity = record.severity
        row.page = record.page or ""
        row.last_job_id, row.status, row.fixed_at = job.pk, Finding.Status.OPEN, None
        changed.append(row)
    fixed = [
        row
        for key_hash, row in existing.items()
        if key_hash not in seen
        and row.status == Finding.Status.OPEN
        and row.type not in unchecked
        and _could_see(job, row, fetched)
    ]
    for row in fixed:
        row.status, row.fixed_at, row.last_job_id = Finding.Status.FIXED, now, job.pk
    for row, canonical in duplicates:
        row.status, row.fixed_at, row.last_job_id = canonical.status, canonical.fixed_at, job.pk
    Finding.objects.bulk_update(rekeyed, ["url", "page", "key_hash"], batch_size=1000)
    Finding.objects.bulk_create(new_rows, batch_size=1000)
    Finding.objects.bulk_update(
        changed + fixed + [row for row, _ in duplicates],
        ["evidence", "detail", "severity", "page", "last_job", "status", "fixed_at"],
        batch_size=1000,
    )
    return SyncResult(new=len(new_rows), seen_again=len(changed), fixed=len(fixed))


def _rekey_aliases(
    existing: dict[str, Finding], aliases: dict[str, str]
) -> tuple[list[Finding], list[tuple[Finding, Finding]]]:
    """Move rows stored under an alias URL to their canonical key, in `existing` (key hash -> row).

    Returns the rows re-keyed and (alias row, canonical row) pairs where the canonical key
    already had its row: those alias rows leave `existing` and follow the canonical row."""
    rekeyed: list[Finding] = []
    duplicates: list[tuple[Finding, Finding]] = []
    if not aliases:
        return rekeyed, duplicates
    for key_hash, row in list(existing.items()):
        url, page = aliases.get(row.url, row.url), aliases.get(row.page, row.page) if row.page else row.page
        if (url, page) == (row.url, row.page):
            continue
        canonical_hash = finding_key_hash(row.type, url, str((row.detail or {}).get("key", "")))
        del existing[key_hash]
        if canonical_hash in existing:
            duplicates.append((row, existing[canonical_hash]))
            continue
        row.url, row.page, row.key_hash = url, page, canonical_hash
        existing[canonical_hash] = row
        rekeyed.append(row)
    return rekeyed, duplicates


def _could_see(job: Job, row: Finding, fetched: set[str] | None) -> bool:
    return fetched is not None and _judges(job, row.url, row.page) and (row.page or row.url) in fetched


def _new_row(job: Job, record: FindingRecord, key_hash: str, now) -> Finding:
    return Finding(
        site_id=job.site_id,
        type=record.type,
        url=record.url,
        page=record.page or "",
        severity=record.severity,
        evidence=stored_evidence(record.type, record.evidence),
        detail=record.detail,
        key_hash=key_hash,
        found_at=now,
        first_job_id=job.pk,
        last_job_id=job.pk,
    )


def prescore_site(site: Site) -> int:
    """Refresh the monitoring-based suggested score of every auto/hybrid indicator; returns how many."""
    spec = site.survey.framework_for(site.level)
    if not spec:
        return 0
    framework = fw.load(spec)
    counts = Counter(Finding.objects.filter(site=site, status=Finding.Status.OPEN).values_list("type", flat=True))
    updated = 0
    for group in framework.indicators:
        for leaf in group.leaves():
            if leaf.collection not in ("auto", "hybrid"):
                continue
            suggestion = prescore(leaf, counts)
            if suggestion is None:
                continue
            score, _created = IndicatorScore.objects.get_or_create(site=site, code=leaf.code)
            score.auto_score, score.auto_explanation = suggestion.score, suggestion.explanation
            fields = ["auto_score", "auto_explanation", "updated_at"]
            if score.score is None or (leaf.collection == "auto" and score.status == IndicatorScore.Status.DRAFT):
                score.score = suggestion.score
                fields.append("score")
            score.save(update_fields=fields)
            updated += 1
    return updated

"""A worker SIGKILLed mid-crawl: its job is delivered again, resumes its crawl, and the survey's findings are whole.

Two ways a worker dies:
- "pool process": the process running the task is killed (the OOM killer's
  usual victim); Celery's main process sees it die and, with
  reject_on_worker_lost, puts the message back at once;
- "whole worker": the worker's every process is killed (a machine or
  container gone); Redis delivers the unacknowledged message again after
  the visibility timeout (here 15 s), to the surviving worker.
Either way the crawl child must die too (it would otherwise go on writing
the job's folder), the site lock must be free again, and the redelivered job
must resume the same folder: a second WARC segment, and no page fetched
again but the one whose record the kill cut off.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import psutil
import pytest
from workerharness import (
    FAST_SCAN,
    broker_state,
    create_survey,
    django_call,
    fetch_lines,
    job_rows,
    open_findings,
    wait_for,
)

from govsite.samplesites.measure import site_url
from govsite.samplesites.server import SampleServers

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

# One request at a time, so "fetched again" is exact. The crawl is caught mid-way by the sites' gates
# (samplesites.server.Gate), which hold every request after the first GATE_AFTER, not by slowing it.
ONE_AT_A_TIME = FAST_SCAN + " --concurrency 1"
GATE_AFTER = 40


def held_job(db: str, survey: int, servers: SampleServers) -> dict | None:
    """A job RUNNING whose site's gate holds its crawl's next request, with pages fetched before it."""
    held = {site_url(server.url) for server in servers.sites.values() if server.gate.held}
    for job in job_rows(db, survey):
        if job["status"] != "running" or not job["out_dir"] or job["url"] not in held:
            continue
        if fetch_lines(job["out_dir"]):
            return job
    return None


def crawls_of(out_dir: str) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if "scan" in cmdline and out_dir in cmdline:
            found.append(process)
    return found


@pytest.mark.parametrize("victim", ["pool process", "whole worker"])
def test_a_killed_workers_job_is_redelivered_and_resumed(
    victim, services, sample_servers, sample_urls, workers, reference_findings
):
    db = services["DATABASE_URL"]
    survey = create_survey(services, f"故障：{victim}", list(sample_urls.values()))["survey"]
    pool = workers(2, GOVSITE_SCAN_ARGS=ONE_AT_A_TIME, GOVSITE_BROKER_VISIBILITY_TIMEOUT="15")
    servers = sample_servers.sites.values()
    for server in servers:
        server.gate.close_after(GATE_AFTER)
    try:
        django_call(
            services,
            f"""
            from govsite.worker.tasks import launch_survey
            result = launch_survey({survey}, "full")
            """,
        )
        job = wait_for(lambda: held_job(db, survey, sample_servers), 180, "a job held mid-crawl", interval=0.1)
        victim_server = next(server for server in servers if site_url(server.url) == job["url"])
        for server in servers:  # the other crawls go on at once, well within their request timeout
            if server is not victim_server:
                server.gate.open()
        name, pid = job["worker"].rsplit(":", 1)
        worker = next(w for w in pool if name.startswith(f"{w.name}@"))
        fetched_before = len(fetch_lines(job["out_dir"]))
        assert crawls_of(job["out_dir"]), "the crawl runs in a child process of the task"
        if victim == "pool process":
            os.kill(int(pid), signal.SIGKILL)
        else:
            worker.kill()
        wait_for(lambda: not crawls_of(job["out_dir"]), 10, "the orphaned crawl to die with its parent")
    finally:
        for server in servers:
            server.gate.open()

    def finished():
        rows = job_rows(db, survey)
        return rows if all(r["status"] in ("done", "failed") for r in rows) else None

    def explain() -> str:
        logs = "\n".join(f"--- {w.name}\n{w.log()[-3000:]}" for w in pool)
        return f"{job_rows(db, survey)}\n{broker_state(services['GOVSITE_BROKER_URL'])}\n{logs}"

    rows = wait_for(finished, 300, "the survey to finish after the kill", explain=explain)
    assert [r["status"] for r in rows] == ["done"] * 3, rows
    again = next(r for r in rows if r["id"] == job["id"])
    assert again["attempts"] >= 2, "the killed job ran again"
    folder = Path(again["out_dir"])
    assert len(list(folder.glob("sites/*/archive/crawl-*.warc.gz"))) >= 2, "the rerun wrote a new segment"
    urls = [f["url"] for f in fetch_lines(again["out_dir"])]
    assert len(set(urls)) > fetched_before, "the rerun went on crawling"
    # Resumed, not restarted: of the pages fetched before the kill only one whose page record the kill
    # cut off (the crawl fetches one at a time here) is fetched again, to read its links.
    assert len(urls) - len(set(urls)) <= 1, sorted(u for u in set(urls) if urls.count(u) > 1)
    assert open_findings(db, survey) == reference_findings

"""`govsite scan` over generated sample sites, judged against their truth files.

Precision and recall per finding type: every seeded defect found, nothing
else reported — privacy leaks in pages and attachments included.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest
from scanhelpers import FAST_OPTIONS, read_findings, run_govsite

from govsite.samplesites.measure import evaluate_scan, site_url
from govsite.samplesites.truth import Truth

pytestmark = pytest.mark.slow


def _keys(findings):
    return sorted((f["type"], f["url"], str(f["detail"].get("key", ""))) for f in findings)


def test_every_finding_type_has_full_precision_and_recall(full_scan, sample_root):
    scores, table = evaluate_scan(sample_root, full_scan)
    assert len(scores) >= 23, table
    for type_, score in scores.items():
        assert score.precision == 1.0 and score.recall == 1.0, (
            f"{type_}: false positives {score.false_positives}, missed {score.missed}\n{table}"
        )


def test_correct_generated_text_yields_no_wording_findings(full_scan):
    """The generator seeds no wording errors: every typo or sensitive_expression would be a false alarm."""
    wording = [f for f in read_findings(full_scan) if f["type"] in ("typo", "sensitive_expression")]
    assert wording == [], [(f["url"], f["evidence"]) for f in wording[:10]]


def test_inspection_verdict_matches_the_truth(full_scan, sample_root, sample_servers):
    summary = json.loads((full_scan / "summary.json").read_text(encoding="utf-8"))
    by_site = {s["site"]: s for s in summary["sites"]}
    for slug, url in sample_servers.urls().items():
        truth = Truth.load(sample_root / slug)
        verdict = by_site[site_url(url)]["verdict"]
        assert verdict["state"] == ("fail" if truth.verdict["vetoed"] else "pass"), (slug, verdict, truth.verdict)
        assert not [r for r in verdict["rules"] if r["state"] == "unknown"], slug
        # Without --baseline the security-incident rule stands on what one scan sees, and says what it did not.
        incident = {r["code"]: r for r in verdict["rules"]}["security_incident"]
        assert (incident["state"], incident["reason"]["code"]) == ("pass", "partly_checked"), slug


def test_gbk_pages_are_decoded_without_mojibake(full_scan, sample_root, sample_servers):
    truth = Truth.load(sample_root / "yunchuan")
    assert truth.encoding == "gbk"
    url = sample_servers.urls()["yunchuan"]
    titles = {}
    for folder in (full_scan / "sites").iterdir():
        for line in (folder / "pages.jsonl").read_text(encoding="utf-8").splitlines():
            page = json.loads(line)
            titles[page["url"]] = page["title"]
    checked = [p for p in truth.pages if p.get("outside_gb2312")]
    assert checked, "the generator seeds GBK-only characters"
    for page in checked:
        assert titles[url + page["path"]] == page["title"]


def test_rejudging_the_archive_gives_the_same_findings(full_scan, tmp_path):
    out = tmp_path / "rejudged"
    result = run_govsite(
        "scan", "--from-warc", str(full_scan), "--out", str(out), "--as-of", "2025-11-30", "--slow-ms", "1000"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert _keys(read_findings(out)) == _keys(read_findings(full_scan))


def test_robots_txt_is_obeyed_and_the_spider_trap_is_bounded(full_scan, sample_root, sample_servers):
    summary = json.loads((full_scan / "summary.json").read_text(encoding="utf-8"))
    fetched = set()
    for folder in (full_scan / "sites").iterdir():
        for line in (folder / "fetches.jsonl").read_text(encoding="utf-8").splitlines():
            fetch = json.loads(line)
            if fetch["error"] != "blocked":
                fetched.add(fetch["url"])
    for slug, url in sample_servers.urls().items():
        truth = Truth.load(sample_root / slug)
        for path in truth.robots.get("disallow", []):
            assert not any(u.startswith(url + path) for u in fetched), path
        calendar = [u for u in fetched if u.startswith(url + "/calendar/")]
        assert len(calendar) < 300, len(calendar)
    bounds = {name for site in summary["sites"] for name in site["bounds"]}
    assert bounds & {"max_depth", "query_variants", "future_date_in_url"}


def test_a_killed_scan_resumes_and_ends_with_the_same_findings(full_scan, sample_servers, tmp_path):
    url = sample_servers.urls()["qinghe"] + "/"
    out = tmp_path / "resumed"
    command = [sys.executable, "-m", "govsite.cli", "scan", url, "--out", str(out), *FAST_OPTIONS]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    fetches = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        fetches = list(out.glob("sites/*/fetches.jsonl"))
        if fetches and fetches[0].read_text(encoding="utf-8").count("\n") >= 120:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    interrupted = fetches[0].read_text(encoding="utf-8").count("\n")
    assert interrupted >= 120
    state = json.loads((fetches[0].parent / "state.json").read_text(encoding="utf-8"))
    assert state["crawl_complete"] is False
    result = run_govsite("scan", url, "--out", str(out), *FAST_OPTIONS)
    assert result.returncode == 0, result.stderr[-2000:]
    expected = [f for f in read_findings(full_scan) if f["site"] == url]
    assert _keys(read_findings(out)) == _keys(expected)
    lines = [json.loads(line) for line in fetches[0].read_text(encoding="utf-8").splitlines()]
    urls = [line["url"] for line in lines]
    # Only what was in flight at the kill (at most the per-site concurrency) is fetched again.
    assert len(urls) - len(set(urls)) <= 4, "a resumed crawl does not redo finished work"


@pytest.mark.parametrize("workers", ["0", "2"])
def test_any_number_of_analysis_workers_finds_the_same(workers, full_scan, sample_servers, tmp_path):
    url = sample_servers.urls()["qinghe"] + "/"
    out = tmp_path / f"workers-{workers}"
    result = run_govsite("scan", url, "--out", str(out), "--analysis-workers", workers, *FAST_OPTIONS)
    assert result.returncode == 0, result.stderr[-2000:]
    assert _keys(read_findings(out)) == _keys([f for f in read_findings(full_scan) if f["site"] == url])


def test_a_bad_number_of_analysis_workers_is_a_clear_error(tmp_path):
    result = run_govsite("scan", "http://127.0.0.1:9/", "--out", str(tmp_path), "--analysis-workers", "-1")
    assert result.returncode == 2 and "--analysis-workers" in result.stderr

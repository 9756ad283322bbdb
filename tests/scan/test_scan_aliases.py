"""One page, one set of findings: a scan of a site that links its pages under several URLs each.

The alias site (`generate.alias_spec`) links its homepage as /, /index.html, ./index.htm,
http://HOST:PORT/? and HTTP://HOST:PORT/#top, a stale column as its directory, another stale
column through a redirect (/col/… -> /col/…/), and has two empty columns with byte-identical
暂无信息 pages. Each finding is in its truth once.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from scanhelpers import FAST_OPTIONS, read_findings, run_govsite

from govsite.samplesites.generate import alias_spec, generate_sample
from govsite.samplesites.measure import evaluate_scan, served, site_url
from govsite.samplesites.truth import Truth

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def alias_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("aliases")
    generate_sample(root, [alias_spec()])
    with served(root) as servers:
        yield root, site_url(servers.urls()["liutang"])


@pytest.fixture(scope="module")
def alias_scan(alias_site, tmp_path_factory) -> Path:
    _, url = alias_site
    out = tmp_path_factory.mktemp("alias-scan")
    result = run_govsite("scan", url, "--out", str(out), *FAST_OPTIONS)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def _keys(findings: list[dict]) -> list[tuple]:
    return sorted((f["type"], f["url"], f.get("page"), str(f["detail"].get("key", ""))) for f in findings)


def _summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))["sites"][0]


def test_every_finding_of_the_alias_site_is_reported_once(alias_site, alias_scan):
    root, _ = alias_site
    scores, table = evaluate_scan(root, alias_scan)
    assert {"empty_column", "stale_column", "privacy_phone"} <= set(scores), table
    for type_, score in scores.items():
        assert score.precision == 1.0 and score.recall == 1.0, (
            f"{type_}: false positives {score.false_positives}, missed {score.missed}\n{table}"
        )


def test_no_page_has_a_finding_twice_under_another_url(alias_site, alias_scan):
    root, url = alias_site
    findings = read_findings(alias_scan)
    per_page = Counter((f["type"], f["url"].rstrip("/").removesuffix("/index.html").removesuffix("/index.htm")) for f in findings)
    assert [key for key, count in per_page.items() if count > 1] == []
    www = root / "liutang" / "www"
    assert (www / "index.htm").read_bytes() != (www / "index.html").read_bytes(), "one alias reads the same only"
    reported = {f["url"] for f in findings} | {f.get("page") for f in findings}
    aliases = {url + "index.html", url + "index.htm"}
    assert not aliases & reported
    truth = Truth.load(root / "liutang")
    stale = [c.path for c in truth.columns if c.stale]
    assert {f["url"] for f in findings if f["type"] == "stale_column"} == {url + p.lstrip("/") for p in stale}


def test_two_empty_columns_with_one_body_are_two_findings(alias_site, alias_scan):
    root, url = alias_site
    truth = Truth.load(root / "liutang")
    twins = [url + c.path.lstrip("/") for c in truth.columns if c.empty]
    bodies = {(root / "liutang" / "www" / c.path.lstrip("/")).read_bytes() for c in truth.columns if c.empty}
    assert len(twins) == 2 and len(bodies) == 1
    assert sorted(f["url"] for f in read_findings(alias_scan) if f["type"] == "empty_column") == sorted(twins)


def test_the_aliases_are_one_page_each_in_the_summary(alias_scan):
    summary = _summary(alias_scan)
    # /index.html and /index.htm into /; /col/a/ into its index.html; /col/b and /col/b/ into theirs.
    assert summary["page_aliases"] == 5, summary
    assert summary["findings_by_type"]["privacy_phone"] == 1


def test_rejudging_the_archive_gives_the_same_findings(alias_scan, tmp_path):
    out = tmp_path / "rejudged"
    result = run_govsite("scan", "--from-warc", str(alias_scan), "--out", str(out), *FAST_OPTIONS[-4:])
    assert result.returncode == 0, result.stderr[-2000:]
    assert _keys(read_findings(out)) == _keys(read_findings(alias_scan))
    assert _summary(out)["page_aliases"] == _summary(alias_scan)["page_aliases"]


def test_a_resumed_crawl_gives_the_same_findings(alias_site, alias_scan, tmp_path):
    """The crawl stopped after half its fetches (the frontier on record) and resumed."""
    _, url = alias_site
    out = tmp_path / "resumed"
    result = run_govsite("scan", url, "--out", str(out), *FAST_OPTIONS)
    assert result.returncode == 0, result.stderr[-2000:]
    folder = next((out / "sites").iterdir())
    lines = (folder / "fetches.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "fetches.jsonl").write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")
    state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    (folder / "state.json").write_text(json.dumps({**state, "crawl_complete": False}), encoding="utf-8")
    result = run_govsite("scan", url, "--out", str(out), *FAST_OPTIONS)
    assert result.returncode == 0, result.stderr[-2000:]
    assert _keys(read_findings(out)) == _keys(read_findings(alias_scan))

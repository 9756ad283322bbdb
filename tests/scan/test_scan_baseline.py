"""`govsite scan --baseline`: a generated site scanned, altered, scanned again (samplesites/tamper.py).

One small site, four scans against the first as baseline: unaltered (nothing), a legitimate
news update (nothing), defaced, its friendly link hijacked and scripts and hidden links planted
(samplesites/inject.py: page_tampered, external_link_hijacked both ways, hidden_link and
malicious_script — the four security events of one altered portal), and a scan without a baseline
(the compared types unchecked).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from scanhelpers import FAST_OPTIONS, read_findings, run_govsite

from govsite.samplesites import Defects, SampleServers, SiteSpec, generate_site
from govsite.samplesites.inject import inject_security_events
from govsite.samplesites.tamper import FriendSite, add_friend_link, hijacked_truth, legit_update, tamper

AS_OF = date(2025, 11, 30)
QUICK = [*FAST_OPTIONS, "--concurrency", "2", "--no-typos", "--analysis-workers", "0", "--max-pages", "60"]
COMPARED = {"page_tampered", "external_link_hijacked"}
EVENTS = COMPARED | {"hidden_link", "malicious_script"}


def _spec() -> SiteSpec:
    quiet = Defects(decoys=False, spider_trap=False, oversized_page=False)
    return SiteSpec(name="青禾市人民政府", columns=3, items_per_column=3, seed=11, as_of=AS_OF, defects=quiet)


def _scan(url: str, out: Path, *extra: str) -> tuple[list[dict], dict]:
    result = run_govsite("scan", url, "--out", str(out), *QUICK, *extra)
    assert result.returncode == 0, result.stderr
    (site,) = json.loads((out / "summary.json").read_text(encoding="utf-8"))["sites"]
    return [f for f in read_findings(out) if f["type"] in EVENTS], site


@pytest.fixture(scope="module")
def altered_runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("tamper")
    site_dir = root / "site"
    generate_site(site_dir, _spec())
    runs: dict[str, tuple[list[dict], dict]] = {}
    with FriendSite() as friend, FriendSite() as casino, SampleServers(site_dir) as servers:
        casino.hijack("casino")
        add_friend_link(site_dir, friend.url)
        (server,) = servers.sites.values()
        url = server.url + "/"
        baseline = root / "a"
        runs["baseline"] = _scan(url, baseline)
        runs["unaltered"] = _scan(url, root / "b", "--baseline", str(baseline))
        assert legit_update(site_dir, AS_OF)
        runs["legit"] = _scan(url, root / "c", "--baseline", str(baseline))
        tamper(site_dir)
        inject_security_events(site_dir)
        friend.hijack("redirect", to=casino.url)
        truth = hijacked_truth(site_dir, friend.url)
        runs["tampered"] = _scan(url, root / "d", "--baseline", str(baseline))
    return runs, truth, friend.url, url


def test_without_a_baseline_the_compared_types_are_unchecked_never_passed(altered_runs):
    runs, *_ = altered_runs
    findings, site = runs["baseline"]
    assert findings == []
    assert set(site["unchecked_types"]) >= COMPARED
    # A first scan has no baseline: the rule stands on what was checked (挂马) and says what was not.
    rule = {r["code"]: r for r in site["verdict"]["rules"]}["security_incident"]
    assert rule["state"] == "pass" and rule["reason"]["code"] == "partly_checked"
    assert "网页篡改" in rule["reason"]["text"]


def test_an_unaltered_site_and_a_legitimate_news_update_report_no_tampering(altered_runs):
    runs, *_ = altered_runs
    for name in ("unaltered", "legit"):
        findings, site = runs[name]
        assert findings == [], name
        assert not COMPARED & set(site["unchecked_types"]), name
        rule = {r["code"]: r for r in site["verdict"]["rules"]}["security_incident"]
        assert rule["state"] == "pass", name


def test_a_defaced_homepage_and_a_hijacked_friendly_link_are_reported(altered_runs):
    runs, truth, friend_url, site_url = altered_runs
    findings, site = runs["tampered"]
    tampered = [f for f in findings if f["type"] == "page_tampered"]
    assert [f["url"] for f in tampered] == [site_url]
    diff = tampered[0]["detail"]["diff"]
    assert "+栏目标题：本站已被黑客攻破 澳门威尼斯人娱乐城欢迎您" in diff and "hacked.png" in diff
    assert diff.startswith("--- 上次检测") and len(diff) <= 4000
    hijacked = {f["detail"]["key"]: f for f in findings if f["type"] == "external_link_hijacked"}
    assert set(hijacked) == {"content", "redirect"}
    assert {f["url"] for f in hijacked.values()} == {friend_url}
    assert "百家乐" in hijacked["content"]["detail"]["hits"] and hijacked["content"]["page"] == site_url
    assert hijacked["redirect"]["detail"]["baseline_final_url"] == friend_url
    # The altered run's truth lists exactly these (and they were reported above).
    assert {(f.type, f.path) for f in truth.findings if f.type in COMPARED} == {
        ("page_tampered", "/"),
        ("external_link_hijacked", friend_url),
    }
    planted = {f["type"] for f in findings} - COMPARED
    assert planted == {"hidden_link", "malicious_script"}
    assert {f["severity"] for f in findings if f["type"] == "malicious_script"} == {"high"}
    rule = {r["code"]: r for r in site["verdict"]["rules"]}["security_incident"]
    assert rule["state"] == "unknown" and rule["reason"]["code"] == "incident_suspected"
    assert "网页篡改" in rule["reason"]["text"] and "挂马" in rule["reason"]["text"]

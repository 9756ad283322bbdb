"""A generated site scanned clean and altered with injected 暗链 and 挂马: the clean one reports none of
the security-event types (its skip link and conac script are look-alikes), the altered one each event."""

from __future__ import annotations

import pytest
from scanhelpers import FAST_OPTIONS, read_findings, run_govsite

from govsite.samplesites.generate import default_specs, generate_sample
from govsite.samplesites.inject import inject_security_events
from govsite.samplesites.measure import evaluate_scan, served, site_url
from govsite.samplesites.spec import Defects

pytestmark = pytest.mark.slow
EVENT_TYPES = {"hidden_link", "malicious_script", "mixed_content", "tls_expiring"}


def small(slug: str):
    return default_specs()[0].with_(slug=slug, columns=3, items_per_column=3, defects=Defects())


def test_injected_events_are_each_reported_and_the_clean_twin_reports_none(tmp_path):
    root = tmp_path / "sample"
    generate_sample(root, [small("clean"), small("altered")])
    added = inject_security_events(root / "altered")
    assert sorted(f.type for f in added) == ["hidden_link", "malicious_script", "malicious_script"]
    out = tmp_path / "scan"
    with served(root) as servers:
        urls = servers.urls()
        result = run_govsite("scan", *(site_url(u) for u in urls.values()), "--out", str(out), *FAST_OPTIONS)
        assert result.returncode == 0, result.stderr[-3000:]
        scores, table = evaluate_scan(root, out)
    findings = read_findings(out)
    clean = [f for f in findings if f["site"] == site_url(urls["clean"]) and f["type"] in EVENT_TYPES]
    assert clean == [], [(f["type"], f["url"], f["evidence"]) for f in clean]
    for type_ in ("hidden_link", "malicious_script"):
        score = scores[type_]
        assert score.precision == 1.0 and score.recall == 1.0, table
    altered = {f["url"]: f for f in findings if f["type"] in EVENT_TYPES}
    home = altered[site_url(urls["altered"])]
    assert home["severity"] == "high" and "澳门葡京娱乐城" in home["evidence"]
    assert {link["how"].split(":")[0] for link in home["detail"]["links"]} >= {
        'style="display',
        ".hd-lk{position",
        "script",
    }
    assert all(f["severity"] == "high" for f in altered.values() if f["type"] == "malicious_script")

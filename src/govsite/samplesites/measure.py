"""Tie a scan of served generated sites back to their truth files.

Ports are chosen at serve time, so `served()` records which URL each site
got (`served.json` beside the generated sites) and `evaluate_scan` reads it to
compare a scan's findings with every site's truth.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from govsite.samplesites.evaluate import TypeScore, evaluate, merge, score_table
from govsite.samplesites.server import SampleServers
from govsite.samplesites.truth import Truth
from govsite.scan.output import iter_finding_dicts

SERVED_FILE = "served.json"


@contextmanager
def served(root: Path, *, hang_seconds: float | None = None) -> Iterator[SampleServers]:
    """Serve every generated site under the root on 127.0.0.1 and record the URLs in served.json."""
    with SampleServers(root, hang_seconds=hang_seconds) as servers:
        record = {"external": servers.external.url, "sites": servers.urls()}
        (Path(root) / SERVED_FILE).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        yield servers


def site_url(server_url: str) -> str:
    return server_url.rstrip("/") + "/"


def evaluate_scan(root: Path, scan_dir: Path) -> tuple[dict[str, TypeScore], str]:
    """Precision/recall per finding type over every served site, and a printable table."""
    record = json.loads((root / SERVED_FILE).read_text(encoding="utf-8"))
    findings = list(iter_finding_dicts(scan_dir))
    per_site = []
    for slug, url in record["sites"].items():
        truth = Truth.load(root / slug)
        expected = truth.expected(url, record["external"])
        reported = [f for f in findings if f["site"] == site_url(url)]
        per_site.append(evaluate(reported, expected, unjudged=truth.unjudged_types))
    scores = merge(per_site)
    return scores, score_table(scores)

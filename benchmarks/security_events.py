"""Precision and recall of the security-event detectors on generated sites, clean and altered.

Generates small twins of the three default sample sites (3 columns each), alters one of each pair
with `samplesites.inject` (hidden gambling links, a zero-size foreign iframe, an eval packer),
serves them on 127.0.0.1, scans them with `govsite scan --loopback-only` and prints the table of
`samplesites.evaluate` for every type, and the security-event findings of the clean twins (none
expected). About a minute on one core.

    python benchmarks/security_events.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from govsite.samplesites.evaluate import score_table
from govsite.samplesites.generate import default_specs, generate_sample
from govsite.samplesites.inject import inject_security_events
from govsite.samplesites.measure import evaluate_scan, served, site_url
from govsite.samplesites.spec import Defects
from govsite.scan.output import iter_finding_dicts

EVENT_TYPES = ("hidden_link", "malicious_script", "mixed_content", "tls_expiring")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root, out = Path(tmp) / "sample", Path(tmp) / "scan"
        specs = []
        for spec in default_specs():
            small = spec.with_(columns=3, items_per_column=3, defects=Defects())
            specs += [small.with_(slug=f"{spec.slug}-clean"), small.with_(slug=f"{spec.slug}-altered")]
        generate_sample(root, specs)
        for spec in specs[1::2]:
            inject_security_events(root / spec.slug)
        with served(root) as servers:
            urls = [site_url(u) for u in servers.urls().values()]
            options = ["--loopback-only", "--timeout", "5", "--retries", "0", "--delay", "0", "--no-autothrottle"]
            env = {**os.environ, "GOVSITE_LOOPBACK_ONLY": "1"}
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "govsite.cli",
                    "scan",
                    *urls,
                    "--out",
                    str(out),
                    *options,
                    "--as-of",
                    "2025-11-30",
                ],
                check=True,
                env=env,
                capture_output=True,
            )
            scores, _ = evaluate_scan(root, out)
            clean = {site_url(u) for slug, u in servers.urls().items() if slug.endswith("-clean")}
        events = {t: s for t, s in scores.items() if t in EVENT_TYPES}
        print(score_table(events) if events else "no security-event finding and none expected")
        noise = [f for f in iter_finding_dicts(out) if f["type"] in EVENT_TYPES and f["site"] in clean]
        print(f"security-event findings on the {len(clean)} clean sites: {len(noise)}")


if __name__ == "__main__":
    main()

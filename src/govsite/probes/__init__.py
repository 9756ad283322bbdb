"""Probes: the checks that talk to the site itself (a detector only reads records).

`base.py` holds the contract (registration, options, the target guard that
applies the loopback, politeness and timeout rules in one place); each
family is a module here. `govsite.checks` never imports this package (a test
holds it to that), so a re-judge from the archive stays offline.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from importlib.metadata import entry_points
from pathlib import Path

# Importing a family registers its probes (base.probe).
from govsite.probes import ipv6, tls  # noqa: F401
from govsite.probes.base import (
    CrawledPage,
    Probe,
    ProbeOptions,
    ProbeOutcome,
    Target,
    registered_probes,
    run_probe,
)

__all__ = ["CrawledPage", "ProbeOptions", "ProbeOutcome", "all_probes", "probe_site", "report_files"]

log = logging.getLogger(__name__)


def all_probes() -> list[Probe]:
    """The built-in probes plus any installed under the `govsite.probes` entry points."""
    for entry in entry_points(group="govsite.probes"):
        entry.load()
    return registered_probes()


def report_files() -> list[str]:
    """The file names of every probe's report in a site's folder."""
    return [item.report for item in all_probes()]


def probe_site(
    site: str,
    folder: Path,
    options: ProbeOptions,
    *,
    after_crawl: bool = False,
    pages: Iterable[CrawledPage] = (),
) -> list[ProbeOutcome]:
    """Run every probe of the stage (before the crawl, or `after_crawl` with the crawl's `pages`) that
    applies to `site`; each report is written as its file in `folder`.

    A probe that is refused or fails writes nothing (a report left from an
    earlier run is not touched); its outcome says why. One that cannot run
    from this machine may write a report saying so.
    """
    target = Target(site, options, pages=tuple(pages))
    outcomes = []
    for item in all_probes():
        if item.after_crawl != after_crawl:
            continue
        outcome = run_probe(item, target)
        if outcome.report is not None:
            _write_report(folder / item.report, outcome.report)
        elif outcome.status == "failed":
            log.warning("probe %s on %s failed: %s", item.name, site, outcome.reason)
        outcomes.append(outcome)
    return outcomes


def _write_report(path: Path, report: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)

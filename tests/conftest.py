"""Shared test helpers: score sheets written as real files, read through the real path."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from govsite.frameworks import Framework


def write_sheet(
    path: Path,
    framework: Framework,
    shares: dict[str, Decimal],
    *,
    bonus: dict[str, Decimal] | None = None,
    encoding: str = "utf-8",
    extra: dict[str, dict[str, str]] | None = None,
) -> Path:
    """A CSV where every leaf of site S scores weight × shares[S]."""
    leaves = list(framework.leaves())
    extra = extra or {}
    extra_columns = sorted({k for cols in extra.values() for k in cols})
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["site", *extra_columns, *[leaf.code for leaf in leaves], "bonus"])
        for site, share in shares.items():
            writer.writerow(
                [
                    site,
                    *[extra.get(site, {}).get(c, "") for c in extra_columns],
                    *[str(leaf.weight * share) for leaf in leaves],
                    str((bonus or {}).get(site, "")),
                ]
            )
    return path


@pytest.fixture
def sheet_writer(tmp_path: Path):
    def make(framework: Framework, shares, name: str = "scores.csv", **kwargs) -> Path:
        return write_sheet(tmp_path / name, framework, shares, **kwargs)

    return make

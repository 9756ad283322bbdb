"""The default sample, generated once per session and served on 127.0.0.1 for the HTTP tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from govsite.samplesites import SampleServers, Truth, default_specs, generate_sample


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sample")
    generate_sample(root, default_specs())
    return root


@pytest.fixture(scope="session")
def truths(sample_dir: Path) -> dict[str, Truth]:
    return {spec.slug: Truth.load(sample_dir / spec.slug) for spec in default_specs()}


@pytest.fixture(scope="session")
def servers(sample_dir: Path):
    with SampleServers(sample_dir) as running:
        yield running

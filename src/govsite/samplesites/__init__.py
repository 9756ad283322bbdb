"""Generated sites: local government sites with ground truth, the fixtures detectors are measured against.

(The package keeps its name, `samplesites`, as does `govsite samplesites`; the docs call these
"generated sites". The 2025 participant list is something else: `govsite.sites.sample`.)

`generate_site` / `generate_sample` write static sites (hanweb or TRS URL
schemes, UTF-8 or GBK) with seeded defects and a `truth.json` listing each
one; `SampleSiteServer`, `ExternalServer`, `SampleServers` and `serve` run
them on 127.0.0.1. See `generate` for the truth units and `server` for the
dynamic behaviours.

Not for: crawling or detecting (govsite.crawl, govsite.checks), and never
for anything bound to a non-loopback address.
"""

from govsite.samplesites.generate import benchmark_spec, default_specs, generate_sample, generate_site
from govsite.samplesites.server import ExternalServer, SampleServers, SampleSiteServer, serve
from govsite.samplesites.spec import DEFAULT_AS_OF, Defects, SiteSpec
from govsite.samplesites.truth import Truth, TruthColumn, TruthFinding

__all__ = [
    "DEFAULT_AS_OF",
    "Defects",
    "ExternalServer",
    "SampleServers",
    "SampleSiteServer",
    "SiteSpec",
    "Truth",
    "TruthColumn",
    "TruthFinding",
    "benchmark_spec",
    "default_specs",
    "generate_sample",
    "generate_site",
    "serve",
]

"""Detectors: crawl records in, findings out (one module per family).

Where a finding is born. Each module documents what it checks, the finding
types it emits and the rule it implements; `base.py` holds the contract.
"""

# Importing a family registers its detectors (base.detector).
from govsite.checks import freshness, identity, injection, ipv6, links, privacy, security, tamper, wording  # noqa: F401

"""Helpers for scan tests: the CLI run as a process, findings read back.

The tiny loopback servers are tests/loopback.py's (`reply` stays importable from here for
scan tests written before that module).

Scrapy's reactor starts once per process, so every scan runs `govsite scan`
in a subprocess, as a user would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from loopback import reply  # noqa: F401 -- re-exported

AS_OF = "2025-11-30"
# Test timings: the hanging URL must outlast the crawler's timeout, the slow page must exceed slow-ms.
TIMEOUT_S = 8
HANG_S = 12
FAST_OPTIONS = [
    "--loopback-only",
    "--timeout",
    str(TIMEOUT_S),
    "--retries",
    "0",
    "--delay",
    "0",
    "--no-autothrottle",
    "--slow-ms",
    "1000",
    "--as-of",
    AS_OF,
]


def run_govsite(*args: str, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "GOVSITE_LOOPBACK_ONLY": "1"}
    return subprocess.run(
        [sys.executable, "-m", "govsite.cli", *args], capture_output=True, text=True, timeout=timeout, env=env, **kwargs
    )


def read_findings(out: Path) -> list[dict]:
    path = out / "findings.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]

"""The machine a benchmark ran on, as the benchmarks report it (imported from the benchmark scripts' folder)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
from pathlib import Path

import psutil


def describe() -> dict:
    """Date, CPUs and their model, memory, Python and the load average when the benchmark starts."""
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 1024**3, 1),
        "cpu_model": model or platform.processor() or "unknown",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }

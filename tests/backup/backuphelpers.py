"""Instances for the backup tests: each a data dir (and, for PostgreSQL, a database) driven by child processes.

Every step runs as a deployment runs it: `govsite backup` / `govsite restore`
/ `govsite manage migrate` as commands, and the filling and reading of an
instance (tests/data/make_instance.py) in a Python process given the
instance's environment, so the test process holds no Django state of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass
class Instance:
    data_dir: Path
    database_url: str = ""  # empty: SQLite in the data dir
    extra: dict[str, str] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "GOVSITE_DATA_DIR"}}
        env.update(GOVSITE_DATA_DIR=str(self.data_dir), DJANGO_SETTINGS_MODULE="govsite.web.settings", **self.extra)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def govsite(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "govsite.cli", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check:
            assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        return done

    def call(self, code: str) -> object:
        """Run `code` with Django set up and tests/data importable; it leaves its answer in `result`."""
        script = f"import sys, json, django\nsys.path.insert(0, {str(DATA)!r})\ndjango.setup()\nresult = None\n"
        script += textwrap.dedent(code)
        script += "\nprint('\\nRESULT ' + json.dumps(result, default=lambda o: o.hex() if isinstance(o, bytes) else str(o)))\n"
        done = subprocess.run(
            [sys.executable, "-c", script], env=self.env(), capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
        line = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")][-1]
        return json.loads(line[len("RESULT ") :])

    def populate(self) -> dict:
        self.govsite("manage", "migrate", "--noinput")
        return self.call("from make_instance import populate\nresult = populate()")

    def snapshot(self) -> dict:
        return self.call("from make_instance import snapshot\nresult = snapshot()")

    def job_dirs(self) -> dict[str, str]:
        return self.call(
            "from govsite.surveys.models import Job\n"
            "result = dict(Job.objects.exclude(out_dir='').values_list('pk', 'out_dir'))"
        )

"""`govsite backup` and `govsite restore` on an instance with N MB of scan archives: wall time and MB/s.

    .venv/bin/python benchmarks/backup_benchmark.py [--mb 200] [--jobs 20] [--gzip]

The instance: tests/data/make_instance.py's data plus `--jobs` finished jobs
whose folders hold `--mb` MB of WARC in all (random bytes: real segments
are gzip already and do not compress further). Prints one Markdown table.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FILL = """
import os, sys, django
sys.path.insert(0, {data!r})
django.setup()
from pathlib import Path
from django.conf import settings
from django.utils import timezone
from make_instance import populate
from govsite.surveys.models import Job, Site
populate()
site = Site.objects.first()
for i in range({jobs}):
    job = Job.objects.create(site=site, as_of=site.survey.as_of, status=Job.Status.DONE, finished_at=timezone.now())
    folder = Path(settings.DATA_DIR) / "jobs" / str(job.pk) / "sites" / "s" / "archive"
    folder.mkdir(parents=True)
    (folder / "crawl-001.warc.gz").write_bytes(os.urandom({size}))
    Job.objects.filter(pk=job.pk).update(out_dir=str(folder.parents[2]))
"""


def govsite(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "govsite.cli", *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--gzip", action="store_true", help="a .tar.gz archive (default: .tar)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        base = {**os.environ, "DJANGO_SETTINGS_MODULE": "govsite.web.settings"}
        base.pop("DATABASE_URL", None)
        source = {**base, "GOVSITE_DATA_DIR": f"{scratch}/a"}
        target = {**base, "GOVSITE_DATA_DIR": f"{scratch}/b"}
        govsite(source, "manage", "migrate", "--noinput")
        size = options.mb * 1024 * 1024 // options.jobs
        code = FILL.format(data=str(ROOT / "tests" / "data"), jobs=options.jobs, size=size)
        subprocess.run([sys.executable, "-c", code], env=source, check=True)
        archive = Path(scratch) / ("backup.tar.gz" if options.gzip else "backup.tar")
        backup_s = govsite(source, "backup", str(archive))
        restore_s = govsite(target, "restore", str(archive))
        mb = archive.stat().st_size / 1e6
        print("| step | archive MB | wall s | MB/s |\n|---|--:|--:|--:|")
        print(f"| backup ({archive.name}) | {mb:.0f} | {backup_s:.1f} | {mb / backup_s:.0f} |")
        print(f"| restore | {mb:.0f} | {restore_s:.1f} | {mb / restore_s:.0f} |")


if __name__ == "__main__":
    main()

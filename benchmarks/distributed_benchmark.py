"""Distributed survey benchmark: N small generated sites scanned by 1, then 2 Celery worker processes.

    .venv/bin/python benchmarks/distributed_benchmark.py [--sites 50] [--workers 1,2] [--concurrency 1] [--out DIR]

One run:
1. generates N small sites with the samplesites generator (8 columns of ~10
   items, hanweb and TRS layouts, UTF-8 and GBK, a few defects each; no
   hanging URL, slow page or 13 MB page, whose timeouts would measure the
   timeout, not the system) and serves them on 127.0.0.1 from this process;
2. creates a fresh PostgreSQL database (migrated) and takes an empty Redis
   database (8..15) as the broker, both dropped/flushed at the end;
3. for each worker count W: creates a survey of the N sites, starts W
   `celery -A govsite.worker.celery worker --concurrency C` processes, launches
   the survey (`govsite survey launch`), waits until every job is done and
   measures wall time from the launch, pages fetched (Job.pages_fetched, the
   scan summary's HTML pages) and fetches (every request: pages, attachments,
   external links), the peak RSS of each worker's process tree (main process,
   pool processes, the `govsite scan` children; psutil every 0.2 s), the
   machine's busy CPU seconds and this process's (the sample servers);
4. prints a Markdown table (paste it as is) with the machine, date and
   command on top, writes it and the JSON to --out (benchmarks/results/),
   and the sizing estimate docs/deployment.md quotes.

The scan options are the fast local ones (GOVSITE_SCAN_ARGS, --delay 0, no
AutoThrottle): on loopback a site costs what the machine spends on it, which
is what the CPU side of the estimate needs; real sites are slowed by their
politeness delay instead, which is the other side (see `estimate`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

try:
    import psutil
except ImportError:  # pragma: no cover - the benchmark extra
    sys.exit("psutil is needed: .venv/bin/pip install -e '.[benchmark]'")

import machine  # benchmarks/machine.py, beside this script

from govsite.samplesites.generate import generate_sample
from govsite.samplesites.measure import served, site_url
from govsite.samplesites.spec import Defects, SiteSpec

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("GOVSITE_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("GOVSITE_BENCH_REDIS_URL", "redis://127.0.0.1:6379")
FAST_SCAN = "--loopback-only --delay 0 --no-autothrottle --retries 0 --timeout 5"
AS_OF = "2025-11-30"
RUN_LIMIT_SECONDS = 3600
SYLLABLES = "青云石安平河川林桥江山阳溪湖宁泰丰源华兴德"

# The target the estimate answers, and the assumptions it rests on.
TARGET_SITES = 1248
TARGET_PAGES = 2000
TARGET_HOURS = 24
SLOT_UTILISATION = 0.8  # slots are not busy every second: the long tail of the last sites, restarts
POLITE_RATES = (4.0, 1.0, 0.5)  # requests per second per site: govsite's default ceiling, polite, cautious


# -- sites ----------------------------------------------------------------------------------------


def small_specs(count: int) -> list[SiteSpec]:
    specs = []
    for n in range(count):
        name = SYLLABLES[n % len(SYLLABLES)] + SYLLABLES[(n // len(SYLLABLES) + 3 * n) % len(SYLLABLES)]
        gbk = n % 4 == 3
        specs.append(
            SiteSpec(
                name=f"{name}县人民政府",
                layout="trs" if n % 2 else "hanweb",
                encoding="gbk" if gbk else "utf-8",
                meta_gb2312=gbk,
                columns=8,
                items_per_column=10,
                per_page=10,
                seed=5000 + n,
                slug=f"s{n:03d}",
                defects=Defects(
                    broken_links=2,
                    broken_external=1,
                    broken_downloads=("empty",),
                    stale_columns={"regular": 1},
                    empty_columns=1,
                    future_dates=1,
                    privacy=("phone_page",),
                    oversized_page=False,
                ),
            )
        )
    return specs


# -- services -------------------------------------------------------------------------------------


def create_database() -> str:
    import psycopg

    name = f"govsite_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_database(url: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def claim_redis_db():
    import redis

    for number in range(15, 7, -1):
        client = redis.Redis.from_url(f"{REDIS_URL}/{number}", socket_timeout=5)
        if client.dbsize() == 0 and client.set("govsite-bench-claim", os.getpid(), nx=True, ex=6 * 3600):
            return f"{REDIS_URL}/{number}", client
    sys.exit("no empty Redis database among 8..15")


def sql(db_url: str, query: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(db_url, autocommit=True) as conn:
        cursor = conn.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def django_call(env: dict, code: str) -> object:
    script = f"import json, django\ndjango.setup()\nresult = None\n{code}\nprint('RESULT ' + json.dumps(result))\n"
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=600)
    if done.returncode:
        sys.exit(f"set-up failed:\n{done.stderr[-3000:]}")
    return json.loads([x for x in done.stdout.splitlines() if x.startswith("RESULT ")][-1][7:])


# -- one run ----------------------------------------------------------------------------------------


@dataclass
class Run:
    workers: int
    concurrency: int
    sites: int
    wall_seconds: float = 0.0
    done: int = 0
    failed: int = 0
    pages: int = 0
    fetches: int = 0
    peak_rss_mb_per_worker: list[float] = field(default_factory=list)
    worker_cpu_seconds: float = 0.0  # the workers' process trees, crawl children included (reaped ones too)
    machine_busy_cpu_seconds: float = 0.0  # everything on the machine, other users' work included
    server_cpu_seconds: float = 0.0
    mean_job_seconds: float = 0.0  # started_at → finished_at of a job (crawl child, judge, DB upsert)
    mean_scan_seconds: float = 0.0  # inside the `govsite scan` child, after its imports (summary.json)
    errors: list[str] = field(default_factory=list)

    @property
    def sites_per_hour(self) -> float:
        return self.done / self.wall_seconds * 3600 if self.wall_seconds else 0.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.wall_seconds if self.wall_seconds else 0.0

    @property
    def fetches_per_second(self) -> float:
        return self.fetches / self.wall_seconds if self.wall_seconds else 0.0


class TreeSampler(threading.Thread):
    """Peak RSS (sum over the process tree) of each worker, every 0.2 s."""

    def __init__(self, roots: list[subprocess.Popen]) -> None:
        super().__init__(daemon=True)
        self.roots = [psutil.Process(p.pid) for p in roots]
        self.peaks = [0] * len(roots)
        self.stop_event = threading.Event()

    def run(self) -> None:
        while not self.stop_event.wait(0.2):
            for i, root in enumerate(self.roots):
                total = 0
                with contextlib.suppress(psutil.NoSuchProcess):
                    for proc in [root, *root.children(recursive=True)]:
                        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                            total += proc.memory_info().rss
                self.peaks[i] = max(self.peaks[i], total)


def tree_cpu(procs: list[subprocess.Popen]) -> float:
    """User + system CPU of the workers' trees, with what their reaped children (the crawls) used."""
    total = 0.0
    for root in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            main = psutil.Process(root.pid)
            for proc in [main, *main.children(recursive=True)]:
                with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                    t = proc.cpu_times()
                    total += t.user + t.system + t.children_user + t.children_system
    return total


def busy_cpu() -> float:
    times = psutil.cpu_times()
    return times.user + times.nice + times.system + getattr(times, "irq", 0) + getattr(times, "softirq", 0)


def run_once(env: dict, urls: list[str], workers: int, concurrency: int, log_dir: Path) -> Run:
    run = Run(workers=workers, concurrency=concurrency, sites=len(urls))
    survey = django_call(
        env,
        f"""
from datetime import date
from govsite.surveys.models import Site, Survey
survey = Survey.objects.create(name="基准 {workers}×{concurrency}", year=2025, as_of=date.fromisoformat("{AS_OF}"))
for i, url in enumerate({urls!r}):
    Site.objects.create(survey=survey, name=f"基准网站{{i}}", url=url, level="county")
result = survey.pk
""",
    )
    procs = []
    for i in range(workers):
        log = (log_dir / f"worker-{workers}-{i}.log").open("wb")
        command = [
            sys.executable, "-m", "celery", "-A", "govsite.worker.celery", "worker",
            "--hostname", f"bench{i}@%h", "--concurrency", str(concurrency), "--prefetch-multiplier", "1",
            "--max-tasks-per-child", "1000", "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        procs.append(subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
    try:
        return _measure(env, survey, procs, run)
    finally:
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def _measure(env: dict, survey: int, procs: list[subprocess.Popen], run: Run) -> Run:
    time.sleep(8)  # the workers connect; not measured
    sampler = TreeSampler(procs)
    sampler.start()
    cpu0, own0, workers0 = busy_cpu(), sum(psutil.Process().cpu_times()[:2]), tree_cpu(procs)
    started = time.monotonic()
    launch = subprocess.run(
        [sys.executable, "-m", "govsite.cli", "survey", "launch", str(survey)], env=env, capture_output=True, text=True
    )
    if launch.returncode:
        sys.exit(f"launch failed: {launch.stderr}")
    query = (
        "SELECT count(*) FILTER (WHERE j.status = 'done'), count(*) FILTER (WHERE j.status = 'failed'), count(*) "
        "FROM surveys_job j JOIN surveys_site s ON s.id = j.site_id WHERE s.survey_id = %s"
    )
    while True:
        done, failed, total = sql(env["DATABASE_URL"], query, (survey,))[0]
        if total and done + failed == total:
            break
        if time.monotonic() - started > RUN_LIMIT_SECONDS:
            sys.exit(f"not finished after {RUN_LIMIT_SECONDS} s ({done} done, {failed} failed of {total})")
        time.sleep(0.5)
    run.wall_seconds = round(time.monotonic() - started, 1)
    run.machine_busy_cpu_seconds = round(busy_cpu() - cpu0, 1)
    run.worker_cpu_seconds = round(tree_cpu(procs) - workers0, 1)
    run.server_cpu_seconds = round(sum(psutil.Process().cpu_times()[:2]) - own0, 1)
    sampler.stop_event.set()
    sampler.join()
    run.peak_rss_mb_per_worker = [round(peak / 1e6) for peak in sampler.peaks]
    run.done, run.failed = done, failed
    rows = sql(
        env["DATABASE_URL"],
        "SELECT j.pages_fetched, j.out_dir, j.error, extract(epoch FROM j.finished_at - j.started_at) "
        "FROM surveys_job j JOIN surveys_site s ON s.id = j.site_id WHERE s.survey_id = %s",
        (survey,),
    )
    run.pages = sum(row[0] for row in rows)
    scans = []
    for _pages, out_dir, error, _seconds in rows:
        for path in Path(out_dir).glob("sites/*/fetches.jsonl"):
            run.fetches += sum(1 for _ in path.open(encoding="utf-8"))
        with contextlib.suppress(OSError, ValueError, KeyError):
            scans.append(json.loads((Path(out_dir) / "summary.json").read_text(encoding="utf-8"))["duration_seconds"])
        if error:
            run.errors.append(error.splitlines()[0][:200])
    run.mean_job_seconds = round(sum(float(row[3] or 0) for row in rows) / len(rows), 2)
    run.mean_scan_seconds = round(sum(scans) / len(scans), 2) if scans else 0.0
    return run


# -- the estimate ----------------------------------------------------------------------------------


def estimate(one: Run, best: Run) -> dict:
    """Workers for TARGET_SITES × TARGET_PAGES in TARGET_HOURS, from the measured costs.

    Two limits, the larger wins:
    - politeness: a site is crawled by one slot (one job at a time per site,
      one site per slot); at `rate` requests/s a site of P pages needs
      P × fetches-per-page / rate seconds plus the measured fixed cost of a
      job; slots = sites × that / (hours × utilisation);
    - CPU: the measured CPU seconds per fetch (the workers' process trees,
      crawl children included; not the sample servers) × every fetch.
    A slot is one unit of --concurrency; its memory is the measured peak RSS of
    a worker divided by its concurrency.
    """
    fetches_per_page = one.fetches / one.pages
    per_job_seconds = one.wall_seconds / one.done  # one slot, everything included (startup, crawl, judge, DB)
    cpu_per_fetch = best.worker_cpu_seconds / best.fetches
    total_fetches = TARGET_SITES * TARGET_PAGES * fetches_per_page
    cores = total_fetches * cpu_per_fetch / (TARGET_HOURS * 3600)
    slot_mb = max(best.peak_rss_mb_per_worker) / best.concurrency
    rows = []
    for rate in POLITE_RATES:
        site_seconds = TARGET_PAGES * fetches_per_page / rate + per_job_seconds
        slots = math.ceil(TARGET_SITES * site_seconds / (TARGET_HOURS * 3600 * SLOT_UTILISATION))
        rows.append(
            {
                "rate_per_site": rate,
                "hours_per_site": round(site_seconds / 3600, 2),
                "slots": slots,
                "memory_gb": round(slots * slot_mb / 1000, 1),
                "cpu_cores": round(cores, 1),
            }
        )
    return {
        "fetches_per_page": round(fetches_per_page, 2),
        "seconds_per_job_one_slot": round(per_job_seconds, 1),
        "job_seconds_outside_the_scan": round(one.mean_job_seconds - one.mean_scan_seconds, 1),
        "cpu_seconds_per_fetch": round(cpu_per_fetch, 4),
        "slot_memory_mb": round(slot_mb),
        "total_fetches": round(total_fetches),
        "cpu_cores_needed": round(cores, 1),
        "by_rate": rows,
    }


# -- output ----------------------------------------------------------------------------------------


def markdown(info: dict, command: str, runs: list[Run], est: dict) -> str:
    lines = [
        f"# Distributed benchmark — {info['date']}",
        "",
        f"`{command}`",
        "",
        f"Machine: {info['nproc']} CPUs ({info['cpu_model']}), {info['memory_gb']} GB, Python {info['python']}, "
        f"load average at start {info['load_average_at_start']}. Scan options: `{FAST_SCAN}`.",
        "",
        "| workers × concurrency | sites | done | failed | wall s | sites/hour | pages/s | fetches/s "
        "| peak RSS per worker MB | workers' CPU s | machine busy CPU s | sample servers CPU s | job s (scan s) "
        "| speed-up |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    base = runs[0].wall_seconds
    for run in runs:
        lines.append(
            f"| {run.workers} × {run.concurrency} | {run.sites} | {run.done} | {run.failed} | {run.wall_seconds} "
            f"| {run.sites_per_hour:.0f} | {run.pages_per_second:.1f} | {run.fetches_per_second:.1f} "
            f"| {', '.join(str(x) for x in run.peak_rss_mb_per_worker)} | {run.worker_cpu_seconds} "
            f"| {run.machine_busy_cpu_seconds} "
            f"| {run.server_cpu_seconds} | {run.mean_job_seconds} ({run.mean_scan_seconds}) "
            f"| {base / run.wall_seconds:.2f} |"
        )
    lines += [
        "",
        f"## Estimate: {TARGET_SITES} sites × {TARGET_PAGES} pages in {TARGET_HOURS} h",
        "",
        f"Measured: {est['fetches_per_page']} fetches per page, {est['seconds_per_job_one_slot']} s per job on one "
        f"slot ({est['job_seconds_outside_the_scan']} s of a job are outside the scan: process start, imports, "
        f"database), {est['cpu_seconds_per_fetch']} CPU s per fetch, {est['slot_memory_mb']} MB per slot. "
        f"The survey makes {est['total_fetches']:,} fetches: {est['cpu_cores_needed']} CPU cores busy for "
        f"{TARGET_HOURS} h.",
        "",
        "| requests/s per site | hours per site | slots needed | memory GB | CPU cores |",
        "|---:|---:|---:|---:|---:|",
    ]
    for row in est["by_rate"]:
        lines.append(
            f"| {row['rate_per_site']} | {row['hours_per_site']} | {row['slots']} | {row['memory_gb']} "
            f"| {row['cpu_cores']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--workers", default="1,2", help="worker process counts to run, in order")
    parser.add_argument("--concurrency", type=int, default=1, help="--concurrency of each worker")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    command = "python benchmarks/distributed_benchmark.py " + shlex.join(sys.argv[1:])
    info = machine.describe()
    tmp = Path(tempfile.mkdtemp(prefix="govsite-distributed-"))
    generate_sample(tmp / "sites", small_specs(args.sites))
    db_url = create_database()
    broker_url, redis_client = claim_redis_db()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVSITE_", "DJANGO_")) and k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=db_url,
        DJANGO_SETTINGS_MODULE="govsite.web.settings",
        GOVSITE_DATA_DIR=str(tmp / "data"),
        GOVSITE_BROKER_URL=broker_url,
        GOVSITE_TASKS="celery",
        GOVSITE_LOOPBACK_ONLY="1",
        GOVSITE_SCAN_ARGS=FAST_SCAN,
        GOVSITE_VETO_ALERTS="0",
    )
    runs = []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))  # so that the clean-up below runs
    try:
        migrate = subprocess.run(
            [sys.executable, "-m", "govsite.cli", "manage", "migrate", "--noinput"], env=env, capture_output=True
        )
        if migrate.returncode:
            sys.exit(migrate.stderr.decode()[-2000:])
        with served(tmp / "sites") as servers:
            urls = [site_url(url) for url in servers.urls().values()]
            for workers in [int(x) for x in args.workers.split(",")]:
                print(f"{workers} worker(s) × {args.concurrency} on {len(urls)} sites …", flush=True)
                run = run_once(env, urls, workers, args.concurrency, tmp)
                print(f"  {run.wall_seconds} s, {run.done} done, {run.failed} failed", flush=True)
                runs.append(run)
    finally:
        redis_client.flushdb()
        drop_database(db_url)
        if not args.keep:
            subprocess.run(["rm", "-rf", str(tmp)], check=False)
    est = estimate(runs[0], max(runs, key=lambda r: r.fetches_per_second))
    table = markdown(info, command, runs, est)
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = info["date"].replace(":", "").replace("-", "")
    data = {"machine": info, "command": command, "runs": [asdict(r) for r in runs], "estimate": est}
    for name in ("distributed_benchmark-latest", f"distributed_benchmark-{stamp}"):
        (args.out / f"{name}.md").write_text(table, encoding="utf-8")
        (args.out / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 1 if any(r.failed for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())

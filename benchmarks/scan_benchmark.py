"""Crawl benchmark: `govsite scan` against a bare Scrapy spider, LinkChecker and wget on one sample site.

    .venv/bin/python benchmarks/scan_benchmark.py [--urls 10000] [--skip-linkchecker] [--skip-wget] [--out DIR]

One run generates the benchmark site (`govsite.samplesites.benchmark_spec`,
about 10,244 reachable URLs for --urls 10000) into a temporary folder,
serves it on 127.0.0.1 (`govsite.samplesites.measure.served`, which also
starts the "other sites" server, on 127.0.0.1 too), then runs each tool as
a subprocess against it, one after the other, and measures:

- wall seconds from spawn to exit;
- peak RSS of the process tree: psutil polls the tool and all its children
  every 0.1 s and sums their RSS; the same polls read each process's VmHWM
  (the kernel's own peak RSS since exec, which a spike between two polls
  cannot escape), and the larger of the tree sum and the largest VmHWM is
  the figure reported. (Not getrusage/wait4 ru_maxrss: it also counts what
  the child shared with this process before exec, ~90 MB of Python.);
- CPU seconds (user + system) of the tool, of this process, which runs the
  sample servers (they share the machine's cores with the tool), and of
  everything else on the machine meanwhile (a disturbed run shows there);
- URLs visited, from each tool's own record (govsite: fetches.jsonl;
  bare spider: its stats file; LinkChecker: its CSV; wget: its log), split
  into in-site, "other sites" and the endless-calendar trap.

Every URL a tool reports must be on one of the two 127.0.0.1 servers this
run started; any other is printed as a violation (the tools are told not to
leave: govsite --loopback-only, LinkChecker --ignore-url for everything
else, wget --domains 127.0.0.1 without --span-hosts).

The table goes to the terminal and, as JSON and Markdown, to --out
(benchmarks/results/ by default, git-ignored). Targets checked: govsite's
wall time at most 1.5 x the bare spider's, govsite's peak RSS under 500 MB.
See benchmarks/README.md for what each row means and the caveats.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

try:
    import psutil
except ImportError:  # pragma: no cover - a hint instead of a traceback
    sys.exit("scan_benchmark needs psutil: .venv/bin/pip install -e '.[benchmark]'")

import machine  # benchmarks/machine.py, beside this script

from govsite.samplesites import benchmark_spec, generate_sample
from govsite.samplesites.measure import served
from govsite.samplesites.spec import CALENDAR_PREFIX

HERE = Path(__file__).resolve().parent
TOOLS = ("bare", "dupefilter", "govsite", "linkchecker", "wget")
VENV_BIN = Path(sys.executable).parent
DEFAULT_OUT = HERE / "results"
DEFAULT_CACHE = HERE / ".cache"
LINKCHECKER_REQUIREMENT = "linkchecker>=10.6,<11"
POLL_SECONDS = 0.1
WALL_RATIO_TARGET = 1.5
RSS_TARGET_MB = 500.0
MB = 1024 * 1024
PROXY_VARIABLES = ("http_proxy", "https_proxy", "ftp_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY")
URL_IN_TEXT = re.compile(r"\b(?:https?|ftp)://[^\s\"'<>()]+", re.I)


# -- measuring a subprocess ----------------------------------------------------------------------


@dataclass
class Measured:
    command: list[str]
    returncode: int | None = None
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    harness_cpu_seconds: float = 0.0  # this process: the sample servers (and the 0.1 s poller)
    other_cpu_seconds: float = 0.0  # the rest of the machine meanwhile (busy CPU not ours nor the tool's)
    tree_rss_peak_mb: float = 0.0  # sampled sum over the process tree
    hwm_mb: float = 0.0  # largest VmHWM (the kernel's peak RSS) of any single process in the tree
    processes_seen: int = 0
    timed_out: bool = False
    started_at: float = 0.0  # time.time(), to compare with file mtimes
    ended_at: float = 0.0
    samples: list[tuple[float, float]] = field(default_factory=list)  # (seconds since start, tree RSS MB)

    @property
    def peak_rss_mb(self) -> float:
        return max(self.tree_rss_peak_mb, self.hwm_mb)


def _tree_rss(root: psutil.Process, seen: set[int]) -> tuple[int, int]:
    """(sum of RSS over the tree, largest VmHWM in it), in bytes."""
    total = hwm = 0
    try:
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0, 0
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            total += proc.memory_info().rss
            seen.add(proc.pid)
            hwm = max(hwm, _vm_hwm(proc.pid))
    return total, hwm


def _vm_hwm(pid: int) -> int:
    """The kernel's high-water mark of a process's RSS since its exec (0 if gone).

    Not wait4's ru_maxrss: that also counts the memory the child shared with this (large) process
    between fork and exec, so a 5 MB wget would show this process's 90 MB.
    """
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status", "rb") as handle:
        for line in handle:
            if line.startswith(b"VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def settle(limit: float, busy_share: float = 0.15) -> tuple[float, bool]:
    """Wait (at most `limit` s) until the machine's CPUs are under `busy_share` busy for 2 s running."""
    started = time.monotonic()
    quiet = 0
    while time.monotonic() - started < limit:
        quiet = quiet + 1 if psutil.cpu_percent(interval=1.0) < busy_share * 100 else 0
        if quiet >= 2:
            return time.monotonic() - started, True
    return time.monotonic() - started, limit <= 0


def _busy_cpu_seconds() -> float:
    times = psutil.cpu_times()
    return sum(getattr(times, name, 0.0) for name in ("user", "nice", "system", "irq", "softirq", "steal"))


def _kill_group(pgid: int) -> None:
    """End the process group this benchmark started for one tool (by its id)."""
    for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, sig)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            try:
                os.killpg(pgid, 0)
            except (ProcessLookupError, PermissionError):
                return
            time.sleep(0.1)


def run_measured(
    command: list[str], *, cwd: Path, env: dict[str, str], stdout: Path, stderr: Path, time_limit: float
) -> Measured:
    """Run `command` to completion (or `time_limit`), sampling the RSS of its process tree every 0.1 s."""
    result = Measured(command=command)
    me = psutil.Process()
    cpu_before = sum(me.cpu_times()[:2])
    machine_before = _busy_cpu_seconds()
    seen: set[int] = set()
    with stdout.open("wb") as out, stderr.open("wb") as err:
        result.started_at = time.time()
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err, start_new_session=True)
        watched = psutil.Process(proc.pid)
        status = rusage = None
        try:
            while True:
                pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                elapsed = time.perf_counter() - start
                if elapsed > time_limit and not result.timed_out:
                    result.timed_out = True
                    _kill_group(proc.pid)
                    continue
                rss, hwm = _tree_rss(watched, seen)
                result.samples.append((round(elapsed, 2), round(rss / MB, 1)))
                result.tree_rss_peak_mb = max(result.tree_rss_peak_mb, rss / MB)
                result.hwm_mb = max(result.hwm_mb, hwm / MB)
                time.sleep(POLL_SECONDS)
        except BaseException:  # Ctrl-C or SIGTERM: the tool must not outlive the benchmark
            _kill_group(proc.pid)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(proc.pid, 0)
            proc.returncode = -1
            raise
        result.wall_seconds = time.perf_counter() - start
        result.ended_at = time.time()
        proc.returncode = result.returncode = os.waitstatus_to_exitcode(status)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # anything the tool left behind in its own group
    result.cpu_seconds = rusage.ru_utime + rusage.ru_stime
    result.harness_cpu_seconds = sum(me.cpu_times()[:2]) - cpu_before
    busy = _busy_cpu_seconds() - machine_before
    result.other_cpu_seconds = max(0.0, busy - result.cpu_seconds - result.harness_cpu_seconds)
    result.processes_seen = len(seen)
    return result


# -- what each tool visited ------------------------------------------------------------------------


@dataclass
class Visits:
    urls: list[str]  # every request the tool reports having made (a URL may repeat, e.g. HEAD then GET)
    detail: dict = field(default_factory=dict)

    def split(self, site: str, external: str) -> dict[str, int]:
        distinct = set(self.urls)
        return {
            "visited": len(distinct),
            "in_site": sum(1 for u in distinct if u.startswith(site) and not _in_trap(u, site)),
            "calendar_trap": sum(1 for u in distinct if _in_trap(u, site)),
            "other_sites": sum(1 for u in distinct if u.startswith(external)),
        }


def _in_trap(url: str, site: str) -> bool:
    return url.startswith(site.rstrip("/") + CALENDAR_PREFIX)


def off_host(urls, allowed: tuple[str, ...]) -> list[str]:
    """URLs outside the two servers of this run (should always be empty)."""
    return sorted({u for u in urls if not u.startswith(allowed)})


def govsite_visits(out_dir: Path) -> Visits:
    fetches = []
    for path in sorted(out_dir.glob("sites/*/fetches.jsonl")):
        fetches += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    made = [f for f in fetches if f.get("error") != "blocked"]  # blocked: refused before any request
    detail = {
        "records": len(fetches),
        "blocked_by_robots_or_loopback": len(fetches) - len(made),
        "by_kind": dict(Counter(f["kind"] for f in made)),
        "failures": dict(Counter(f["error"] for f in made if f.get("error"))),
    }
    return Visits([f["url"] for f in made], detail)


def bare_visits(stats_file: Path, expected_settings: dict) -> Visits:
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    urls = stats.pop("urls")
    used = stats.pop("settings", {})
    stats["settings_differing_from_govsite"] = {
        key: {"govsite": expected_settings.get(key), "bare": used.get(key)}
        for key in sorted(set(expected_settings) | set(used))
        if key not in BARE_OVERRIDES and expected_settings.get(key) != used.get(key)
    }
    return Visits(urls, stats)


# what the bare spider changes on purpose (bare_spider.py's docstring says why)
BARE_OVERRIDES = {"LOG_ENABLED", "LOG_INSTALL_ROOT_HANDLER", "REDIRECT_ENABLED", "DOWNLOAD_MAXSIZE"}


def govsite_scrapy_settings(settings: Settings) -> dict:
    """What govsite scan hands Scrapy for these options (imported here, not in the bare spider)."""
    from govsite.crawl.policy import CrawlPolicy
    from govsite.scan.crawler import scrapy_settings

    policy = CrawlPolicy(
        concurrency=settings.concurrency, delay=0.0, autothrottle=False, download_timeout=settings.timeout, retries=0
    )
    return scrapy_settings(policy, sites=1, log_level="ERROR")


def linkchecker_visits(csv_file: Path) -> Visits:
    lines = csv_file.read_text(encoding="utf-8", errors="replace").splitlines(True)
    rows = list(csv.DictReader((line for line in lines if not line.startswith("#")), delimiter=";"))
    made, not_fetched, results = [], Counter(), Counter()
    for row in rows:
        url, result = row.get("url") or "", row.get("result") or ""
        if not url.lower().startswith(("http://", "https://")) or result in ("ignored", "filtered", "syntax OK"):
            not_fetched[result or "no url"] += 1  # javascript:, --ignore-url, robots.txt-disallowed: not fetched
            continue
        made.append(url)
        results[result.split(" ", 1)[0] if result[:3].isdigit() else result.split(":", 1)[0]] += 1
    detail = {"rows": len(rows), "not_fetched": dict(not_fetched), "results": dict(results)}
    return Visits(made, detail)


def wget_visits(log_file: Path) -> Visits:
    text = log_file.read_text(encoding="utf-8", errors="replace")
    urls = [u.rstrip(":.,") for u in URL_IN_TEXT.findall(text)]
    broken = re.search(r"Found (\d+) broken links?", text)
    detail = {"broken_links_reported": int(broken.group(1)) if broken else 0}
    return Visits(urls, detail)


# -- the tools ---------------------------------------------------------------------------------------


@dataclass
class Settings:
    concurrency: int
    timeout: float
    hang_seconds: float
    as_of: str
    trap: str = (
        CALENDAR_PREFIX  # the sample's endless calendar: denied by pattern to the tools without govsite's bounds
    )

    def crawl_flags(self) -> list[str]:
        """The options govsite scan and the bare spider share (same names, same meaning)."""
        return [
            "--concurrency",
            str(self.concurrency),
            "--delay",
            "0",
            "--no-autothrottle",
            "--timeout",
            _num(self.timeout),
            "--retries",
            "0",
        ]


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def bare_command(
    settings: Settings, site: str, stats: Path, scrapy_settings: Path, *, dupefilter_only: bool
) -> list[str]:
    command = [sys.executable, str(HERE / "bare_spider.py"), site, "--stats", str(stats)]
    command += [*settings.crawl_flags(), "--deny", re.escape(settings.trap), "--scrapy-settings", str(scrapy_settings)]
    return command + (["--dupefilter-only"] if dupefilter_only else [])


def govsite_command(settings: Settings, site: str, out_dir: Path, extra: str = "") -> list[str]:
    govsite = VENV_BIN / "govsite"
    head = [str(govsite)] if govsite.exists() else [sys.executable, "-m", "govsite.cli"]
    return [
        *head,
        "scan",
        site,
        "--out",
        str(out_dir),
        "--loopback-only",
        "--fresh",
        "--as-of",
        settings.as_of,
        *settings.crawl_flags(),
        *shlex.split(extra),
    ]


def linkchecker_config(settings: Settings, path: Path, time_limit: float) -> None:
    # maxrequestspersecond only applies to a host that answers with a "LinkChecker" header
    # (added to the sample's responses by this benchmark); elsewhere LinkChecker waits 0.1-0.6 s
    # between two requests to one host whatever is configured.
    path.write_text(
        "[checking]\n"
        f"threads={settings.concurrency}\n"
        f"timeout={max(1, round(settings.timeout))}\n"
        "recursionlevel=-1\n"
        "maxrequestspersecond=100000\n"
        "robotstxt=1\n"
        f"maxrunseconds={int(time_limit)}\n"
        "[filtering]\n"
        "checkextern=1\n"
        "[output]\n"
        "status=0\n",
        encoding="utf-8",
    )
    path.chmod(0o644)


def linkchecker_command(
    binary: Path, config: Path, settings: Settings, site: str, allowed_ports: tuple[int, ...]
) -> list[str]:
    ports = "|".join(str(p) for p in allowed_ports)
    only_here = rf"^(?!http://127\.0\.0\.1:({ports})(/|$))"  # everything else: syntax check only
    trap = "^" + re.escape(site.rstrip("/") + settings.trap)
    return [str(binary), "-f", str(config), "--ignore-url", only_here, "--ignore-url", trap, "-o", "csv", "-v", site]


def wget_command(settings: Settings, site: str, folder: Path, log: Path) -> list[str]:
    return [
        "wget",
        "--spider",
        "-r",
        "-l",
        "inf",
        "--reject-regex",
        re.escape(settings.trap),
        "--no-verbose",
        "-e",
        "robots=off",
        "--domains",
        "127.0.0.1",
        "--timeout",
        _num(settings.timeout),
        "--tries",
        "1",
        "--no-proxy",
        "--no-http-keep-alive",  # the sample server speaks HTTP/1.0 and closes; reuse races into "No data received"
        "--no-hsts",
        "-P",
        str(folder),
        "-o",
        str(log),
        site,
    ]


def ensure_linkchecker(cache: Path, given: str | None) -> tuple[Path | None, str]:
    """The linkchecker binary (from --linkchecker, or a venv of its own under the cache), or None and why."""
    if given:
        path = Path(given)
        return (path, "") if path.exists() else (None, f"{given} not found")
    venv = cache / "linkchecker-venv"
    binary = venv / "bin" / "linkchecker"
    if binary.exists():
        return binary, ""
    print(f"installing {LINKCHECKER_REQUIREMENT} into {venv} (its own venv, kept for the next run) ...", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True, capture_output=True)
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", LINKCHECKER_REQUIREMENT],
            check=True,
            capture_output=True,
            timeout=600,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        return None, f"could not install LinkChecker: {detail.decode(errors='replace').strip()[-300:] or exc}"
    return (binary, "") if binary.exists() else (None, "LinkChecker installed no linkchecker script")


def tool_version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc})"
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip() and "WARNING" not in line]
    return lines[0].strip() if lines else "unknown"


# -- machine and environment ----------------------------------------------------------------------


def machine_info() -> dict:
    import scrapy

    govsite_version = tool_version([str(VENV_BIN / "govsite"), "--version"])
    return {
        **machine.describe(),
        "scrapy": scrapy.__version__,
        "govsite": govsite_version.replace(", version", ""),
    }


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARIABLES and k.lower() != "no_proxy"}
    env.update({"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost", "GOVSITE_LOOPBACK_ONLY": "1"})
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def allow_linkchecker_rate(sample: Path, slug: str) -> None:
    """Make the site answer with a `LinkChecker` header: LinkChecker's opt-in to lift its per-host pause."""
    config_file = sample / slug / "server.json"
    config = json.loads(config_file.read_text(encoding="utf-8"))
    config["security_headers"]["LinkChecker"] = "benchmark"
    config_file.write_text(json.dumps(config, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# -- govsite's phases ------------------------------------------------------------------------------


def govsite_phases(out_dir: Path, run: Measured) -> dict:
    """Crawl vs judge from file times govsite writes anyway (no change to govsite).

    state.json is rewritten right after the crawl returns, OUT/summary.json last of all;
    summary.json's duration_seconds runs from run_scan's start to just before it is written.
    """
    summary_file = out_dir / "summary.json"
    states = list(out_dir.glob("sites/*/state.json"))
    if not summary_file.exists() or not states:
        return {}
    summary = json.loads(summary_file.read_text(encoding="utf-8"))
    t_crawled = max(p.stat().st_mtime for p in states)
    t_summary = summary_file.stat().st_mtime
    duration = float(summary.get("duration_seconds") or 0.0)
    t_scan_start = t_summary - duration
    crawl_end = t_crawled - run.started_at
    peak_crawl = max((rss for t, rss in run.samples if t <= crawl_end), default=0.0)
    peak_judge = max((rss for t, rss in run.samples if t > crawl_end), default=0.0)
    sites = summary.get("sites") or [{}]
    return {
        "duration_seconds (summary.json)": duration,
        "startup_seconds": round(t_scan_start - run.started_at, 1),
        "crawl_seconds": round(t_crawled - t_scan_start, 1),
        "judge_and_write_seconds": round(t_summary - t_crawled, 1),
        "exit_seconds": round(run.ended_at - t_summary, 1),
        "peak_rss_crawl_mb": round(peak_crawl, 1),
        "peak_rss_judge_mb": round(peak_judge, 1),
        "pages": sites[0].get("pages"),
        "html_pages": sites[0].get("html_pages"),
        "attachments": sites[0].get("attachments"),
        "external_links_checked": sites[0].get("external_links_checked"),
        "findings": sum((summary.get("findings_by_type") or {}).values()),
        "crawl_complete": sites[0].get("crawl_complete"),
    }


# -- profiling (optional) ------------------------------------------------------------------------


PHASE_FRAMES = (
    ("analysis worker", "serve (govsite/crawl/workers.py"),  # the crawl's second process
    ("crawl", "run_crawls (govsite/"),
    ("judge", "judge_site (govsite/"),
    ("write", "write_outputs ("),
)


def profile_govsite(command: list[str], folder: Path, env: dict[str, str], time_limit: float) -> dict:
    """Run the govsite scan once more under py-spy and summarise where its CPU time goes.

    py-spy samples the running threads 100 times a second (idle ones not), with each frame named by
    its function's first line (--function), in govsite's process and its analysis worker
    (--subprocesses; a worker's samples are the phase "analysis worker", taken while the crawl's
    own thread runs on the other core). Reported: the share of samples per phase; govsite's
    functions by cumulative share (the function or anything it calls was on the stack); the
    innermost govsite function of each sample (its own time plus the library code it called);
    and the functions with the most own time, whichever package they are in.
    """
    py_spy = VENV_BIN / "py-spy"
    if not py_spy.exists():
        found = shutil.which("py-spy")
        if not found:
            return {"error": "py-spy not installed (pip install -e '.[benchmark]')"}
        py_spy = Path(found)
    raw = folder / "govsite.folded"  # collapsed stacks: speedscope or flamegraph.pl draw them
    spy = [str(py_spy), "record", "--format", "raw", "--function", "--subprocesses", "--rate", "100", "-o", str(raw)]
    spy += ["--", *command]
    run = run_measured(
        spy, cwd=folder, env=env, stdout=folder / "pyspy.out", stderr=folder / "pyspy.err", time_limit=time_limit
    )
    if not raw.exists():
        return {"error": (folder / "pyspy.err").read_text(errors="replace")[-500:]}
    cumulative: Counter = Counter()
    own: Counter = Counter()
    innermost: Counter = Counter()
    phases: Counter = Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, text = line.rpartition(" ")
        if not text.isdigit():
            continue
        count, frames = int(text), [f for f in stack.split(";") if not f.startswith("process ")]
        if not frames:
            continue  # a process caught before its first Python frame
        total += count
        own[frames[-1]] += count
        for frame in set(frames):
            cumulative[frame] += count
        ours = [f for f in frames if _is_govsite(f)]
        innermost[ours[-1] if ours else "(no govsite frame: start-up, imports)"] += count
        phase = next((name for name, marker in PHASE_FRAMES if any(marker in f for f in frames)), "start-up")
        phases[phase] += count
    if not total:
        return {"error": "py-spy recorded no samples"}

    def top(counter: Counter, n: int, keep=lambda frame: True) -> list[dict]:
        rows = [(f, c) for f, c in counter.most_common() if keep(f)][:n]
        return [{"frame": _short(f), "share": round(c / total, 3), "samples": c} for f, c in rows]

    return {
        "command": spy,
        "wall_seconds": round(run.wall_seconds, 1),
        "samples": total,
        "rate_hz": 100,
        "folded": str(raw),
        "phases": {name: round(count / total, 3) for name, count in phases.most_common()},
        "govsite_cumulative": top(cumulative, 30, _is_govsite),
        "innermost_govsite": top(innermost, 20),
        "own": top(own, 15),
    }


def _is_govsite(frame: str) -> bool:
    return "(govsite/" in frame and not frame.startswith(("<module>", "scan (govsite/cli/scan.py"))


def _short(frame: str) -> str:
    """`func (/long/path/site-packages/pkg/mod.py:12)` -> `func (pkg/mod.py:12)`."""
    match = re.match(r"(.*) \((.*):(\d+)\)$", frame)
    if not match:
        return frame
    name, path, line = match.groups()
    if "site-packages/" in path:
        path = path.split("site-packages/", 1)[1]
    elif "/src/" in path:
        path = path.split("/src/", 1)[1]
    elif re.search(r"/lib/python3\.\d+/", path):
        path = "stdlib/" + re.split(r"/lib/python3\.\d+/", path, maxsplit=1)[1]
    return f"{name} ({path}:{line})"


# -- reporting ---------------------------------------------------------------------------------------


def fmt(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def markdown(results: dict) -> str:
    m = results["machine"]
    s = results["settings"]
    lines = [
        f"# govsite scan benchmark — {m['date']}",
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu_model']}), {m['memory_gb']} GB RAM, {m['os']}; "
        f"Python {m['python']}, Scrapy {m['scrapy']}, {m['govsite']}; load average at start "
        f"{' / '.join(str(x) for x in m['load_average_at_start'])}.",
        "",
        f"Site: benchmark_spec(urls={s['urls']}) — {fmt(results['site']['truth_url_count'])} reachable in-site URLs "
        f"(truth), generated in {results['site']['generate_seconds']} s, served on 127.0.0.1 by this process "
        f"(site {results['site']['url']}, other sites {results['site']['external_url']}).",
        f"Settings for every tool: concurrency {s['concurrency']}, delay 0, no AutoThrottle, timeout {s['timeout']} s, "
        f"no retries, hang_seconds {s['hang_seconds']} (the hanging URLs close after that for every tool), "
        f"robots.txt obeyed except by wget (-e robots=off); the endless calendar ({s['trap']}) is denied by "
        "pattern to all but govsite, which meets it with its own bounds (default --max-depth 10, list pagination "
        "not counted)." + (f" govsite also gets `{s['govsite_args']}`." if s.get("govsite_args") else ""),
        "",
        "| tool | URLs visited | in-site | other sites | calendar trap | wall s | URLs/s | CPU s | server CPU s "
        "| other CPU s | peak RSS MB |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in results["tools"]:
        if row.get("skipped"):
            lines.append(f"| {row['tool']} | skipped: {row['skipped']} | | | | | | | | | |")
            continue
        flag = " (time limit hit)" if row.get("timed_out") else ""
        lines.append(
            f"| {row['tool']}{flag} | {fmt(row['visited'])} | {fmt(row['in_site'])} | {fmt(row['other_sites'])} "
            f"| {fmt(row['calendar_trap'])} | {fmt(row['wall_seconds'])} | {fmt(row['urls_per_second'])} "
            f"| {fmt(row['cpu_seconds'])} | {fmt(row['server_cpu_seconds'])} | {fmt(row['other_cpu_seconds'])} "
            f"| {fmt(row['peak_rss_mb'])} |"
        )
    lines += ["", "Targets:", ""]
    for target in results["targets"]:
        lines.append(f"- **{target['verdict']}** {target['name']}: {target['detail']}")
    phases = results.get("govsite_phases") or {}
    if phases:
        lines += ["", "govsite phases (from its output files' times):", ""]
        lines += [f"- {key}: {fmt(value)}" for key, value in phases.items()]
    profile = results.get("profile") or {}
    if profile.get("govsite_cumulative"):
        phases = ", ".join(f"{name} {share:.0%}" for name, share in profile["phases"].items())
        lines += [
            "",
            f"Profile of one more govsite run under py-spy ({profile['rate_hz']} Hz, {fmt(profile['samples'])} "
            f"samples, {profile['wall_seconds']} s; samples by phase: {phases}). Collapsed stacks: "
            f"`{profile['folded']}`.",
            "",
            "govsite functions by cumulative share of samples (file:line of the function's first line):",
            "",
            "| cumulative | function |",
            "|--:|---|",
        ]
        lines += [f"| {r['share']:.1%} | `{r['frame']}` |" for r in profile["govsite_cumulative"]]
        lines += ["", "Innermost govsite function of each sample (own time plus the library code it called):", ""]
        lines += [f"- {r['share']:.1%} `{r['frame']}`" for r in profile["innermost_govsite"]]
        lines += ["", "Most own time, any package:", ""]
        lines += [f"- {r['share']:.1%} `{r['frame']}`" for r in profile["own"]]
    elif profile.get("error"):
        lines += ["", f"Profile: {profile['error']}"]
    lines += ["", "Commands (ports change per run):", ""]
    for row in results["tools"]:
        if row.get("command"):
            lines.append(f"- {row['tool']}: `{row['command']}`")
    if results.get("violations"):
        lines += ["", "**Requests outside 127.0.0.1 servers of this run:**", ""]
        lines += [f"- {tool}: {', '.join(urls[:10])}" for tool, urls in results["violations"].items()]
    else:
        lines += ["", "Every URL any tool reported is on this run's two 127.0.0.1 servers."]
    lines += ["", "Notes:", ""] + [f"- {note}" for note in results["notes"]]
    return "\n".join(lines) + "\n"


# -- the run -------------------------------------------------------------------------------------------


def tool_row(name: str, runs: list[Measured], visits: Visits, site: str, external: str) -> dict:
    walls = [r.wall_seconds for r in runs]
    wall = statistics.median(walls)
    counts = visits.split(site, external)
    last = runs[-1]
    return {
        "tool": name,
        **counts,
        "wall_seconds": round(wall, 1),
        "wall_seconds_runs": [round(w, 1) for w in walls],
        "urls_per_second": round(counts["visited"] / wall, 1) if wall else None,
        "cpu_seconds": round(statistics.median(r.cpu_seconds for r in runs), 1),
        "server_cpu_seconds": round(statistics.median(r.harness_cpu_seconds for r in runs), 1),
        "other_cpu_seconds": round(statistics.median(r.other_cpu_seconds for r in runs), 1),
        "peak_rss_mb": round(max(r.peak_rss_mb for r in runs), 1),
        "tree_rss_peak_mb": round(max(r.tree_rss_peak_mb for r in runs), 1),
        "vm_hwm_mb": round(max(r.hwm_mb for r in runs), 1),
        "processes": max(r.processes_seen for r in runs),
        "returncode": last.returncode,
        "timed_out": any(r.timed_out for r in runs),
        "command": shlex.join(last.command),
        "detail": visits.detail,
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=10_000, help="size of the benchmark site (benchmark_spec)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the JSON and Markdown go")
    parser.add_argument("--skip-linkchecker", action="store_true")
    parser.add_argument("--skip-wget", action="store_true")
    parser.add_argument("--skip-dupefilter-variant", action="store_true", help="run only the de-duplicating spider")
    parser.add_argument(
        "--tools",
        default=",".join(TOOLS),
        help=f"comma-separated subset of {','.join(TOOLS)} (default: all; the --skip-* options remove from it)",
    )
    parser.add_argument(
        "--govsite-args", default="", help='extra options for govsite scan, e.g. "--max-depth 30" (shown in the table)'
    )
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight to the site, every tool")
    parser.add_argument("--timeout", type=float, default=10.0, help="per-request timeout, every tool")
    parser.add_argument("--hang-seconds", type=float, default=3.0, help="the hanging URLs close after this")
    parser.add_argument("--repeat", type=int, default=1, help="runs of the bare spider and govsite (median wall)")
    parser.add_argument("--time-limit", type=float, default=1800.0, help="seconds before a tool run is stopped")
    parser.add_argument(
        "--settle", type=float, default=60.0, help="wait up to this long for an idle machine before each run (0: no)"
    )
    parser.add_argument(
        "--profile",
        choices=("never", "on-fail", "always"),
        default="on-fail",
        help="run govsite once more under py-spy (default: when it misses a target)",
    )
    parser.add_argument("--linkchecker", help="a linkchecker executable (default: own venv under --cache)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="LinkChecker's venv lives here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (site, scans, logs)")
    args = parser.parse_args(argv)
    if args.urls < 100 or args.repeat < 1 or args.repeat > 10 or args.concurrency < 1 or args.time_limit <= 0:
        parser.error("--urls >= 100, 1 <= --repeat <= 10, --concurrency >= 1, --time-limit > 0")
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = sorted(set(tools) - set(TOOLS))
    if unknown:
        parser.error(f"--tools: unknown {', '.join(unknown)}; choose from {', '.join(TOOLS)}")
    skipped = {"linkchecker": args.skip_linkchecker, "wget": args.skip_wget, "dupefilter": args.skip_dupefilter_variant}
    args.tools = [t for t in TOOLS if t in tools and not skipped.get(t)]
    if not 0 < args.hang_seconds < args.timeout:
        parser.error("--hang-seconds must be below --timeout, so that a hang costs every tool the same")
    return args


class Bench:
    """One benchmark run: the settings, the served site and the rows measured so far."""

    def __init__(self, args: argparse.Namespace, settings: Settings, work: Path, env: dict[str, str]) -> None:
        self.args = args
        self.settings = settings
        self.work = work
        self.env = env
        self.site = self.external = ""
        self.rows: list[dict] = []
        self.runs: dict[str, list[Measured]] = {}
        self.violations: dict[str, list[str]] = {}
        self.phases: dict = {}
        self.profile: dict = {}
        self.govsite_command: list[str] = []

    def measure(self, command: list[str], folder: Path) -> Measured:
        folder.mkdir(parents=True, exist_ok=True)
        waited, idle = settle(self.args.settle)
        if self.args.settle and not idle:
            print(f"  (the machine was still busy after {waited:.0f} s of waiting; measuring anyway)", flush=True)
        return run_measured(
            command,
            cwd=folder,
            env=self.env,
            stdout=folder / "stdout",
            stderr=folder / "stderr",
            time_limit=self.args.time_limit,
        )

    def record(self, name: str, runs: list[Measured], visits: Visits) -> None:
        row = tool_row(name, runs, visits, self.site, self.external)
        self.rows.append(row)
        self.runs[name] = runs
        outside = off_host(visits.urls, (self.site, self.external))
        if outside:
            self.violations[name] = outside
        print(
            f"  {name}: {row['visited']:,} URLs in {row['wall_seconds']} s, "
            f"peak RSS {row['peak_rss_mb']} MB, exit {row['returncode']}"
            + (" — TIME LIMIT" if row["timed_out"] else "")
            + (f" — {len(outside)} URLs OFF this run's 127.0.0.1 servers!" if outside else ""),
            flush=True,
        )

    def bare(self, name: str, dupefilter_only: bool) -> None:
        runs, stats = [], Path()
        expected = govsite_scrapy_settings(self.settings)
        settings_file = self.work / "govsite-scrapy-settings.json"
        settings_file.write_text(json.dumps(expected, indent=1) + "\n", encoding="utf-8")
        for i in range(self.args.repeat):
            folder = self.work / f"bare-{int(dupefilter_only)}-{i}"
            stats = folder / "stats.json"
            print(f"running {name} ({i + 1}/{self.args.repeat}) ...", flush=True)
            command = bare_command(self.settings, self.site, stats, settings_file, dupefilter_only=dupefilter_only)
            runs.append(self.measure(command, folder))
        if not stats.is_file():
            self.record(name, runs, Visits([], {"error": "no stats written"}))
            return
        visits = bare_visits(stats, expected)
        differing = visits.detail["settings_differing_from_govsite"]
        if differing:
            print(f"  WARNING: the bare spider's Scrapy settings differ from govsite's: {differing}", flush=True)
        self.record(name, runs, visits)

    def govsite(self) -> None:
        runs, scan_dir = [], Path()
        for i in range(self.args.repeat):
            folder = self.work / f"govsite-{i}"
            scan_dir = folder / "scan"
            print(f"running govsite scan ({i + 1}/{self.args.repeat}) ...", flush=True)
            self.govsite_command = govsite_command(self.settings, self.site, scan_dir, self.args.govsite_args)
            runs.append(self.measure(self.govsite_command, folder))
            self.phases = govsite_phases(scan_dir, runs[-1])
        self.record("govsite scan", runs, govsite_visits(scan_dir))

    def linkchecker(self, binary: Path, version: str) -> None:
        folder = self.work / "linkchecker"
        folder.mkdir()
        folder.chmod(0o777)  # LinkChecker runs as nobody when started as root
        config = folder / "linkcheckerrc"
        linkchecker_config(self.settings, config, self.args.time_limit)
        ports = (urlsplit(self.site).port or 80, urlsplit(self.external).port or 80)
        print(f"running {version} ...", flush=True)
        run = self.measure(linkchecker_command(binary, config, self.settings, self.site, ports), folder)
        self.record(" ".join(version.split()[:2]), [run], linkchecker_visits(folder / "stdout"))

    def wget(self, version: str) -> None:
        folder = self.work / "wget"
        log = folder / "wget.log"
        print(f"running {version} ...", flush=True)
        run = self.measure(wget_command(self.settings, self.site, folder / "files", log), folder)
        words = version.split()
        self.record(f"wget {words[2]}" if len(words) > 2 else "wget", [run], wget_visits(log))

    def profile_if_asked(self) -> None:
        failed = any(t["verdict"] == "FAIL" for t in check_targets(self.rows))
        if self.args.profile == "always" or (self.args.profile == "on-fail" and failed):
            folder = self.work / "profile"
            folder.mkdir()
            command = list(self.govsite_command)
            command[command.index("--out") + 1] = str(folder / "scan")
            print("profiling govsite scan under py-spy (one more run) ...", flush=True)
            self.profile = profile_govsite(command, folder, self.env, self.args.time_limit)
            if self.args.out:
                folded = Path(self.profile.get("folded", ""))
                if folded.is_file():
                    self.args.out.mkdir(parents=True, exist_ok=True)
                    shutil.copy(folded, self.args.out / "govsite-latest.folded")
                    self.profile["folded"] = str(self.args.out / "govsite-latest.folded")


def notes_for(args: argparse.Namespace, slow_seconds: float, versions: dict[str, str]) -> list[str]:
    notes = [
        "wall s: spawn to exit of the tool's process, as a person waits for it; URLs/s = URLs visited / wall s.",
        "peak RSS MB: the larger of the process tree's summed RSS, sampled every 0.1 s with psutil, and the largest "
        "kernel high-water mark (VmHWM) of any single process in it, read at the same polls; both are in the JSON.",
        "CPU s: user + system seconds of the tool; server CPU s: this process meanwhile (the sample servers' "
        "threads and the poller); other CPU s: busy CPU time of everything else on the machine meanwhile "
        "(anything well above 0 means the figures were disturbed). Server and tool share the machine's cores.",
        "govsite runs page analysis, attachment reading and their records in a worker process beside the crawl "
        "(CrawlPolicy.analysis_workers, 1 by default): its CPU s and peak RSS include that process, and it uses "
        "two cores where the bare spider uses one, so a busy machine slows it more.",
        "URLs visited: distinct URLs the tool requested, by its own record; in-site excludes the calendar trap; "
        "other sites = the sample's external server (also on 127.0.0.1). govsite and LinkChecker check other-site "
        "links; the bare spider does not; wget follows them because they are on the same host.",
        "bare Scrapy uses govsite's own Scrapy settings for the same options (the run checks them against "
        "govsite.scan.crawler.scrapy_settings) except: logging off, Scrapy's redirect middleware on and a 5 MB "
        "download limit; it does not import govsite's scan package (detectors: ~1 s and ~80 MB); it keeps a set of "
        "requested URLs as govsite does. The dupefilter-only row is the textbook spider that yields every link.",
        "LinkChecker: the site answers with a `LinkChecker` header (added to the generated server.json by this "
        "benchmark), LinkChecker's documented opt-in for maxrequestspersecond above 10; without it LinkChecker "
        "pauses 0.1-0.6 s between two requests to one host (about 3 URLs/s). It also checks images, CSS and JS.",
        "wget is single-threaded (one request at a time) and runs with -e robots=off, so it also visits the "
        "robots.txt-disallowed /private/ pages.",
        "The endless calendar: govsite meets it with its own bounds (its default --max-depth 10 stops it after "
        "100 URLs); the others are told not to enter it (bare spider --deny, LinkChecker --ignore-url, wget "
        "--reject-regex), since a depth limit would also cut the site's long list paginations.",
        f"The site has a URL that hangs and a slow page ({slow_seconds} s): with hang_seconds {args.hang_seconds} "
        f"below the {args.timeout} s timeout, the server closes the hanging connections after the same time "
        "for every tool.",
    ]
    notes += [f"{name} version: {version.rstrip('.')}." for name, version in versions.items() if version]
    return notes


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)  # so that the finally clauses stop the tool and the servers
    info = machine_info()
    spec = benchmark_spec(args.urls)
    settings = Settings(args.concurrency, args.timeout, args.hang_seconds, spec.as_of.isoformat())
    print(f"govsite scan benchmark: {info['date']}, {info['nproc']} CPUs {info['cpu_model']}, {info['memory_gb']} GB")

    lc_binary, lc_problem = None, "not selected"
    if "linkchecker" in args.tools:
        lc_binary, lc_problem = ensure_linkchecker(args.cache, args.linkchecker)
        if lc_problem:
            print(f"LinkChecker skipped: {lc_problem}")
    lc_version = tool_version([str(lc_binary), "--version"]) if lc_binary else ""
    wget_problem = (
        "not selected" if "wget" not in args.tools else ("" if shutil.which("wget") else "wget not installed")
    )
    if wget_problem == "wget not installed":
        print("wget not installed: skipped (apt-get install -y wget)")
    wget_version = tool_version(["wget", "--version"]) if not wget_problem else ""

    work = Path(tempfile.mkdtemp(prefix="govsite-bench-"))
    work.chmod(0o755)  # LinkChecker drops root privileges to nobody and must read its config in here
    print(f"work folder {work}{' (kept)' if args.keep else ' (removed at the end; --keep keeps it)'}", flush=True)
    bench = Bench(args, settings, work, child_env())
    try:
        sample = work / "sample"
        started = time.perf_counter()
        truth = generate_sample(sample, [spec])[0]
        generate_seconds = round(time.perf_counter() - started, 1)
        allow_linkchecker_rate(sample, spec.site_slug)
        print(f"generated {spec.name}: {truth.url_count:,} reachable in-site URLs in {generate_seconds} s", flush=True)
        with served(sample, hang_seconds=args.hang_seconds) as servers:
            bench.site = servers.urls()[spec.site_slug].rstrip("/") + "/"
            bench.external = servers.external.url.rstrip("/") + "/"
            print(f"serving {bench.site} (other sites {bench.external})", flush=True)
            if "bare" in args.tools:
                bench.bare("bare Scrapy", dupefilter_only=False)
            if "dupefilter" in args.tools:
                bench.bare("bare Scrapy, dupefilter only", dupefilter_only=True)
            if "govsite" in args.tools:
                bench.govsite()
            if lc_binary:
                bench.linkchecker(lc_binary, lc_version)
            else:
                bench.rows.append({"tool": "LinkChecker", "skipped": lc_problem})
            if not wget_problem:
                bench.wget(wget_version)
            else:
                bench.rows.append({"tool": "wget", "skipped": wget_problem})
            if bench.govsite_command:
                bench.profile_if_asked()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    results = {
        "machine": info,
        "settings": {"urls": args.urls, **asdict(settings), "repeat": args.repeat, "govsite_args": args.govsite_args},
        "site": {
            "truth_url_count": truth.url_count,
            "generate_seconds": generate_seconds,
            "url": bench.site,
            "external_url": bench.external,
        },
        "tools": bench.rows,
        "targets": check_targets(bench.rows),
        "govsite_phases": bench.phases,
        "profile": bench.profile,
        "violations": bench.violations,
        "notes": notes_for(args, spec.slow_seconds, {"LinkChecker": lc_version, "wget": wget_version}),
        "rss_samples": {
            name: runs[-1].samples[:: max(1, len(runs[-1].samples) // 600)] for name, runs in bench.runs.items()
        },
    }
    write_results(results, args.out)
    print()
    print(markdown(results))
    print(f"written to {args.out}/scan_benchmark-latest.md and .json (and a timestamped copy)")
    return 1 if bench.violations else 0


def check_targets(rows: list[dict]) -> list[dict]:
    by_name = {row["tool"]: row for row in rows if not row.get("skipped")}
    bare, scan = by_name.get("bare Scrapy"), by_name.get("govsite scan")
    targets = []
    if bare and scan and bare["wall_seconds"]:
        ratio = scan["wall_seconds"] / bare["wall_seconds"]
        verdict = "PASS" if ratio <= WALL_RATIO_TARGET and not scan["timed_out"] else "FAIL"
        detail = (
            f"govsite {scan['wall_seconds']} s / bare Scrapy {bare['wall_seconds']} s = {ratio:.2f}x "
            f"(target ≤ {WALL_RATIO_TARGET}x)"
        )
        if scan["visited"] and bare["visited"] and scan["visited"] != bare["visited"]:
            per_url = (scan["wall_seconds"] / scan["visited"]) / (bare["wall_seconds"] / bare["visited"])
            detail += f"; per URL visited ({scan['visited']:,} vs {bare['visited']:,}): {per_url:.2f}x" + (
                " — govsite did less of the site than the bare spider" if scan["in_site"] < bare["in_site"] else ""
            )
        plain = by_name.get("bare Scrapy, dupefilter only")
        if plain and plain["wall_seconds"]:
            detail += f"; against the dupefilter-only spider ({plain['wall_seconds']} s): "
            detail += f"{scan['wall_seconds'] / plain['wall_seconds']:.2f}x"
        targets.append(
            {"name": "wall time ≤ 1.5 × bare Scrapy", "verdict": verdict, "ratio": round(ratio, 2), "detail": detail}
        )
    if scan:
        rss = scan["peak_rss_mb"]
        targets.append(
            {
                "name": "peak RSS < 500 MB",
                "verdict": "PASS" if rss < RSS_TARGET_MB else "FAIL",
                "ratio": round(rss / RSS_TARGET_MB, 2),
                "detail": f"{rss} MB = {rss / RSS_TARGET_MB:.2f} of {RSS_TARGET_MB:.0f} MB "
                f"(tree sum sampled {scan['tree_rss_peak_mb']} MB, VmHWM {scan['vm_hwm_mb']} MB)",
            }
        )
    return targets


def write_results(results: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    stamp = results["machine"]["date"].replace(":", "").replace("-", "")[:15]
    text = markdown(results)
    data = json.dumps(results, ensure_ascii=False, indent=1) + "\n"
    for name in (f"scan_benchmark-{stamp}", "scan_benchmark-latest"):
        (out / f"{name}.md").write_text(text, encoding="utf-8")
        (out / f"{name}.json").write_text(data, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

"""`govsite uptime` against a loopback site that hangs past the time limit on every 4th request."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from click.testing import CliRunner

from govsite.cli import main
from loopback import RouteServer, html_page

SRC = Path(__file__).resolve().parents[2] / "src"


class EveryFourthHangs:
    """A homepage that sleeps `hang` seconds on requests 4, 8, 12… and answers at once otherwise."""

    def __init__(self, hang: float) -> None:
        self.hang, self.count, self.lock = hang, 0, threading.Lock()

    def __call__(self, request) -> None:
        with self.lock:
            self.count += 1
            number = self.count
        if number % 4 == 0:
            time.sleep(self.hang)
        html_page("<p>首页</p>")(request)


def run(*args: str):
    return CliRunner().invoke(main, ["uptime", *args, "--loopback-only"], catch_exceptions=False)


def test_uptime_reports_exactly_the_share_of_visits_that_hang(tmp_path):
    site = EveryFourthHangs(hang=1.5)
    with RouteServer({"/": site}) as server:
        result = run(server.url, "--interval", "0", "--count", "12", "--timeout", "0.5", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    (entry,) = json.loads((tmp_path / "availability.json").read_text(encoding="utf-8"))["sites"]
    assert (entry["attempts"], entry["failures"], entry["failure_ratio"]) == (12, 3, 0.25)
    assert entry["failures_by_reason"] == {"timeout": 3}
    assert entry["verdict"]["state"] == "unknown" and "监测不足一周" in entry["verdict"]["reason"]
    lines = (tmp_path / "attempts.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["ok"] for line in lines] == [True, True, True, False] * 3
    assert "无法判定" in result.output and "超时未打开：3 次" in result.output


def test_an_interrupted_run_resumes_with_the_remaining_rounds_only(tmp_path):
    site = EveryFourthHangs(hang=1.0)
    with RouteServer({"/": site}) as server:
        args = [server.url, "--interval", "0.3", "--count", "8", "--timeout", "0.5", "--out", str(tmp_path)]
        command = [sys.executable, "-m", "govsite.cli", "uptime", *args, "--loopback-only"]
        child = subprocess.Popen(command, env={**os.environ, "PYTHONPATH": str(SRC)}, stdout=subprocess.DEVNULL)
        attempts = tmp_path / "attempts.jsonl"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(_lines(attempts)) < 3:
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait()
        before = len(_lines(attempts))
        assert 3 <= before < 8
        with attempts.open("a", encoding="utf-8") as handle:
            handle.write('{"round": 99, "site": "torn')  # a write cut short by the kill
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert f"已完成 {before} 轮" in result.output
    rounds = [json.loads(line)["round"] for line in _lines(attempts) if line.endswith("}")]
    assert rounds == list(range(8))
    assert site.count == 8  # no round visited twice
    (entry,) = json.loads((tmp_path / "availability.json").read_text(encoding="utf-8"))["sites"]
    assert (entry["attempts"], entry["failures"]) == (8, 2)
    again = run(*args)
    assert "不再访问" in again.output and site.count == 8


def test_bad_input_is_refused_in_chinese(tmp_path):
    assert run("--out", str(tmp_path)).exit_code == 2
    bad = run("ftp://127.0.0.1/", "--out", str(tmp_path))
    assert bad.exit_code == 2 and "不是 http(s) 网址" in bad.output
    (tmp_path / "attempts.jsonl").write_text(
        json.dumps({"round": 0, "site": "http://127.0.0.1:9/", "at": "2026-01-01T00:00:00+00:00", "ok": True}) + "\n",
        encoding="utf-8",
    )
    other = run("http://127.0.0.1:8/", "--count", "1", "--out", str(tmp_path))
    assert other.exit_code == 2 and "--fresh" in other.output


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.is_file() else []


def test_a_sites_file_and_fresh(tmp_path):
    from loopback import reply

    with RouteServer({"/": html_page("<p>首页</p>"), "/down/": reply(503, b"busy")}) as server:
        listing = tmp_path / "sites.txt"
        listing.write_text(f"# 监测清单\n{server.url}\n\n{server.url}down/\n", encoding="utf-8")
        out = tmp_path / "out"
        args = ["--sites", str(listing), "--interval", "0", "--count", "2", "--timeout", "1", "--out", str(out)]
        assert run(*args).exit_code == 0
        assert run(*args, "--fresh").exit_code == 0  # starts over: two rounds again, not four
    entries = json.loads((out / "availability.json").read_text(encoding="utf-8"))["sites"]
    assert [(e["site"], e["attempts"], e["failures"]) for e in entries] == [
        (server.url, 2, 0),
        (server.url + "down/", 2, 2),
    ]
    assert entries[1]["failures_by_reason"] == {"http_5xx": 2}

"""Availability benchmark: one prober process visits 1,248 loopback sites, 5 % of them hanging past the timeout.

    .venv/bin/python benchmarks/uptime_benchmark.py [--sites 1248] [--hanging 0.05] [--timeout 2] [--rounds 2]

One asyncio server process (this script, `--serve`) listens on one 127.0.0.1
port and answers by Host name: `s0001.uptime.test` … each a site, with a
homepage of about 20 KB; the sites of the hanging share wait longer than the
timeout before answering. The prober (`govsite.probes.availability.probe_round`,
as the worker's round runs it) visits every site once per round with
`--concurrency` visits in flight, names mapped to 127.0.0.1 (`connect_to`)
under the loopback rule. Printed per round: the cycle time, probes per
second, failures by reason; and for the prober process: CPU seconds
(user + system, over all rounds, and per round as a share of one core) and
peak RSS (the kernel's VmHWM, psutil). Targets (issue 14): < 1 core, < 300 MB
for 1,248 sites every 30 minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psutil

PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>政府网站</title></head><body>"
    + "<p>政务公开 通知公告 政策文件</p>" * 400
    + "</body></html>"
).encode("utf-8")


def site_names(count: int) -> list[str]:
    return [f"s{i:04d}.uptime.test" for i in range(count)]


def hanging(names: list[str], share: float) -> set[str]:
    step = max(1, round(1 / share)) if share > 0 else len(names) + 1
    return {name for i, name in enumerate(names) if i % step == 0}


async def serve(port_file: str, count: int, share: float, hang: float) -> None:
    slow = hanging(site_names(count), share)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            host = ""
            for line in head.decode("latin-1").split("\r\n"):
                if line.lower().startswith("host:"):
                    host = line.split(":", 2)[1].strip()
            if host in slow:
                await asyncio.sleep(hang)
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\n"
                + f"Content-Length: {len(PAGE)}\r\n\r\n".encode()
                + PAGE
            )
            await writer.drain()
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=4096)
    with open(port_file, "w") as handle_file:
        handle_file.write(str(server.sockets[0].getsockname()[1]))
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1248)
    parser.add_argument("--hanging", type=float, default=0.05)
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.serve, args.sites, args.hanging, args.timeout + 3))
        return
    from govsite.probes.availability import UptimeOptions, probe_round

    port_file = f"/tmp/uptime_benchmark_{os.getpid()}.port"
    server = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--serve",
            port_file,
            "--sites",
            str(args.sites),
            "--hanging",
            str(args.hanging),
            "--timeout",
            str(args.timeout),
        ]
    )
    try:
        while not os.path.exists(port_file) or not Path(port_file).read_text():
            time.sleep(0.05)
        port = int(Path(port_file).read_text())
        names = site_names(args.sites)
        urls = [f"http://{name}:{port}/" for name in names]
        options = UptimeOptions(
            timeout=args.timeout,
            concurrency=args.concurrency,
            loopback_only=True,
            connect_to={name: "127.0.0.1" for name in names},
        )
        me = psutil.Process()
        expected = len(hanging(names, args.hanging))
        cpu_start = sum(me.cpu_times()[:2])
        print(
            f"{args.sites} 个本机网站，{expected} 个（{expected / args.sites:.1%}）超过 {args.timeout:g} 秒才响应；"
            f"并发 {args.concurrency}"
        )
        for number in range(1, args.rounds + 1):
            cpu0, wall0 = sum(me.cpu_times()[:2]), time.perf_counter()
            attempts = probe_round(urls, options)
            wall, cpu = time.perf_counter() - wall0, sum(me.cpu_times()[:2]) - cpu0
            reasons = Counter(a.reason for a in attempts if not a.ok)
            print(
                f"第 {number} 轮：用时 {wall:.2f} 秒，{len(attempts) / wall:.0f} 次/秒，CPU {cpu:.2f} 秒"
                f"（本轮占 {cpu / wall:.0%} 个核），打不开 {sum(reasons.values())} 次 {dict(reasons)}"
            )
            assert sum(reasons.values()) == expected, "the failures must be exactly the hanging sites"
        cpu_total = sum(me.cpu_times()[:2]) - cpu_start
        peak = _peak_rss(me)
        print(f"探测进程：CPU 合计 {cpu_total:.2f} 秒（{args.rounds} 轮）；峰值内存 {peak / 2**20:.1f} MB")
        print(f"每 30 分钟一轮时平均占 {cpu_total / args.rounds / 1800:.2%} 个核")
    finally:
        server.terminate()
        server.wait()
        if os.path.exists(port_file):
            os.unlink(port_file)


def _peak_rss(process: psutil.Process) -> int:
    try:
        with open(f"/proc/{process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return process.memory_info().rss


if __name__ == "__main__":
    main()

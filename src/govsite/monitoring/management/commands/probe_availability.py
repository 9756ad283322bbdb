"""`govsite manage probe_availability [--loop] [--rounds N]`: availability rounds without Celery.

The embedded default has no beat: run this beside `govsite serve` (with
`--loop` it probes every GOVSITE_UPTIME_INTERVAL_SECONDS). With Celery, beat
sends `govsite.worker.probe_availability` on the same interval instead.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from govsite.monitoring.services import run_round


class Command(BaseCommand):
    help = "访问全部网站首页一轮并记录（--loop 按 GOVSITE_UPTIME_INTERVAL_SECONDS 间隔持续监测）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--loop", action="store_true", help="持续监测")
        parser.add_argument("--rounds", type=int, default=0, help="与 --loop 同用：最多几轮（0 不限）")

    def handle(self, *args, loop: bool = False, rounds: int = 0, **options) -> None:
        done = 0
        while True:
            started = time.monotonic()
            result = run_round()
            if result is None:
                self.stdout.write("本时段已监测过，跳过")
            else:
                self.stdout.write(f"已访问 {result.websites} 个网站，打不开 {result.failures} 个")
            done += 1
            if not loop or (rounds and done >= rounds):
                return
            time.sleep(max(0.0, settings.GOVSITE_UPTIME_INTERVAL_SECONDS - (time.monotonic() - started)))

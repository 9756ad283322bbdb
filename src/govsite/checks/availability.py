"""The week rule of 站点无法访问 (2019 national inspection indicators), judged from homepage visits.

The rule: monitored for one week, the site visited at intervals, 20 or more
times a day; when the visits whose homepage still does not open after 15
seconds reach 5 % of all visits, the site fails (a single veto). So:

- the window is the week before `now` (a visit exactly a week old is
  out, one at `now` is in), cut into 7 days of 24 hours counted back from
  `now`;
- fewer than a week of monitoring (the first visit later than the window's
  start, give or take `grace`: one visit's spacing) is `unknown` with the
  ratio so far (监测不足一周), never a pass or a fail;
- a day of the window with fewer than 20 visits is `unknown` too, naming
  the day (the rule's sample was not taken);
- otherwise `fail` when failures × 100 ≥ visits × 5 (exact: 5 % fails),
  else `pass`.

A visit the probe rules forbade (reason `blocked`) was not a visit and is
not counted. Pure: attempts are any objects with `at` (aware datetime),
`ok` and `reason`; no network, no Django (the probes, the CLI and the app
feed it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any, Protocol

WINDOW_DAYS = 7
PROBES_PER_DAY = 20
FAILURE_SHARE = Fraction(5, 100)
DAY = timedelta(days=1)

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"

# Why a visit failed: code (English, stable) -> what a person reads. The prober gives these codes.
REASONS = {
    "timeout": "超时未打开",
    "dns": "域名解析失败",
    "refused": "连接被拒绝",
    "connect": "无法建立连接",
    "tls": "证书或加密连接错误",
    "http_5xx": "服务器错误（5xx）",
    "http_4xx": "首页返回错误状态（4xx）",
    "redirects": "重定向过多或无效",
    "protocol": "响应中断或不合规",
    "blocked": "探测规则不允许访问",
    "scan": "检测时首页无法访问",  # a scan (app Job) that could not reach the homepage counts as one visit
}
NOT_A_VISIT = frozenset({"blocked"})
# Failures that, when every website of a round shows one, say more about the prober's own network than
# about the sites (a dead uplink or resolver): refusals and HTTP errors prove the network was there.
PROBER_SIDE = frozenset({"dns", "connect", "timeout"})
PROBER_OFFLINE_MIN_SITES = 3  # with fewer websites a round cannot tell its own outage from theirs


def reason_label(code: str) -> str:
    return REASONS.get(code, code)


class AttemptLike(Protocol):
    at: datetime
    ok: bool
    reason: str


@dataclass(frozen=True)
class Outage:
    """Consecutive failed visits: from the first failure to the next visit that opened (or the last failure)."""

    start: datetime
    end: datetime
    failures: int
    reasons: dict[str, int]
    ongoing: bool  # no visit has opened since

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


def prober_offline(round_attempts: Sequence[AttemptLike]) -> str:
    """Why a round says nothing about the sites ("" when it does): every visit failed the prober's side.

    A check that could not run changes no state: such a round is not stored as the sites' failures.
    """
    counted = [a for a in round_attempts if a.reason not in NOT_A_VISIT]
    if len(counted) < PROBER_OFFLINE_MIN_SITES or any(a.ok or a.reason not in PROBER_SIDE for a in counted):
        return ""
    reasons = "、".join(sorted({reason_label(a.reason) for a in counted}))
    return f"本轮 {len(counted)} 个网站全部访问失败（{reasons}），应是监测机自身网络故障，本轮不计入各网站的可用性"


def visits(attempts: Iterable[AttemptLike]) -> list[AttemptLike]:
    """The attempts that were visits (not refused by the probe rules), oldest first."""
    return sorted((a for a in attempts if a.reason not in NOT_A_VISIT), key=lambda a: a.at)


def outages(attempts: Iterable[AttemptLike]) -> list[Outage]:
    """The runs of failed visits, oldest first; an outage still going on ends at its last failure."""
    found: list[Outage] = []
    run: list[AttemptLike] = []
    for attempt in visits(attempts):
        if not attempt.ok:
            run.append(attempt)
            continue
        if run:
            found.append(_outage(run, attempt.at, ongoing=False))
            run = []
    if run:
        found.append(_outage(run, run[-1].at + timedelta(seconds=getattr(run[-1], "elapsed", 0.0) or 0.0), True))
    return found


def _outage(run: Sequence[AttemptLike], end: datetime, ongoing: bool) -> Outage:
    return Outage(run[0].at, end, len(run), dict(Counter(a.reason for a in run)), ongoing)


def judge(
    attempts: Iterable[AttemptLike],
    now: datetime,
    *,
    site: str = "",
    window_days: int = WINDOW_DAYS,
    probes_per_day: int = PROBES_PER_DAY,
    failure_share: Fraction = FAILURE_SHARE,
    grace: timedelta = DAY / PROBES_PER_DAY,
) -> dict[str, Any]:
    """The site's entry of availability.json: the figures of the window and the rule's verdict."""
    every = visits(attempts)
    start = now - window_days * DAY
    window = [a for a in every if start < a.at <= now]
    failed = [a for a in window if not a.ok]
    daily = _daily(window, start, window_days)
    entry: dict[str, Any] = {
        "site": site,
        "attempts": len(window),
        "failures": len(failed),
        "failure_ratio": round(len(failed) / len(window), 4) if window else None,
        "longest_outage_seconds": round(max((o.seconds for o in outages(window)), default=0.0), 3),
        "failures_by_reason": dict(Counter(a.reason for a in failed).most_common()),
        "daily": daily,
    }
    entry["verdict"] = _verdict(
        every, window, failed, daily, start, now, grace, window_days, probes_per_day, failure_share
    )
    return entry


def _daily(window: list[AttemptLike], start: datetime, days: int) -> list[dict[str, Any]]:
    """Visits and failures per day of the window, oldest first; day i is (start + i days, start + i + 1 days]."""
    counts = [[0, 0] for _ in range(days)]
    end = start + days * DAY
    for attempt in window:
        index = days - 1 - min(int((end - attempt.at) / DAY), days - 1)
        counts[index][0] += 1
        counts[index][1] += 0 if attempt.ok else 1
    return [{"from": (start + i * DAY).isoformat(), "attempts": n, "failures": f} for i, (n, f) in enumerate(counts)]


def _verdict(
    every: list[AttemptLike],
    window: list[AttemptLike],
    failed: list[AttemptLike],
    daily: list[dict[str, Any]],
    start: datetime,
    now: datetime,
    grace: timedelta,
    window_days: int,
    probes_per_day: int,
    share: Fraction,
) -> dict[str, Any]:
    fewest = min((d["attempts"] for d in daily), default=0)
    percent = f"{len(failed) / len(window):.2%}" if window else "—"
    so_far = f"已访问 {len(window)} 次，打不开 {len(failed)} 次（{percent}）"
    base = {"window_days": window_days, "probes_per_day": fewest}

    def verdict(state: str, code: str, text: str) -> dict[str, Any]:
        return {**base, "state": state, "code": code, "reason": text}

    if not every:
        return verdict(UNKNOWN, "no_probes", "尚未监测，无法判定")
    monitored = now - every[0].at
    if every[0].at > start + grace:
        days = monitored / DAY
        return verdict(UNKNOWN, "short_window", f"监测不足一周（已监测 {days:.1f} 天），{so_far}，无法判定")
    thin = [(i, d) for i, d in enumerate(daily) if d["attempts"] < probes_per_day]
    if thin:
        i, day = thin[0]
        more = f"等 {len(thin)} 天" if len(thin) > 1 else ""
        text = (
            f"第 {i + 1} 天（{day['from'][:16].replace('T', ' ')} 起）只访问 {day['attempts']} 次{more}，"
            f"不足每天 {probes_per_day} 次，{so_far}，无法判定"
        )
        return verdict(UNKNOWN, "too_few_probes", text)
    if len(failed) >= share * len(window):
        return verdict(FAIL, "failure_share_reached", f"一周内{so_far}，达到 {float(share):.0%}，单项否决")
    return verdict(PASS, "", f"一周内{so_far}，未达 {float(share):.0%}")

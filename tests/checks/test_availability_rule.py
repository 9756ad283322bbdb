"""The week rule of 站点无法访问, with a clock the tests control: attempts built at chosen times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from govsite.checks.availability import judge, outages, prober_offline

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
HALF_HOUR = timedelta(minutes=30)


@dataclass(frozen=True)
class Visit:
    at: datetime
    ok: bool
    reason: str = ""
    elapsed: float = 0.1


def schedule(count: int, step: timedelta = HALF_HOUR, failed: set[int] = frozenset(), reason: str = "timeout"):
    return [Visit(T0 + i * step, i not in failed, "" if i not in failed else reason) for i in range(count)]


def week(failed: set[int], count: int = 336):
    """A week at 48 visits a day (every 30 min); `now` is the last visit's time."""
    visits = schedule(count, failed=failed)
    return visits, visits[-1].at


def test_exactly_five_percent_fails():
    visits = schedule(320, step=timedelta(seconds=1890), failed=set(range(0, 320, 20)))  # a week, 16 of 320 fail
    entry = judge(visits, visits[-1].at, site="http://a/")
    assert (entry["attempts"], entry["failures"]) == (320, 16)
    assert entry["failure_ratio"] == 0.05
    assert entry["verdict"]["state"] == "fail"
    assert entry["verdict"]["code"] == "failure_share_reached"
    assert entry["failures_by_reason"] == {"timeout": 16}
    assert entry["site"] == "http://a/"


def test_just_under_five_percent_passes():
    visits, now = week(failed=set(range(0, 336, 21)))  # 16 failures of 336: 4.76 %
    entry = judge(visits, now)
    assert (entry["attempts"], entry["failures"]) == (336, 16)
    assert entry["verdict"]["state"] == "pass"
    assert entry["verdict"]["probes_per_day"] == 48
    assert entry["verdict"]["window_days"] == 7
    visits[1] = Visit(visits[1].at, False, "http_5xx")  # one more failure: 17 of 336 = 5.06 %
    assert judge(visits, now)["verdict"]["state"] == "fail"


def test_less_than_a_week_is_unknown_with_the_ratio_so_far():
    visits, now = week(failed=set(range(0, 300, 2)), count=300)  # half failing, but 6.2 days only
    entry = judge(visits, now)
    assert entry["verdict"]["state"] == "unknown"
    assert entry["verdict"]["code"] == "short_window"
    assert "监测不足一周" in entry["verdict"]["reason"]
    assert "打不开 150 次（50.00%）" in entry["verdict"]["reason"]
    assert entry["failure_ratio"] == 0.5


def test_a_day_with_fewer_than_twenty_visits_is_unknown_and_says_which():
    visits, now = week(failed=set())
    day_three = T0 + timedelta(days=2, minutes=-30)  # the window starts half an hour before T0
    in_day = [v for v in visits if day_three < v.at <= day_three + timedelta(days=1)]
    assert len(in_day) == 48
    dropped = {v.at for v in in_day[:34]}
    thinned = [v for v in visits if v.at not in dropped]
    entry = judge(thinned, now)
    assert entry["verdict"]["state"] == "unknown"
    assert entry["verdict"]["code"] == "too_few_probes"
    assert entry["verdict"]["probes_per_day"] == 14
    assert "第 3 天" in entry["verdict"]["reason"] and "只访问 14 次" in entry["verdict"]["reason"]
    assert [d["attempts"] for d in entry["daily"]] == [48, 48, 14, 48, 48, 48, 48]


def test_only_the_last_week_counts():
    visits = schedule(336 * 2, failed=set(range(0, 336)))  # a bad first week, a clean second one
    entry = judge(visits, visits[-1].at)
    assert entry["failures"] == 0 and entry["verdict"]["state"] == "pass"
    assert judge(visits, visits[335].at)["verdict"]["state"] == "fail"


def test_blocked_attempts_are_not_visits():
    visits, now = week(failed=set())
    blocked = [Visit(v.at + timedelta(minutes=1), False, "blocked") for v in visits]
    entry = judge(visits + blocked, now)
    assert (entry["attempts"], entry["failures"], entry["verdict"]["state"]) == (336, 0, "pass")


def test_no_visits_at_all_is_unknown():
    assert judge([], T0)["verdict"]["state"] == "unknown"
    assert judge([], T0)["failure_ratio"] is None


def test_longest_outage_runs_from_the_first_failure_to_the_next_visit_that_opened():
    visits, now = week(failed={10, 11, 12, 100, 200, 201, 202, 203, 204})
    entry = judge(visits, now)
    assert entry["longest_outage_seconds"] == 5 * 30 * 60  # 200..204 down, 205 opened
    found = outages(visits)
    assert [(o.failures, o.seconds, o.ongoing) for o in found] == [(3, 5400, False), (1, 1800, False), (5, 9000, False)]


def test_an_ongoing_outage_ends_at_its_last_failure():
    visits = schedule(10, failed={7, 8, 9}, reason="refused")
    (outage,) = outages(visits)
    assert outage.ongoing and outage.failures == 3 and outage.reasons == {"refused": 3}
    assert outage.seconds == 2 * 30 * 60 + 0.1  # the last failure's own elapsed time included


def test_the_week_replaces_the_one_scan_guess_in_the_inspection_verdict():
    from govsite.checks.verdict import Coverage, inspection_verdict, with_availability
    from govsite.findings import Finding

    unreachable = Finding("site_unreachable", "http://a/", "http://a/", "high", "首页无法访问")
    scan = inspection_verdict([unreachable], Coverage(pages=0, homepage=False))
    assert scan.rules[0].state == "unknown" and scan.rules[0].reason.code == "single_visit"
    assert with_availability(scan, None) == scan  # not monitored: the scan's guess stands
    failing, now = week(failed=set(range(0, 336, 10)))
    judged = with_availability(scan, judge(failing, now))
    rule = judged.rules[0]
    assert (rule.code, rule.state, rule.reason.code) == ("site_unreachable", "fail", "failure_share_reached")
    assert rule.figures["attempts"] == 336 and rule.figures["failures"] == 34
    assert judged.state == "fail"
    passing, now = week(failed=set())
    assert with_availability(scan, judge(passing, now)).rules[0].state == "pass"
    assert [r.code for r in judged.rules] == [r.code for r in scan.rules]


def test_a_round_where_every_site_fails_on_the_probers_side_is_not_counted():
    def round_of(*reasons: str) -> list[Visit]:
        return [Visit(T0, reason == "", reason) for reason in reasons]

    assert "全部访问失败" in prober_offline(round_of("dns", "dns", "timeout"))
    assert "监测机自身网络故障" in prober_offline(round_of("connect", "connect", "connect", "blocked"))
    assert prober_offline(round_of("dns", "dns", "")) == ""  # one site opened: the network was there
    assert prober_offline(round_of("timeout", "timeout", "http_5xx")) == ""  # a server answered
    assert prober_offline(round_of("refused", "refused", "refused")) == ""  # refusals come from the sites' hosts
    assert prober_offline(round_of("timeout", "timeout")) == ""  # too few websites to tell

"""Availability monitoring in the app: probe rows per website, roll-ups, the week in the verdict, the change signal."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from govsite.checks.verdict import Coverage, from_dict, inspection_verdict
from govsite.monitoring import receivers, services
from govsite.monitoring.models import AvailabilityDay, AvailabilityProbe, ProbeRound, WebsiteAvailability
from govsite.monitoring.signals import availability_changed
from govsite.probes.availability import UptimeOptions
from govsite.surveys.models import Job, Site
from loopback import RouteServer, html_page, reply

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
FAST = UptimeOptions(timeout=1.0, concurrency=4, loopback_only=True)


@pytest.fixture
def changes():
    seen = []

    def receiver(sender, **kwargs):
        seen.append(kwargs)

    availability_changed.connect(receiver, dispatch_uid="test_monitoring")
    yield seen
    availability_changed.disconnect(dispatch_uid="test_monitoring")


def scan_verdict() -> dict:
    return inspection_verdict([], Coverage()).as_dict()


def rule(site: Site) -> dict:
    site.refresh_from_db()
    return next(r for r in site.verdict["rules"] if r["code"] == "site_unreachable")


def test_a_round_stores_one_probe_per_website_and_feeds_the_verdict(sites):
    Site.objects.filter(pk=sites[1].pk).update(verdict=scan_verdict())
    with RouteServer({"/": html_page("<p>首页</p>")}) as up, RouteServer({"/": reply(503, b"busy")}) as down:
        Site.objects.filter(pk=sites[0].pk).update(url=up.url)
        Site.objects.filter(pk=sites[1].pk).update(url=down.url)
        first = services.run_round(options=FAST, slot=T0)
        assert services.run_round(options=FAST, slot=T0) is None  # the slot's round runs once
        services.run_round(options=FAST, slot=T0 + timedelta(minutes=30))
    assert (first.websites, first.failures) == (3, 2)
    probes = AvailabilityProbe.objects.filter(website=sites[1].website)
    assert [(p.ok, p.reason, p.status) for p in probes] == [(False, "http_5xx", 503)] * 2
    assert AvailabilityProbe.objects.filter(website=sites[0].website, ok=True).count() == 2
    # the third site's fake name is refused by --loopback-only: stored, but not a visit
    assert set(AvailabilityProbe.objects.filter(website=sites[2].website).values_list("reason", flat=True)) == {
        "blocked"
    }
    day = AvailabilityDay.objects.get(website=sites[1].website)
    assert (day.attempts, day.failures, day.by_reason) == (2, 2, {"http_5xx": 2})
    assert AvailabilityDay.objects.get(website=sites[2].website).attempts == 0
    unreachable = rule(sites[1])
    assert unreachable["state"] == "unknown" and unreachable["reason"]["code"] == "short_window"
    assert "监测不足一周" in unreachable["reason"]["text"]
    state = WebsiteAvailability.objects.get(website=sites[1].website)
    assert state.up is False and state.failures_in_row == 2


def test_a_round_where_every_website_times_out_is_the_probers_outage_and_changes_nothing(sites, changes):
    def hang(request) -> None:
        time.sleep(2.0)
        html_page("<p>迟到的首页</p>")(request)

    before = {site.pk: site.verdict for site in sites}
    with RouteServer({"/": hang}) as a, RouteServer({"/": hang}) as b, RouteServer({"/": hang}) as c:
        for site, server in zip(sites, (a, b, c), strict=True):
            Site.objects.filter(pk=site.pk).update(url=server.url)
        kept = services.run_round(options=FAST, slot=T0)
    assert (kept.websites, kept.failures) == (3, 3) and "监测机自身网络故障" in kept.not_counted
    assert ProbeRound.objects.get(slot=T0).not_counted == kept.not_counted
    assert not AvailabilityProbe.objects.exists() and not AvailabilityDay.objects.exists()
    assert not WebsiteAvailability.objects.exists() and changes == []
    assert {site.pk: Site.objects.get(pk=site.pk).verdict for site in sites} == before


def test_down_and_recovery_are_each_signalled_once(sites, changes, settings):
    settings.GOVSITE_UPTIME_DOWN_AFTER = 2
    website = sites[0].website
    pattern = [True, False, False, False, True, True, False, True]
    for i, ok in enumerate(pattern):
        services.record([services.Visit(website.pk, T0 + i * timedelta(minutes=30), ok, "" if ok else "timeout")])
    assert [(c["up"], c["at"]) for c in changes] == [
        (False, T0 + timedelta(minutes=60)),
        (True, T0 + timedelta(hours=2)),
    ]
    assert changes[0]["website"] == website
    assert changes[0]["reason"] == "首页连续 2 次无法打开（超时未打开）" and changes[1]["reason"] == "首页恢复访问"


def test_a_week_over_five_percent_fails_the_rule_and_retention_keeps_the_roll_ups(sites):
    Site.objects.filter(pk=sites[0].pk).update(verdict=scan_verdict())
    website = sites[0].website
    visits = [
        services.Visit(website.pk, T0 + i * timedelta(minutes=30), i % 10 != 0, "" if i % 10 else "refused")
        for i in range(336)
    ]
    last = visits[-1].at
    services.record(visits, now=last)
    unreachable = rule(sites[0])
    assert unreachable["state"] == "fail" and unreachable["figures"]["failures"] == 34
    assert from_dict(Site.objects.get(pk=sites[0].pk).verdict).state == "fail"
    local_days = {timezone.localdate(v.at) for v in visits}  # a week from 08:00 (Asia/Shanghai) spans 8 dates
    assert set(AvailabilityDay.objects.filter(website=website).values_list("day", flat=True)) == local_days
    assert sum(AvailabilityDay.objects.filter(website=website).values_list("failures", flat=True)) == 34
    assert services.prune_probes(days=30, now=last + timedelta(days=40)) == 336
    assert AvailabilityDay.objects.filter(website=website).count() == len(local_days)
    later = last + timedelta(days=40)
    services.record(
        [services.Visit(website.pk, later - timedelta(minutes=30 * k), True) for k in range(336)], now=later
    )
    assert rule(sites[0])["state"] == "pass"  # monitored for long: the week is complete, and clean


def test_a_scan_that_cannot_reach_the_homepage_is_one_failed_probe(sites, survey):
    site = sites[0]
    started = timezone.now()
    unreachable = Job.objects.create(
        site=site, as_of=survey.as_of, started_at=started, summary={"findings_by_type": {"site_unreachable": 1}}
    )
    reached = Job.objects.create(site=site, as_of=survey.as_of, summary={"findings_by_type": {"typo": 3}})
    receivers.scan_counts_as_a_probe(Job, job=unreachable)
    receivers.scan_counts_as_a_probe(Job, job=reached)
    assert list(AvailabilityProbe.objects.values_list("ok", "reason", "at")) == [(False, "scan", started)]
    assert Job.objects.count() == 2


def test_the_site_page_shows_the_timeline_and_the_outages(sites, users, client_for):
    website = sites[0].website
    now = timezone.now()
    for i, ok in enumerate([True, False, False, True]):
        at = now - timedelta(hours=4) + i * timedelta(minutes=30)
        services.record([services.Visit(website.pk, at, ok, "" if ok else "http_5xx")])
    page = client_for(users["manager"]).get(reverse("site_detail", args=[sites[0].pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "可用性监测" in html and '<svg class="chart timeline"' in html
    assert html.count('class="fail"') == 2 and html.count('class="ok"') == 2
    assert "服务器错误（5xx） 2 次" in html and "尚未恢复" not in html


def test_the_command_and_the_beat_task_share_the_round_of_a_slot(sites, settings):
    from django.core.management import call_command

    from govsite.worker import tasks
    from govsite.worker.celery import _beat_schedule

    settings.GOVSITE_UPTIME_LOOPBACK_ONLY = True
    settings.GOVSITE_UPTIME_TIMEOUT_SECONDS = 1.0
    settings.GOVSITE_UPTIME_INTERVAL_SECONDS = 3600
    assert _beat_schedule()["govsite-probe-availability"]["schedule"] == 3600.0
    settings.GOVSITE_UPTIME_INTERVAL_SECONDS = 10**9  # one slot for the whole test: no boundary between the two
    with RouteServer({"/": html_page("<p>首页</p>")}) as server:
        Site.objects.filter(pk=sites[0].pk).update(url=server.url)
        call_command("probe_availability")
        result = tasks.probe_availability.apply().get()
    assert result == {"status": "already_run"}  # the same slot: one round, however many ticks
    assert AvailabilityProbe.objects.filter(website=sites[0].website, ok=True).count() == 1
    assert AvailabilityProbe.objects.count() == 3

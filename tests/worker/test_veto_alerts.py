"""A site that trips a single-veto rule gets a work order per rule, and no second one while it is open."""

from __future__ import annotations

from datetime import date

import pytest

from govsite.checks.verdict import Coverage, RuleVerdict, from_dict, inspection_verdict
from govsite.findings import Finding as FindingRecord
from govsite.surveys.models import Finding, Job, Site, Survey, finding_key_hash
from govsite.workorders.alerts import RULES, VetoRule, raise_veto_alerts, rule_for
from govsite.workorders.models import VetoAlert, WorkOrder

SITE = "http://127.0.0.1:9/"


def _record(type_: str, n: int = 0, **detail) -> FindingRecord:
    return FindingRecord(type=type_, url=f"{SITE}col{n}/", site=SITE, severity="high", evidence="…", detail=detail)


def _every_rule_tripped() -> list[FindingRecord]:
    return [
        _record("site_unreachable"),
        _record("stale_homepage"),
        *[_record("stale_column", n, update_class="dynamic") for n in range(10)],
        *[_record("empty_column", 100 + n) for n in range(5)],
    ]


# One scan that could not reach the site cannot judge the week-long availability rule: no alert for it.
ALERTING = [rule for rule in RULES if rule.code not in ("site_unreachable", "security_incident")]  # neither fails here


def test_every_rule_the_verdict_fails_is_a_known_rule():
    verdict = inspection_verdict(_every_rule_tripped())
    assert verdict.state == "fail" and [r.code for r in verdict.unjudged] == ["site_unreachable"]
    assert [rule_for(failed).code for failed in verdict.failed] == [rule.code for rule in ALERTING]


def test_an_unknown_rule_or_an_old_sentence_still_alerts_under_a_stable_code():
    assert rule_for(RuleVerdict("serious_wording", "fail")) == VetoRule("serious_wording", "")
    old = from_dict({"passed": False, "label": "单项否决", "reasons": ["网站存在严重表述错误"]}).failed[0]
    rule = rule_for(old)
    assert rule.code.startswith("other:") and rule == rule_for(from_dict({"passed": False, "reasons": [old.reason.text]}).failed[0])


@pytest.fixture
def site(db):
    survey = Survey.objects.create(name="监测", year=2025, as_of=date(2025, 11, 30))
    records = _every_rule_tripped()
    site = Site.objects.create(
        survey=survey, name="云川县人民政府", url=SITE, level="county", verdict=inspection_verdict(records).as_dict()
    )
    job = Job.objects.create(site=site, as_of=survey.as_of, status=Job.Status.DONE)
    for record in records:
        Finding.objects.create(
            site=site, type=record.type, url=record.url, severity="high", evidence="…",
            key_hash=finding_key_hash(*record.key), found_at="2025-11-30T00:00:00Z", first_job=job, last_job=job,
        )  # fmt: skip
    return site


def _done_job(site: Site, kind: str = Job.Kind.INCREMENTAL) -> Job:
    return Job.objects.create(site=site, kind=kind, as_of=site.survey.as_of, status=Job.Status.DONE)


def test_one_open_order_per_rule(site):
    opened = raise_veto_alerts(_done_job(site))
    assert len(opened) == len(ALERTING)
    homepage = WorkOrder.objects.get(veto_alerts__rule="stale_homepage")
    assert homepage.status == WorkOrder.Status.OPEN
    assert homepage.title == "单项否决告警：云川县人民政府——首页栏目信息超过 2 周未更新"
    assert homepage.finding_type == "stale_homepage" and homepage.findings.count() == 1
    assert homepage.events.get().action == "create"
    assert raise_veto_alerts(_done_job(site)) == [], "the orders are still open"
    assert WorkOrder.objects.filter(site=site).count() == len(ALERTING)

    WorkOrder.objects.filter(pk=homepage.pk).update(status=WorkOrder.Status.CLOSED)
    again = raise_veto_alerts(_done_job(site))
    assert [order.veto_alerts.get().rule for order in again] == ["stale_homepage"]


def test_a_finding_is_not_put_in_two_open_orders(site):
    raise_veto_alerts(_done_job(site))
    dynamic = WorkOrder.objects.get(veto_alerts__rule="stale_dynamic_columns")
    stale = WorkOrder.objects.get(veto_alerts__rule="stale_columns")
    assert dynamic.findings.count() == 10 and stale.findings.count() == 0


def test_no_alert_for_a_passing_site_a_recheck_or_an_unfinished_job(site):
    assert raise_veto_alerts(_done_job(site, Job.Kind.RECHECK)) == []
    running = Job.objects.create(site=site, as_of=site.survey.as_of, status=Job.Status.RUNNING)
    assert raise_veto_alerts(running) == []
    Site.objects.filter(pk=site.pk).update(verdict=inspection_verdict([]).as_dict())
    assert raise_veto_alerts(_done_job(site)) == []
    assert not VetoAlert.objects.exists()


def test_a_verdict_stored_before_rule_codes_still_alerts(site):
    Site.objects.filter(pk=site.pk).update(verdict={"passed": False, "label": "单项否决", "reasons": ["空白栏目 5 个（达到 5 个）"]})
    [order] = raise_veto_alerts(_done_job(site))
    assert order.title == "单项否决告警：云川县人民政府——空白栏目 5 个（达到 5 个）"
    assert order.veto_alerts.get().rule.startswith("other:")


def test_a_site_that_could_not_be_judged_gets_no_alert(site):
    nothing = inspection_verdict([_record("site_unreachable")], Coverage(pages=0, homepage=False))
    assert nothing.state == "unknown" and nothing.label == "无法判定"
    Site.objects.filter(pk=site.pk).update(verdict=nothing.as_dict())
    assert raise_veto_alerts(_done_job(site)) == [] and not VetoAlert.objects.exists()

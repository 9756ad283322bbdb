"""Work orders: created from findings by the evaluation team, answered by operators, closed by a re-check."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from opfixtures import SCAN_ARGS, add_finding, make_world

from govsite.surveys import jobs as survey_jobs
from govsite.surveys.jobs import create_job
from govsite.surveys.models import AuditEntry, Finding, Job
from govsite.workorders import services
from govsite.workorders.models import WorkOrder
from loopback import RouteServer, html_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


def make_order(world, *findings, assignee=None, deadline=None) -> WorkOrder:
    findings = findings or (add_finding(world.site),)
    orders, _ = services.create_orders(
        world.site,
        findings,
        grouping="each" if len(findings) == 1 else "type_page",
        assignee=assignee or world.operator,
        deadline=deadline or tomorrow(),
        user=world.manager,
    )
    return orders[0]


# -- creating ------------------------------------------------------------------------------------


def test_manager_creates_one_order_per_finding(world, client_for):
    a = add_finding(world.site, url=world.site.url + "a.html", page=world.site.url)
    b = add_finding(world.site, url=world.site.url + "b.html", page=world.site.url)
    response = client_for(world.manager).post(
        reverse("workorders:new", args=[world.site.pk]),
        {"findings": [a.pk, b.pk], "grouping": "each", "assignee": world.operator.pk, "deadline": tomorrow()},
    )
    assert response.status_code == 302
    orders = WorkOrder.objects.filter(site=world.site).order_by("pk")
    assert [list(o.findings.all()) for o in orders] == [[a], [b]]
    assert all(o.assignee == world.operator and o.status == "open" for o in orders)
    assert orders[0].title == f"链接不可用：{a.url}"
    assert [e.action for e in orders[0].events.all()] == ["create"]
    assert AuditEntry.objects.filter(action="workorder.create", object_type="WorkOrder").count() == 2


def test_grouping_by_type_and_page_merges_a_pages_findings(world):
    home, news = world.site.url, world.site.url + "news.html"
    found = [
        add_finding(world.site, url=home + "a.html", page=home),
        add_finding(world.site, url=home + "b.html", page=home),
        add_finding(world.site, url=home + "c.html", page=news),
        add_finding(world.site, "missing_icp", home, evidence="未找到ICP备案编号", detail={"key": "ICP"}),
    ]
    orders, skipped = services.create_orders(
        world.site, found, grouping="type_page", assignee=world.operator, deadline=None, user=world.manager
    )
    assert not skipped
    shape = sorted((o.finding_type, o.page, o.findings.count()) for o in orders)
    assert shape == [("broken_link", home, 2), ("broken_link", news, 1), ("missing_icp", home, 1)]
    merged = next(o for o in orders if o.findings.count() == 2)
    assert merged.title == f"链接不可用（2 处）：{home}"


def test_a_finding_is_never_assigned_twice_while_its_order_is_open(world, client_for):
    finding = add_finding(world.site)
    fixed = add_finding(world.site, url=world.site.url + "old.html", status=Finding.Status.FIXED)
    make_order(world, finding)
    orders, skipped = services.create_orders(
        world.site, [finding, fixed], grouping="each", assignee=world.operator, deadline=None, user=world.manager
    )
    assert orders == [] and set(skipped) == {finding, fixed}
    page = client_for(world.manager).get(reverse("workorders:new", args=[world.site.pk]))
    assert page.status_code == 200 and f'value="{finding.pk}"' not in page.content.decode()


def test_the_findings_page_preselects_findings_for_a_new_order(world, client_for):
    finding = add_finding(world.site)
    response = client_for(world.reviewer).get(reverse("workorders:new", args=[world.site.pk]), {"finding": finding.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{finding.pk}" id="f{finding.pk}" checked' in html


def test_deadline_in_the_past_and_missing_assignee_are_refused(world, client_for):
    finding = add_finding(world.site)
    response = client_for(world.manager).post(
        reverse("workorders:new", args=[world.site.pk]),
        {"findings": [finding.pk], "grouping": "each", "assignee": world.other_operator.pk, "deadline": "2020-01-01"},
    )
    assert response.status_code == 200
    assert "整改期限不能早于今天" in response.content.decode()
    assert "assignee" in response.context["form"].errors  # not an operator of this site
    assert not WorkOrder.objects.exists()


def test_who_may_create_orders(world, client_for):
    url = reverse("workorders:new", args=[world.site.pk])
    assert client_for(world.operator).get(url).status_code == 403
    assert client_for(world.expert).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.other_operator).get(url).status_code == 404
    assert client_for(world.reviewer).get(url).status_code == 200


# -- the list -------------------------------------------------------------------------------------


def test_list_filters_and_sorts(world, client_for):
    late = make_order(world, add_finding(world.site, url=world.site.url + "late.html"))
    WorkOrder.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    soon = make_order(world, add_finding(world.site, "missing_icp", world.site.url, detail={"key": "ICP"}))
    closed = make_order(world, add_finding(world.site, url=world.site.url + "done.html"))
    WorkOrder.objects.filter(pk=closed.pk).update(status="closed", deadline=timezone.localdate() - timedelta(days=9))
    client = client_for(world.manager)

    def listed(**params):
        response = client.get(reverse("workorders:list"), params)
        assert response.status_code == 200
        return [o.pk for o in response.context["page"]]

    assert listed(overdue="on") == [late.pk]
    assert listed(type="missing_icp") == [soon.pk]
    assert listed(status="closed") == [closed.pk]
    assert listed(sort="deadline") == [closed.pk, late.pk, soon.pk]
    assert listed(sort="-deadline") == [soon.pk, late.pk, closed.pk]
    assert "逾期" in client.get(reverse("workorders:list")).content.decode()


def test_operators_see_only_their_sites_orders(world, client_for):
    mine = make_order(world)
    theirs, _ = services.create_orders(
        world.other_site,
        [add_finding(world.other_site)],
        grouping="each",
        assignee=world.other_operator,
        deadline=None,
        user=world.manager,
    )
    response = client_for(world.operator).get(reverse("workorders:list"))
    assert [o.pk for o in response.context["page"]] == [mine.pk]
    assert client_for(world.operator).get(reverse("workorders:detail", args=[theirs[0].pk])).status_code == 404
    assert client_for(world.outsider).get(reverse("workorders:detail", args=[mine.pk])).status_code == 404
    assert client_for(world.outsider).get(reverse("workorders:list", query={"site": world.site.pk})).status_code == 404


# -- 已整改 and the re-check ------------------------------------------------------------------------


def test_operator_marks_fixed_and_a_recheck_of_exactly_those_urls_is_launched(world, launched, client_for):
    finding = add_finding(world.site, url=world.site.url + "gone.html", page=world.site.url + "news.html")
    order = make_order(world, finding)
    response = client_for(world.operator).post(reverse("workorders:fixed", args=[order.pk]), {"note": "已删除该链接"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "rechecking"
    assert launched == [order.recheck_job]
    job = order.recheck_job
    assert job.kind == Job.Kind.RECHECK and job.urls == [finding.url, finding.page]
    assert order.events.last().action == "mark_fixed" and "已删除该链接" in order.events.last().note
    entry = AuditEntry.objects.filter(action="workorder.mark_fixed").get()
    assert (entry.before["status"], entry.after["status"], entry.user) == ("open", "rechecking", world.operator)


def test_recheck_closes_the_order_when_nothing_is_left_open(world, launched):
    order = make_order(world)
    job = services.mark_fixed(order, world.operator)
    Finding.objects.filter(workorders=order).update(status=Finding.Status.FIXED, fixed_at=timezone.now())
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE)
    assert services.after_job(Job.objects.get(pk=job.pk)) == 1
    order.refresh_from_db()
    assert (order.status, order.resolution) == ("closed", "fixed") and order.closed_at is not None
    assert order.events.last().action == "recheck_passed"


def test_recheck_reopens_the_order_listing_what_remains(world, client_for):
    gone = add_finding(world.site, url=world.site.url + "gone.html", page=world.site.url)
    still = add_finding(world.site, url=world.site.url + "still.html", page=world.site.url)
    order = make_order(world, gone, still)
    job = services.mark_fixed(order, world.operator)
    Finding.objects.filter(pk=gone.pk).update(status=Finding.Status.FIXED)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE)
    services.after_job(Job.objects.get(pk=job.pk))
    order.refresh_from_db()
    assert order.status == "open"
    event = order.events.last()
    assert event.action == "recheck_failed"
    assert still.url in event.note and gone.url not in event.note and "仍有 1 个问题未消除" in event.note
    page = client_for(world.operator).get(reverse("workorders:detail", args=[order.pk])).content.decode()
    assert "复核未通过" in page


def test_other_jobs_do_not_touch_orders(world):
    order = make_order(world)
    services.mark_fixed(order, world.operator)
    full = create_job(world.site)
    Job.objects.filter(pk=full.pk).update(status=Job.Status.DONE)
    assert services.after_job(Job.objects.get(pk=full.pk)) == 0
    order.refresh_from_db()
    assert order.status == "rechecking"


def test_a_failed_recheck_job_reopens_the_order_when_it_is_next_seen(world, client_for):
    order = make_order(world)
    job = services.mark_fixed(order, world.operator)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error="ScanFailed: 退出码 1")
    response = client_for(world.operator).get(reverse("workorders:detail", args=[order.pk]))
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == "open" and order.events.last().action == "recheck_error"
    assert "复核任务失败" in response.content.decode()


def test_steps_the_state_does_not_allow_are_refused(world, launched, client_for):
    order = make_order(world)
    client = client_for(world.operator)
    client.post(reverse("workorders:fixed", args=[order.pk]))
    response = client.post(reverse("workorders:fixed", args=[order.pk]), follow=True)
    assert "不能执行" in response.content.decode()
    assert len(launched) == 1 and Job.objects.filter(kind=Job.Kind.RECHECK).count() == 1
    with pytest.raises(services.TransitionError):
        services.next_status("closed", "mark_fixed")
    assert services.next_status("rechecking", "recheck_failed") == "open"


def test_only_the_sites_operators_answer_an_order(world, launched, client_for):
    order = make_order(world)
    for user in (world.manager, world.reviewer, world.expert, world.assessor):
        assert client_for(user).post(reverse("workorders:fixed", args=[order.pk])).status_code == 403
    assert client_for(world.other_operator).post(reverse("workorders:fixed", args=[order.pk])).status_code == 404
    assert client_for(world.operator).get(reverse("workorders:fixed", args=[order.pk])).status_code == 405
    assert not launched


def test_csrf_is_enforced(world):
    order = make_order(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.operator)
    assert client.post(reverse("workorders:fixed", args=[order.pk])).status_code == 403
    order.refresh_from_db()
    assert order.status == "open"


# -- 无需修改 ------------------------------------------------------------------------------------


def test_no_change_needs_a_reason_and_a_reviewers_acceptance(world, client_for):
    order = make_order(world)
    operator = client_for(world.operator)
    response = operator.post(reverse("workorders:claim", args=[order.pk]), {"reason": "  "}, follow=True)
    order.refresh_from_db()
    assert order.status == "open" and "这个字段是必填项" in response.content.decode()
    operator.post(reverse("workorders:claim", args=[order.pk]), {"reason": "该链接指向已撤销机构，按规定保留"})
    order.refresh_from_db()
    assert order.status == "no_change_claimed" and order.claim_reason == "该链接指向已撤销机构，按规定保留"
    assert operator.post(reverse("workorders:review", args=[order.pk]), {"decision": "accept"}).status_code == 403
    client_for(world.reviewer).post(reverse("workorders:review", args=[order.pk]), {"decision": "accept", "note": "同意"})
    order.refresh_from_db()
    assert (order.status, order.resolution) == ("closed", "no_change")
    actions = [e.action for e in order.events.all()]
    assert actions == ["create", "claim_no_change", "accept_claim"]
    assert AuditEntry.objects.filter(action="workorder.accept_claim", user=world.reviewer).exists()


def test_a_rejected_claim_goes_back_to_open_with_the_reason(world, client_for):
    order = make_order(world)
    services.claim_no_change(order, world.operator, "不需要改")
    reviewer = client_for(world.reviewer)
    reviewer.post(reverse("workorders:review", args=[order.pk]), {"decision": "reject", "note": ""})
    order.refresh_from_db()
    assert order.status == "no_change_claimed"  # a rejection must say why
    reviewer.post(reverse("workorders:review", args=[order.pk]), {"decision": "reject", "note": "链接仍需修复"})
    order.refresh_from_db()
    assert order.status == "open"
    assert order.events.last().action == "reject_claim" and order.events.last().note == "链接仍需修复"


def test_reviewer_reassigns_and_moves_the_deadline(world, client_for):
    order = make_order(world)
    second = world.other_operator
    world.site.operators.add(second)
    later = timezone.localdate() + timedelta(days=30)
    client_for(world.reviewer).post(
        reverse("workorders:assign", args=[order.pk]), {"assignee": second.pk, "deadline": later.isoformat()}
    )
    order.refresh_from_db()
    assert (order.assignee, order.deadline) == (second, later)
    assert order.events.last().action == "assign"
    assert client_for(world.operator).post(reverse("workorders:assign", args=[order.pk]), {}).status_code == 403


# -- overdue reminders --------------------------------------------------------------------------


def test_overdue_orders_are_reminded_once_a_day_by_mail(world):
    overdue = make_order(world)
    WorkOrder.objects.filter(pk=overdue.pk).update(deadline=timezone.localdate() - timedelta(days=2))
    make_order(world, add_finding(world.site, url=world.site.url + "x.html"))  # not due yet
    claimed = make_order(world, add_finding(world.site, url=world.site.url + "y.html"))
    WorkOrder.objects.filter(pk=claimed.pk).update(
        status="no_change_claimed", deadline=timezone.localdate() - timedelta(days=2)
    )
    # Local noon: "five minutes later" must stay the same day whenever the test runs (at 23:57 it did not).
    now = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time())) + timedelta(hours=12)
    assert services.send_overdue_reminders(now) == 1
    overdue.refresh_from_db()
    assert overdue.reminded_at == now
    assert overdue.events.last().action == "remind" and "逾期 2 天" in overdue.events.last().note
    assert AuditEntry.objects.filter(action="workorder.remind", object_id=str(overdue.pk)).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["operator@example.gov.cn"]
    assert "整改提醒" in mail.outbox[0].subject
    assert services.send_overdue_reminders(now + timedelta(minutes=5)) == 0  # already reminded today
    next_midnight = timezone.make_aware(
        datetime.combine(timezone.localdate(now) + timedelta(days=1), datetime.min.time())
    )
    assert services.send_overdue_reminders(next_midnight + timedelta(hours=12)) == 1


def test_reminders_skip_the_mail_for_assignees_without_an_address(world):
    order = make_order(world, assignee=world.other_operator)
    WorkOrder.objects.filter(pk=order.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    assert services.send_overdue_reminders(timezone.now()) == 1
    assert mail.outbox == []


def test_remind_command_reminds_and_settles_failed_rechecks(world, capsys):
    overdue = make_order(world)
    WorkOrder.objects.filter(pk=overdue.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    stuck = make_order(world, add_finding(world.site, url=world.site.url + "z.html"))
    job = services.mark_fixed(stuck, world.operator)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error="boom")
    call_command("remind_workorders")
    assert "已提醒 1 个逾期工单；结算复核 1 个" in capsys.readouterr().out
    stuck.refresh_from_db()
    assert stuck.status == "open"


# -- the whole loop, with a real scan of a loopback site ----------------------------------------------

HOME = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>清河县人民政府</title></head>
<body><h1>清河县人民政府</h1>
<ul><li><a href="/tzgg/notice.html">关于开展2025年政府网站自查的通知</a></li><li><a href="/about.html">走进清河</a></li></ul>
<div class="footer">主办单位：清河县人民政府办公室 联系电话：0571-88888888 网站标识码：3301270001</div>
</body></html>"""


def page_body(title: str) -> str:
    return f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head><body><h1>{title}</h1></body></html>'


@pytest.mark.slow
@pytest.mark.parametrize("fix_it", [True, False], ids=["fixed-closes", "not-fixed-reopens"])
def test_scan_order_fix_recheck_loop(fix_it, settings, tmp_path, monkeypatch, launched, client_for):
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("GOVSITE_LOOPBACK_ONLY", "1")
    monkeypatch.setattr(survey_jobs, "PROGRESS_SECONDS", 0.25)
    routes = {"/": html_page(HOME), "/about.html": html_page(page_body("走进清河"))}
    with RouteServer(routes) as server:
        world = make_world(site_url=server.url)
        scan = survey_jobs.run_job(create_job(world.site).pk, scan_args=SCAN_ARGS)
        assert scan.status == Job.Status.DONE, scan.error
        broken = Finding.objects.get(site=world.site, type="broken_link")
        assert (broken.url, broken.page, broken.status) == (server.url + "tzgg/notice.html", server.url, "open")

        manager = client_for(world.manager)
        manager.post(
            reverse("workorders:new", args=[world.site.pk]),
            {"findings": [broken.pk], "grouping": "each", "assignee": world.operator.pk, "deadline": tomorrow()},
        )
        order = WorkOrder.objects.get(site=world.site, findings=broken)  # the veto alert opened another

        if fix_it:
            routes["/tzgg/notice.html"] = html_page(page_body("关于开展2025年政府网站自查的通知"))
        client_for(world.operator).post(reverse("workorders:fixed", args=[order.pk]), {"note": "已恢复该页面"})
        order.refresh_from_db()
        assert order.status == "rechecking" and launched == [order.recheck_job]
        assert order.recheck_job.urls == [broken.url, broken.page]

        recheck = survey_jobs.run_job(order.recheck_job.pk, scan_args=SCAN_ARGS)  # what dispatch.launch would run
        assert recheck.status == Job.Status.DONE, recheck.error

    order.refresh_from_db()
    broken.refresh_from_db()
    if fix_it:
        assert (order.status, order.resolution, broken.status) == ("closed", "fixed", "fixed")
        assert order.events.last().action == "recheck_passed"
    else:
        assert (order.status, broken.status) == ("open", "open")
        event = order.events.last()
        assert event.action == "recheck_failed" and broken.url in event.note
    detail = client_for(world.operator).get(reverse("workorders:detail", args=[order.pk])).content.decode()
    assert ("复核通过" if fix_it else "复核未通过") in detail

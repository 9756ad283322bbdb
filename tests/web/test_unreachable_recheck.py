"""A finding is fixed only when its page was fetched and no longer shows it.

A re-check or a 一键自查 of a site that does not answer (its loopback server
stopped: nobody listens on the port) proves nothing: findings stay open,
work orders stay open, the verdict is 无法判定 and the pages say why. A
re-check where one page answers and another's fetch fails fixes only what
was on the page that answered.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from opfixtures import SCAN_ARGS, make_world

from govsite.surveys import jobs as survey_jobs
from govsite.surveys.jobs import create_job
from govsite.surveys.models import Finding, Job
from govsite.workorders import services
from govsite.workorders.models import WorkOrder
from loopback import RouteServer, html_page

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HOME = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>清河县人民政府</title></head>
<body><h1>清河县人民政府</h1><ul><li><a href="/a.html">走进清河</a></li><li><a href="/b.html">办事指南</a></li></ul>
<p>更新于 2025-11-28</p><div class="footer">主办单位：清河县人民政府办公室</div></body></html>"""


def page(title: str, *links: str) -> str:
    items = "".join(f'<li><a href="{link}">{link}</a></li>' for link in links)
    head = f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>'
    return f"{head}<body><h1>{title}</h1><ul>{items}</ul></body></html>"


def no_answer(request) -> None:
    """Close the connection without a response: the fetch fails (no HTTP status)."""
    request.close_connection = True


@pytest.fixture(autouse=True)
def _scan_env(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("GOVSITE_LOOPBACK_ONLY", "1")
    monkeypatch.setattr(survey_jobs, "PROGRESS_SECONDS", 0.25)


def run(job: Job) -> Job:
    done = survey_jobs.run_job(job.pk, scan_args=SCAN_ARGS)
    assert done.status == Job.Status.DONE, done.error
    return done


def broken_links(world) -> dict[str, Finding]:
    return {f.page: f for f in Finding.objects.filter(site=world.site, type="broken_link")}


def order_for(world, findings) -> WorkOrder:
    orders, _ = services.create_orders(
        world.site,
        findings,
        grouping="type_page" if len(findings) > 1 else "each",
        assignee=world.operator,
        deadline=timezone.localdate() + timedelta(days=3),
        user=world.manager,
    )
    return orders[0]


def two_pages() -> dict:
    """The site's routes: a homepage and two pages with a broken link each."""
    return {
        "/": html_page(HOME),
        "/a.html": html_page(page("走进清河", "/gone-a.html")),
        "/b.html": html_page(page("办事指南", "/gone-b.html")),
    }


def first_scan(server: RouteServer):
    world = make_world(site_url=server.url)
    run(create_job(world.site))
    found = broken_links(world)
    assert {p.removeprefix(server.url) for p in found} == {"a.html", "b.html"}
    return world, found


@pytest.fixture
def scanned():
    """A site scanned once, then its server is stopped."""
    with RouteServer(two_pages()) as server:
        return first_scan(server)


def test_a_recheck_of_a_site_that_does_not_answer_fixes_nothing(scanned, client_for):
    world, found = scanned  # the server is stopped: nobody listens on its port
    order = order_for(world, [found[world.site.url + "a.html"]])
    recheck = services.mark_fixed(order, world.operator, "已删除失效链接")
    done = run(recheck)

    assert done.summary["not_checked"].startswith("网站没有响应，未能抓取到任何页面")
    assert Finding.objects.filter(site=world.site, status=Finding.Status.FIXED).count() == 0
    order.refresh_from_db()
    assert order.status == WorkOrder.Status.OPEN
    event = order.events.last()
    assert event.action == "recheck_not_run" and "网站没有响应" in event.note and "问题和工单保持原状" in event.note
    world.site.refresh_from_db()
    assert world.site.verdict["state"] == "unknown" and world.site.verdict["label"] == "无法判定"
    detail = client_for(world.operator).get(reverse("workorders:detail", args=[order.pk])).content.decode()
    assert "复核未能进行" in detail and "网站没有响应" in detail


def test_a_selfcheck_of_a_site_that_does_not_answer_changes_no_finding_or_order(scanned, client_for):
    world, _found = scanned
    open_before = set(Finding.objects.filter(site=world.site, status=Finding.Status.OPEN).values_list("pk", flat=True))
    orders_before = set(WorkOrder.objects.filter(site=world.site).values_list("pk", "status"))
    done = run(create_job(world.site, Job.Kind.SELFCHECK, user=world.operator))

    assert done.summary["changes"]["fixed"] == 0
    still_open = set(Finding.objects.filter(site=world.site, status=Finding.Status.OPEN).values_list("pk", flat=True))
    assert open_before <= still_open
    assert set(WorkOrder.objects.filter(site=world.site).values_list("pk", "status")) == orders_before
    world.site.refresh_from_db()
    assert world.site.verdict["state"] == "unknown"
    html = client_for(world.operator).get(reverse("ops:operator_site", args=[world.site.pk])).content.decode()
    assert "检测未能进行：网站没有响应，未能抓取到任何页面" in html and "无法判定" in html
    status = client_for(world.operator).get(reverse("ops:job_status", args=[done.pk])).json()
    assert status["error"].startswith("检测未能进行：网站没有响应")


def test_a_recheck_fixes_only_what_was_on_the_page_that_answered():
    routes = two_pages()
    with RouteServer(routes) as server:
        world, found = first_scan(server)
        order_a, order_b = (order_for(world, [found[server.url + name]]) for name in ("a.html", "b.html"))
        rechecks = [services.mark_fixed(order, world.operator) for order in (order_a, order_b)]
        routes["/a.html"] = html_page(page("走进清河"))  # the broken link is gone from a.html
        routes["/b.html"] = no_answer  # b.html's fetch fails: its broken link was not seen, nor proven gone
        for recheck in rechecks:
            run(recheck)
    a, b = (Finding.objects.get(pk=found[server.url + name].pk) for name in ("a.html", "b.html"))
    assert (a.status, b.status) == (Finding.Status.FIXED, Finding.Status.OPEN)
    order_a.refresh_from_db()
    order_b.refresh_from_db()
    assert (order_a.status, order_b.status) == (WorkOrder.Status.CLOSED, WorkOrder.Status.OPEN)
    event = order_b.events.last()
    assert event.action == "recheck_failed" and "gone-b.html" in event.note
    assert "本次未能抓取该页面，无法复核" in event.note

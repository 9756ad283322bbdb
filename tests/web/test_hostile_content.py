"""Crawled content is hostile: a real scan of a booby-trapped site, then every page that shows it stays inert.

The site looks like a county portal, but its titles and text carry
<script>alert(1)</script>, its images onerror= handlers, its menu a
javascript: link, its text markup written as entities (so the extracted
text *is* markup), and a broken link whose URL holds "><script>. The job
runs as it does in production (create_job + run_job → `govsite scan` child
process); the findings page, the work-order pages and the operator's page
must show the payloads as text.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from opfixtures import SCAN_ARGS, assert_inert, make_world

from govsite.surveys import dispatch
from govsite.surveys import jobs as survey_jobs
from govsite.surveys.models import Finding, Job
from govsite.workorders.models import WorkOrder
from loopback import RouteServer, html_page

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HOME = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>清河县人民政府<script>alert(1)</script></title></head>
<body>
<div class="header"><img src="/images/logo.png" onerror="alert(1)" alt="清河县人民政府门户网站"></div>
<ul class="nav">
  <li><a href="/xwzx/index.html">新闻中心<script>alert(1)</script></a></li>
  <li><a href="javascript:alert(1)">智能问答</a></li>
  <li><a href='/zwgk/"><script>alert(1)</script>'>政务公开</a></li>
</ul>
<div class="news"><h2>要闻动态<script>alert(1)</script></h2>
  <p>&lt;img src=x onerror=alert(1)&gt; &lt;a href="javascript:alert(1)"&gt;在线办事&lt;/a&gt; 2025-11-28</p>
</div>
<div class="footer">主办单位：清河县人民政府办公室&lt;script&gt;alert(1)&lt;/script&gt; 联系电话：0571-88888888
网站标识码：3301270001 &lt;img src=x onerror=alert(1)&gt;</div>
</body></html>"""

NEWS = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>新闻中心<script>alert(1)</script></title></head>
<body onload="alert(1)"><h1 onmouseover="alert(1)">新闻中心</h1>
<ul><li><a href="/xwzx/2025/1128.html">清河县召开政府网站工作会议&lt;script&gt;alert(1)&lt;/script&gt;</a> 2025-11-28</li></ul>
</body></html>"""


@pytest.fixture
def scanned(settings, tmp_path, monkeypatch):
    """A world whose site is the hostile server, scanned once by a real job."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    monkeypatch.setenv("GOVSITE_LOOPBACK_ONLY", "1")
    monkeypatch.setattr(survey_jobs, "PROGRESS_SECONDS", 0.25)
    monkeypatch.setattr(dispatch, "launch", lambda job: job)
    routes = {"/": html_page(HOME), "/xwzx/index.html": html_page(NEWS)}
    with RouteServer(routes) as server:
        world = make_world(site_url=server.url)
        job = survey_jobs.run_job(survey_jobs.create_job(world.site).pk, scan_args=SCAN_ARGS)
    assert job.status == Job.Status.DONE, job.error
    return world


def test_payloads_reach_the_findings_and_every_page_shows_them_inert(scanned, client_for):
    world = scanned
    findings = Finding.objects.filter(site=world.site)
    hostile_url = findings.get(type="broken_link", url__contains='"><script>')
    assert hostile_url.url == world.site.url + 'zwgk/"><script>alert(1)</script>'
    evidence = " ".join(findings.values_list("evidence", flat=True))
    assert "<script>alert(1)</script>" in evidence  # the crawler kept the text; only the pages must escape it
    assert "onerror=alert(1)" in evidence

    manager, operator = client_for(world.manager), client_for(world.operator)
    pages = {
        "findings": manager.get(reverse("ops:findings", args=[world.site.pk])),
        "findings, search": operator.get(reverse("ops:findings", args=[world.site.pk], query={"q": "script"})),
        "new orders": manager.get(reverse("workorders:new", args=[world.site.pk])),
    }
    html = pages["findings"].content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "zwgk/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert '<pre class="evidence">' in html

    deadline = timezone.localdate() + timedelta(days=7)
    new_orders = reverse("workorders:new", args=[world.site.pk])
    base = {"assignee": world.operator.pk, "deadline": deadline}
    # the hostile broken link alone (its URL becomes the order's title), everything else grouped by type and page
    assert manager.post(new_orders, {**base, "findings": [hostile_url.pk], "grouping": "each"}).status_code == 302
    rest = list(findings.exclude(pk=hostile_url.pk).values_list("pk", flat=True))
    assert manager.post(new_orders, {**base, "findings": rest, "grouping": "type_page"}).status_code == 302
    hostile_order = WorkOrder.objects.get(findings=hostile_url)
    assert hostile_order.title == f"链接不可用：{hostile_url.url}"
    assert WorkOrder.objects.filter(site=world.site).count() > 1
    pages["order list"] = manager.get(reverse("workorders:list"))
    pages["order, manager"] = manager.get(reverse("workorders:detail", args=[hostile_order.pk]))
    pages["order, operator"] = operator.get(reverse("workorders:detail", args=[hostile_order.pk]))
    operator.post(reverse("workorders:claim", args=[hostile_order.pk]), {"reason": '<script>alert(1)</script>"><b>'})
    pages["order, claimed"] = manager.get(reverse("workorders:detail", args=[hostile_order.pk]))
    pages["operator site"] = operator.get(reverse("ops:operator_site", args=[world.site.pk]))
    pages["operator home"] = operator.get(reverse("ops:operator_home"))
    for other in WorkOrder.objects.filter(site=world.site):
        pages[f"order #{other.pk}"] = operator.get(reverse("workorders:detail", args=[other.pk]))

    for name, page in pages.items():
        assert page.status_code == 200, name
        assert_inert(page.content.decode())
    for name in ("order list", "order, manager", "operator site"):
        assert "zwgk/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in pages[name].content.decode(), name
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;b&gt;" in pages["order, claimed"].content.decode()

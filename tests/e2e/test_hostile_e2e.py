"""Crawled payloads never run in the browser: script tags, on* handlers and javascript: URLs stay text.

A booby-trapped county portal on 127.0.0.1 is scanned by a real job (the
`govsite scan` child process). Its titles carry <script>, its images
onerror= handlers, its menu javascript: links, its text markup written as
entities, and a broken link's URL "><script>; a few findings are planted as
well with payloads where a crawl cannot put them (detail values, a
javascript: "page"). The manager hands the hostile broken link out as a work
order, the operator answers it with a payload of their own; then every page
that shows these is opened in chromium as the people who use it: no dialog
may open, no payload element may exist in the DOM, and the payloads must be
on the page as text.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from govsite.surveys import dispatch
from govsite.surveys import jobs as survey_jobs
from govsite.surveys.models import Finding, Job, Site, Survey, SurveyFramework, SurveyMember, finding_key_hash
from govsite.workorders.models import WorkOrder
from loopback import RouteServer, html_page

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PWN = "window.__pwned=1"
HOME = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>清河县人民政府<script>alert(1)</script></title></head>
<body>
<div class="header"><img src="/images/logo.png" onerror="{PWN}" alt="清河县人民政府门户网站"></div>
<ul class="nav">
  <li><a href="/xwzx/index.html">新闻中心<script>alert(1)</script></a></li>
  <li><a href="javascript:alert(1)">智能问答</a></li>
  <li><a href='/zwgk/"><script>alert(1)</script>'>政务公开</a></li>
  <li><a href="/bsfw/<img src=x onerror={PWN}>.html">办事服务</a></li>
</ul>
<div class="news"><h2>要闻动态<script>alert(1)</script></h2>
  <p>&lt;img src=x onerror={PWN}&gt; &lt;a href="javascript:alert(1)"&gt;在线办事&lt;/a&gt; 2025-11-28</p>
</div>
<div class="footer">主办单位：清河县人民政府办公室&lt;script&gt;alert(1)&lt;/script&gt; 联系电话：0571-88888888
网站标识码：3301270001 &lt;svg onload=alert(1)&gt;</div>
</body></html>"""
NEWS = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>新闻中心<script>alert(1)</script></title></head>
<body onload="alert(1)"><h1 onmouseover="alert(1)">新闻中心</h1>
<ul><li><a href="/xwzx/2025/1128.html">清河县召开政府网站工作会议&lt;script&gt;alert(1)&lt;/script&gt;</a> 2025-11-28</li></ul>
</body></html>"""
# What the DOM must not contain once a page has loaded (any of these means a payload became markup).
PROBE = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const value = attr.value.trim().toLowerCase();
      if (attr.name.toLowerCase().startsWith('on')) bad.push(el.tagName + ' ' + attr.name);
      if (['href', 'src', 'action', 'formaction'].includes(attr.name) && /^(javascript|data|vbscript):/.test(value))
        bad.push(el.tagName + ' ' + attr.name + '=' + value);
    }
  }
  for (const s of document.querySelectorAll('script')) if (/alert|__pwned/.test(s.textContent)) bad.push('script: ' + s.textContent);
  for (const sel of ['main img[src="x"]', 'main svg', 'main iframe', 'main object', 'main embed'])
    if (document.querySelector(sel)) bad.push(sel);
  if (window.__pwned) bad.push('window.__pwned');
  return bad;
}"""


class HostileSite(RouteServer):
    """The booby-trapped portal on 127.0.0.1 (404 for every other path)."""

    def __init__(self) -> None:
        super().__init__({"/": html_page(HOME), "/xwzx/index.html": html_page(NEWS)})


@pytest.fixture
def hostile(private_data, make_user, monkeypatch):
    """A county survey whose one site is the hostile portal, scanned once by a real job, plus planted findings."""
    monkeypatch.setenv("GOVSITE_LOOPBACK_ONLY", "1")
    monkeypatch.setattr(survey_jobs, "PROGRESS_SECONDS", 0.25)
    monkeypatch.setattr(dispatch, "launch", lambda job: job)  # the order's re-check is not run here
    people = {
        "manager": make_user("manager", "张主任"),
        "assessor": make_user("assessor", "李评估"),
        "operator": make_user("operator", "赵运维<script>alert(1)</script>"),
    }
    survey = Survey.objects.create(
        name="2025 年评估<script>alert(1)</script>", year=2025, as_of="2025-11-30", status="collecting"
    )
    SurveyFramework.objects.create(survey=survey, level="county", framework="portal_county_2025")
    SurveyMember.objects.create(survey=survey, user=people["manager"], role=SurveyMember.Role.MANAGER)
    with HostileSite() as server:
        site = Site.objects.create(
            survey=survey,
            name='清河县人民政府"><img src=x onerror=window.__pwned=1>',
            url=server.url,
            level="county",
            assessor=people["assessor"],
        )
        site.operators.add(people["operator"])
        args = ["--loopback-only", "--delay", "0", "--no-autothrottle", "--retries", "0", "--timeout", "5"]
        job = survey_jobs.run_job(survey_jobs.create_job(site).pk, scan_args=[*args, "--no-external"])
    assert job.status == Job.Status.DONE, job.error
    now = timezone.now()
    planted = [
        ("broken_link", "javascript:alert(document.cookie)", "javascript:alert(1)", {"link_text": PWN}),
        ("typo", server.url + "a.html", server.url, {"sentence": "<svg onload=alert(1)>", "wrong": "<b onclick=x>"}),
        ("stale_column", server.url + "col/", "data:text/html,<script>alert(1)</script>", {"column": "</dd><script>"}),
    ]
    for type_, url, page, detail in planted:
        Finding.objects.create(
            site=site,
            type=type_,
            url=url,
            page=page,
            severity="high",
            evidence='</pre><script>alert(1)</script><a href="javascript:alert(1)">点此</a>',
            detail=detail,
            key_hash=finding_key_hash(type_, url, ""),
            found_at=now,
        )
    return site, people


def open_watched(open_as, username: str):
    """A logged-in page that records every dialog (an alert() that ran) and dismisses it."""
    page = open_as(username)
    page.fired = []
    page.on("dialog", lambda dialog: (page.fired.append(dialog.message), dialog.dismiss()))
    return page


def assert_inert(page, what: str) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # an onerror of a broken image fires after the load
    assert page.fired == [], f"{what}: 弹出了对话框 {page.fired}"
    bad = page.evaluate(PROBE)
    assert bad == [], f"{what}: 页面中出现了可执行的内容 {bad}"


def test_crawled_payloads_never_run_in_the_browser(hostile, open_as, shoot, live_server):
    site, _people = hostile
    findings = Finding.objects.filter(site=site)
    hostile_link = findings.get(type="broken_link", url__contains='"><script>')
    assert "<script>alert(1)</script>" in " ".join(findings.values_list("evidence", flat=True))
    base = live_server.url

    manager = open_watched(open_as, "manager")
    manager.goto(f"{base}/sites/{site.pk}/findings/")
    assert_inert(manager, "监测问题")
    main = manager.inner_text("main")
    assert "<script>alert(1)</script>" in main and "javascript:alert(document.cookie)" in main
    assert manager.locator("main a[href^='javascript']").count() == 0
    shoot(manager, "findings")
    manager.goto(f"{base}/sites/{site.pk}/findings/?q=script")
    assert_inert(manager, "监测问题（搜索）")

    # the hostile broken link becomes a work order through the page, its URL the order's title
    manager.goto(f"{base}/sites/{site.pk}/findings/")
    manager.check(f"input[name=finding][value='{hostile_link.pk}']")
    manager.get_by_role("button", name="为选中的问题派发整改工单").click()
    assert_inert(manager, "派发整改工单")
    manager.select_option("select[name=assignee]", index=1)
    manager.fill("input[name=deadline]", (timezone.localdate() + timedelta(days=7)).isoformat())
    manager.get_by_role("button", name="生成工单").click()
    assert_inert(manager, "整改工单列表")
    order = WorkOrder.objects.get(findings=hostile_link)
    assert "<script>alert(1)</script>" in manager.inner_text("main")

    operator = open_watched(open_as, "operator")
    operator.goto(f"{base}/workorders/{order.pk}/")
    assert_inert(operator, "工单（运维）")
    operator.fill("textarea[name=reason]", '<script>alert(1)</script>"><img src=x onerror=window.__pwned=1>')
    operator.get_by_role("button", name="申请无需修改").click()
    assert_inert(operator, "工单（已申请无需修改）")
    assert "onerror=window.__pwned=1" in operator.inner_text("main")
    shoot(operator, "work-order")
    for what, url in [
        ("我的网站", "/operator/"),
        ("运维网站页面", f"/operator/sites/{site.pk}/"),
        ("工单列表", "/workorders/"),
        ("工作台", "/"),
    ]:
        operator.goto(base + url)
        assert_inert(operator, f"{what}（运维）")

    for what, url in [
        ("工单（管理员）", f"/workorders/{order.pk}/"),
        ("工单列表（管理员）", "/workorders/"),
        ("调查进度表", f"/surveys/{site.survey_id}/"),
        ("网站指标列表", f"/sites/{site.pk}/"),
        ("指标页（日常运维）", f"/sites/{site.pk}/indicators/security_ops.daily_ops/"),
        ("审计日志", f"/surveys/{site.survey_id}/audit/"),
        ("网站变更记录", f"/sites/{site.pk}/audit/"),
        ("创新案例", f"/sites/{site.pk}/cases/"),
    ]:
        manager.goto(base + url)
        assert_inert(manager, what)
    shoot(manager, "indicator")

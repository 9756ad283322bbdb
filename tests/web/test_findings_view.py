"""The findings page: a site's findings by type, filtered and searched, with evidence, verdict and history."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from opfixtures import add_finding, assert_inert, make_world

from govsite.surveys.jobs import create_job
from govsite.surveys.models import Finding, Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def findings_url(site, **params) -> str:
    return reverse("ops:findings", args=[site.pk], query=params or None)


def listed(client, site, **params) -> list[Finding]:
    response = client.get(findings_url(site, **params))
    assert response.status_code == 200
    return list(response.context["page"])


def test_findings_are_grouped_by_type_with_label_code_and_counts(world, client_for):
    home = world.site.url
    add_finding(world.site, url=home + "a.html", page=home)
    add_finding(world.site, url=home + "b.html", page=home, status=Finding.Status.FIXED)
    add_finding(world.site, "missing_icp", home, evidence="首页未找到“ICP备案编号”", detail={"key": "ICP备案编号"})
    response = client_for(world.operator).get(findings_url(world.site))
    html = response.content.decode()
    assert response.status_code == 200
    types = {t["code"]: (t["label"], t["open"], t["fixed"]) for t in response.context["types"]}
    assert types == {"broken_link": ("链接不可用", 1, 1), "missing_icp": ("缺少ICP备案号", 1, 0)}
    assert "链接不可用 <code>broken_link</code>" in html and "缺少ICP备案号 <code>missing_icp</code>" in html
    assert [f.type for f in response.context["page"]] == ["broken_link", "broken_link", "missing_icp"]


def test_each_finding_shows_its_url_page_evidence_and_detail(world, client_for):
    add_finding(
        world.site,
        "missing_security_header",
        world.site.url,
        severity="low",
        evidence="首页响应缺少 X-Frame-Options",
        detail={"key": "X-Frame-Options", "header": "X-Frame-Options", "line": 12, "context": "…<head>…"},
    )
    add_finding(world.site, url=world.site.url + "gone.html", page=world.site.url + "news.html")
    html = client_for(world.manager).get(findings_url(world.site)).content.decode()
    assert '<pre class="evidence">首页响应缺少 X-Frame-Options</pre>' in html
    assert '<dt title="header">响应头</dt><dd class="evidence">X-Frame-Options</dd>' in html
    assert '<dt title="line">行</dt><dd class="evidence">12</dd>' in html
    assert '<dd class="evidence">…&lt;head&gt;…</dd>' in html
    assert f'所在页面：<a class="url" href="{world.site.url}news.html"' in html
    assert f">{world.site.url}gone.html</a>" in html


def test_filters_by_type_status_severity_and_url(world, client_for):
    home = world.site.url
    a = add_finding(world.site, url=home + "zhengce/a.html", severity="high")
    b = add_finding(world.site, url=home + "xinwen/b.html", severity="medium", status=Finding.Status.FIXED)
    c = add_finding(world.site, "no_https", home, severity="medium", evidence="http", detail={"key": "https"})
    client = client_for(world.operator)
    assert listed(client, world.site, type="no_https") == [c]
    assert listed(client, world.site, status="fixed") == [b]
    assert set(listed(client, world.site, severity="medium")) == {b, c}
    assert listed(client, world.site, q="zhengce") == [a]
    assert listed(client, world.site, q="XINWEN", status="fixed") == [b]
    assert listed(client, world.site, type="no_such_type") == [a, b, c]  # an invalid filter is ignored


def test_long_lists_are_paginated_keeping_the_filters(world, client_for):
    for i in range(60):
        add_finding(world.site, url=f"{world.site.url}p{i:02d}.html")
    client = client_for(world.operator)
    first = client.get(findings_url(world.site, type="broken_link"))
    assert len(first.context["page"]) == 50 and first.context["page"].paginator.num_pages == 2
    assert "type=broken_link&amp;page=2" in first.content.decode()
    assert len(listed(client, world.site, type="broken_link", page=2)) == 10


def test_the_verdict_is_shown_at_the_top(world, client_for):
    world.site.verdict = {
        "passed": False,
        "label": "单项否决",
        "reasons": ["首页栏目信息超过 2 周未更新"],
        "counts": {
            "stale_dynamic_columns": 0,
            "stale_first_level_notice_columns": 0,
            "stale_columns": 3,
            "empty_columns": 1,
        },
    }
    world.site.save()
    html = client_for(world.operator).get(findings_url(world.site)).content.decode()
    assert html.index("单项否决") < html.index("问题明细")
    assert "首页栏目信息超过 2 周未更新" in html and "应更新未更新栏目 3 个" in html


def test_history_tells_new_from_fixed_in_the_last_scan(world, client_for):
    first, second = create_job(world.site), create_job(world.site)
    Job.objects.filter(pk__in=[first.pk, second.pk]).update(status=Job.Status.DONE)
    Job.objects.filter(pk=second.pk).update(finished_at="2025-11-30T10:00:00+08:00")
    Job.objects.filter(pk=first.pk).update(finished_at="2025-11-01T10:00:00+08:00")
    old = add_finding(world.site, url=world.site.url + "old.html")
    new = add_finding(world.site, url=world.site.url + "new.html")
    fixed = add_finding(world.site, url=world.site.url + "fixed.html", status=Finding.Status.FIXED)
    Finding.objects.filter(pk=old.pk).update(first_job=first, last_job=second)
    Finding.objects.filter(pk=new.pk).update(first_job=second, last_job=second)
    Finding.objects.filter(pk=fixed.pk).update(first_job=first, last_job=second)
    client = client_for(world.operator)
    response = client.get(findings_url(world.site))
    assert (response.context["history"]["new"], response.context["history"]["fixed"]) == (1, 1)
    assert listed(client, world.site, change="new") == [new]
    assert listed(client, world.site, change="fixed") == [fixed]
    html = response.content.decode()
    assert "发现 " in html and "消除 " in html  # found_at and fixed_at of each row


def test_who_may_see_a_sites_findings(world, client_for):
    add_finding(world.site)
    url = findings_url(world.site)
    for user in (world.operator, world.manager, world.reviewer, world.expert, world.assessor):
        assert client_for(user).get(url).status_code == 200, user
    assert client_for(world.other_operator).get(url).status_code == 404
    assert client_for(world.outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page
    assert client_for(world.operator).get(reverse("ops:findings", args=[999999])).status_code == 404


def test_only_the_evaluation_team_gets_the_work_order_picker(world, client_for):
    add_finding(world.site)
    picker = reverse("workorders:new", args=[world.site.pk])
    assert picker in client_for(world.reviewer).get(findings_url(world.site)).content.decode()
    assert picker not in client_for(world.operator).get(findings_url(world.site)).content.decode()


def test_crawled_text_is_escaped_and_never_linked_unless_http(world, client_for):
    add_finding(
        world.site,
        "soft_404",
        "javascript:alert(1)",
        page=world.site.url + '"><script>alert(1)</script>',
        evidence='<script>alert(1)</script><img src=x onerror="alert(2)">',
        detail={"link_text": "<b onmouseover=alert(3)>点击</b>", "nested": {"html": "<svg onload=alert(4)>"}},
    )
    html = client_for(world.manager).get(findings_url(world.site)).content.decode()
    assert_inert(html)
    assert '<span class="url">javascript:alert(1)</span>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html
    assert "&lt;svg onload=alert(4)&gt;" in html


def test_detail_codes_are_shown_in_words_and_the_dedup_key_is_left_out(world, client_for):
    column = world.site.url + "col/dynamic/"
    detail = {"column": "部门动态", "update_class": "dynamic", "newest": "2025-08-03", "age_days": 119, "key": "k1"}
    add_finding(world.site, "stale_column", column, evidence="栏目超期", detail=detail)
    add_finding(world.site, "broken_download", world.site.url + "a.pdf", detail={"problem": "corrupt"})
    add_finding(world.site, "broken_download", world.site.url + "b.pdf", detail={"problem": "http_404"})
    html = client_for(world.manager).get(findings_url(world.site)).content.decode()
    assert '<dt title="column">栏目</dt><dd class="evidence">部门动态</dd>' in html
    assert '<dt title="update_class">栏目类别</dt><dd class="evidence">动态要闻类栏目</dd>' in html
    assert '<dt title="newest">最新信息日期</dt>' in html and '<dt title="age_days">距检查日（天）</dt>' in html
    assert '<dd class="evidence">文件已损坏或格式与扩展名不符</dd>' in html
    assert '<dd class="evidence">HTTP 404</dd>' in html
    assert 'title="key"' not in html

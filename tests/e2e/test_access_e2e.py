"""Who sees what, by typing URLs into a real browser: a site outside a user's reach is the 404 page.

Two assessors of one survey (each given one site, a third given none) and an
operator attached to one site. Each knows the other site's ids, as anyone
copying a link from a colleague would: the site page, an indicator page and
the findings page of a site that is not theirs must answer 404 and show
nothing of it, and their 工作台, survey page and 我的网站 list only their own.
The setup goes through the ORM (no scan needed: a finding is written as the
scan would); the proof is what the browser gets back.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from govsite.surveys.models import Finding, Site, Survey, SurveyFramework

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

INDICATOR = "security_ops.daily_ops"
MINE, THEIRS, NOBODYS = "青禾市人民政府", "清河县人民政府", "云川县人民政府"


@pytest.fixture
def survey_with_two_assessors(private_data, make_user):
    li = make_user("li", "李评估")
    chen = make_user("chen", "陈评估")
    make_user("sun", "孙评估")  # takes part in nothing
    zhao = make_user("zhao", "赵运维")
    survey = Survey.objects.create(name="2025 年度政府网站绩效评估", year=2025, as_of="2025-11-30", status="collecting")
    SurveyFramework.objects.create(survey=survey, level="prefecture", framework="portal_city_2025")
    SurveyFramework.objects.create(survey=survey, level="county", framework="portal_county_2025")

    def site(name, url, level, assessor):
        return Site.objects.create(survey=survey, name=name, url=url, level=level, assessor=assessor)

    sites = {
        "mine": site(MINE, "http://127.0.0.1:7/", "prefecture", li),
        "theirs": site(THEIRS, "http://127.0.0.1:9/", "county", chen),
        "nobodys": site(NOBODYS, "http://127.0.0.1:8/", "county", None),
    }
    sites["mine"].operators.add(zhao)
    for key, found in sites.items():
        Finding.objects.create(
            site=found,
            type="broken_link",
            url=f"{found.url}col/{key}-secret.html",
            page=found.url,
            severity="medium",
            evidence=f"HTTP 404 {key}",
            key_hash=f"{key:0<40}"[:40],
            found_at=timezone.now(),
        )
    return survey, sites


def status_of(page, url: str) -> int:
    response = page.goto(url)
    assert response is not None, url
    return response.status


def assert_not_found(page, url: str, *hidden: str) -> None:
    """The URL answers the 404 page, which names none of `hidden`."""
    assert status_of(page, url) == 404, f"{url} 应为 404，实际打开了：\n{page.locator('body').inner_text()[:1000]}"
    body = page.locator("body").inner_text()
    for text in hidden:
        assert text not in body, f"{url} 的 404 页面泄露了“{text}”"


def test_an_assessor_cannot_open_another_assessors_site(survey_with_two_assessors, open_as, shoot, live_server):
    survey, sites = survey_with_two_assessors
    mine, theirs = sites["mine"].pk, sites["theirs"].pk
    base = live_server.url
    site_url = f"{base}/sites/{mine}/"
    indicator_url = f"{base}/sites/{mine}/indicators/{INDICATOR}/"

    # the assessor given 青禾市 opens it (the URLs below are real pages, not mistyped ones) ...
    li = open_as("li")
    assert status_of(li, site_url) == 200
    expect(li.locator("h1")).to_have_text(MINE)
    assert status_of(li, indicator_url) == 200
    expect(li.locator("h1")).to_contain_text("日常运维")
    assert_not_found(li, f"{base}/sites/{theirs}/", THEIRS)

    # ... the assessor given 清河县 types them in and gets the 404 page, twice over
    chen = open_as("chen")
    expect(chen.locator("main")).not_to_contain_text(MINE)  # 工作台
    chen.get_by_role("link", name=survey.name).click()
    rows = chen.locator("table.data tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(THEIRS)
    expect(chen.locator("main")).not_to_contain_text(MINE)
    expect(chen.locator("main")).not_to_contain_text(NOBODYS)
    shoot(chen, "second-assessor-survey")
    for url in (site_url, indicator_url, f"{base}/sites/{mine}/findings/", f"{base}/sites/{mine}/audit/"):
        assert_not_found(chen, url, MINE, "mine-secret")
    shoot(chen, "second-assessor-404")
    assert_not_found(chen, f"{base}/sites/{sites['nobodys'].pk}/", NOBODYS)

    # an assessor given no site at all does not even see the survey
    sun = open_as("sun")
    expect(sun.locator("main")).to_contain_text("暂无调查")
    for url in (site_url, indicator_url, f"{base}/surveys/{survey.pk}/"):
        assert_not_found(sun, url, MINE, survey.name)


def test_an_operator_sees_only_their_own_site(survey_with_two_assessors, open_as, shoot, live_server):
    _survey, sites = survey_with_two_assessors
    mine, theirs = sites["mine"].pk, sites["theirs"].pk
    base = live_server.url

    zhao = open_as("zhao")
    zhao.locator("header").get_by_role("link", name="我的网站").click()
    cards = zhao.locator("section.site-card")
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text(MINE)
    expect(zhao.locator("main")).not_to_contain_text(THEIRS)
    shoot(zhao, "operator-own-site-only")

    assert status_of(zhao, f"{base}/sites/{mine}/findings/") == 200
    expect(zhao.locator("main")).to_contain_text("mine-secret")
    for url in (
        f"{base}/sites/{theirs}/findings/",
        f"{base}/operator/sites/{theirs}/",
        f"{base}/sites/{theirs}/",
        f"{base}/sites/{sites['nobodys'].pk}/findings/",
    ):
        assert_not_found(zhao, url, THEIRS, NOBODYS, "theirs-secret", "nobodys-secret")
    shoot(zhao, "operator-other-site-404")

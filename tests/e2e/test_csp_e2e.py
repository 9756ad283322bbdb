"""The app's pages under its Content-Security-Policy in a real browser: no violation on the console.

The collector is shown to work first: an inline script added to a page is refused by the policy and
the refusal lands in what it collected.
"""

from __future__ import annotations

from datetime import date

import pytest

from govsite.frameworks import load

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CSP_WORDS = ("Content Security Policy", "Content-Security-Policy", "Refused to")


def collect_csp(page) -> list[str]:
    messages: list[str] = []

    def on_console(message):
        if any(word in message.text for word in CSP_WORDS):
            messages.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: messages.append(f"{page.url}: {error}"))
    return messages


@pytest.fixture
def world(make_user, private_data):
    from govsite.surveys.models import Site, Survey, SurveyFramework, SurveyMember

    chief = make_user("chief", "调查管理员")
    chief.is_superuser = chief.is_staff = True
    chief.save()
    survey = Survey.objects.create(
        name="内容安全策略测试", year=2025, as_of=date(2025, 11, 30), status=Survey.Status.COLLECTING, created_by=chief
    )
    SurveyFramework.objects.create(survey=survey, level="prefecture", framework="portal_city_2025")
    SurveyMember.objects.create(survey=survey, user=chief, role="manager")
    site = Site.objects.create(
        survey=survey, name="甲市人民政府", url="http://jia.example.gov.cn/", level="prefecture", assessor=chief
    )
    return survey, site


def test_the_collector_sees_a_refused_inline_script(page, live_server):
    messages = collect_csp(page)
    page.goto(f"{live_server.url}/login/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1'; document.body.append(s); }"
    )
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.ran") is None
    assert messages, "内联脚本应被内容安全策略拒绝并记录在控制台"


def test_pages_raise_no_csp_violation(page, live_server, world, login):
    survey, site = world
    indicator = next(iter(load("portal_city_2025").leaves())).code
    messages = collect_csp(page)
    login("chief")
    assert "/login/" not in page.url
    for path in (
        "/",
        f"/surveys/{survey.pk}/",
        f"/surveys/{survey.pk}/results/",
        "/surveys/new/",
        "/admin/",
        f"/sites/{site.pk}/",
        f"/sites/{site.pk}/indicators/{indicator}/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert response.status == 200, path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    assert messages == []

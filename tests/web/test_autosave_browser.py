"""The autosave script in a real browser: drafts reach the server, survive a reload and an expired session.

Debian's chromium driven by Playwright against pytest-django's live_server,
as in tests/e2e (no browser download is possible here).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from govsite.surveys.models import IndicatorScore

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CODE = "aggregation.disclosure.statutory"


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="zh-CN")
    context.set_default_timeout(15_000)
    yield context
    context.close()


def _login(page, live_server, username: str, then: str) -> None:
    page.goto(f"{live_server.url}{reverse('login')}?next={then}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "test-password-1")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{then}")
    fast(page)


def fast(page) -> None:
    """Autosave after 0.3 s instead of 3 s."""
    page.evaluate("(f => f && f.setAttribute('data-autosave-delay', '300'))(document.getElementById('score-form'))")


def _row(site) -> IndicatorScore | None:
    return IndicatorScore.objects.filter(site=site, code=CODE).first()


def test_a_change_is_saved_a_few_seconds_later(context, live_server, users, sites):
    page = context.new_page()
    url = reverse("indicator_detail", args=[sites[0].pk, CODE])
    _login(page, live_server, "assessor", url)
    page.fill("input[name=score]", "16")
    page.check("input[name=check_0][value=yes]")
    page.wait_for_selector("#autosave-status.ok")
    assert "已自动保存" in page.inner_text("#autosave-status")
    row = _row(sites[0])
    assert (row.score, row.checklist["0"], row.version) == (Decimal("16"), True, 1)
    assert page.evaluate("Object.keys(localStorage).length") == 0  # sent: nothing left pending
    page.fill("input[name=score]", "99")
    page.wait_for_selector("#autosave-status.error")
    assert "超出范围" in page.inner_text("#autosave-status")
    assert _row(sites[0]).score == Decimal("16")


def test_unsent_text_survives_a_reload_and_is_sent_then(context, live_server, users, sites):
    page = context.new_page()
    url = reverse("indicator_detail", args=[sites[0].pk, CODE])
    _login(page, live_server, "assessor", url)
    page.route("**/autosave/", lambda route: route.abort())  # the network is down
    page.fill("textarea[name=note]", "栏目齐全，内容更新及时")
    page.wait_for_selector("#autosave-status.error")
    assert _row(sites[0]) is None
    page.unroute("**/autosave/")
    page.reload()
    fast(page)
    page.wait_for_selector("#autosave-status.ok")
    assert page.input_value("textarea[name=note]") == "栏目齐全，内容更新及时"
    assert _row(sites[0]).note == "栏目齐全，内容更新及时"


def test_after_the_session_expires_the_draft_is_resent_once_logged_in_again(context, live_server, users, sites):
    page = context.new_page()
    url = reverse("indicator_detail", args=[sites[0].pk, CODE])
    _login(page, live_server, "assessor", url)
    cookies = context.cookies()
    context.clear_cookies()  # the session expires; the CSRF cookie stays
    context.add_cookies([c for c in cookies if c["name"] != "sessionid"])
    assert {c["name"] for c in context.cookies()} == {"csrftoken"}
    page.fill("input[name=score]", "12.5")
    page.wait_for_selector("#autosave-status.error >> text=重新登录")
    assert _row(sites[0]) is None
    other = context.new_page()  # log in again in another tab: a new session and a new CSRF token
    _login(other, live_server, "assessor", reverse("home"))
    other.close()
    page.bring_to_front()
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    page.wait_for_selector("#autosave-status.ok")
    assert _row(sites[0]).score == Decimal("12.5")


def test_a_stale_tab_is_told_and_may_overwrite(context, live_server, users, sites):
    first = context.new_page()
    url = reverse("indicator_detail", args=[sites[0].pk, CODE])
    _login(first, live_server, "assessor", url)
    second = context.new_page()
    second.goto(f"{live_server.url}{url}")
    fast(second)
    first.fill("input[name=score]", "10")
    first.wait_for_selector("#autosave-status.ok")
    second.fill("input[name=score]", "11")
    second.wait_for_selector("#autosave-status.error")
    assert "已在其他页面或由他人修改" in second.inner_text("#autosave-status")
    assert _row(sites[0]).score == Decimal("10")
    second.click("#autosave-status >> text=用我的内容覆盖")
    second.wait_for_selector("#autosave-status.ok")
    assert _row(sites[0]).score == Decimal("11")

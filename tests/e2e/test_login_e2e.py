"""The login page in a real browser: wrong password stays out, right password reaches the dashboard."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_in_chinese_and_dashboard(login, live_server):
    get_user_model().objects.create_user("assessor1", password="pw-123456", first_name="张评估")
    page = login("assessor1", "wrong")
    assert "用户名或密码不正确" in page.content()
    page = login("assessor1", "pw-123456")
    assert page.url.rstrip("/") == live_server.url
    assert "工作台" in page.inner_text("main")
    assert "张评估" in page.inner_text("header")


def test_pages_need_login(page, live_server):
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url

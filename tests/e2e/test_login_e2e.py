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


def test_an_admin_enrols_a_second_factor_in_the_browser_then_is_locked_after_ten_wrong_passwords(
    login, live_server, settings, shoot
):
    import base64

    from django_otp.oath import totp

    settings.GOVSITE_DEV_ACCOUNTS = False  # as in production: no development exemption
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_user_model().objects.create_superuser("root1", password="Gov-site-2025x", first_name="王管理")
    page = login("root1", "Gov-site-2025x")
    assert "/account/otp/enrol/" in page.url and "启用双因素认证" in page.inner_text("main")
    assert page.locator(".otp-qr svg").count() == 1
    shoot(page, "otp-enrol")
    secret = page.inner_text(".otp-secret").replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("input[name=otp_token]", f"{totp(key):06d}")
    page.click("main button[type=submit]")  # not the header's 退出
    page.wait_for_load_state("networkidle")
    assert page.url.rstrip("/") == live_server.url and "工作台" in page.inner_text("main")

    page.context.clear_cookies()
    for _ in range(10):
        page = login("root1", "wrong-password")
    assert "账号已锁定" in page.content()
    page = login("root1", "Gov-site-2025x")
    assert "账号已锁定" in page.content() and "/login/" in page.url
    shoot(page, "locked")

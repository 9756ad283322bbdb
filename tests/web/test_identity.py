"""Identity (等保 2.0 身份鉴别): the development-accounts setting, password rules, login failure lockout,
the source address behind a trusted proxy, the TOTP second factor, and passwords kept out of logs."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from govsite.accounts.addresses import parse_networks, source_address
from govsite.surveys.models import AuditEntry

PASSWORD = "test-password-1"  # tests/web/conftest.py's users

SRC = Path(__file__).resolve().parents[2] / "src"
STRONG = "Gov-site-2025x"


def _settings_in_subprocess(**env: str) -> subprocess.CompletedProcess:
    """Import the settings module afresh with these environment variables (no DATABASE_URL unless given)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GOVSITE_", "DATABASE_URL"))}
    clean.update(env, PYTHONPATH=str(SRC))
    code = "import govsite.web.settings as s; print(s.GOVSITE_DEV_ACCOUNTS)"
    return subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60)


def test_the_development_accounts_setting_exists_only_in_the_embedded_development_default():
    development = _settings_in_subprocess()
    assert development.returncode == 0 and development.stdout.strip() == "True"
    production = _settings_in_subprocess(GOVSITE_PRODUCTION="1", GOVSITE_SECRET_KEY="k" * 50)
    assert production.returncode == 0 and production.stdout.strip() == "False"
    refused = _settings_in_subprocess(GOVSITE_PRODUCTION="1", GOVSITE_SECRET_KEY="k" * 50, GOVSITE_DEV_ACCOUNTS="1")
    assert refused.returncode != 0 and "GOVSITE_DEV_ACCOUNTS 只能用于内置开发环境" in refused.stderr
    # a real database server: not the embedded default either
    server = _settings_in_subprocess(GOVSITE_DEV_ACCOUNTS="1", DATABASE_URL="postgres://govsite@127.0.0.1:5432/govsite")
    assert server.returncode != 0 and "GOVSITE_DEV_ACCOUNTS" in server.stderr
    off = _settings_in_subprocess(DATABASE_URL="postgres://govsite@127.0.0.1:5432/govsite")
    assert off.returncode == 0 and off.stdout.strip() == "False"


def test_audit_retention_under_six_months_is_refused():
    refused = _settings_in_subprocess(GOVSITE_DEBUG="1", GOVSITE_AUDIT_RETENTION_DAYS="90")
    assert refused.returncode != 0 and "不得少于 183 天" in refused.stderr
    assert _settings_in_subprocess(GOVSITE_DEBUG="1", GOVSITE_AUDIT_RETENTION_DAYS="183").returncode == 0


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Ab1!", "太短"),
        ("abcdefghijkl", "一类字符"),
        ("abcdefgh-ijk", "两类字符"),
        ("Password1234", "常见密码"),
        ("Zhangsan-2025", "与用户名相近"),
    ],
)
def test_password_rules_refuse_weak_passwords(db, django_user_model, password, reason):
    user = django_user_model(username="zhangsan", first_name="zhangsan")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_password_rules_take_three_classes_of_ten_characters(db, django_user_model):
    validate_password(STRONG, django_user_model(username="zhangsan"))
    with pytest.raises(ValidationError) as caught:
        validate_password("abcdefgh-ijk", django_user_model(username="zhangsan"))
    assert any("至少 3 类" in m for m in caught.value.messages)


def test_createuser_applies_the_rules_unless_the_development_accounts_are_on(db, settings, django_user_model):
    settings.GOVSITE_DEV_ACCOUNTS = False
    with pytest.raises(CommandError, match="密码不符合要求"):
        call_command("createuser", "li", "--password", "govsite-demo")
    assert not django_user_model.objects.filter(username="li").exists()  # nothing made
    call_command("createuser", "li", "--password", STRONG)
    assert django_user_model.objects.get(username="li").check_password(STRONG)
    settings.GOVSITE_DEV_ACCOUNTS = True  # the demo's password is a development account's
    call_command("createuser", "demo1", "--password", "govsite-demo")
    assert django_user_model.objects.get(username="demo1").check_password("govsite-demo")


def test_the_password_change_form_applies_the_rules(users, client_for):
    client = client_for(users["assessor"])
    url = reverse("password_change")
    weak = client.post(
        url, {"old_password": PASSWORD, "new_password1": "abcdefghijkl", "new_password2": "abcdefghijkl"}
    )
    assert weak.status_code == 200 and "至少 3 类" in weak.content.decode()
    ok = client.post(url, {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG})
    assert ok.status_code == 302
    users["assessor"].refresh_from_db()
    assert users["assessor"].check_password(STRONG)
    assert AuditEntry.objects.filter(action="password_change", user=users["assessor"]).exists()


# ---------------------------------------------------------------- login failures


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.7", **headers):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, headers=headers or None
    )


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_ten_wrong_logins_lock_the_account_until_an_admin_unlocks_it(users, client_for):
    client = Client()
    statuses = [_login(client, "manager", f"wrong-{i}").status_code for i in range(10)]
    assert statuses[:4] == [200] * 4  # the form again, "用户名或密码不正确"
    assert statuses[-1] == 429
    locked = _login(client, "manager", PASSWORD)
    assert (
        locked.status_code == 429
        and "账号已锁定" in locked.content.decode()
        and "15 分钟后再试" in locked.content.decode()
    )
    assert not _logged_in(client)
    # the same account from another address is locked too; another account from the same office is not
    assert _login(Client(), "manager", PASSWORD, ip="10.9.9.9").status_code == 429
    colleague = Client()
    _login(colleague, "reviewer", PASSWORD)
    assert _logged_in(colleague)

    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("login_failed") >= 5 and "lockout" in actions
    failed = AuditEntry.objects.filter(action="login_failed").last()  # the oldest
    assert failed.after["user"] == "manager" and failed.ip == "10.0.0.7"

    admin = client_for(users["admin"])
    page = admin.get(reverse("lock_list"))
    assert "manager" in page.content.decode()
    assert client_for(users["assessor"]).get(reverse("lock_list")).status_code == 302  # admins only
    admin.post(reverse("lock_release"), {"username": "manager"})
    unlock = AuditEntry.objects.get(action="unlock")
    assert unlock.user == users["admin"] and unlock.after["user"] == "manager"
    _login(client, "manager", PASSWORD)
    assert _logged_in(client)


def test_the_lock_ends_when_the_cool_off_passes(users, settings):
    from axes.models import AccessAttempt

    client = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "expert", f"wrong-{i}")
    assert _login(client, "expert", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - settings.AXES_COOLOFF_TIME)
    _login(client, "expert", PASSWORD)
    assert _logged_in(client)


def test_a_forwarded_address_counts_only_from_a_trusted_proxy(users, settings):
    _login(Client(), "assessor", "wrong", ip="10.0.0.7", x_forwarded_for="203.0.113.5")
    assert AuditEntry.objects.get(action="login_failed").ip == "10.0.0.7"  # no proxy configured: the header is ignored
    settings.GOVSITE_TRUSTED_PROXIES = ["10.0.0.0/24"]
    _login(Client(), "assessor", "wrong", ip="10.0.0.7", x_forwarded_for="203.0.113.5")
    assert AuditEntry.objects.filter(action="login_failed").first().ip == "203.0.113.5"


def test_source_address_reads_x_forwarded_for_from_the_right():
    proxies = parse_networks(["10.0.0.0/8", "::1"])
    assert source_address("192.0.2.1", "203.0.113.5", proxies) == "192.0.2.1"  # peer not a proxy
    assert source_address("10.0.0.2", "198.51.100.1, 203.0.113.5", proxies) == "203.0.113.5"  # spoofed left entry
    assert source_address("10.0.0.2", "203.0.113.5, 10.0.0.3", proxies) == "203.0.113.5"  # two proxies
    assert source_address("10.0.0.2", "", proxies) == "10.0.0.2"
    assert source_address("10.0.0.2", "junk", proxies) == "10.0.0.2"
    assert source_address("::1", "2001:db8::7", proxies) == "2001:db8::7"
    assert source_address("10.0.0.2", "203.0.113.5", []) == "10.0.0.2"


def test_a_password_never_reaches_a_log_record_or_an_audit_row(users, caplog):
    from axes.models import AccessAttempt, AccessFailureLog

    secret = "S3cret-xyz!"
    caplog.set_level(logging.DEBUG)
    _login(Client(), "assessor", secret)
    assert caplog.records, "the failed login logs nothing at all: the check below would prove nothing"
    for record in caplog.records:
        assert secret not in record.getMessage() and secret not in repr(record.args)
    rows = list(AuditEntry.objects.values())
    assert [r["after"] for r in rows if r["action"] == "login_failed"] == [{"user": "assessor"}]
    assert secret not in repr(rows)
    attempt = AccessAttempt.objects.get(username="assessor")
    assert secret not in attempt.post_data + attempt.get_data
    assert secret not in repr(list(AccessFailureLog.objects.values()))


# ---------------------------------------------------------------- second factor


def _code(device, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


@pytest.fixture
def enforced(settings):
    settings.GOVSITE_DEV_ACCOUNTS = False
    return settings


def test_an_admin_without_a_device_is_sent_to_enrol_then_verifies_each_login(users, enforced):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    response = _login(client, "admin", PASSWORD)
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("otp_enrol"))
    assert client.get(reverse("survey_create")).status_code == 302  # no page until enrolled
    page = client.get(reverse("otp_enrol")).content.decode()
    assert "<svg" in page and "<script" not in page and "密钥" in page
    device = TOTPDevice.objects.get(user=users["admin"], confirmed=False)
    assert "".join(device.config_url.split("secret=")[1].split("&")[0]) in page.replace(" ", "")
    wrong = client.post(reverse("otp_enrol"), {"otp_token": "000000" if _code(device) != "000000" else "111111"})
    assert "动态口令不正确" in wrong.content.decode()
    time.sleep(1.1)  # django-otp throttles a device after a wrong code: 1 s, then 2, 4, …
    client.post(reverse("otp_enrol"), {"otp_token": _code(device)})
    assert client.get(reverse("home")).status_code == 200
    assert AuditEntry.objects.filter(action="otp_enrol", user=users["admin"]).exists()

    again = Client()
    _login(again, "admin", PASSWORD)
    home = again.get(reverse("home"))
    assert home["Location"].startswith(reverse("otp_verify"))
    device.refresh_from_db()
    bad = again.post(reverse("otp_verify"), {"otp_token": "12345"})
    assert "动态口令不正确" in bad.content.decode() and again.get(reverse("home")).status_code == 302
    time.sleep(1.1)
    again.post(reverse("otp_verify"), {"otp_token": _code(device, offset=1)})  # the next step's code, within tolerance
    assert again.get(reverse("home")).status_code == 200


def test_managers_must_enrol_assessors_may(users, survey, enforced):
    manager = Client()
    _login(manager, "manager", PASSWORD)
    assert manager.get(reverse("home"))["Location"].startswith(reverse("otp_enrol"))
    assessor = Client()
    _login(assessor, "assessor", PASSWORD)
    assert assessor.get(reverse("home")).status_code == 200
    assert "启用双因素认证" in assessor.get(reverse("account_security")).content.decode()


def test_the_development_accounts_skip_the_second_factor(users, settings):
    settings.GOVSITE_DEV_ACCOUNTS = True
    client = Client()
    _login(client, "admin", PASSWORD)
    assert client.get(reverse("home")).status_code == 200


def test_one_session_per_account_when_set(users, settings):
    settings.GOVSITE_SINGLE_SESSION = True
    first, second = Client(), Client()
    _login(first, "assessor", PASSWORD)
    assert first.get(reverse("home")).status_code == 200
    _login(second, "assessor", PASSWORD)
    assert second.get(reverse("home")).status_code == 200
    assert first.get(reverse("home")).status_code == 302  # the older session ended
    assert AuditEntry.objects.filter(action="session_end_others").exists()


def test_cool_off_setting_is_fifteen_minutes_by_default(settings):
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME and settings.AXES_FAILURE_LIMIT == 5

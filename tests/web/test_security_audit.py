"""Security audit (等保 2.0 安全审计): who, when, from where, what — for logins, permission changes,
report downloads and publication; the administrators' page with filters; CSV / XLSX exports; retention."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from govsite.surveys.models import AuditEntry, SurveyMember

PASSWORD = "test-password-1"  # tests/web/conftest.py's users


def _login(username: str, password: str = PASSWORD, ip: str = "10.1.2.3") -> Client:
    client = Client()
    client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)
    return client


def test_permission_changes_are_audited_wherever_they_happen(users, survey):
    from django.contrib.auth.models import Group

    outsider = users["outsider"]
    outsider.is_staff = True
    outsider.save()
    group = Group.objects.create(name="评估组")
    outsider.groups.add(group)
    SurveyMember.objects.create(survey=survey, user=outsider, role="reviewer")
    flags = AuditEntry.objects.get(action="user_flags", object_id=str(outsider.pk))
    assert flags.before == {"user": "outsider", "is_staff": False} and flags.after["is_staff"] is True
    grants = AuditEntry.objects.get(action="user_grants")
    assert grants.after == {"user": "outsider", "kind": "groups", "added": ["评估组"]}
    assert AuditEntry.objects.filter(action="role_grant", after__user="outsider", after__role="reviewer").exists()
    outsider.save()  # nothing changed: nothing recorded
    assert AuditEntry.objects.filter(action="user_flags", object_id=str(outsider.pk)).count() == 1


def test_report_downloads_and_publication_are_audited_with_the_address(users, survey, sites, client_for):
    manager = _login("manager", ip="10.1.2.3")
    response = manager.get(reverse("ops:survey_report", args=[survey.pk, "html"]), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="report_download")
    assert entry.user == users["manager"] and entry.ip == "10.1.2.3" and entry.after == {"format": "html"}
    login = AuditEntry.objects.get(action="login")
    assert login.user == users["manager"] and login.ip == "10.1.2.3"


def test_the_audit_page_is_for_admins_filters_and_speaks_chinese(users, survey, client_for):
    _login("manager", "wrong", ip="192.0.2.9")
    _login("reviewer", ip="10.1.2.3")
    admin = client_for(users["admin"])
    page = admin.get(reverse("security_audit")).content.decode()
    assert "安全审计" in page and "登录失败" in page and "192.0.2.9" in page and "<td>login_failed<" not in page
    only_failed = admin.get(reverse("security_audit"), {"action": "login_failed"}).content.decode()
    assert "192.0.2.9" in only_failed and "10.1.2.3" not in only_failed
    by_user = admin.get(reverse("security_audit"), {"user": "reviewer"}).content.decode()
    assert "10.1.2.3" in by_user and "192.0.2.9" not in by_user
    by_ip = admin.get(reverse("security_audit"), {"ip": "192.0.2."}).content.decode()
    assert "192.0.2.9" in by_ip and "10.1.2.3" not in by_ip
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "暂无记录" in admin.get(reverse("security_audit"), {"since": tomorrow}).content.decode()
    for name in ("manager", "assessor", "operator"):
        assert client_for(users[name]).get(reverse("security_audit")).status_code == 302


def test_exports_open_in_excel_and_are_audited(users, client_for):
    _login("manager", "=cmd|' /C calc'!A0", ip="192.0.2.9")
    _login("reviewer", ip="10.1.2.3")
    admin = client_for(users["admin"])
    response = admin.get(reverse("security_audit"), {"action": "login_failed", "format": "csv"})
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf") and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["时间", "用户", "来源地址", "操作", "对象", "变更", "理由"]
    assert [r[2:4] for r in rows[1:]] == [["192.0.2.9", "登录失败"]]
    assert "manager" in rows[1][5]
    xlsx = admin.get(reverse("security_audit"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "时间" and any(v[3] == "登录" and v[2] == "10.1.2.3" for v in values[1:])
    exports = AuditEntry.objects.filter(action="audit_export", user=users["admin"]).order_by("id")
    assert [e.after["format"] for e in exports] == ["csv", "xlsx"]
    assert exports[0].after["filters"] == {"action": "login_failed"} and exports[0].after["rows"] == 1


def test_the_log_stays_append_only_and_is_purged_only_after_the_retention(users, survey, settings):
    old = AuditEntry.objects.create(action="login", object_type="", object_id="")
    recent = AuditEntry.objects.create(action="login", object_type="", object_id="")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=400))
    AuditEntry.objects.filter(pk=recent.pk).update(at=timezone.now() - timedelta(days=200))
    with pytest.raises(PermissionError):
        recent.delete()
    with pytest.raises(CommandError, match="不得少于 183 天"):
        call_command("prune_audit", "--days", "30")
    call_command("prune_audit")  # GOVSITE_AUDIT_RETENTION_DAYS, 365 by default
    assert not AuditEntry.objects.filter(pk=old.pk).exists() and AuditEntry.objects.filter(pk=recent.pk).exists()
    call_command("prune_audit", "--days", "183")
    assert not AuditEntry.objects.filter(pk=recent.pk).exists()


def test_the_scheduler_purges_the_audit_log_daily(db):
    from govsite.worker.celery import _beat_schedule
    from govsite.worker.tasks import prune_audit

    assert _beat_schedule()["govsite-prune-audit"]["task"] == prune_audit.name
    old = AuditEntry.objects.create(action="login", object_type="", object_id="")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=366))
    AuditEntry.objects.create(action="login", object_type="", object_id="")
    assert prune_audit() == {"deleted": 1, "days": 365}
    assert AuditEntry.objects.count() == 1


def test_a_permission_changed_in_the_admin_names_the_admin_who_did_it(users, client_for):
    from django.contrib.auth.models import Permission

    admin = client_for(users["admin"])
    target = users["assessor"]
    permission = Permission.objects.get(codename="add_survey")
    response = admin.post(
        reverse("admin:auth_user_change", args=[target.pk]),
        {
            "username": target.username,
            "first_name": target.first_name,
            "last_name": "",
            "email": target.email,
            "is_active": "on",
            "is_staff": "on",
            "user_permissions": [permission.pk],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2025-01-01",
            "date_joined_1": "08:00:00",
        },
        REMOTE_ADDR="10.5.5.5",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    flags = AuditEntry.objects.get(action="user_flags", object_id=str(target.pk))
    assert flags.user == users["admin"] and flags.ip == "10.5.5.5" and flags.after["is_staff"] is True
    grants = AuditEntry.objects.get(action="user_grants", object_id=str(target.pk))
    assert grants.user == users["admin"] and grants.after["kind"] == "permissions"

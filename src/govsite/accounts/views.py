"""Account and security pages: the second factor (enrol, verify, remove), password change, login locks
and the security audit for administrators. Every change here is audited."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required, user_passes_test
from django.contrib.auth.forms import PasswordChangeForm
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from govsite.accounts import auditlog, locks, twofactor
from govsite.surveys import audit

CODE_LENGTH = 6


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


def _token(request) -> str:
    return "".join(ch for ch in request.POST.get("otp_token", "") if ch.isdigit())[:CODE_LENGTH]


@login_required
def otp_verify(request):
    """The step after the password for an account with a device: a six-digit code from the authenticator."""
    device = twofactor.confirmed_device(request.user)
    if device is None:
        return redirect("otp_enrol")
    if request.user.is_verified():
        return redirect(_next(request))
    error = ""
    if request.method == "POST":
        if device.verify_token(_token(request)):
            otp_login(request, device)
            return redirect(_next(request))
        audit.record(request.user, "otp_failed", request.user, after={"user": request.user.get_username()})
        error = "动态口令不正确或已过期，请输入身份验证器上当前显示的 6 位数字。"
    return render(request, "accounts/otp_verify.html", {"error": error, "next": _next(request)})


@login_required
def otp_enrol(request):
    """Enrol an authenticator: scan the QR code (or type the secret), then confirm with a code."""
    if twofactor.confirmed_device(request.user) is not None:
        return redirect("account_security")
    device = twofactor.pending_device(request.user)
    error = ""
    if request.method == "POST":
        if device.verify_token(_token(request)):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            audit.record(request.user, "otp_enrol", request.user, after={"user": request.user.get_username()})
            messages.success(request, "已启用双因素认证：以后登录时须输入身份验证器上的动态口令。")
            return redirect(_next(request))
        error = "动态口令不正确，请核对手机时间后重试。"
    context = {
        "qr": twofactor.qr_svg(device),
        "secret": twofactor.secret_text(device),
        "required": twofactor.required_for(request.user),
        "error": error,
        "next": _next(request),
    }
    return render(request, "accounts/otp_enrol.html", context)


@login_required
def account_security(request):
    device = twofactor.confirmed_device(request.user)
    context = {
        "device": device,
        "required": twofactor.required_for(request.user),
        "breadcrumbs": [("工作台", reverse("home")), ("账号安全", None)],
    }
    return render(request, "accounts/security.html", context)


@login_required
@require_POST
def otp_remove(request):
    """An account that need not use a second factor may stop; administrators and managers may not."""
    if twofactor.required_for(request.user):
        messages.error(request, "平台管理员和调查管理员必须使用双因素认证，不能停用。")
        return redirect("account_security")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=request.user).delete()
    audit.record(request.user, "otp_remove", request.user, after={"user": request.user.get_username()})
    messages.success(request, "已停用双因素认证。")
    return redirect("account_security")


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        audit.record(user, "password_change", user, after={"user": user.get_username()})
        messages.success(request, "密码已修改。")
        return redirect("account_security")
    crumbs = [("工作台", reverse("home")), ("账号安全", reverse("account_security")), ("修改密码", None)]
    return render(request, "accounts/password_change.html", {"form": form, "breadcrumbs": crumbs})


# ---------------------------------------------------------------- administrators

admin_only = user_passes_test(lambda u: u.is_active and u.is_superuser)


@login_required
@admin_only
def lock_list(request):
    crumbs = [("工作台", reverse("home")), ("登录锁定", None)]
    return render(request, "accounts/locks.html", {"locks": locks.current(), "breadcrumbs": crumbs})


@login_required
@admin_only
@require_POST
def lock_release(request):
    username = request.POST.get("username", "").strip()
    ip = request.POST.get("ip", "").strip() or None
    removed = locks.release(username, ip)
    if removed:
        audit.record(request.user, "unlock", None, after={"user": username, "ip": ip or ""})
        messages.success(request, f"已解除 {username} 的登录锁定。")
    else:
        messages.error(request, f"{username} 当前没有登录锁定。")
    return redirect("lock_list")


@login_required
@admin_only
def security_audit(request):
    filters = auditlog.Filters.from_query(request.GET)
    entries = auditlog.filtered(filters)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return _export(request, entries, filters, fmt)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = urlencode(filters.as_dict())
    context = {
        "rows": [auditlog.row(e) for e in page],
        "page_obj": page,
        "page_query": query + "&" if query else "",
        "export_query": query,
        "filters": filters.as_dict(),
        "actions": auditlog.action_choices(),
        "columns": auditlog.COLUMNS,
        "breadcrumbs": [("工作台", reverse("home")), ("安全审计", None)],
    }
    return render(request, "accounts/audit.html", context)


def _export(request, entries, filters: auditlog.Filters, fmt: str) -> HttpResponse:
    count = min(entries.count(), auditlog.EXPORT_LIMIT)
    audit.record(request.user, "audit_export", None, after={"format": fmt, "rows": count, "filters": filters.as_dict()})
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        body, kind = auditlog.csv_bytes(entries), "text/csv; charset=utf-8"
    else:
        body, kind = auditlog.xlsx_bytes(entries), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = content_disposition_header(True, f"审计日志-{stamp}.{fmt}")
    return response


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked account (AXES_LOCKOUT_CALLABLE): the page in Chinese, HTTP 429."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"minutes": minutes, "failures": settings.AXES_FAILURE_LIMIT}
    return render(request, "registration/locked.html", context, status=429)

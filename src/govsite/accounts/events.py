"""What the security audit records without a view asking: logins, failed logins, lockouts, logouts and
permission changes (staff / superuser / active flags, groups, permissions, survey roles), from signals.

A failed login records the user name tried, never the password (Django's user_login_failed hands
over cleansed credentials, and only the user name is read from them).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from govsite.surveys import audit
from govsite.surveys.models import SurveyMember

FLAGS = ("is_staff", "is_superuser", "is_active")
USERNAME_KEYS = ("username", "user", "login")


def _ip(request) -> str | None:
    return getattr(request, "client_ip", None) if request is not None else None


def _actor():
    """The signed-in account whose request made the change (None in a command or a job)."""
    return audit.acting_user.get()


def on_login(sender, request, user, **kwargs) -> None:
    audit.record(user, "login", user, after={"user": user.get_username()}, ip=_ip(request))
    if getattr(settings, "GOVSITE_SINGLE_SESSION", False) and request is not None:
        from govsite.accounts.sessions import end_other_sessions

        ended = end_other_sessions(user, request.session.session_key)
        if ended:
            audit.record(user, "session_end_others", user, after={"sessions": ended}, ip=_ip(request))


def on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit.record(user, "logout", user, after={"user": user.get_username()}, ip=_ip(request))


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    name = next((str(credentials[k]) for k in USERNAME_KEYS if credentials.get(k)), "")
    audit.record(None, "login_failed", None, after={"user": name[:150]}, ip=_ip(request))


def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    audit.record(None, "lockout", None, after={"user": (username or "")[:150]}, ip=ip_address or _ip(request))


def on_user_pre_save(sender, instance, **kwargs) -> None:
    if instance.pk is None:
        instance._audit_flags_before = None
        return
    old = sender.objects.filter(pk=instance.pk).values(*FLAGS).first()
    instance._audit_flags_before = old


def on_user_post_save(sender, instance, created, **kwargs) -> None:
    before = getattr(instance, "_audit_flags_before", None)
    after = {flag: getattr(instance, flag) for flag in FLAGS}
    if created:
        if instance.is_staff or instance.is_superuser:
            audit.record(_actor(), "user_flags", instance, after={"user": instance.get_username(), **after})
        return
    if before is not None and before != after:
        changed = [f for f in FLAGS if before[f] != after[f]]
        audit.record(
            _actor(),
            "user_flags",
            instance,
            before={"user": instance.get_username(), **{f: before[f] for f in changed}},
            after={"user": instance.get_username(), **{f: after[f] for f in changed}},
        )


def on_groups_changed(sender, instance, action, pk_set, model, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    user_model = get_user_model()
    if not isinstance(instance, user_model):
        return  # a group's side of the relation: the users' side records it
    kind = "groups" if model.__name__ == "Group" else "permissions"
    names = sorted(str(o) for o in model.objects.filter(pk__in=pk_set or [])) if pk_set else []
    verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    audit.record(_actor(), "user_grants", instance, after={"user": instance.get_username(), "kind": kind, verb: names})


def on_member_saved(sender, instance, created, **kwargs) -> None:
    state = {"user": instance.user.get_username(), "role": instance.role, "survey": instance.survey.name}
    audit.record(_actor(), "role_grant" if created else "role_change", instance, after=state)


def on_member_deleted(sender, instance, **kwargs) -> None:
    state = {"user": instance.user.get_username(), "role": instance.role, "survey": instance.survey.name}
    audit.record(_actor(), "role_revoke", instance, before=state)


def connect() -> None:
    from axes.signals import user_locked_out

    user_model = get_user_model()
    user_logged_in.connect(on_login, dispatch_uid="govsite.audit.login")
    user_logged_out.connect(on_logout, dispatch_uid="govsite.audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="govsite.audit.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="govsite.audit.lockout")
    pre_save.connect(on_user_pre_save, sender=user_model, dispatch_uid="govsite.audit.user_pre")
    post_save.connect(on_user_post_save, sender=user_model, dispatch_uid="govsite.audit.user_post")
    m2m_changed.connect(on_groups_changed, sender=user_model.groups.through, dispatch_uid="govsite.audit.groups")
    m2m_changed.connect(
        on_groups_changed, sender=user_model.user_permissions.through, dispatch_uid="govsite.audit.perms"
    )
    post_save.connect(on_member_saved, sender=SurveyMember, dispatch_uid="govsite.audit.member_saved")
    post_delete.connect(on_member_deleted, sender=SurveyMember, dispatch_uid="govsite.audit.member_deleted")
    _register_labels()


def _register_labels() -> None:
    audit.register_labels(
        actions={
            "login": "登录",
            "logout": "退出登录",
            "login_failed": "登录失败",
            "lockout": "账号锁定",
            "unlock": "解除锁定",
            "session_end_others": "结束其他会话",
            "otp_enrol": "启用双因素认证",
            "otp_failed": "动态口令错误",
            "otp_remove": "停用双因素认证",
            "password_change": "修改密码",
            "user_flags": "调整账号权限",
            "user_grants": "调整用户组或权限",
            "role_grant": "授予调查角色",
            "role_change": "修改调查角色",
            "role_revoke": "撤销调查角色",
            "report_download": "下载报告",
            "audit_export": "导出审计日志",
        },
        fields={
            "is_staff": "可登录后台",
            "is_superuser": "平台管理员",
            "is_active": "账号启用",
            "survey": "调查",
            "added": "增加",
            "removed": "移除",
            "cleared": "清空",
            "format": "格式",
            "filters": "筛选条件",
            "rows": "条数",
        },
        objects={"User": "用户", "SurveyMember": "调查成员"},
        values={
            "role": dict(SurveyMember.Role.choices),
            "kind": {"groups": "用户组", "permissions": "权限"},
        },
    )

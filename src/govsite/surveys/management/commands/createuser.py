"""`govsite manage createuser NAME`: make or update an account, optionally with a role in a survey.

For the people of a survey: assessors, reviewers, managers, experts. The
password comes from --password, the GOVSITE_PASSWORD environment variable,
or a prompt (never echoed). Running it again updates the account.
"""

from __future__ import annotations

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from govsite.surveys.models import Survey, SurveyMember


class Command(BaseCommand):
    help = "创建或更新用户账号，可同时授予某个调查中的角色"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", help="密码（也可用环境变量 GOVSITE_PASSWORD；都没有时交互输入）")
        parser.add_argument("--name", default=None, help="姓名，显示在页面上")
        parser.add_argument("--email", default=None)
        parser.add_argument("--superuser", action="store_true", help="平台管理员（所有权限）")
        parser.add_argument("--staff", action="store_true", help="可登录后台")
        parser.add_argument("--can-create-surveys", action="store_true", help="允许新建调查")
        parser.add_argument("--survey", type=int, help="调查编号")
        parser.add_argument("--role", choices=[r for r, _ in SurveyMember.Role.choices], help="在该调查中的角色")
        parser.add_argument("--no-input", action="store_true", help="不交互；无密码时账号不能用密码登录")

    def handle(self, *args, **options):
        if bool(options["survey"]) != bool(options["role"]):
            raise CommandError("--survey 与 --role 须同时给出")
        survey = None
        if options["survey"]:
            survey = Survey.objects.filter(pk=options["survey"]).first()
            if survey is None:
                raise CommandError(f"调查 {options['survey']} 不存在")
        model = get_user_model()
        with transaction.atomic():
            user, created = model.objects.get_or_create(username=options["username"])
            password = options["password"] or os.environ.get("GOVSITE_PASSWORD")
            if password is None and created and not options["no_input"]:
                password = self._prompt()
            if password:
                _check_rules(password, user)
                user.set_password(password)
            elif created:
                user.set_unusable_password()
            if options["name"] is not None:
                user.first_name, user.last_name = options["name"][:150], ""
            if options["email"] is not None:
                user.email = options["email"]
            if options["superuser"]:
                user.is_superuser = user.is_staff = True
            if options["staff"]:
                user.is_staff = True
            user.is_active = True
            user.save()
            if options["can_create_surveys"]:
                user.user_permissions.add(
                    Permission.objects.get(codename="add_survey", content_type__app_label="surveys")
                )
            if survey is not None:
                SurveyMember.objects.get_or_create(survey=survey, user=user, role=options["role"])  # audited by signal
        verb = "已创建" if created else "已更新"
        role = f"，在“{survey.name}”中为{SurveyMember.Role(options['role']).label}" if survey else ""
        self.stdout.write(self.style.SUCCESS(f"{verb}用户 {user.username}{role}"))

    def _prompt(self) -> str:
        first = getpass.getpass("密码：")
        if not first:
            raise CommandError("密码不能为空（或使用 --no-input 创建不能用密码登录的账号）")
        if getpass.getpass("再次输入密码：") != first:
            raise CommandError("两次输入的密码不一致")
        return first


def _check_rules(password: str, user) -> None:
    from govsite.accounts.passwords import check_rules

    try:
        check_rules(password, user)
    except ValidationError as exc:
        raise CommandError("密码不符合要求：" + "".join(exc.messages)) from exc

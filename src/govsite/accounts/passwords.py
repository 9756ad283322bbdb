"""Password rules: Django's validators (AUTH_PASSWORD_VALIDATORS) plus a character-class rule."""

from __future__ import annotations

import string

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

CLASSES = {
    "大写字母": lambda c: c.isascii() and c.isupper(),
    "小写字母": lambda c: c.isascii() and c.islower(),
    "数字": lambda c: c.isdigit(),
    "符号": lambda c: c in string.punctuation or c == " " or not c.isascii(),
}


def classes_in(password: str) -> set[str]:
    return {name for name, test in CLASSES.items() if any(test(c) for c in password)}


class CharacterClassValidator:
    """At least `min_classes` of upper-case letters, lower-case letters, digits and symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if len(classes_in(password)) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_few_classes")

    def get_help_text(self) -> str:
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。"


def check_rules(password: str, user=None) -> None:
    """Raise ValidationError unless the password passes the rules; the development accounts are exempt."""
    if getattr(settings, "GOVSITE_DEV_ACCOUNTS", False):
        return
    validate_password(password, user)

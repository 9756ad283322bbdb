"""Sending one message to one recipient: email through Django's mail, webhooks by one HTTP POST.

`send` raises SendError with a Chinese reason when the message was not taken;
the caller (services) logs it and retries on the next tick.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email

from govsite.alerts.messages import Message, robot_accepted, webhook_request
from govsite.crawl.policy import is_loopback

EMAIL = "email"


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through an environment proxy


class SendError(RuntimeError):
    pass


def validate_webhook_url(url: str) -> None:
    """http/https with a host; with GOVSITE_ALERT_LOOPBACK_ONLY (tests) a loopback host only."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("Webhook 地址须以 http:// 或 https:// 开头并带主机名")
    if settings.GOVSITE_ALERT_LOOPBACK_ONLY and not is_loopback(url):
        raise ValidationError("只允许本机地址（GOVSITE_ALERT_LOOPBACK_ONLY）")


def validate_address(kind: str, address: str) -> None:
    if kind == EMAIL:
        try:
            validate_email(address)
        except ValidationError as error:
            raise ValidationError("电子邮件地址格式不正确") from error
    else:
        validate_webhook_url(address)


def message_from(data: dict[str, Any]) -> Message:
    return Message(**{**data, "at": datetime.fromisoformat(data["at"])})


def send(kind: str, address: str, message: Message, *, secret: str = "", keyword: str = "") -> None:
    if kind == EMAIL:
        _send_email(address, message)
    else:
        _post(kind, address, message, secret=secret, keyword=keyword)


def _send_email(address: str, message: Message) -> None:
    try:
        send_mail(message.subject, message.text, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)
    except Exception as error:  # smtplib, socket and backend errors alike
        raise SendError(f"邮件发送失败：{error}") from error


def _post(kind: str, address: str, message: Message, *, secret: str, keyword: str) -> None:
    try:
        validate_webhook_url(address)
    except ValidationError as error:
        raise SendError(f"Webhook 地址不可用：{error.messages[0]}") from error
    url, body = webhook_request(kind, address, message, secret=secret, keyword=keyword, now=time.time())
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with OPENER.open(request, timeout=settings.GOVSITE_ALERT_WEBHOOK_TIMEOUT) as response:
            raw = response.read(65536)
    except urllib.error.HTTPError as error:
        raise SendError(f"Webhook 返回 HTTP {error.code}") from error
    except (OSError, ValueError) as error:
        raise SendError(f"Webhook 无法连接：{error}") from error
    try:
        reply = json.loads(raw.decode("utf-8")) if raw.strip() else {}
    except ValueError:
        reply = {}
    if not robot_accepted(kind, reply):
        raise SendError(f"机器人拒收：{raw[:200].decode('utf-8', 'replace')}")

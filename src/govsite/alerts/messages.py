"""What an alert says, and the bodies of the group-robot webhooks: pure functions, no I/O.

Robot formats (each platform's custom-robot documentation):
- 钉钉: {"msgtype": "markdown", "markdown": {"title", "text"}}; 加签: HMAC-SHA256 of
  "<timestamp ms>\\n<secret>" keyed by the secret, Base64, URL-encoded, sent as
  &timestamp=…&sign=… on the webhook URL.
- 企业微信: {"msgtype": "markdown", "markdown": {"content"}}; no signing.
- 飞书: {"msg_type": "text", "content": {"text"}} with "timestamp" (seconds) and "sign":
  HMAC-SHA256 keyed by "<timestamp>\\n<secret>" over an empty message, Base64.
- generic: {"event", "site", "problem", "label", "title", "detail", "url", "at", "text"}.
A robot with a keyword check takes only messages containing the keyword: it leads the text.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus

EVENT_WORDS = {"alert": "告警", "reminder": "提醒", "recovery": "恢复"}


@dataclass(frozen=True)
class Message:
    event: str  # alert | reminder | recovery
    site: str  # the site's name
    address: str  # its homepage or origin
    problem: str  # the key (generic webhook only)
    label: str  # the problem's Chinese label
    title: str
    detail: str
    url: str
    at: datetime  # local time of the event

    @property
    def subject(self) -> str:
        return f"【网站监测{EVENT_WORDS[self.event]}】{self.site}：{self.label}"

    def lines(self) -> list[str]:
        when = self.at.strftime("%Y-%m-%d %H:%M")
        head = {"alert": "发生时间", "reminder": "提醒时间", "recovery": "恢复时间"}[self.event]
        lines = [f"网站：{self.site}（{self.address}）", f"问题：{self.label}", f"{head}：{when}"]
        if self.title:
            lines.append(f"情况：{self.title}")
        if self.detail:
            lines.append(f"详情：{self.detail}")
        if self.url:
            lines.append(f"证据：{self.url}")
        if self.event == "reminder":
            lines.append("该问题尚未恢复，请尽快处理。")
        if self.event == "recovery":
            lines.append("该问题已恢复。")
        return lines

    @property
    def text(self) -> str:
        return "\n".join([self.subject, *self.lines()])

    @property
    def markdown(self) -> str:
        return "\n\n".join([f"### {self.subject}", *self.lines()])


def with_keyword(text: str, keyword: str) -> str:
    return text if not keyword or keyword in text else f"【{keyword}】{text}"


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def feishu_sign(secret: str, timestamp_s: int) -> str:
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def webhook_request(
    kind: str, url: str, message: Message, *, secret: str = "", keyword: str = "", now: float
) -> tuple[str, dict[str, Any]]:
    """The URL to POST to and the JSON body, for a robot of `kind` at time `now` (epoch seconds)."""
    if kind == "dingtalk":
        body = {
            "msgtype": "markdown",
            "markdown": {"title": message.subject, "text": with_keyword(message.markdown, keyword)},
        }
        if secret:
            stamp = int(now * 1000)
            url = f"{url}{'&' if '?' in url else '?'}timestamp={stamp}&sign={dingtalk_sign(secret, stamp)}"
        return url, body
    if kind == "wecom":
        return url, {"msgtype": "markdown", "markdown": {"content": message.markdown}}
    if kind == "feishu":
        body: dict[str, Any] = {"msg_type": "text", "content": {"text": with_keyword(message.text, keyword)}}
        if secret:
            stamp = int(now)
            body = {"timestamp": str(stamp), "sign": feishu_sign(secret, stamp), **body}
        return url, body
    return url, {
        "event": message.event,
        "site": message.site,
        "address": message.address,
        "problem": message.problem,
        "label": message.label,
        "title": message.title,
        "detail": message.detail,
        "url": message.url,
        "at": message.at.isoformat(),
        "text": message.text,
    }


def robot_accepted(kind: str, reply: Any) -> bool:
    """Whether a robot's JSON reply says the message was taken (钉钉/企业微信 errcode 0, 飞书 code 0)."""
    if kind in ("dingtalk", "wecom"):
        return isinstance(reply, dict) and reply.get("errcode", 0) == 0
    if kind == "feishu":
        return isinstance(reply, dict) and reply.get("code", reply.get("StatusCode", 0)) == 0
    return True

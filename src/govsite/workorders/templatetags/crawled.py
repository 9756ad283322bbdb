"""Template filters for showing crawled data, which is hostile input.

Everything still goes through Django's auto-escaping; these filters only
decide what may become a link (http and https URLs, never javascript: or
data:) and turn a finding's detail dict into plain (label, text) rows.
Nothing here returns safe strings.
"""

from __future__ import annotations

import json
from functools import lru_cache
from urllib.parse import urlsplit

from django import template

from govsite.surveys.jobs import not_checked_message
from govsite.workorders.services import ACTION_LABELS, person

register = template.Library()

DETAIL_LABELS = {
    "status": "状态码",
    "error": "错误",
    "link_text": "链接文字",
    "linked_from": "链接所在页面数",
    "redirects": "重定向",
    "line": "行",
    "context": "上下文",
    "header": "响应头",
    "value": "取值",
    "count": "数量",
    "occurrences": "出现次数",
    "masked": "脱敏号码",
    "where": "位置",
    "limit_days": "期限（天）",
    "update_class": "栏目类别",
    "first_level": "一级栏目",
    "column": "栏目",
    "newest": "最新信息日期",
    "age_days": "距检查日（天）",
    "date": "发布日期",
    "problem": "问题",
    "final_url": "最终网址",
    "elapsed_ms": "响应时间（毫秒）",
    "version": "版本号",
    "problems": "问题",
    "not_after": "证书有效期至",
    "issuer": "签发机构",
    "names": "证书域名",
    "fetch_error": "访问错误",
    "wrong": "错误表述",
    "correct": "正确表述",
    "serious": "严重错误",
    "kind": "类别",
    "sentence": "原文",
}
# Values that are codes are shown in words (the link checker's own labels).
WHERE_LABELS = {"page": "网页正文"}
DETAIL_VALUE_MAX = 2000
HIDDEN_KEYS = {"key"}  # the finding's deduplication key, not something to read


@lru_cache(maxsize=1)
def _update_class_names() -> dict[str, str]:
    from govsite.checks.columns import load_update_classes

    return {code: cls.name for code, cls in load_update_classes().classes.items()}


def _value_text(key: str, value) -> str | None:
    """A code-like value in words, or None to show it as it is."""
    if not isinstance(value, str):
        return None
    if key == "update_class":
        return _update_class_names().get(value)
    if key in ("problem", "error"):
        from govsite.checks.links import ATTACHMENT_PROBLEMS, ERROR_LABELS

        if value.startswith("http_") and value[5:].isdigit():
            return f"HTTP {value[5:]}"
        return ATTACHMENT_PROBLEMS.get(value) or ERROR_LABELS.get(value)
    if key == "where":
        return WHERE_LABELS.get(value, f"{value.upper()} 附件" if value.isalnum() and len(value) <= 5 else None)
    return None


@register.filter
def http_href(value) -> str:
    """The URL itself when it is an absolute http(s) URL that may be linked, else '' (render it as text)."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return value.strip()


@register.filter
def detail_items(detail) -> list[tuple[str, str, str]]:
    """(code, Chinese label, text) for each non-empty field of a finding's detail."""
    if not isinstance(detail, dict):
        return []
    rows = []
    for key, value in detail.items():
        if value in (None, "", [], {}) or key in HIDDEN_KEYS:
            continue
        if isinstance(value, bool):
            text = "是" if value else "否"
        elif (words := _value_text(str(key), value)) is not None:
            text = words
        elif isinstance(value, str | int | float):
            text = str(value)
        else:
            text = json.dumps(value, ensure_ascii=False)
        if len(text) > DETAIL_VALUE_MAX:
            text = text[:DETAIL_VALUE_MAX] + "…"
        rows.append((str(key), DETAIL_LABELS.get(str(key), str(key)), text))
    return rows


@register.filter
def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


@register.filter
def who(user, empty: str = "—") -> str:
    """赵运维（zhao） for a user, `empty` for none."""
    return person(user) if user is not None else empty


@register.filter
def not_checked(job) -> str:
    """Why a finished job could not check its site, as the pages say it ("" when it could)."""
    return not_checked_message(job)

"""Template filters for showing crawled data, which is hostile input.

Everything still goes through Django's auto-escaping; these filters only
decide what may become a link (http and https URLs, never javascript: or
data:) and turn a finding's detail dict into plain (label, text) rows.
Nothing here returns safe strings.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from django import template

from govsite.workorders.services import ACTION_LABELS

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
    "key": "键",
    "count": "数量",
    "occurrences": "出现次数",
    "masked": "脱敏号码",
    "where": "位置",
    "limit_days": "期限（天）",
    "update_class": "栏目类别",
    "first_level": "一级栏目",
}
DETAIL_VALUE_MAX = 2000


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
        if value in (None, "", [], {}):
            continue
        if isinstance(value, bool):
            text = "是" if value else "否"
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

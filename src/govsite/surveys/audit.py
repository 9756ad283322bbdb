"""The one way to write the append-only audit log, and the names its pages show for what it holds.

An app that records entries registers, with `register_labels`, the Chinese
names of its actions, of the keys of its before/after states, of its object
types and of their status values (the surveys app below, govsite.workorders
from its AppConfig.ready); the audit pages read them through `action_label`,
`object_label` and `changes`. A key nobody registered shows as stored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

from govsite.surveys.models import AuditEntry, IndicatorScore, Site, Survey

_ACTIONS: dict[str, str] = {}
_FIELDS: dict[str, str] = {}
_OBJECTS: dict[str, str] = {}  # object type -> its name, "{id}" standing for the object's id
_STATUSES: dict[str, dict[str, str]] = {}  # object type -> status value -> label
_VALUES: dict[str, dict[str, str]] = {}  # state key -> value -> label, whatever the object type
DEFAULT_STATUS_TYPE = "IndicatorScore"  # whose status names an entry of an unregistered type shows
LONG_VALUE = 300
# The source address of the request being served (set by govsite.accounts' ClientAddressMiddleware);
# None outside a request (commands, jobs).
client_address: ContextVar[str | None] = ContextVar("govsite_audit_client_address", default=None)
# The account the request being served is for (same middleware): who changed a permission through a
# signal (the admin site, a page) when no view names the actor itself.
acting_user: ContextVar[Any] = ContextVar("govsite_audit_acting_user", default=None)


def record(
    user,
    action: str,
    obj,
    *,
    site: Site | None = None,
    before: Any = None,
    after: Any = None,
    reason: str = "",
    ip: str | None = None,
) -> AuditEntry:
    """Append one entry: who did `action` to `obj` (None: to no object), its state before and after
    (JSON-able), why, and from which address (default: the current request's)."""
    return AuditEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        site=site,
        before=before,
        after=after,
        reason=reason,
        ip=ip or client_address.get(),
    )


def purge_expired(now: datetime, retention_days: int, floor_days: int) -> int:
    """Delete the entries older than the retention period (never one younger than `floor_days`); returns how many.

    The only deletion the log allows: a bulk delete by age, bypassing the per-entry refusal.
    """
    days = max(retention_days, floor_days)
    expired = AuditEntry.objects.filter(at__lt=now - timedelta(days=days))
    return expired._raw_delete(expired.db)


# ---------------------------------------------------------------- labels


def register_labels(
    *,
    actions: Mapping[str, str] | None = None,
    fields: Mapping[str, str] | None = None,
    objects: Mapping[str, str] | None = None,
    statuses: Mapping[str, Mapping[str, str]] | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
) -> None:
    """Add names; registering a name again is harmless, giving a registered key another name a ValueError."""
    _merge(_ACTIONS, actions or {}, "action")
    _merge(_FIELDS, fields or {}, "field")
    _merge(_OBJECTS, objects or {}, "object type")
    for object_type, table in (statuses or {}).items():
        _merge(_STATUSES.setdefault(object_type, {}), table, f"{object_type} status")
    for key, table in (values or {}).items():
        _merge(_VALUES.setdefault(key, {}), table, f"{key} value")


def _merge(into: dict[str, str], names: Mapping[str, str], what: str) -> None:
    clashes = [key for key, name in names.items() if into.get(key, name) != name]
    if clashes:
        raise ValueError(f"audit {what} already named otherwise: {', '.join(sorted(clashes))}")
    into.update(names)


def action_label(action: str) -> str:
    return _ACTIONS.get(action, action)


def object_label(object_type: str, object_id: str) -> str:
    """The object's name (工单 #12); empty for a type nobody named."""
    return _OBJECTS.get(object_type, "").format(id=object_id)


def value_text(key: str, value, object_type: str = "") -> str:
    """One value of a before/after state as the audit pages show it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "status" and isinstance(value, str):
        table = _STATUSES.get(object_type) or _STATUSES.get(DEFAULT_STATUS_TYPE, {})
        return table.get(value, value)
    if key in _VALUES and isinstance(value, str):
        return _VALUES[key].get(value, value)
    if key == "checklist" and isinstance(value, dict):
        marks = {True: "是", False: "否", None: "未核查"}
        return "；".join(
            f"第{int(k) + 1}项：{marks.get(v, v)}" for k, v in sorted(value.items(), key=lambda kv: int(kv[0]))
        )
    if key == "results" and isinstance(value, dict):
        return f"{len(value)} 个网站的总分、档次和名次"
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= LONG_VALUE else text[:LONG_VALUE] + "…"
    return str(value)


def changes(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """(field name, before, after) of every key the entry's states hold; unchanged keys of an update left out."""
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    out = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if entry.before is not None and entry.after is not None and old == new:
            continue
        kind = entry.object_type
        out.append((_FIELDS.get(key, key), value_text(key, old, kind), value_text(key, new, kind)))
    return out


register_labels(
    actions={
        "score_save": "保存评分",
        "score_submit": "提交审核",
        "review_confirm": "审核确认",
        "review_return": "审核退回",
        "evidence_add": "添加佐证",
        "evidence_delete": "删除佐证",
        "assign": "分配评估员",
        "import_sites": "导入网站",
        "launch_scans": "启动检测",
        "publish": "发布结果",
        "unpublish": "撤销发布",
        "survey_create": "创建调查",
        "survey_update": "修改调查设置",
        "member_add": "添加成员",
        "member_remove": "移除成员",
        "site_operators": "调整运维人员",
        "job.selfcheck": "一键自查",
        "case.create": "填报创新案例",
        "case.update": "修改创新案例",
        "case.attach": "上传案例附件",
        "case.detach": "删除案例附件",
        "case.vote": "专家评分",
        "archive_purge": "清除检测存档",
    },
    fields={
        "score": "得分",
        "status": "状态",
        "adjust_reason": "调整理由",
        "checklist": "核查项",
        "note": "说明",
        "observed_at": "核查时间",
        "review_note": "审核意见",
        "assessor": "评估员",
        "url": "网址",
        "file": "文件",
        "evidence": "佐证编号",
        "results": "结果",
        "frameworks": "指标体系",
        "name": "名称",
        "year": "年度",
        "as_of": "评估基准日",
        "operators": "运维人员",
        "kind": "类型",
        "user": "用户",
        "role": "角色",
        "created": "新增",
        "updated": "更新",
        "unchanged": "未变",
        "bad_rows": "错误行号",
        "jobs": "检测任务",
        "sites": "网站",
        "category": "类别",
        "title": "标题",
        "description": "说明",
        "links": "相关链接",
        "case": "案例编号",
        "comment": "意见",
        "files": "文件数",
        "bytes": "字节数",
    },
    objects={
        "Survey": "调查",
        "Site": "网站",
        "Job": "检测任务 #{id}",
        "InnovationCase": "创新案例 #{id}",
        "CaseAttachment": "案例附件",
        "CaseVote": "专家评分",
    },
    statuses={"IndicatorScore": dict(IndicatorScore.Status.choices), "Survey": dict(Survey.Status.choices)},
)

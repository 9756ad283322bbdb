"""The administrators' security audit: the whole append-only log filtered, as a page and as CSV / XLSX."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from govsite.surveys import audit
from govsite.surveys.models import AuditEntry

COLUMNS = ["时间", "用户", "来源地址", "操作", "对象", "变更", "理由"]
EXPORT_LIMIT = 200_000
# What the action filter offers first: the security events (the others follow in label order).
SECURITY_ACTIONS = (
    "login",
    "login_failed",
    "lockout",
    "unlock",
    "logout",
    "otp_enrol",
    "otp_failed",
    "otp_remove",
    "password_change",
    "user_flags",
    "user_grants",
    "role_grant",
    "role_change",
    "role_revoke",
    "member_add",
    "member_remove",
    "report_download",
    "audit_export",
    "publish",
    "unpublish",
)


@dataclass(frozen=True)
class Filters:
    action: str = ""
    user: str = ""
    ip: str = ""
    since: date | None = None
    until: date | None = None
    q: str = ""

    @classmethod
    def from_query(cls, data) -> Filters:
        return cls(
            action=data.get("action", "").strip(),
            user=data.get("user", "").strip(),
            ip=data.get("ip", "").strip(),
            since=_day(data.get("since", "")),
            until=_day(data.get("until", "")),
            q=data.get("q", "").strip(),
        )

    def as_dict(self) -> dict[str, str]:
        out = {"action": self.action, "user": self.user, "ip": self.ip, "q": self.q}
        out["since"] = self.since.isoformat() if self.since else ""
        out["until"] = self.until.isoformat() if self.until else ""
        return {k: v for k, v in out.items() if v}


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def filtered(filters: Filters) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("user", "site")
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.user:
        # the account that acted, or the user name a login / lockout / permission entry is about
        entries = entries.filter(Q(user__username__icontains=filters.user) | Q(after__user__icontains=filters.user))
    if filters.ip:
        entries = entries.filter(ip__startswith=filters.ip)
    zone = timezone.get_current_timezone()
    if filters.since:
        entries = entries.filter(at__gte=datetime.combine(filters.since, time.min, zone))
    if filters.until:
        entries = entries.filter(at__lte=datetime.combine(filters.until, time.max, zone))
    if filters.q:
        q = filters.q
        entries = entries.filter(Q(reason__icontains=q) | Q(object_id=q) | Q(action__icontains=q))
    return entries.order_by("-at", "-id")


def action_choices() -> list[tuple[str, str]]:
    used = set(AuditEntry.objects.values_list("action", flat=True).distinct())
    first = [a for a in SECURITY_ACTIONS if a in used]
    rest = sorted((a for a in used if a not in SECURITY_ACTIONS), key=audit.action_label)
    return [(a, audit.action_label(a)) for a in first + rest]


def actor(entry: AuditEntry) -> str:
    if entry.user is not None:
        name = entry.user.get_full_name()
        return f"{name}（{entry.user.username}）" if name else entry.user.username
    return "系统"


def subject(entry: AuditEntry) -> str:
    about = entry.after.get("user") if isinstance(entry.after, dict) else None
    about = about or (entry.before.get("user") if isinstance(entry.before, dict) else None)
    what = audit.object_label(entry.object_type, entry.object_id)
    if entry.site is not None:
        what = f"{entry.site.name} · {what}" if what else entry.site.name
    if not what and about:
        what = f"账号 {about}"
    return what or (f"{entry.object_type} #{entry.object_id}" if entry.object_type else "")


def change_text(entry: AuditEntry) -> str:
    parts = []
    for label, old, new in audit.changes(entry):
        parts.append(f"{label}：{new}" if entry.before is None else f"{label}：{old} → {new}")
    return "；".join(parts)


def row(entry: AuditEntry) -> list[str]:
    at = timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S")
    action = audit.action_label(entry.action)
    return [at, actor(entry), entry.ip or "", action, subject(entry), change_text(entry), entry.reason]


def csv_bytes(entries) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese text as such."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for entry in entries[:EXPORT_LIMIT]:
        writer.writerow([_cell(v) for v in row(entry)])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _cell(value: str) -> str:
    """A cell Excel will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def xlsx_bytes(entries) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "审计日志"
    sheet.append(COLUMNS)
    for entry in entries[:EXPORT_LIMIT]:
        sheet.append([_cell(v) for v in row(entry)])
    for letter, width in zip("ABCDEFG", (20, 18, 16, 14, 28, 60, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

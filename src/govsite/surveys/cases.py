"""优秀创新案例: the bonus an expert panel's votes earn, and what an attachment may be.

Pure functions, no database and no Django, so the rule can be read and tested
on its own. The rule: a case's bonus is the mean of its experts' votes,
capped at the framework's bonus weight; a site's bonus is the sum of its
cases' bonuses, capped at the same weight (the bonus is one indicator on top
of the base total, never more than its weight). Not for storing or serving
files: views.cases does that, after `attachment_problem` says a file is fine.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from govsite.frameworks import Framework

ZERO = Decimal(0)
CENT = Decimal("0.01")

# The file types a case may carry, each with the bytes its files start with.
# Nothing a browser would run (HTML, SVG, scripts) and nothing opaque (archives).
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (b"PK\x03\x04",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    ".xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
}
MAX_ATTACHMENTS_PER_CASE = 10


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def bonus_cap(framework: Framework | None) -> Decimal:
    """The most a site's cases may earn under `framework`: its bonus weight (0 without a bonus or a framework)."""
    return framework.bonus.weight if framework and framework.bonus else ZERO


def case_bonus(votes: Iterable[Decimal], cap: Decimal) -> Decimal | None:
    """The mean of the experts' votes, capped at `cap` and rounded half-up to cents; None before any vote."""
    scores = [Decimal(v) for v in votes]
    if not scores:
        return None
    mean = sum(scores, ZERO) / len(scores)
    return _round(min(max(mean, ZERO), cap))


def site_bonus(case_bonuses: Iterable[Decimal | None], cap: Decimal) -> Decimal:
    """The site's bonus: its voted cases' bonuses added up, capped at `cap` (cases without votes count 0)."""
    total = sum((b for b in case_bonuses if b is not None), ZERO)
    return _round(min(total, cap))


def attachment_problem(name: str, size: int, head: bytes, *, max_bytes: int) -> str | None:
    """Why a file may not be attached (in Chinese), or None when it may: type by extension and first bytes, size."""
    suffix = PurePath(name).suffix.lower()
    allowed = "、".join(sorted({s.lstrip(".").upper() for s in ATTACHMENT_TYPES}))
    if suffix not in ATTACHMENT_TYPES:
        return f"不支持的文件类型“{suffix or '无扩展名'}”，仅限 {allowed}"
    if size <= 0:
        return "文件为空"
    if size > max_bytes:
        return f"文件过大（{size} 字节），上限 {max_bytes // (1024 * 1024)} MB"
    _, magic = ATTACHMENT_TYPES[suffix]
    if not any(head.startswith(m) for m in magic):
        return f"文件内容与扩展名“{suffix}”不符"
    return None


def content_type_for(name: str) -> str:
    """The Content-Type a stored attachment is served with (only known types are ever stored)."""
    entry = ATTACHMENT_TYPES.get(PurePath(name).suffix.lower())
    return entry[0] if entry else "application/octet-stream"

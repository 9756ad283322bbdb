"""The national inspection's single-veto (单项否决) verdict, as far as a scan can judge it.

《政府网站与政务新媒体检查指标》 fails a site outright when any of these holds:
  1. the site cannot be reached (site_unreachable);
  2. the homepage has not been updated for 2 weeks (stale_homepage);
  3. 5 or more 动态/要闻 columns not updated for 2 weeks, counted together with
     first-level 通知公告/政策文件 columns not updated for 6 months;
  4. 10 or more columns that should be updated are left unupdated;
  5. 5 or more empty columns (empty_column).
Other single-veto items (severe wording errors, security incidents, failing
to answer messages…) need the text checks or a person; this verdict names
only what it judged. A pure function of the findings, so a re-judged archive
gets its verdict the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from govsite.findings import Finding

DYNAMIC_COLUMNS_LIMIT = 5
STALE_COLUMNS_LIMIT = 10
EMPTY_COLUMNS_LIMIT = 5


@dataclass(frozen=True)
class Verdict:
    passed: bool
    reasons: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "passed": self.passed,
            "label": "合格" if self.passed else "单项否决",
            "reasons": list(self.reasons),
            "counts": self.counts,
        }


def inspection_verdict(findings: Iterable[Finding]) -> Verdict:
    findings = list(findings)
    by_type: dict[str, list[Finding]] = {}
    for finding in findings:
        by_type.setdefault(finding.type, []).append(finding)
    stale = by_type.get("stale_column", [])
    dynamic = [f for f in stale if f.detail.get("update_class") == "dynamic"]
    first_level_notice = [f for f in stale if f.detail.get("update_class") == "notice" and f.detail.get("first_level")]
    empty = by_type.get("empty_column", [])
    counts = {
        "stale_dynamic_columns": len(dynamic),
        "stale_first_level_notice_columns": len(first_level_notice),
        "stale_columns": len(stale),
        "empty_columns": len(empty),
    }
    reasons = []
    if by_type.get("site_unreachable"):
        reasons.append("网站无法访问")
    if by_type.get("stale_homepage"):
        reasons.append("首页栏目信息超过 2 周未更新")
    if len(dynamic) + len(first_level_notice) >= DYNAMIC_COLUMNS_LIMIT:
        reasons.append(
            f"动态、要闻类栏目超过 2 周未更新 {len(dynamic)} 个，"
            f"通知公告、政策文件类一级栏目超过 6 个月未更新 {len(first_level_notice)} 个，"
            f"合计达到 {DYNAMIC_COLUMNS_LIMIT} 个"
        )
    if len(stale) >= STALE_COLUMNS_LIMIT:
        reasons.append(f"应更新但长期未更新的栏目 {len(stale)} 个（达到 {STALE_COLUMNS_LIMIT} 个）")
    if len(empty) >= EMPTY_COLUMNS_LIMIT:
        reasons.append(f"空白栏目 {len(empty)} 个（达到 {EMPTY_COLUMNS_LIMIT} 个）")
    return Verdict(not reasons, tuple(reasons), counts)

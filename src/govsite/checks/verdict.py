"""The national inspection's single-veto (单项否决) verdict, as far as a scan can judge it.

《政府网站与政务新媒体检查指标》 fails a site outright when any of these holds:
  1. the site cannot be reached (site_unreachable): monitored for a week, 20 or
     more visits a day, the homepage still not open after 15 s in 5 % or more
     of them — one scan cannot judge that, so a scan that could not reach the
     site says "unknown" (无法判定) for this rule, never "fail"; where the site
     is monitored, `with_availability` puts the week's verdict
     (checks/availability.py) in its place;
  2. the homepage has not been updated for 2 weeks (stale_homepage);
  3. 5 or more 动态/要闻 columns not updated for 2 weeks, counted together with
     first-level 通知公告/政策文件 columns not updated for 6 months;
  4. 10 or more columns that should be updated are left unupdated;
  5. 5 or more empty columns (empty_column);
  6. a serious security incident (security_incident): a page tampered with
     (page_tampered) or a script planted (malicious_script of severity high;
     SECURITY_INCIDENT_TYPES, is_incident_candidate). A scan only
     suspects it: such a finding makes the rule `unknown` ("疑似网页篡改，待人工
     确认") until a person confirms it in the app (`detail.confirmed`), then
     the rule fails.
Other single-veto items (severe wording errors, failing
to answer messages…) need the text checks or a person; this verdict names
only what it judged.

The shape: per rule a code, a state (`pass`, `fail`, `unknown` — could not be
judged), a reason (a code and a Chinese sentence) when it is not `pass`, the
figures and the evidence (URLs of the findings behind it); overall `fail` if
any rule fails, else `unknown` if any could not be judged, else `pass`. What
the scan could see (`Coverage`) decides what it may judge: with no page
fetched nothing is judged; a crawl cut short proves a count that reached its
limit but not one below it. A pure function of the findings and the
coverage, so a re-judged archive gets its verdict the same way. A rule whose
finding types went unchecked (their detector switched off, not configured or
failed: `Coverage.unchecked`) is `unknown`, never `pass`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from govsite.findings import FINDING_TYPES, Finding

DYNAMIC_COLUMNS_LIMIT = 5
STALE_COLUMNS_LIMIT = 10
EMPTY_COLUMNS_LIMIT = 5
EVIDENCE_LIMIT = 20  # URLs kept per rule

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
STATES = (PASS, FAIL, UNKNOWN)
LABELS = {PASS: "合格", FAIL: "单项否决", UNKNOWN: "无法判定"}
RULE_NAMES = {
    "site_unreachable": "站点无法访问",
    "stale_homepage": "首页不更新",
    "stale_dynamic_columns": "动态要闻、通知公告类栏目不更新",
    "stale_columns": "应更新栏目长期未更新",
    "empty_columns": "空白栏目",
    "security_incident": "严重安全问题",
    "legacy": "单项否决",  # a verdict stored before rules had codes
}


class VerdictFormatError(ValueError):
    """A stored verdict that is not of a shape this version can read (the message says why)."""


@dataclass(frozen=True)
class Coverage:
    """What the scan could see: pages fetched, whether the homepage answered, whether the crawl ran to its end."""

    pages: int = 1
    homepage: bool = True
    complete: bool = True
    why_incomplete: str = ""  # the crawl's close reason when it was cut short
    unchecked: frozenset[str] = frozenset()  # finding types whose detector did not run


# The finding types that count as a serious security incident once a person confirms one.
SECURITY_INCIDENT_TYPES = frozenset({"page_tampered", "malicious_script"})
# A malicious_script counts only as high (a packer, a hidden foreign iframe, a redirect away): a plain
# foreign script is worth a look, not a suspected incident that leaves the whole verdict open.
INCIDENT_MIN_SEVERITY = {"malicious_script": "high"}


def is_incident_candidate(finding: Any) -> bool:
    """Whether a finding (record or row: `.type`, `.severity`) counts under security_incident."""
    if finding.type not in SECURITY_INCIDENT_TYPES:
        return False
    needed = INCIDENT_MIN_SEVERITY.get(finding.type)
    return needed is None or finding.severity == needed


RULE_TYPES = {  # the finding types each rule counts
    "site_unreachable": ("site_unreachable",),
    "stale_homepage": ("stale_homepage",),
    "stale_dynamic_columns": ("stale_column",),
    "stale_columns": ("stale_column",),
    "empty_columns": ("empty_column",),
    "security_incident": tuple(sorted(SECURITY_INCIDENT_TYPES)),
}


@dataclass(frozen=True)
class Reason:
    code: str  # English, stable: what alerts and programs match on
    text: str  # the Chinese sentence people read


@dataclass(frozen=True)
class RuleVerdict:
    code: str
    state: str
    reason: Reason | None = None
    figures: dict[str, int] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return RULE_NAMES.get(self.code, self.code)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "state": self.state,
            "label": LABELS[self.state],
            "reason": {"code": self.reason.code, "text": self.reason.text} if self.reason else None,
            "figures": dict(self.figures),
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class Verdict:
    rules: tuple[RuleVerdict, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def state(self) -> str:
        states = {rule.state for rule in self.rules}
        return FAIL if FAIL in states else UNKNOWN if UNKNOWN in states else PASS

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def failed(self) -> tuple[RuleVerdict, ...]:
        return tuple(rule for rule in self.rules if rule.state == FAIL)

    @property
    def unjudged(self) -> tuple[RuleVerdict, ...]:
        return tuple(rule for rule in self.rules if rule.state == UNKNOWN)

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "label": self.label,
            "rules": [rule.as_dict() for rule in self.rules],
            "counts": dict(self.counts),
        }


def inspection_verdict(findings: Iterable[Finding], coverage: Coverage | None = None) -> Verdict:
    coverage = coverage or Coverage()
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
    rules = (
        _availability(by_type.get("site_unreachable", []), coverage),
        _homepage(by_type.get("stale_homepage", []), coverage),
        _count_rule(
            "stale_dynamic_columns",
            dynamic + first_level_notice,
            DYNAMIC_COLUMNS_LIMIT,
            coverage,
            figures={"dynamic": len(dynamic), "first_level_notice": len(first_level_notice)},
            text=(
                f"动态、要闻类栏目超过 2 周未更新 {len(dynamic)} 个，"
                f"通知公告、政策文件类一级栏目超过 6 个月未更新 {len(first_level_notice)} 个，"
                f"合计达到 {DYNAMIC_COLUMNS_LIMIT} 个"
            ),
        ),
        _count_rule(
            "stale_columns",
            stale,
            STALE_COLUMNS_LIMIT,
            coverage,
            text=f"应更新但长期未更新的栏目 {len(stale)} 个（达到 {STALE_COLUMNS_LIMIT} 个）",
        ),
        _count_rule(
            "empty_columns",
            empty,
            EMPTY_COLUMNS_LIMIT,
            coverage,
            text=f"空白栏目 {len(empty)} 个（达到 {EMPTY_COLUMNS_LIMIT} 个）",
        ),
        security_incident(
            [f for t in sorted(SECURITY_INCIDENT_TYPES) for f in by_type.get(t, []) if is_incident_candidate(f)],
            coverage,
        ),
    )
    return Verdict(tuple(_unless_unchecked(rule, coverage) for rule in rules), counts)


PARTLY_JUDGED = frozenset({"security_incident"})  # rules that stand on the types that were checked


def _unless_unchecked(rule: RuleVerdict, coverage: Coverage) -> RuleVerdict:
    """The rule as judged, or `unknown` when the types it counts went unchecked (a failure found stands).

    security_incident is the exception while some of its types were checked: a first scan has no
    baseline to find tampering against (and never will have), so the rule stands on what was checked
    and its reason names what was not.
    """
    counted = RULE_TYPES.get(rule.code, ())
    missing = [t for t in counted if t in coverage.unchecked]
    if not missing or rule.state == FAIL:
        return rule
    names = "、".join(FINDING_TYPES[t] for t in missing)
    if rule.code in PARTLY_JUDGED and len(missing) < len(counted) and rule.state == PASS:
        checked = "、".join(FINDING_TYPES[t] for t in counted if t not in missing)
        reason = Reason("partly_checked", f"未发现{checked}；本次检测未检查“{names}”（如无上次检测作基线）")
        return RuleVerdict(rule.code, PASS, reason, rule.figures, rule.evidence)
    reason = Reason("not_checked", f"本次检测未运行检查“{names}”的检测规则，无法判定")
    return RuleVerdict(rule.code, UNKNOWN, reason, rule.figures, rule.evidence)


def _evidence(findings: list[Finding]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f.url for f in findings))[:EVIDENCE_LIMIT]


def _nothing_fetched(code: str) -> RuleVerdict:
    return RuleVerdict(code, UNKNOWN, Reason("no_pages", "本次检测未能抓取到任何页面，无法判定"))


def _availability(unreachable: list[Finding], coverage: Coverage) -> RuleVerdict:
    if not unreachable:
        return RuleVerdict("site_unreachable", PASS, figures={"failed_visits": 0})
    reason = Reason(
        "single_visit",
        "本次检测网站无法访问；“站点无法访问”须监测 1 周、每天访问 20 次以上，"
        "打不开的次数累计占比达到 5% 才单项否决，单次检测无法判定",
    )
    return RuleVerdict("site_unreachable", UNKNOWN, reason, {"failed_visits": 1}, _evidence(unreachable))


def with_availability(verdict: Verdict, week: dict[str, Any] | None) -> Verdict:
    """`verdict` with its 站点无法访问 rule judged by a week of monitoring instead of the one-scan guess.

    `week` is a site entry of availability.json (`checks.availability.judge`);
    None (the site is not monitored) leaves the verdict as it is. The rule
    takes the week's state (pass, fail, or unknown while the week is not
    complete) and its figures.
    """
    if not week or not isinstance(week.get("verdict"), dict):
        return verdict
    state = week["verdict"].get("state")
    if state not in STATES:
        return verdict
    reason = None if state == PASS else Reason(str(week["verdict"].get("code") or ""), str(week["verdict"]["reason"]))
    figures = {
        "attempts": int(week.get("attempts") or 0),
        "failures": int(week.get("failures") or 0),
        "probes_per_day": int(week["verdict"].get("probes_per_day") or 0),
        "longest_outage_seconds": int(week.get("longest_outage_seconds") or 0),
    }
    rule = RuleVerdict("site_unreachable", state, reason, figures)
    rules = tuple(rule if r.code == "site_unreachable" else r for r in verdict.rules)
    if not any(r.code == "site_unreachable" for r in verdict.rules):
        rules = (rule, *rules)
    return Verdict(rules, dict(verdict.counts))


def _homepage(stale: list[Finding], coverage: Coverage) -> RuleVerdict:
    if coverage.pages == 0:
        return _nothing_fetched("stale_homepage")
    if not coverage.homepage:
        reason = Reason("homepage_not_fetched", "首页未能抓取，无法判定首页更新情况")
        return RuleVerdict("stale_homepage", UNKNOWN, reason)
    if stale:
        return RuleVerdict(
            "stale_homepage", FAIL, Reason("homepage_stale", "首页栏目信息超过 2 周未更新"), {}, _evidence(stale)
        )
    return RuleVerdict("stale_homepage", PASS)


def _count_rule(
    code: str, found: list[Finding], limit: int, coverage: Coverage, *, text: str, figures: dict[str, int] | None = None
) -> RuleVerdict:
    figures = {**(figures or {}), "count": len(found), "limit": limit}
    if coverage.pages == 0:
        return _nothing_fetched(code)
    if len(found) >= limit:
        return RuleVerdict(code, FAIL, Reason("limit_reached", text), figures, _evidence(found))
    if not coverage.complete:
        why = f"（{coverage.why_incomplete}）" if coverage.why_incomplete else ""
        reason = Reason("crawl_incomplete", f"抓取未完成{why}，已发现 {len(found)} 个，未达 {limit} 个不能说明全站情况")
        return RuleVerdict(code, UNKNOWN, reason, figures, _evidence(found))
    return RuleVerdict(code, PASS, None, figures, _evidence(found))


def is_confirmed(finding: Finding) -> bool:
    """A person confirmed the suspected incident (the app's confirm action writes detail.confirmed)."""
    return bool(finding.detail.get("confirmed"))


def security_incident(found: list[Finding], coverage: Coverage | None = None) -> RuleVerdict:
    """Confirmed incidents fail the rule; suspected ones leave it unknown until a person looks."""
    code = "security_incident"
    if not found and coverage is not None and coverage.pages == 0:
        return _nothing_fetched(code)
    if not found:
        return RuleVerdict(code, PASS, figures={"suspected": 0, "confirmed": 0})
    confirmed = [f for f in found if is_confirmed(f)]
    figures = {"suspected": len(found) - len(confirmed), "confirmed": len(confirmed)}
    names = "、".join(dict.fromkeys(FINDING_TYPES[f.type] for f in (confirmed or found)))
    if confirmed:
        reason = Reason("incident_confirmed", f"经人工确认发生{names}（严重安全问题）")
        return RuleVerdict(code, FAIL, reason, figures, _evidence(confirmed))
    reason = Reason("incident_suspected", f"疑似{names}，待人工确认")
    return RuleVerdict(code, UNKNOWN, reason, figures, _evidence(found))


def with_rule(verdict: Verdict, rule: RuleVerdict) -> Verdict:
    """The verdict with the rule of `rule.code` replaced (added when it had none)."""
    rules = [r for r in verdict.rules if r.code != rule.code]
    return Verdict((*rules, rule), dict(verdict.counts))


# -- reading a stored verdict (Site.verdict, a scan summary) ---------------------------------------


def from_dict(data: Any) -> Verdict | None:
    """A stored verdict back as a Verdict; None for none stored. Reads this shape and the older one.

    The older shape (before states) was {"passed", "label", "reasons": [sentences], "counts"};
    its reasons come back as failed rules named "legacy".
    """
    if not data:
        return None
    if not isinstance(data, dict):
        raise VerdictFormatError(f"单项否决结论格式无法识别：{type(data).__name__}")
    if "rules" in data:
        return Verdict(tuple(_rule_from_dict(r) for r in data["rules"]), dict(data.get("counts") or {}))
    if "passed" in data:
        reasons = [str(r) for r in data.get("reasons") or []]
        rules = tuple(RuleVerdict("legacy", FAIL, Reason("legacy", r)) for r in reasons)
        if not data["passed"] and not rules:
            rules = (RuleVerdict("legacy", FAIL, Reason("legacy", str(data.get("label") or LABELS[FAIL]))),)
        return Verdict(rules, dict(data.get("counts") or {}))
    raise VerdictFormatError("单项否决结论缺少 rules（也不是旧版的 passed/reasons 格式）")


def _rule_from_dict(data: Any) -> RuleVerdict:
    if not isinstance(data, dict) or data.get("state") not in STATES or not data.get("code"):
        raise VerdictFormatError(f"单项否决结论中的规则格式无法识别：{data!r:.200}")
    reason = data.get("reason")
    return RuleVerdict(
        code=str(data["code"]),
        state=data["state"],
        reason=Reason(str(reason.get("code", "")), str(reason.get("text", ""))) if isinstance(reason, dict) else None,
        figures={str(k): v for k, v in (data.get("figures") or {}).items()},
        evidence=tuple(str(u) for u in data.get("evidence") or ()),
    )

"""Problem keys and the Chinese labels people read (never the raw key).

A problem key is "site_down", "veto:<rule code>" (checks.verdict) or
"security:<finding type>" (govsite.findings).
"""

from __future__ import annotations

from govsite.checks.verdict import RULE_NAMES
from govsite.findings import FINDING_TYPES

SITE_DOWN = "site_down"
VETO = "veto:"
SECURITY = "security:"
SECURITY_TYPES = ("page_tampered", "hidden_link", "malicious_script", "external_link_hijacked")


def veto(rule_code: str) -> str:
    return f"{VETO}{rule_code}"


def security(finding_type: str) -> str:
    return f"{SECURITY}{finding_type}"


def problem_label(problem: str) -> str:
    """The label of a problem key; a key nobody named reads as 其他问题, never as the code."""
    if problem == SITE_DOWN:
        return "网站无法访问"
    if problem.startswith(VETO):
        code = problem[len(VETO) :]
        return f"单项否决：{RULE_NAMES.get(code, '其他否决项')}"
    if problem.startswith(SECURITY):
        kind = problem[len(SECURITY) :]
        return f"安全事件：{FINDING_TYPES.get(kind, '其他安全事件')}"
    return "其他问题"

"""The public catalogue of finding types (docs/findings.md describes it and its principles).

A finding is a problem a check reports. Its `type` is one of these codes,
which are stable: new types may be added, an existing code never changes
meaning. Frameworks refer to these codes to say which findings feed an
indicator; detectors (govsite.checks) emit `Finding` records.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# code -> Chinese label shown to users
FINDING_TYPES: dict[str, str] = {
    "site_unreachable": "网站无法访问",
    "broken_link": "链接不可用",
    "broken_external_link": "外部链接不可用",
    "broken_download": "下载不可用",
    "soft_404": "错误页面",
    "slow_page": "响应过慢",
    "stale_homepage": "首页更新不及时",
    "stale_column": "栏目更新不及时",
    "empty_column": "空白栏目",
    "typo": "错别字",
    "sensitive_expression": "严重表述错误",
    "future_date": "发布日期错误",
    "old_news": "超期信息",
    "privacy_id_number": "身份证号泄露",
    "privacy_phone": "手机号泄露",
    "privacy_bank_card": "银行卡号泄露",
    "missing_site_code": "缺少网站标识码",
    "missing_icp": "缺少ICP备案号",
    "missing_police_record": "缺少公安机关备案号",
    "missing_conac_mark": "缺少党政机关标识",
    "missing_sponsor": "缺少主办单位/联系方式",
    "missing_sitemap": "缺少网站地图",
    "missing_privacy_policy": "缺少隐私声明",
    "missing_accessibility": "缺少无障碍/适老化入口",
    "no_https": "未启用HTTPS",
    "tls_invalid": "证书无效",
    "missing_security_header": "安全响应头缺失",
    "server_banner": "泄露服务器版本",
    "no_ipv6": "不支持IPv6",
    "no_mobile_viewport": "未适配移动端",
    "page_tampered": "网页篡改",
    "external_link_hijacked": "外链变异",
}

SEVERITIES = ("high", "medium", "low")


@dataclass(frozen=True)
class Finding:
    """One problem a check reports, with the evidence that proves it (docs/findings.md, "The record").

    `url` is the page or resource at fault; `page` is where it was found when
    that differs (the page holding a broken link). Site-level types carry the
    site's homepage URL as `url`. `evidence` is the exact text, status code or
    header; it must never hold an unmasked personal number.
    """

    type: str
    url: str
    site: str
    severity: str
    evidence: str
    page: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    found_at: str = ""

    def __post_init__(self) -> None:
        if self.type not in FINDING_TYPES:
            raise ValueError(f"unknown finding type {self.type!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    @property
    def label(self) -> str:
        return FINDING_TYPES[self.type]

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes two findings the same problem (for dedup, history and re-checks)."""
        return (self.type, self.url, str(self.detail.get("key", "")))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if data["page"] is None:
            del data["page"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})

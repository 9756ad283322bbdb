"""The public catalogue of finding types (DESIGN.md, "Finding types").

A finding is a problem a check reports. Its `type` is one of these codes,
which are stable: new types may be added, an existing code never changes
meaning. Frameworks refer to these codes to say which findings feed an
indicator. The Finding record itself arrives with the monitoring pipeline.
"""

from __future__ import annotations

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
}

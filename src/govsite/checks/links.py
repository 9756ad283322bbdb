"""Availability: the site, its links, its downloads, error pages and slow pages.

Emits:
  site_unreachable      the homepage gives no usable page: no answer, an HTTP
                        error, a file instead of a page, or a redirect off-site
  broken_link           an in-site link fails: 404/410/5xx, refused, timeout,
                        DNS, TLS or a redirect loop
  broken_external_link  the same for a link to another site (checked, not crawled)
  broken_download       an attachment link fails, or answers with an empty file,
                        a web page instead of the file, or a corrupt file
  soft_404              a page answers 200 but says it does not exist
  slow_page             an in-site page took longer than `slow_ms` to answer
Rule (检查指标 "链接不可用/下载不可用"): one finding per failing URL, with the
first page that links to it as `page` and the number of linking pages in
detail. 401/403/429 mean "refused us", not "gone", and are not reported;
fetches we refused ourselves (robots.txt, loopback-only) are not either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from govsite.checks.base import SiteCrawl, detector
from govsite.crawl.policy import same_site
from govsite.crawl.records import FetchRecord
from govsite.findings import Finding

NOT_BROKEN_STATUSES = {401, 403, 429}
NOT_BROKEN_ERRORS = {"blocked", "too_large"}
ERROR_LABELS = {
    "timeout": "请求超时",
    "dns": "域名无法解析",
    "refused": "连接被拒绝或中断",
    "tls": "TLS/证书握手失败",
    "redirect_loop": "重定向循环",
    "error": "请求失败",
}
ATTACHMENT_PROBLEMS = {
    "empty": "文件为空（0 字节）",
    "html_instead": "返回的是网页而不是文件",
    "corrupt": "文件已损坏或格式与扩展名不符",
}
SOFT_404 = re.compile(
    r"(页面|网页|文章|信息|内容|资源|文件)(不存在|已删除|未找到|找不到|无法找到|已被删除|已过期)"
    r"|找不到(该|此|您要的|您访问的)?(页面|网页)|404\s*(not\s*found|错误|页面)|page\s+not\s+found|访问的页面不存在",
    re.I,
)
SOFT_404_MAX_TEXT = 3000  # an article that mentions "页面不存在" is not an error page


def failure(fetch: FetchRecord) -> str:
    """Why a fetch counts as failed ('' when it does not), in Chinese, with the status or error."""
    if fetch.error:
        if fetch.error in NOT_BROKEN_ERRORS:
            return ""
        label = ERROR_LABELS.get(fetch.error, fetch.error)
        return f"{label}（{fetch.error_detail[:200]}）" if fetch.error_detail else label
    if fetch.status is None:
        return ""
    if fetch.status >= 400 and fetch.status not in NOT_BROKEN_STATUSES:
        return f"HTTP {fetch.status}"
    return ""


def _referral(crawl: SiteCrawl, fetch: FetchRecord) -> dict:
    pages = crawl.referrers.get(fetch.url, [])
    first_page = pages[0][0] if pages else fetch.referrer
    text = pages[0][1] if pages else ""
    return {
        "page": first_page or None,
        "link_text": text,
        "linked_from": len(pages) or (1 if fetch.referrer else 0),
    }


def _link_finding(crawl: SiteCrawl, type_: str, fetch: FetchRecord, reason: str, severity: str) -> Finding:
    ref = _referral(crawl, fetch)
    detail = {
        "status": fetch.status,
        "error": fetch.error,
        "link_text": ref["link_text"],
        "linked_from": ref["linked_from"],
        "redirects": fetch.redirects,
    }
    return crawl.finding(type_, fetch.url, severity, reason, page=ref["page"], detail=detail)


@detector("site_unreachable", "site_unreachable")
def site_unreachable(crawl: SiteCrawl) -> Iterator[Finding]:
    """The homepage must answer with a web page of the site."""
    fetch = crawl.fetches.get(crawl.site)
    if fetch is None:
        yield crawl.finding("site_unreachable", crawl.site, "high", "首页没有被抓取（扫描被中断或被 robots.txt 禁止）")
        return
    reason = failure(fetch) or _homepage_problem(crawl, fetch)
    if fetch.error in NOT_BROKEN_ERRORS or fetch.status in NOT_BROKEN_STATUSES:
        reason = f"首页无法获取：{fetch.error or 'HTTP ' + str(fetch.status)}"
    if reason:
        detail = {"status": fetch.status, "error": fetch.error, "final_url": fetch.final_url}
        yield crawl.finding("site_unreachable", crawl.site, "high", reason, detail=detail)


def _homepage_problem(crawl: SiteCrawl, fetch: FetchRecord) -> str:
    if fetch.kind == "external" or (fetch.final_url and not same_site(crawl.site, fetch.final_url)):
        return f"首页跳转到站外：{fetch.final_url}"
    if crawl.homepage is None:
        return f"首页返回的不是网页（Content-Type: {fetch.content_type or '未知'}）"
    return ""


@detector("broken_links", "broken_link", "broken_external_link")
def broken_links(crawl: SiteCrawl) -> Iterator[Finding]:
    """In-site and external links that fail."""
    for fetch in crawl.fetches.values():
        if fetch.url == crawl.site or fetch.kind not in ("page", "external"):
            continue
        reason = failure(fetch)
        if not reason:
            continue
        if fetch.kind == "page":
            yield _link_finding(crawl, "broken_link", fetch, reason, "high")
        else:
            yield _link_finding(crawl, "broken_external_link", fetch, reason, "medium")


@detector("broken_downloads", "broken_download")
def broken_downloads(crawl: SiteCrawl) -> Iterator[Finding]:
    """Attachments that cannot be downloaded or are not usable files."""
    for fetch in crawl.fetches.values():
        if fetch.kind != "attachment":
            continue
        reason = failure(fetch) or ATTACHMENT_PROBLEMS.get(fetch.attachment_problem, "")
        if reason:
            finding = _link_finding(crawl, "broken_download", fetch, reason, "high")
            finding.detail["problem"] = fetch.attachment_problem or fetch.error or f"http_{fetch.status}"
            yield finding


@detector("soft_404", "soft_404")
def soft_404(crawl: SiteCrawl) -> Iterator[Finding]:
    """Pages that answer 200 but tell the reader the page does not exist."""
    for page in crawl.pages.values():
        if page.status != 200 or page.url == crawl.site or page.is_list_page:
            continue
        if len(page.text) > SOFT_404_MAX_TEXT:
            continue
        match = SOFT_404.search(page.title) or SOFT_404.search(page.text)
        if match:
            fetch = crawl.fetches.get(page.url) or FetchRecord(page.url, "page", status=200, referrer=page.referrer)
            evidence = f"HTTP 200，页面内容：“{match.group(0)}”（标题：{page.title[:80]}）"
            yield _link_finding(crawl, "soft_404", fetch, evidence, "high")


@detector("slow_pages", "slow_page")
def slow_pages(crawl: SiteCrawl) -> Iterator[Finding]:
    """In-site pages slower than the response-time limit."""
    limit = crawl.config.slow_ms
    for fetch in crawl.fetches.values():
        if fetch.kind == "page" and fetch.status and fetch.elapsed_ms > limit:
            evidence = f"响应时间 {fetch.elapsed_ms / 1000:.1f} 秒（限值 {limit / 1000:.1f} 秒）"
            yield crawl.finding(
                "slow_page",
                fetch.url,
                "medium",
                evidence,
                page=fetch.referrer or None,
                detail={"elapsed_ms": fetch.elapsed_ms},
            )

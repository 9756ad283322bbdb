"""Security events in page markup: hidden links (暗链), injected scripts (挂马), mixed content.

Reads the hints the crawl records on each page (`PageRecord.hidden_links`,
`scripts`, `iframes`, `meta_refresh`, `insecure_resources`, made by
`govsite/crawl/pagesecurity.py`); never the network.

- ``hidden_link`` (暗链): an off-site link a visitor cannot see. With a
  match of the bad-content lists (`bad_content.yaml`: gambling, porn,
  fake_invoice, illicit; keywords in the link text or URL, domains by host)
  it is high. Without a match it is reported low only when the hiding is an
  injection shape (off-screen position, zero size, font-size 0, text-indent,
  same colour as the background, tiny marquee, or written by a script) and
  the target is no government site; links merely toggled by
  display:none / visibility:hidden / the hidden attribute (drop-down menus,
  a folded 友情链接 list) say nothing without a bad-content match. Skip links
  and accessibility helpers point into the site and are never recorded.
- ``malicious_script`` (挂马): on one page, high for an eval packer or a
  long String.fromCharCode / \\x.. chain or eval(unescape(…)), a hidden or
  zero-size iframe from a foreign host, a redirect by script or by meta
  refresh to a foreign host; medium for a plain script or visible iframe
  from a foreign host that is not allow-listed (reported once, on the first
  page that loads it). Foreign: not the site's own registrable domain
  (www.zj.gov.cn and zj.gov.cn are one; for an IP address, the same host and
  port), and not in `script_allow.yaml` (conac, kaipuyun, 无障碍 services,
  statistics …) nor the user's additions. The 党政机关 mark's script is also
  recognised by the shape of its path (/js/33/000/0000/60429971/CA….js).
  A confirmed finding counts under the single-veto rule for serious
  security incidents (docs/findings.md).
- ``mixed_content`` (混合内容): an https page that loads http:// resources;
  medium when one is active (script, stylesheet, iframe, embed/object), else
  low (images, media).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from govsite.checks.badcontent import load_bad_content
from govsite.checks.base import NotConfigured, SiteCrawl, detector
from govsite.crawl.records import PageRecord
from govsite.findings import Finding
from govsite.sites.origin import registrable

ALLOW_FILE = Path(__file__).with_name("script_allow.yaml")
ALLOW_ENV = "GOVSITE_SCRIPT_ALLOW"
TOGGLE_SHAPES = ("display:none", "visibility:hidden", "hidden属性")
CONAC_SCRIPT_PATH = re.compile(r"/js/\d{2}/\d{3}/\d{4}/\d{8}/CA\d{10,}\.js$")
HIGH_SCRIPT_KINDS = {
    "packer": "eval 加壳混淆代码",
    "charcode": "String.fromCharCode 长串混淆代码",
    "hex": "\\x 十六进制长串混淆代码",
    "eval_decode": "eval 执行解码后的代码",
}
EVIDENCE_LIMIT = 600
MAX_ITEMS = 10


# --- lists ----------------------------------------------------------------------------------------


def _read_yaml(path: str | Path) -> Any:
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise NotConfigured(f"无法读取名单文件 {path}：{exc}") from exc


@lru_cache(maxsize=16)
def load_allow(extra: tuple[str, ...] = (), files: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Allow-list entries (hosts, or host/path prefixes), lower case: bundled + files + extra."""
    entries: list[str] = []
    for path in (ALLOW_FILE, *files):
        data = _read_yaml(path)
        items = data.get("hosts", []) if isinstance(data, dict) else data
        entries.extend(str(item).lower() for item in items or [])
    entries.extend(e.lower() for e in extra)
    return tuple(dict.fromkeys(e.strip() for e in entries if e.strip()))


def allowed(url: str, allow: tuple[str, ...]) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    where = (parts.netloc.lower() + parts.path).lower()
    if CONAC_SCRIPT_PATH.search(parts.path):
        return True
    for entry in allow:
        if "/" in entry:
            if where.startswith(entry):
                return True
        elif host == entry or host.endswith("." + entry):
            return True
    return False


# --- whose site ------------------------------------------------------------------------------------


def own_sites(crawl: SiteCrawl) -> set[str]:
    own = {registrable(crawl.site)}
    fetch = crawl.fetches.get(crawl.site)
    if fetch is not None and fetch.final_url:
        own.add(registrable(fetch.final_url))
    return own


def _government(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host.endswith(".gov.cn") or host == "gov.cn"


def _bounded(text: str, limit: int = EVIDENCE_LIMIT) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pages(crawl: SiteCrawl) -> list[PageRecord]:
    """The site's pages, the homepage first, each once."""
    home = crawl.homepage
    pages = [home] if home is not None else []
    seen = {id(home)}
    for page in crawl.pages.values():
        if id(page) not in seen:
            seen.add(id(page))
            pages.append(page)
    return pages


# --- hidden_link ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HiddenLinkOptions:
    bad_content_file: str = ""  # a YAML file shaped like bad_content.yaml, merged on top
    report_unmatched: bool = True  # injection-shaped hidden links without a list match, as low


@detector("hidden_links", "hidden_link", options=HiddenLinkOptions, label="暗链（隐藏的站外链接）")
def check_hidden_links(crawl: SiteCrawl, options: HiddenLinkOptions) -> Iterable[Finding]:
    """Off-site links hidden from visitors, above all to gambling, porn and fake-invoice sites."""
    lists = load_bad_content(options.bad_content_file)
    own = own_sites(crawl)
    findings: list[Finding] = []
    for page in _pages(crawl):
        items = []
        for link in page.hidden_links:
            url = link.get("url", "")
            if registrable(url) in own:
                continue
            host = urlsplit(url).hostname or ""
            hit = lists.match(link.get("text", ""), url, host=host)
            how = link.get("how", "")
            if hit is None:
                toggled = not how.startswith("script:") and any(shape in how for shape in TOGGLE_SHAPES)
                if not options.report_unmatched or toggled or _government(url):
                    continue
            items.append((hit, link))
        if not items:
            continue
        severity = "high" if any(hit for hit, _ in items) else "low"
        parts = []
        for hit, link in items[:MAX_ITEMS]:
            label = f"（{hit.label}：{hit.text}）" if hit else ""
            parts.append(f"{link.get('text') or '无文字'} → {link.get('url')}{label}，隐藏方式 {link.get('how')}")
        evidence = f"页面含 {len(items)} 个访客看不到的站外链接：" + "；".join(parts)
        evidence += f"；代码：{items[0][1].get('snippet', '')}"
        detail = {
            "key": "hidden_link",
            "links": [
                {
                    "url": link.get("url"),
                    "text": link.get("text"),
                    "how": link.get("how"),
                    "category": hit.category if hit else "",
                }
                for hit, link in items[:MAX_ITEMS]
            ],
            "matched": bool(severity == "high"),
        }
        findings.append(crawl.finding("hidden_link", page.url, severity, _bounded(evidence), detail=detail))
    return findings


# --- malicious_script ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScriptOptions:
    allow: tuple[str, ...] = ()  # more allowed hosts or host/path prefixes
    allow_file: str = ""  # a YAML list (or {hosts: [...]}) of more entries


def _allow_list(options: ScriptOptions) -> tuple[str, ...]:
    files = [options.allow_file] if options.allow_file else []
    files += [f for f in os.environ.get(ALLOW_ENV, "").split(os.pathsep) if f]
    return load_allow(tuple(options.allow), tuple(files))


@detector("malicious_scripts", "malicious_script", options=ScriptOptions, label="挂马（恶意脚本、隐藏框架、跳转）")
def check_scripts(crawl: SiteCrawl, options: ScriptOptions) -> Iterable[Finding]:
    """Obfuscated code, hidden iframes, redirects to other sites, scripts from unknown hosts."""
    allow = _allow_list(options)
    own = own_sites(crawl)

    def foreign(url: str) -> bool:
        return bool(url) and registrable(url) not in own and not allowed(url, allow)

    findings: list[Finding] = []
    reported_hosts: set[str] = set()
    for page in _pages(crawl):
        high: list[str] = []
        medium: list[str] = []
        for script in page.scripts:
            kind, url, code = script.get("kind", ""), script.get("url", ""), script.get("snippet", "")
            if kind in HIGH_SCRIPT_KINDS:
                high.append(f"{HIGH_SCRIPT_KINDS[kind]}：{code}")
            elif kind == "redirect" and foreign(url) and not _government(url):
                high.append(f"脚本跳转到站外 {url}：{code}")
            elif kind in ("src", "written") and foreign(url):
                host = registrable(url)
                if host not in reported_hosts:
                    reported_hosts.add(host)
                    how = "脚本写入的" if kind == "written" else ""
                    medium.append(f"引用站外未知来源的{how}脚本 {url}：{code}")
        for frame in page.iframes:
            url = frame.get("url", "")
            if not foreign(url):
                continue
            if frame.get("hidden"):
                high.append(f"隐藏的站外框架（{frame['hidden']}）{url}：{frame.get('snippet', '')}")
            elif registrable(url) not in reported_hosts:
                reported_hosts.add(registrable(url))
                medium.append(f"嵌入站外未知来源的框架 {url}：{frame.get('snippet', '')}")
        if page.meta_refresh and foreign(page.meta_refresh) and not _government(page.meta_refresh):
            high.append(f"meta refresh 跳转到站外 {page.meta_refresh}")
        if not (high or medium):
            continue
        severity = "high" if high else "medium"
        items = (high + medium)[:MAX_ITEMS]
        detail = {"key": "malicious_script", "items": [_bounded(i, 300) for i in items], "confirmed": False}
        findings.append(
            crawl.finding("malicious_script", page.url, severity, _bounded("；".join(items)), detail=detail)
        )
    return findings


# --- mixed_content -----------------------------------------------------------------------------------------


@detector("mixed_content", "mixed_content", label="混合内容（https 页面加载 http 资源）")
def check_mixed_content(crawl: SiteCrawl) -> Iterable[Finding]:
    """An https page that loads scripts, styles, frames (active) or images (passive) over http."""
    findings: list[Finding] = []
    for page in _pages(crawl):
        resources = page.insecure_resources
        if not resources or urlsplit(page.url).scheme != "https":
            continue
        active = [r for r in resources if r.get("active")]
        severity = "medium" if active else "low"
        shown = (active + [r for r in resources if not r.get("active")])[:MAX_ITEMS]
        parts = [f"<{r.get('tag')}> {r.get('url')}" for r in shown]
        kind = "主动内容（脚本/样式/框架）" if active else "被动内容（图片/媒体）"
        evidence = f"https 页面以 http 加载{len(resources)}个资源，含{kind}：" + "；".join(parts)
        detail = {"key": "mixed_content", "active": bool(active), "resources": shown}
        findings.append(crawl.finding("mixed_content", page.url, severity, _bounded(evidence), detail=detail))
    return findings

"""IPv6 support: the `ipv6` probe's report (``ipv6.json``) judged into ``no_ipv6`` and a support degree.

Reads only the report the probe `govsite/probes/ipv6.py` wrote after the
crawl (``SiteCrawl.ipv6_report``); nothing here touches the network. The four
parts are the national IPv6 assessment's (国家IPv6发展监测平台, 政府网站IPv6
支持度): 域名 AAAA 记录, 首页 IPv6 可访问, 首页 IPv4/IPv6 内容一致, 二级和三级
链接 IPv6 可访问比例.

The support degree (`support_degree`, 0–100, in the finding's detail and
the site summary's ``ipv6``) is govsite's own weighting of those parts (the
platform's published scores do not give theirs):

- AAAA record: 20 points;
- homepage answering over IPv6 (2xx or 3xx): 30 points;
- content consistent (same title, visible-text similarity at least
  `Ipv6Options.min_similarity`): 20 points; given when there is nothing to
  compare against (no A record, or the homepage failing over IPv4 — not an
  IPv6 problem), none when the homepage fails over IPv6;
- second- and third-level links: 30 × the share of the sample answering
  over IPv6; with no such page sampled, the homepage part decides (30 or 0).

Without an AAAA record nothing can be reached over IPv6: the degree is 0.
``no_ipv6`` (one finding per site, ``detail.failed`` naming the parts) is
emitted when any part fails; the links part fails below
`Ipv6Options.min_link_share` (govsite's default 90%).

A report whose outcome is ``unknown`` (this machine has no IPv6 route, DNS
did not answer, the site is addressed by IP) and a missing report (the probe
was refused, or an archive from before the probe existed) are "not checked":
the detector raises `NotChecked` with the reason (skipped, ``no_ipv6``
unchecked, not an error), never ``no_ipv6``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from govsite.checks.base import NotChecked, SiteCrawl, detector
from govsite.findings import Finding

SEVERITY = "medium"
WEIGHTS = {"aaaa": 20, "homepage": 30, "content": 20, "links": 30}
LABELS = {  # the evidence for a failed part
    "aaaa": "无AAAA记录",
    "homepage": "首页IPv6不可访问",
    "content": "IPv4与IPv6内容不一致",
    "links": "二三级链接IPv6可访问比例",
}
MAX_LISTED_LINKS = 10


@dataclass(frozen=True)
class Ipv6Options:
    min_similarity: float = 0.9  # visible-text similarity (shingle Jaccard) for "the same content"
    min_link_share: float = 0.9  # the share of sampled links that must answer over IPv6


@dataclass(frozen=True)
class Ipv6Degree:
    """The four parts judged, and the support degree they give."""

    score: int  # 0–100
    failed: tuple[str, ...]  # keys of WEIGHTS, in that order
    points: Mapping[str, float]
    links_checked: int
    links_reachable: int
    by_level: Mapping[str, tuple[int, int]]  # "2" / "3" (二级/三级) -> (reachable, checked)
    similarity: float | None

    @property
    def link_share(self) -> float | None:
        return self.links_reachable / self.links_checked if self.links_checked else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "failed": list(self.failed),
            "points": dict(self.points),
            "links_checked": self.links_checked,
            "links_reachable": self.links_reachable,
            "link_share": None if self.link_share is None else round(self.link_share, 3),
            "by_level": {level: list(pair) for level, pair in self.by_level.items()},
            "similarity": self.similarity,
        }


def measured(report: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """The report when the probe measured the site; NotChecked (with the reason) when not."""
    if not report:
        raise NotChecked("没有 IPv6 探测报告（ipv6.json），未检测 IPv6 支持度")
    if report.get("outcome") != "measured":
        raise NotChecked(f"IPv6 探测未能进行：{report.get('reason') or '原因不明'}")
    return report


def support_degree(report: Mapping[str, Any], options: Ipv6Options | None = None) -> Ipv6Degree:
    """The parts and the 0–100 degree of a measured report (see the module's docstring)."""
    options = options or Ipv6Options()
    links = [link for link in report.get("links") or [] if isinstance(link, Mapping)]
    reachable = [link for link in links if _ok(link)]
    by_level = {
        str(depth + 1): (sum(1 for link in reachable if link.get("depth") == depth), level)
        for depth in (1, 2)
        if (level := sum(1 for link in links if link.get("depth") == depth))
    }
    content = report.get("content")
    similarity = float(content["similarity"]) if isinstance(content, Mapping) else None
    values = _part_values(report, options, len(links), len(reachable), content)
    failed = tuple(key for key in WEIGHTS if key in values and values[key] < _pass_mark(key, options))
    points = {key: round(WEIGHTS[key] * values.get(key, 0.0), 1) for key in WEIGHTS}
    score = round(sum(points.values())) if report.get("aaaa") else 0
    return Ipv6Degree(score, failed, points, len(links), len(reachable), by_level, similarity)


def _part_values(
    report: Mapping[str, Any], options: Ipv6Options, checked: int, reachable: int, content: Any
) -> dict[str, float]:
    """Each part's value in [0, 1]; without AAAA only the AAAA part is judged (the rest cannot be)."""
    if not report.get("aaaa"):
        return {"aaaa": 0.0}
    home = _ok(report.get("homepage_v6"))
    if isinstance(content, Mapping):
        same_title = (content.get("title_v6") or "") == (content.get("title_v4") or "")
        consistent = 1.0 if same_title and float(content.get("similarity") or 0) >= options.min_similarity else 0.0
    else:  # nothing to compare against: no A record, or the homepage fails over IPv4
        consistent = 1.0
    values = {"aaaa": 1.0, "homepage": 1.0 if home else 0.0, "links": reachable / checked if checked else float(home)}
    if home:  # with the homepage unreachable the content part earns nothing, and is not named a failure
        values["content"] = consistent
    return values


def _pass_mark(key: str, options: Ipv6Options) -> float:
    return options.min_link_share if key == "links" else 1.0


def _ok(answer: Any) -> bool:
    status = answer.get("status") if isinstance(answer, Mapping) else None
    return isinstance(status, int) and 200 <= status < 400


@detector("ipv6", "no_ipv6", options=Ipv6Options, label="IPv6 支持度（AAAA、首页、内容一致、二三级链接）")
def check_ipv6(crawl: SiteCrawl, options: Ipv6Options) -> Iterable[Finding]:
    """The site's IPv6 support degree from the ipv6 probe's report; `no_ipv6` when a part fails."""
    report = measured(crawl.ipv6_report)
    degree = support_degree(report, options)
    if not degree.failed:
        return []
    return [
        crawl.finding(
            "no_ipv6",
            crawl.site,
            SEVERITY,
            evidence(report, degree),
            detail={"key": "ipv6", **degree.as_dict(), "unreachable_links": _unreachable(report)},
        )
    ]


def evidence(report: Mapping[str, Any], degree: Ipv6Degree) -> str:
    """The failed parts in Chinese, then the degree: "首页IPv6不可访问；…；IPv6支持度 35 分"."""
    parts = []
    for key in degree.failed:
        if key == "aaaa":
            parts.append(f"{LABELS['aaaa']}（{report.get('host')}），无法通过 IPv6 访问")
        elif key == "homepage":
            home = report.get("homepage_v6") or {}
            why = home.get("error") or f"HTTP {home.get('status')}"
            parts.append(f"{LABELS['homepage']}（{home.get('address', '')}：{why}）")
        elif key == "content":
            content = report.get("content") or {}
            parts.append(f"{LABELS['content']}（正文相似度 {round(100 * float(content.get('similarity') or 0))}%）")
        elif key == "links" and degree.link_share is not None:
            share = round(100 * degree.link_share)
            parts.append(f"{LABELS['links']} {share}%（{degree.links_reachable}/{degree.links_checked}）")
    parts.append(f"IPv6支持度 {degree.score} 分")
    return "；".join(parts)


def _unreachable(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    failures = [link for link in report.get("links") or [] if isinstance(link, Mapping) and not _ok(link)]
    return [
        {"url": link.get("url"), "depth": link.get("depth"), "error": link.get("error") or f"HTTP {link.get('status')}"}
        for link in failures[:MAX_LISTED_LINKS]
    ]


def summary_degree(report: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The site summary's ``ipv6``: the degree of a measured report, or why it was not measured."""
    try:
        return support_degree(measured(report)).as_dict()
    except NotChecked as exc:
        return {"score": None, "reason": str(exc)}

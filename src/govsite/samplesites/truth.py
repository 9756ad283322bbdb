"""The ground truth of a generated site (`truth.json`) and the single-veto verdict.

A `Truth` lists every seeded problem as one `TruthFinding` per unit of its
type (see docs/findings.md's catalogue and `generate` for the units), plus what
detectors need to be judged fairly: the columns with their update class and
newest date, sample page titles (to check decoding), decoys that must NOT be
reported, bounds (spider trap, oversized page) that are not findings, what
robots.txt hides, and the national inspection's single-veto verdict.

Paths, not URLs: a truth entry names a URL path on the site's own server
("/col/col1229000001/index.html"), or "external:" + a path on the external
server. `Truth.expected(site_url, external_url)` turns them into the
absolute URLs a scan of a running server reports.

Not for: generating sites or scoring detectors (a benchmark does that with
`expected`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from govsite.samplesites.spec import (
    UPDATE_LIMITS,
    VETO_EMPTY_COLUMNS,
    VETO_STALE_DYNAMIC_NOTICE,
    VETO_STALE_SHOULD_UPDATE,
)

EXTERNAL_PREFIX = "external:"
TRUTH_FILE = "truth.json"
# Types this truth does not judge: findings of these types are neither hits nor false alarms.
UNJUDGED_TYPES = ("typo", "sensitive_expression", "no_ipv6", "tls_invalid")


@dataclass
class TruthFinding:
    type: str
    path: str  # URL path of the faulty resource, or "external:" + path on the external server
    page: str | None = None  # where the resource is linked, when that differs
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if data["page"] is None:
            del data["page"]
        return data


@dataclass
class TruthColumn:
    path: str  # first list page
    name: str
    update_class: str
    newest: str | None  # newest item date not after as_of, YYYY-MM-DD; None when empty or undated
    items: int
    limit_days: int | None = None
    list_pages: list[str] = field(default_factory=list)
    stale: bool = False
    empty: bool = False
    dated: bool = True  # False: items carry no date
    level: int = 1


@dataclass
class Truth:
    site: str
    layout: str
    encoding: str
    as_of: str
    slug: str = ""
    homepage: str = "/"
    findings: list[TruthFinding] = field(default_factory=list)
    columns: list[TruthColumn] = field(default_factory=list)
    pages: list[dict[str, Any]] = field(default_factory=list)
    verdict: dict[str, Any] = field(default_factory=dict)
    decoys: list[dict[str, Any]] = field(default_factory=list)
    bounds: list[dict[str, Any]] = field(default_factory=list)
    robots: dict[str, Any] = field(default_factory=dict)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    homepage_newest: str | None = None
    url_count: int = 0
    script_links: dict[str, list[str]] = field(default_factory=dict)  # list page -> pages only its script reaches
    unjudged_types: list[str] = field(default_factory=lambda: list(UNJUDGED_TYPES))

    # -- access -------------------------------------------------------------

    def of_type(self, finding_type: str) -> list[TruthFinding]:
        return [f for f in self.findings if f.type == finding_type]

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.type] = counts.get(finding.type, 0) + 1
        return dict(sorted(counts.items()))

    def column(self, path: str) -> TruthColumn:
        for column in self.columns:
            if column.path == path:
                return column
        raise KeyError(path)

    def expected(self, site_url: str, external_url: str) -> list[dict[str, Any]]:
        """The findings as a scan of the running servers reports them: absolute `url` and `page`."""
        return [
            {
                "type": f.type,
                "url": absolute(f.path, site_url, external_url),
                **({"page": absolute(f.page, site_url, external_url)} if f.page else {}),
                "detail": f.detail,
            }
            for f in self.findings
        ]

    # -- serialisation --------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["findings"] = [f.to_dict() for f in self.findings]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Truth:
        known = set(cls.__dataclass_fields__)
        values = {k: v for k, v in data.items() if k in known}
        values["findings"] = [TruthFinding(**f) for f in data.get("findings", [])]
        values["columns"] = [TruthColumn(**c) for c in data.get("columns", [])]
        return cls(**values)

    def save(self, path: Path) -> Path:
        path = Path(path)
        if path.is_dir():
            path = path / TRUTH_FILE
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: Path) -> Truth:
        path = Path(path)
        if path.is_dir():
            path = path / TRUTH_FILE
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))


def absolute(path: str, site_url: str, external_url: str) -> str:
    if path.startswith(EXTERNAL_PREFIX):
        return external_url.rstrip("/") + path[len(EXTERNAL_PREFIX) :]
    return site_url.rstrip("/") + path


def column_is_stale(update_class: str, newest: date | None, dated: bool, as_of: date) -> bool:
    """A column with a limit is stale when undated or its newest item is more than `limit` days old."""
    limit = UPDATE_LIMITS[update_class]
    if limit is None:
        return False
    if not dated or newest is None:
        return True
    return (as_of - newest).days > limit


def compute_verdict(columns: list[TruthColumn], homepage_stale: bool, reachable: bool = True) -> dict[str, Any]:
    """The single-veto (单项否决) outcome of the national inspection, with reasons.

    - homepage not updated for 2 weeks;
    - >= 5 columns among dynamic/要闻 columns stale 2 weeks and notice/policy
      first-level columns stale 6 months, counted together;
    - >= 10 columns that should be updated (any class with a limit: dynamic,
      notice, regular) stale, undated columns included;
    - >= 5 empty columns;
    - the site unreachable.
    """
    stale = [c for c in columns if c.stale]
    dynamic_notice = [c for c in stale if c.update_class == "dynamic" or (c.update_class == "notice" and c.level == 1)]
    empty = [c for c in columns if c.empty]
    reasons: list[dict[str, Any]] = []
    if not reachable:
        reasons.append({"rule": "site_unreachable", "text": "网站无法访问"})
    if homepage_stale:
        reasons.append({"rule": "homepage_stale", "text": "首页栏目信息2周内无更新"})
    if len(dynamic_notice) >= VETO_STALE_DYNAMIC_NOTICE:
        reasons.append(
            {
                "rule": "stale_dynamic_notice",
                "text": "动态要闻类栏目2周未更新、通知公告政策文件类栏目6个月未更新，累计超过5个（含）",
                "count": len(dynamic_notice),
                "threshold": VETO_STALE_DYNAMIC_NOTICE,
                "paths": [c.path for c in dynamic_notice],
            }
        )
    if len(stale) >= VETO_STALE_SHOULD_UPDATE:
        reasons.append(
            {
                "rule": "stale_should_update",
                "text": "应更新但长期未更新的栏目数超过10个（含）",
                "count": len(stale),
                "threshold": VETO_STALE_SHOULD_UPDATE,
                "paths": [c.path for c in stale],
            }
        )
    if len(empty) >= VETO_EMPTY_COLUMNS:
        reasons.append(
            {
                "rule": "empty_columns",
                "text": "空白栏目数量超过5个（含）",
                "count": len(empty),
                "threshold": VETO_EMPTY_COLUMNS,
                "paths": [c.path for c in empty],
            }
        )
    return {
        "vetoed": bool(reasons),
        "reasons": reasons,
        "counts": {
            "homepage_stale": homepage_stale,
            "stale_dynamic_notice": len(dynamic_notice),
            "stale_should_update": len(stale),
            "empty_columns": len(empty),
            "reachable": reachable,
        },
    }

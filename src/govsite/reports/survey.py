"""A survey definition file (YAML): which groups, which framework and score sheet each, which scan.

Until surveys live in the database, a report is made from a small YAML file
that names everything it needs; paths are relative to the file::

    schema: govsite-survey/1          # optional
    name: 2025 年数字政府服务能力调查
    year: 2025
    as_of: 2025-11-30                 # optional: the date the results stand at
    previous: ../2024/survey.yaml     # optional: last year's definition, for year-over-year
    headline_band: 良好               # optional: sentences count "良好及以上" (default: the middle band)
    histogram_width: 10               # optional: points per bin of the distribution of totals
    groups:                           # the published groupings, in the report's order
      - name: 省级
        label: 省级单位               # optional: how sentences name the members (default: the name)
        framework: digital_gov_2025   # NAME, NAME:VARIANT or a framework YAML path
        scores: scores_省级.csv       # a score sheet as `govsite score` reads it (CSV or JSON)
        allow_missing: false          # optional: unassessed indicators count 0, as --allow-missing
        leading: 10                   # optional: how many leading sites to list
        sites: sites.csv              # optional: site list (name,url,level,code) giving each site's URL
        scan: scan/                   # optional: a `govsite scan` output directory (docs/scan-output.md)

Scan results are matched to survey sites by URL. A site's URL comes from a
`url` (or `网址`) column of its score sheet (a `"url"` key per site in JSON),
else from the site list, matched by site name. Both sides are compared after
light normalisation: scheme and host lower-cased, default port and trailing
slashes dropped (``https://www.x.gov.cn`` = ``https://WWW.x.gov.cn/``).

`read_definition` checks the file and reports every problem as
``file:line: message``; `load_survey` reads the sheets and scans into the
`analysis.SurveyData` the report is computed from. Both raise `SurveyError`.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlsplit

from govsite import frameworks as fw
from govsite.checks.verdict import VerdictFormatError
from govsite.frameworks import Framework
from govsite.frameworks.yamlsource import LinedDict, LinedList, load_mapping
from govsite.reports.analysis import (
    DEFAULT_HISTOGRAM_WIDTH,
    DEFAULT_LEADING,
    FindingExample,
    GroupData,
    SiteScan,
    SurveyData,
    verdict_fields,
)
from govsite.scan import output
from govsite.userfiles import UserFileError, read_user_text

SCHEMA = "govsite-survey/1"
TOP_KEYS = {
    "schema": False,
    "name": True,
    "year": True,
    "as_of": False,
    "previous": False,
    "headline_band": False,
    "histogram_width": False,
    "groups": True,
}
GROUP_KEYS = {
    "name": True,
    "framework": True,
    "scores": True,
    "label": False,
    "allow_missing": False,
    "leading": False,
    "sites": False,
    "scan": False,
}
EXAMPLES_PER_TYPE = 5
EVIDENCE_CHARS = 300
MAX_SCAN_JSON_BYTES = 200 * 1024 * 1024


class SurveyError(ValueError):
    """A survey definition or one of its files that cannot be used; `problems` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class GroupDefinition:
    name: str
    framework: Framework
    scores: Path
    label: str = ""
    allow_missing: bool = False
    leading: int = DEFAULT_LEADING
    sites: Path | None = None
    scan: Path | None = None
    line: int = 0


@dataclass(frozen=True)
class SurveyDefinition:
    path: Path
    name: str
    year: int
    groups: tuple[GroupDefinition, ...]
    as_of: date | None = None
    previous: SurveyDefinition | None = None
    headline_band: str | None = None
    histogram_width: Decimal = DEFAULT_HISTOGRAM_WIDTH


# -- the definition file ----------------------------------------------------------------------


def read_definition(path: str | Path, *, follow_previous: bool = True) -> SurveyDefinition:
    """Read and check a survey definition; every problem is reported with its line."""
    path = Path(path)
    problems: list[str] = []

    def error(line: int, message: str) -> None:
        problems.append(f"{path}:{line}: {message}" if line else f"{path}: {message}")

    try:
        text, _ = read_user_text(path)
    except UserFileError as exc:
        raise SurveyError([str(exc)]) from exc
    data = load_mapping(text, error, "name、year、groups 等")
    if data is None:
        raise SurveyError(problems)
    _check_keys(data, TOP_KEYS, error, "调查定义")
    if "schema" in data and data["schema"] != SCHEMA:
        error(data.line_of("schema"), f"schema 应为 {SCHEMA}，实为“{data['schema']}”")
    name = _text(data, "name", error)
    year = data.get("year")
    if "year" in data and (not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2100):
        error(data.line_of("year"), f"year 应为四位年份，实为“{year}”")
    as_of = _date(data, "as_of", error)
    width = _decimal(data, "histogram_width", error) or DEFAULT_HISTOGRAM_WIDTH
    band = data.get("headline_band")
    if band is not None and not isinstance(band, str):
        error(data.line_of("headline_band"), "headline_band 应为档级名称，如“良好”")
        band = None
    groups = _groups(data, path.parent, error)
    if band is not None:
        for group in groups:
            names = [b.name for b in group.framework.bands]
            if names and band not in names:
                error(
                    data.line_of("headline_band"), f"分组“{group.name}”的指标体系没有档级“{band}”（{'、'.join(names)}）"
                )
    previous = None
    if data.get("previous") is not None:
        previous_path = _existing(data, "previous", path.parent, error, directory=False)
        if previous_path is not None and follow_previous:
            if previous_path.resolve() == path.resolve():
                error(data.line_of("previous"), "previous 不能指向本文件")
            else:
                try:
                    previous = read_definition(previous_path, follow_previous=False)
                except SurveyError as exc:
                    error(data.line_of("previous"), "上年调查定义有错误：")
                    problems.extend(f"  {p}" for p in exc.problems)
    if problems:
        raise SurveyError(problems)
    return SurveyDefinition(
        path=path,
        name=name,
        year=year,
        groups=tuple(groups),
        as_of=as_of,
        previous=previous,
        headline_band=band,
        histogram_width=width,
    )


def _groups(data: LinedDict, base: Path, error) -> list[GroupDefinition]:
    raw = data.get("groups")
    if "groups" not in data:
        return []
    if not isinstance(raw, LinedList) or not raw:
        error(data.line_of("groups"), "groups 应为非空列表，每项一个分组（name、framework、scores）")
        return []
    groups, seen = [], {}
    for index, item in enumerate(raw):
        line = raw.line_of(index)
        if not isinstance(item, LinedDict):
            error(line, "每个分组应为映射（name、framework、scores）")
            continue
        _check_keys(item, GROUP_KEYS, error, "分组")
        name = _text(item, "name", error)
        if name and name in seen:
            error(item.line_of("name"), f"分组“{name}”重复（第 {seen[name]} 行已有）")
        seen.setdefault(name, item.line_of("name"))
        framework = _framework(item, base, error)
        scores = _existing(item, "scores", base, error, directory=False)
        sites = _existing(item, "sites", base, error, directory=False)
        scan = _existing(item, "scan", base, error, directory=True)
        if scan is not None and not output.has_summary(scan):
            error(item.line_of("scan"), f"{scan} 中没有 {output.SUMMARY_FILE}（应为 govsite scan 的输出目录）")
            scan = None
        leading = item.get("leading", DEFAULT_LEADING)
        if not isinstance(leading, int) or isinstance(leading, bool) or leading < 0:
            error(item.line_of("leading"), f"leading 应为非负整数，实为“{leading}”")
            leading = DEFAULT_LEADING
        allow = item.get("allow_missing", False)
        if not isinstance(allow, bool):
            error(item.line_of("allow_missing"), f"allow_missing 应为 true 或 false，实为“{allow}”")
            allow = False
        label = item.get("label", "")
        if not isinstance(label, str):
            error(item.line_of("label"), "label 应为文字")
            label = ""
        if name and framework is not None and scores is not None:
            groups.append(
                GroupDefinition(name, framework, scores, label.strip(), allow, leading, sites, scan, item.line)
            )
    return groups


def _check_keys(data: LinedDict, keys: dict[str, bool], error, what: str) -> None:
    for key in data:
        if key not in keys:
            error(data.line_of(key), f"{what}中有未知的键“{key}”（可用：{'、'.join(keys)}）")
    for key, required in keys.items():
        if required and key not in data:
            error(data.line, f"{what}缺少“{key}”")


def _text(data: LinedDict, key: str, error) -> str:
    value = data.get(key)
    if key in data and (not isinstance(value, (str, int)) or not str(value).strip()):
        error(data.line_of(key), f"{key} 应为非空文字")
        return ""
    return str(value).strip() if value is not None else ""


def _date(data: LinedDict, key: str, error) -> date | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        error(data.line_of(key), f"{key} 应为日期 YYYY-MM-DD，实为“{value}”")
        return None


def _decimal(data: LinedDict, key: str, error) -> Decimal | None:
    value = data.get(key)
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal(0)
    if isinstance(value, bool) or not number.is_finite() or number <= 0:
        error(data.line_of(key), f"{key} 应为正数，实为“{value}”")
        return None
    return number


def _existing(data: LinedDict, key: str, base: Path, error, *, directory: bool) -> Path | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        error(data.line_of(key), f"{key} 应为路径（相对于本文件）")
        return None
    path = (base / value.strip()).resolve() if not Path(value.strip()).is_absolute() else Path(value.strip())
    if directory and not path.is_dir():
        error(data.line_of(key), f"{key}：目录不存在：{path}")
        return None
    if not directory and not path.is_file():
        error(data.line_of(key), f"{key}：文件不存在：{path}")
        return None
    return path


def _framework(data: LinedDict, base: Path, error) -> Framework | None:
    spec = data.get("framework")
    if spec is None:
        return None
    if not isinstance(spec, str) or not spec.strip():
        error(data.line_of("framework"), "framework 应为 NAME、NAME:VARIANT 或指标体系 YAML 路径")
        return None
    spec = spec.strip()
    name, sep, variant = spec.partition(":")
    if name.endswith((".yaml", ".yml")) and not Path(name).is_absolute():
        spec = str(base / name) + sep + variant
    try:
        return fw.load(spec).for_variant(None)
    except fw.FrameworkError as exc:
        error(data.line_of("framework"), "指标体系有错误：" + "；".join(str(p) for p in exc.problems))
    except ValueError as exc:
        error(data.line_of("framework"), str(exc))
    return None


# -- loading the data -------------------------------------------------------------------------


def load_survey(
    definition: SurveyDefinition,
    *,
    examples_for: Collection[str] | bool = (),
    with_previous: bool = True,
) -> SurveyData:
    """Score every group's sheet, attach scans (and finding examples for the `examples_for` site names,
    or for every site when it is True — what site reports show).

    All groups are read before failing, so one run shows every bad sheet.
    """
    problems: list[str] = []
    scans: dict[Path, list[dict]] = {}
    groups = []
    for group in definition.groups:
        data = _load_group(definition, group, problems, scans, examples_for)
        if data is not None:
            groups.append(data)
    previous = None
    if with_previous and definition.previous is not None:
        try:
            previous = load_survey(definition.previous, with_previous=False)
        except SurveyError as exc:
            problems.append(f"{definition.path}: 上年调查 {definition.previous.path} 的数据有错误：")
            problems.extend(f"  {p}" for p in exc.problems)
    if problems:
        raise SurveyError(problems)
    matched = {url_key(scan.url) for g in groups for scan in (g.scans or {}).values()}
    unmatched = tuple(
        dict.fromkeys(s["site"] for summaries in scans.values() for s in summaries if url_key(s["site"]) not in matched)
    )
    return SurveyData(
        name=definition.name,
        year=definition.year,
        groups=tuple(groups),
        as_of=definition.as_of,
        previous=previous,
        headline_band=definition.headline_band,
        histogram_width=definition.histogram_width,
        unmatched_scans=unmatched,
    )


def _load_group(
    definition: SurveyDefinition,
    group: GroupDefinition,
    problems: list[str],
    scans: dict[Path, list[dict]],
    examples_for: Collection[str] | bool,
) -> GroupData | None:
    from govsite.scoring import SheetRejected, not_assessed_notes, score_sheet

    where = f"{definition.path}:{group.line}: 分组“{group.name}”"
    try:
        sheet = score_sheet(group.framework, group.scores, allow_missing=group.allow_missing)
    except SheetRejected as exc:
        problems.append(f"{where}：{exc.headline}")
        problems.extend(f"  {p}" for p in exc.problems)
        return None
    sheet_urls = {row.site: row.url for row in sheet.rows if row.url}
    notes = summarise_notes(sheet.notes)
    notes += not_assessed_notes(sheet.not_assessed, name_codes=False)
    ranked = tuple(sheet.ranked)
    names = [item.result.site for item in ranked]
    urls = _site_urls(group, names, sheet_urls, problems, notes, where)
    site_scans = None
    if group.scan is not None:
        if group.scan not in scans:
            try:
                scans[group.scan] = read_scan_summaries(group.scan)
            except SurveyError as exc:
                problems.extend(f"{where}：{p}" for p in exc.problems)
                scans[group.scan] = []  # reported once, even when several groups share the scan
                return None
        wanted = set(names) if examples_for is True else set(examples_for or ()) & set(names)
        site_scans = match_scans(urls, scans[group.scan])
        if wanted:
            site_scans = attach_examples(group.scan, site_scans, wanted)
    return GroupData(
        name=group.name,
        framework=group.framework,
        ranked=ranked,
        label=group.label,
        leading=group.leading,
        scans=site_scans,
        urls=urls,
        notes=tuple(notes),
    )


NO_DIVISION_CODE = re.compile(r"^“(?P<site>.+)”没有行政区划代码，排在同档末尾$")  # scoring.ranking.identify's note
NAMES_SHOWN = 5


def summarise_notes(notes: list[str]) -> list[str]:
    """One note for every site without a division code instead of one per site (866 of them for an
    example of 900 cities), naming the first few; the other notes are kept as they are, in order."""
    missing = [m.group("site") for m in map(NO_DIVISION_CODE.match, notes) if m]
    if len(missing) < 2:
        return list(notes)
    shown = "、".join(f"“{name}”" for name in missing[:NAMES_SHOWN])
    more = "等" if len(missing) > NAMES_SHOWN else ""
    summary = f"{len(missing)} 个单位没有行政区划代码，排在同档末尾：{shown}{more}"
    out, placed = [], False
    for note in notes:
        if NO_DIVISION_CODE.match(note):
            if not placed:
                out.append(summary)
                placed = True
            continue
        out.append(note)
    return out


def _site_urls(
    group: GroupDefinition,
    names: list[str],
    sheet_urls: dict[str, str],
    problems: list[str],
    notes: list[str],
    where: str,
) -> dict[str, str]:
    urls: dict[str, str] = {}
    if group.sites is not None:
        from govsite.sites.sitelist import read_site_list

        try:
            sites, errors = read_site_list(group.sites)
        except UserFileError as exc:
            problems.append(f"{where}：{exc}")
            sites, errors = [], []
        if errors:
            problems.append(f"{where}：网站清单 {group.sites} 有 {len(errors)} 处问题：")
            problems.extend(f"  {e}" for e in errors)
        by_name: dict[str, set[str]] = {}
        for site in sites:
            by_name.setdefault(site.name, set()).add(site.url)
        wanted = set(names)
        for name, found in by_name.items():
            if name not in wanted:
                continue
            if len(found) > 1:
                notes.append(f"网站清单中“{name}”有多个网址，未采用（请在成绩表的 url 列给出）")
                continue
            urls[name] = next(iter(found))
    urls.update({name: url for name, url in sheet_urls.items() if name in set(names)})
    return urls


# -- scans ------------------------------------------------------------------------------------


def url_key(url: str) -> str:
    """The form two homepage URLs are compared in: lower-case scheme and host, no default port or trailing /."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        return ""
    if (scheme, port) in (("http", 80), ("https", 443)):
        port = None
    host = (parts.hostname or "").lower()
    if not scheme or not host:
        return ""
    netloc = host + (f":{port}" if port else "")
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}" + (f"?{parts.query}" if parts.query else "")


def read_scan_summaries(scan_dir: Path) -> list[dict]:
    """The per-site entries of a scan's summary, each checked for the fields the report uses."""
    try:
        sites = output.read_site_summaries(scan_dir, max_bytes=MAX_SCAN_JSON_BYTES)
    except output.ScanOutputError as exc:
        raise SurveyError([str(exc)]) from exc
    path = output.summary_path(scan_dir)
    problems = []
    for index, site in enumerate(sites, start=1):
        ok = (
            isinstance(site, dict)
            and isinstance(site.get("site"), str)
            and isinstance(site.get("verdict"), dict)
            and isinstance(site.get("findings_by_type", {}), dict)
        )
        if not ok:
            problems.append(f"{path}: 第 {index} 个站点缺少 site、verdict 或 findings_by_type")
            continue
        try:
            verdict_fields(site["verdict"])
        except VerdictFormatError as exc:
            problems.append(f"{path}: 第 {index} 个站点：{exc}")
    if problems:
        raise SurveyError(problems)
    return sites


def match_scans(urls: dict[str, str], summaries: list[dict]) -> dict[str, SiteScan]:
    """Scans keyed by survey site name, matched by URL (`url_key`)."""
    by_key: dict[str, dict] = {}
    for summary in summaries:
        key = url_key(summary["site"])
        if key:
            by_key[key] = summary
    matched: dict[str, SiteScan] = {}
    for name, url in urls.items():
        summary = by_key.get(url_key(url))
        if summary is None:
            continue
        matched[name] = SiteScan(
            url=summary["site"],
            **verdict_fields(summary["verdict"]),
            findings_by_type={str(k): int(v) for k, v in summary.get("findings_by_type", {}).items()},
            pages=int(summary.get("pages", 0) or 0),
            as_of=str(summary.get("as_of", "")),
        )
    return matched


def attach_examples(scan_dir: Path, scans: dict[str, SiteScan], names: Collection[str]) -> dict[str, SiteScan]:
    """Add up to EXAMPLES_PER_TYPE findings per type (from the scan's findings) to the named sites' scans."""
    wanted = {url_key(scans[name].url): name for name in names if name in scans}
    if not wanted:
        return scans
    examples: dict[str, dict[str, list[FindingExample]]] = {name: {} for name in wanted.values()}
    for item in output.iter_finding_dicts(scan_dir):
        name = wanted.get(url_key(str(item.get("site", ""))))
        if name is None:
            continue
        bucket = examples[name].setdefault(str(item.get("type", "")), [])
        if len(bucket) < EXAMPLES_PER_TYPE:
            evidence = str(item.get("evidence", ""))
            if len(evidence) > EVIDENCE_CHARS:
                evidence = evidence[:EVIDENCE_CHARS] + "…"
            bucket.append(
                FindingExample(
                    type=str(item.get("type", "")),
                    url=str(item.get("url", "")),
                    severity=str(item.get("severity", "")),
                    evidence=evidence,
                    page=str(item.get("page", "") or ""),
                )
            )
    out = dict(scans)
    for name, by_type in examples.items():
        flat = tuple(example for bucket in by_type.values() for example in bucket)
        out[name] = replace(scans[name], examples=flat)
    return out

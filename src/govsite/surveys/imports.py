"""A survey manager's site list (CSV or XLSX) → the survey's Site rows.

Parsing is `govsite.sites.sitelist`'s, so a file means the same here as on
the command line: an XLSX sheet is turned into the same rows (the first sheet,
header in row 1, rows numbered as Excel shows them) and fed to that parser.
Every bad row is reported with its row number and left out; the good rows
are kept. A re-import matches sites by URL (normalised: scheme and host in
lower case, an empty path is "/") and updates them, so it never duplicates.
Each site belongs to the Website of its canonical origin, which the import
creates when new and reuses when another survey (or this one) already has it;
the list's name, level and division code update the website.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from django.db import transaction

from govsite.sites.origin import canonical_origin
from govsite.sites.sitelist import Site as ListedSite
from govsite.sites.sitelist import SiteListError, parse_site_list
from govsite.surveys import audit
from govsite.surveys.models import Site, Survey, Website, WebsiteEntry
from govsite.userfiles import MAX_USER_FILE_BYTES, UserFileError

URL_MAX = Site._meta.get_field("url").max_length


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[SiteListError] = field(default_factory=list)

    @property
    def kept(self) -> int:
        return self.created + self.updated + self.unchanged


def normalize_url(url: str) -> str:
    """The form a site URL is stored and matched in."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def is_xlsx(name: str, data: bytes) -> bool:
    return name.lower().endswith(".xlsx") or (data[:4] == b"PK\x03\x04" and not name.lower().endswith(".csv"))


def xlsx_rows_as_csv(data: bytes) -> bytes:
    """The first sheet of an XLSX workbook as UTF-8 CSV bytes, one record per sheet row (blank rows kept)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UserFileError("无法读取该 Excel 文件，请确认是 .xlsx 格式（或另存为 CSV）") from exc
    try:
        sheet = workbook.worksheets[0]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for values in sheet.iter_rows(min_row=1, values_only=True):  # empty rows come back empty, numbering kept
            writer.writerow([_cell_text(value) for value in values])
    finally:
        workbook.close()
    return out.getvalue().encode("utf-8")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a division code typed as a number: 110000.0 → "110000"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", " ").replace("\n", " ").strip()


def parse_upload(name: str, data: bytes) -> tuple[list[ListedSite], list[SiteListError]]:
    """Good rows and every problem of an uploaded site list; UserFileError when the file cannot be read at all."""
    if len(data) > MAX_USER_FILE_BYTES:
        raise UserFileError(f"文件过大（上限 {MAX_USER_FILE_BYTES // 1024 // 1024} MB）")
    if not data.strip():
        return [], [SiteListError(1, "文件为空，缺少表头")]
    if is_xlsx(name, data):
        data = xlsx_rows_as_csv(data)
    sites, errors = parse_site_list(data)
    kept: list[ListedSite] = []
    seen: dict[str, int] = {}
    for site in sites:
        url = normalize_url(site.url)
        origin_problem = _origin_problem(url)
        if origin_problem:
            errors.append(SiteListError(site.row, origin_problem))
        elif len(url) > URL_MAX:
            errors.append(SiteListError(site.row, f"网址过长（超过 {URL_MAX} 个字符）"))
        elif url in seen:
            errors.append(SiteListError(site.row, f"网址与第 {seen[url]} 行重复：{site.url}"))
        else:
            seen[url] = site.row
            kept.append(site)
    errors.sort(key=lambda e: e.row)
    return kept, errors


def _origin_problem(url: str) -> str:
    """Why `url` names no website (a bad host or port), or ""."""
    try:
        canonical_origin(url)
    except ValueError as exc:
        return str(exc)
    return ""


def import_sites(survey: Survey, name: str, data: bytes, user=None) -> ImportResult:
    """Parse the upload and create or update the survey's sites; the audit log records the import."""
    listed, errors = parse_upload(name, data)
    result = ImportResult(errors=errors)
    with transaction.atomic():
        existing = {normalize_url(site.url): site for site in Site.objects.filter(survey=survey)}
        websites = Website.objects.register_many(_website_entries(listed))
        new_rows, changed = [], []
        for row in listed:
            url = normalize_url(row.url)
            values = {
                "name": row.name,
                "level": row.level,
                "division_code": row.code or "",
                "province": row.province or "",
            }
            site = existing.get(url)
            if site is None:
                new_rows.append(Site(survey=survey, url=url, website=websites[canonical_origin(url)], **values))
                continue
            if all(getattr(site, key) == value for key, value in values.items()):
                result.unchanged += 1
                continue
            for key, value in values.items():
                setattr(site, key, value)
            changed.append(site)
        Site.objects.bulk_create(new_rows, batch_size=500)
        Site.objects.bulk_update(changed, ["name", "level", "division_code", "province"], batch_size=500)
        result.created, result.updated = len(new_rows), len(changed)
        audit.record(
            user,
            "import_sites",
            survey,
            after={
                "file": name,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "bad_rows": sorted({e.row for e in errors}),
            },
        )
    return result


def _website_entries(listed: list[ListedSite]) -> list[WebsiteEntry]:
    return [WebsiteEntry(normalize_url(row.url), row.name, row.level, row.code or "") for row in listed]

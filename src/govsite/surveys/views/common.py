"""What every survey page shares: role checks, crumbs, sortable and paginated tables.

Not a place for page logic: each page lives in its own module (manage, assess,
review, findings, cases, reports), and nothing that is not about pages: a survey's frameworks are in
govsite.surveys.frameworks, its results in govsite.surveys.results. Nothing
here marks text safe; templates auto-escape it.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header

from govsite.surveys import access
from govsite.surveys.models import Site, Survey

PER_PAGE = 50
# A protected file is never rendered as part of the application: no script, no style, no frame, only itself.
DOWNLOAD_CSP = "default-src 'none'; img-src 'self'; sandbox"
DOWNLOAD_FALLBACK = "download"
DOWNLOAD_NAME_MAX = 150
UNSAFE_IN_NAMES = str.maketrans({c: "_" for c in '/\\:*?"<>|'})


# ---------------------------------------------------------------- frameworks

COLLECTION_LABELS = {"auto": "自动监测", "manual": "人工评估", "hybrid": "监测+人工"}


# ---------------------------------------------------------------- access


def survey_or_404(request: HttpRequest, survey_id: int) -> Survey:
    return get_object_or_404(access.surveys_for(request.user), pk=survey_id)


def require_manager(user, survey: Survey) -> None:
    if not access.is_manager(user, survey):
        raise PermissionDenied("需要调查管理员权限")


def visible_sites(user, survey: Survey | None = None) -> QuerySet[Site]:
    """access.sites_for as a plain subquery filter, so annotations count without duplicates."""
    return Site.objects.filter(pk__in=access.sites_for(user, survey).values("pk"))


def site_or_404(request: HttpRequest, site_id: int) -> Site:
    return get_object_or_404(visible_sites(request.user).select_related("survey", "assessor"), pk=site_id)


def site_crumbs(site: Site, user, *tail: str, assessment: bool | None = None, operator: bool | None = None) -> list:
    """工作台 › survey › site › tail: the site links to its assessment page, or to the operator's page."""
    if assessment is None:
        assessment = access.can_view_assessment(user, site)
    if operator is None:
        operator = access.is_operator(user, site)
    if assessment:
        site_href = reverse("site_detail", args=[site.pk])
    elif operator:
        site_href = reverse("ops:operator_site", args=[site.pk])
    else:
        site_href = None
    return [
        ("工作台", reverse("home")),
        (site.survey.name, reverse("survey_detail", args=[site.survey_id])),
        (site.name, site_href),
        *((label, None) for label in tail),
    ]


def require_view_assessment(user, site: Site) -> None:
    if not access.can_view_assessment(user, site):
        raise PermissionDenied("没有查看该网站评估的权限")


def optional_url(name: str, *args, query: dict | None = None) -> str | None:
    """A link to a page another part of the application may provide; None while it does not exist."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


def json_error(message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse(
        {"ok": False, "error": message, **extra}, status=status, json_dumps_params={"ensure_ascii": False}
    )


# ---------------------------------------------------------------- tables


@dataclass(frozen=True)
class Column:
    label: str
    key: str = ""  # sort key; empty: not sortable
    url: str = ""
    arrow: str = ""
    numeric: bool = False


class Table:
    """Server-side sort (?sort=key or -key), filters and pagination for one table page."""

    def __init__(
        self,
        request: HttpRequest,
        *,
        sorts: dict[str, Sequence[str] | Callable],
        default: str,
        filters: Iterable[str] = ("q", "level", "status"),
    ) -> None:
        self.request = request
        self.sorts = sorts
        requested = request.GET.get("sort", "")
        self.sort = requested if requested.lstrip("-") in sorts else default
        self.filters = {name: request.GET.get(name, "").strip() for name in filters}

    def get(self, name: str) -> str:
        return self.filters.get(name, "")

    def order(self, rows: QuerySet) -> QuerySet:
        key = self.sort.lstrip("-")
        fields = list(self.sorts[key])
        if self.sort.startswith("-"):
            fields = [f[1:] if f.startswith("-") else f"-{f}" for f in fields]
        return rows.order_by(*fields)

    def order_list(self, rows: list) -> list:
        """Sort rows built in Python; `sorts` maps each key to a function of a row (None sorts last)."""
        key = self.sort.lstrip("-")
        func = self.sorts[key]
        present = [r for r in rows if func(r) is not None]
        missing = [r for r in rows if func(r) is None]
        return sorted(present, key=func, reverse=self.sort.startswith("-")) + missing

    def _query(self, **overrides) -> str:
        params = {k: v for k, v in self.filters.items() if v}
        params["sort"] = self.sort
        params.update(overrides)
        return urlencode({k: v for k, v in params.items() if v not in ("", None)})

    def columns(self, spec: Iterable[tuple[str, str] | tuple[str, str, bool]]) -> list[Column]:
        """Header cells: (label, sort key[, numeric]); a sortable one links to its own sort, toggling direction."""
        out = []
        for item in spec:
            label, key = item[0], item[1]
            numeric = bool(item[2]) if len(item) > 2 else False
            if not key:
                out.append(Column(label, numeric=numeric))
                continue
            if self.sort == key:
                target, arrow = f"-{key}", "▲"
            elif self.sort == f"-{key}":
                target, arrow = key, "▼"
            else:
                target, arrow = key, ""
            out.append(Column(label, key, "?" + self._query(sort=target), arrow, numeric))
        return out

    def page(self, rows, per_page: int = PER_PAGE) -> tuple[Page, str]:
        """The requested page and the query string (ending with & when not empty) its pager links start with."""
        page = Paginator(rows, per_page).get_page(self.request.GET.get("page"))
        query = self._query()
        return page, (query + "&" if query else "")


def roles_in(user, survey: Survey) -> set[str]:
    """The user's SurveyMember roles in this survey (a superuser holds them all)."""
    if user.is_superuser:
        return {access.MANAGER, access.REVIEWER, access.EXPERT}
    return set(survey.members.filter(user=user).values_list("role", flat=True))


def safe_href(url: str | None) -> str | None:
    """A crawled or typed URL usable as a link target: http(s) and ftp only, never javascript: or data:."""
    text = (url or "").strip()
    return text if text.lower().startswith(("http://", "https://", "ftp://", "ftps://")) else None


def selected_ids(request: HttpRequest, name: str = "site") -> list[int]:
    ids = []
    for value in request.POST.getlist(name):
        head = value.split(":", 1)[0]
        if head.isdigit():
            ids.append(int(head))
    return ids


# ---------------------------------------------------------------- protected files


def download_name(name: str) -> str:
    """A file name fit to offer a browser: no path, no control or bidi-override characters, never empty."""
    text = unicodedata.normalize("NFC", name)
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C").translate(UNSAFE_IN_NAMES)
    text = text.strip(" ").rstrip(". ")
    if text.startswith("."):  # a bare extension, or a dotfile: give it a stem
        text = DOWNLOAD_FALLBACK + text
    suffix = PurePath(text).suffix if len(PurePath(text).suffix) <= 10 else ""
    stem = text[: len(text) - len(suffix)][:DOWNLOAD_NAME_MAX].strip(" .")
    return f"{stem}{suffix}" if stem else f"{DOWNLOAD_FALLBACK}{suffix}"


def content_disposition(name: str, *, inline: bool = False) -> str:
    """attachment (or inline) with the name: quoted when plain ASCII, else RFC 5987 `filename*` after an ASCII fallback.

    Django writes the header (RFC 6266); the fallback `filename="download.pdf"` is for clients without `filename*`.
    """
    header = content_disposition_header(not inline, name)
    kind, _, param = header.partition("; ")
    if not param.startswith("filename*="):
        return header
    suffix = PurePath(name).suffix
    fallback = DOWNLOAD_FALLBACK + (suffix if suffix.isascii() and suffix[1:].isalnum() else "")
    return f'{kind}; filename="{fallback}"; {param}'


def protected_file(
    content: BinaryIO | bytes, name: str, content_type: str, *, inline: bool = False
) -> FileResponse:
    """The one response for a file only some users may read (evidence, case attachments, reports).

    Every such download carries the same headers: its type and name, never sniffed, never
    cached, never run as part of the site (a sandbox), never embedded by another site.
    """
    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    response = FileResponse(stream, content_type=content_type)
    response["Content-Disposition"] = content_disposition(download_name(name), inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response

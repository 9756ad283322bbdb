"""Helpers of the operator-side web tests (findings, work orders, cases, hostile content).

Plain functions, not fixtures: each test module wraps what it needs in its
own fixtures, so nothing here depends on tests/web/conftest.py. The loopback
web server whose routes a test may change while it runs (a "fixed" page that
starts answering 200) is `RouteServer` of tests/loopback.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.utils import timezone

from govsite.surveys.models import Finding, Site, Survey, SurveyFramework, SurveyMember, finding_key_hash

AS_OF = date(2025, 11, 30)
SCAN_ARGS = [
    "--loopback-only",
    "--delay",
    "0",
    "--no-autothrottle",
    "--retries",
    "0",
    "--timeout",
    "5",
    "--no-external",
]


@dataclass
class World:
    survey: Survey
    site: Site
    other_site: Site
    manager: object
    reviewer: object
    expert: object
    expert2: object
    operator: object
    other_operator: object
    assessor: object
    outsider: object


def make_user(username: str, email: str = ""):
    return get_user_model().objects.create_user(
        username=username, email=email
    )  # no password: tests log in with force_login


def make_world(site_url: str = "http://127.0.0.1:9/") -> World:
    """One county-level survey with two sites and a user in every role (and one in none)."""
    survey = Survey.objects.create(name="2025年政府网站评估", year=2025, as_of=AS_OF)
    SurveyFramework.objects.create(survey=survey, level="county", framework="portal_county_2025")
    site = Site.objects.create(survey=survey, name="清河县人民政府", url=site_url, level="county")
    other = Site.objects.create(survey=survey, name="白河县人民政府", url="http://127.0.0.1:8/", level="county")
    users = {
        name: make_user(name, email=f"{name}@example.gov.cn" if name == "operator" else "")
        for name in ("manager", "reviewer", "expert", "expert2", "operator", "other_operator", "assessor", "outsider")
    }
    SurveyMember.objects.create(survey=survey, user=users["manager"], role=SurveyMember.Role.MANAGER)
    SurveyMember.objects.create(survey=survey, user=users["reviewer"], role=SurveyMember.Role.REVIEWER)
    SurveyMember.objects.create(survey=survey, user=users["expert"], role=SurveyMember.Role.EXPERT)
    SurveyMember.objects.create(survey=survey, user=users["expert2"], role=SurveyMember.Role.EXPERT)
    site.operators.add(users["operator"])
    other.operators.add(users["other_operator"])
    site.assessor = users["assessor"]
    site.save()
    return World(survey=survey, site=site, other_site=other, **users)


def add_finding(
    site: Site,
    type_: str = "broken_link",
    url: str = "",
    *,
    page: str = "",
    severity: str = "high",
    evidence: str = "HTTP 404",
    detail: dict | None = None,
    status: str = Finding.Status.OPEN,
) -> Finding:
    url = url or site.url + "missing.html"
    detail = detail or {}
    now = timezone.now()
    return Finding.objects.create(
        site=site,
        type=type_,
        url=url,
        page=page,
        severity=severity,
        evidence=evidence,
        detail=detail,
        key_hash=finding_key_hash(type_, url, str(detail.get("key", ""))),
        status=status,
        found_at=now,
        fixed_at=now if status == Finding.Status.FIXED else None,
    )


# -- reading rendered pages ------------------------------------------------------------------------


class MarkupAudit(HTMLParser):
    """What the browser would run: script bodies, on* handler attributes, link schemes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        self.hrefs: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.handlers.append((tag, name))
            if name.lower() in ("href", "src", "action", "formaction") and value is not None:
                self.hrefs.append(value)
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data) -> None:
        if self._in_script:
            self.scripts[-1] += data


def audit_markup(html: str) -> MarkupAudit:
    parser = MarkupAudit()
    parser.feed(html)
    parser.close()
    return parser


def assert_inert(html: str) -> None:
    """No crawled payload became live markup: no alert() script, no on* handler, no javascript:/data: link."""
    lowered = html.lower()
    assert "<script>alert" not in lowered
    assert 'href="javascript:' not in lowered and "href='javascript:" not in lowered
    found = audit_markup(html)
    assert not [s for s in found.scripts if "alert" in s], found.scripts
    assert not found.handlers, found.handlers
    bad = [h for h in found.hrefs if h.strip().lower().startswith(("javascript:", "data:", "vbscript:"))]
    assert not bad, bad

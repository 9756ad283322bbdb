"""The demo survey `make demo` leaves in the embedded database, so `govsite serve` has something to show.

It is built from the monitoring demo's own scan (no second crawl): the three
generated sites become a survey's sites, each site's scan goes into the
database through the same `record_scan` a real job uses, and one account per
role is created with a password printed on the terminal — demo data only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

DEMO_SURVEY = "2025 年政府网站评估（演示）"
DEMO_PASSWORD = "govsite-demo"
DEMO_USERS = {
    "admin": ("平台管理员", None),
    "manager": ("调查管理员", "manager"),
    "assessor": ("评估员", None),
    "reviewer": ("审核员", "reviewer"),
    "expert": ("评审专家", "expert"),
    "operator": ("网站运维", None),
}
LEVEL_BY_SUFFIX = {"市人民政府": "prefecture", "县人民政府": "county", "区人民政府": "county"}
FRAMEWORKS = {"prefecture": "portal_city_2025", "county": "portal_county_2025"}


@dataclass(frozen=True)
class DemoSite:
    name: str
    url: str


def setup_django() -> None:
    """Configure Django in this process and bring the embedded database up to date."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.web.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0, interactive=False)


def load_demo_survey(sites: list[DemoSite], scan_dir: Path, as_of: date) -> dict:
    """Replace the demo survey with one built from `scan_dir` (a `govsite scan` output); returns what was made."""
    setup_django()
    from django.db import transaction
    from django.utils import timezone

    from govsite.scan import output
    from govsite.surveys.jobs import record_scan
    from govsite.surveys.models import Job, Site, Survey, SurveyFramework, SurveyMember

    by_site = {s["site"]: s for s in output.read_site_summaries(scan_dir)}
    records = output.read_findings(scan_dir)
    fetched = output.fetched_urls(scan_dir)
    with transaction.atomic():
        users = _demo_users()
        Survey.objects.filter(name=DEMO_SURVEY).delete()
        survey = Survey.objects.create(
            name=DEMO_SURVEY, year=as_of.year, as_of=as_of, status=Survey.Status.COLLECTING, created_by=users["admin"]
        )
        for level, framework in FRAMEWORKS.items():
            SurveyFramework.objects.create(survey=survey, level=level, framework=framework)
        for username, (_, role) in DEMO_USERS.items():
            if role:
                SurveyMember.objects.create(survey=survey, user=users[username], role=role)
        findings = 0
        for index, demo in enumerate(sites):
            site = Site.objects.create(
                survey=survey, name=demo.name, url=demo.url, level=_level(demo.name), assessor=users["assessor"]
            )
            if index == 0:
                site.operators.add(users["operator"])
            site_summary = by_site.get(demo.url, {})
            job = Job.objects.create(site=site, as_of=as_of, out_dir=str(scan_dir), started_at=timezone.now())
            own = [r for r in records if r.site == demo.url]
            record_scan(job, site_summary, own, fetched)
            findings += len(own)
    return {"survey": survey.pk, "sites": len(sites), "findings": findings, "users": list(DEMO_USERS)}


def _demo_users() -> dict:
    from django.contrib.auth import get_user_model

    from govsite.accounts.passwords import check_rules

    model = get_user_model()
    users = {}
    for username, (label, _) in DEMO_USERS.items():
        user, _ = model.objects.get_or_create(username=username)
        user.first_name = label
        user.is_staff = user.is_superuser = username == "admin"
        check_rules(DEMO_PASSWORD, user)  # passes only with GOVSITE_DEV_ACCOUNTS (embedded development default)
        user.set_password(DEMO_PASSWORD)
        user.save()
        users[username] = user
    return users


def _level(name: str) -> str:
    return next((level for suffix, level in LEVEL_BY_SUFFIX.items() if name.endswith(suffix)), "county")

"""Shared fixtures of the web tests: one user per role, a survey with the city table, a few sites.

Generic on purpose, so every web test can build on them:

- ``users``: ``admin`` (superuser), ``manager``, ``reviewer``, ``expert`` (SurveyMember roles of
  ``survey``), ``assessor`` and ``assessor2`` (given sites), ``operator`` (operates ``sites[0]``),
  ``outsider`` (no part in the survey);
- ``survey``: portal_city_2025 for prefecture and county sites, status collecting;
- ``sites``: three sites — two assigned to ``assessor``, one to ``assessor2``;
- ``client_for(user)`` (tests/conftest.py): a test client logged in as that user;
- ``launched``: replaces ``dispatch.launch`` (no background crawl) and lists the jobs it was given
  (not run: the tests run them or settle them themselves).

Uploads and job folders go to a temporary directory in every web test; passwords use a fast hasher.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from govsite.surveys.models import Site, Survey, SurveyFramework, SurveyMember

PASSWORD = "test-password-1"
FRAMEWORK = "portal_city_2025"


@pytest.fixture(autouse=True)
def _private_data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "uploads"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast users; tests only


@pytest.fixture
def users(db):
    model = get_user_model()
    made = {}
    for name, label in [
        ("admin", "平台管理员"),
        ("manager", "调查管理员"),
        ("reviewer", "审核员"),
        ("expert", "评审专家"),
        ("assessor", "评估员甲"),
        ("assessor2", "评估员乙"),
        ("operator", "网站运维"),
        ("outsider", "无关用户"),
    ]:
        if name == "admin":
            user = model.objects.create_superuser(name, f"{name}@example.org", PASSWORD, first_name=label)
        else:
            user = model.objects.create_user(name, f"{name}@example.org", PASSWORD, first_name=label)
        made[name] = user
    return made


@pytest.fixture
def survey(users):
    survey = Survey.objects.create(
        name="2025 年政府网站评估（测试）",
        year=2025,
        as_of=date(2025, 11, 30),
        status=Survey.Status.COLLECTING,
        created_by=users["manager"],
    )
    for level in ("prefecture", "county"):
        SurveyFramework.objects.create(survey=survey, level=level, framework=FRAMEWORK)
    for role in ("manager", "reviewer", "expert"):
        SurveyMember.objects.create(survey=survey, user=users[role], role=role)
    return survey


@pytest.fixture
def sites(survey, users):
    made = [
        Site.objects.create(
            survey=survey,
            name="甲市人民政府",
            url="http://jia.example.gov.cn/",
            level="prefecture",
            division_code="330100",
            assessor=users["assessor"],
        ),
        Site.objects.create(
            survey=survey,
            name="乙县人民政府",
            url="http://yi.example.gov.cn/",
            level="county",
            division_code="330122",
            assessor=users["assessor"],
        ),
        Site.objects.create(
            survey=survey,
            name="丙市人民政府",
            url="http://bing.example.gov.cn/",
            level="prefecture",
            division_code="330200",
            assessor=users["assessor2"],
        ),
    ]
    made[0].operators.add(users["operator"])
    return made


@pytest.fixture
def launched(monkeypatch):
    from govsite.surveys import dispatch

    jobs = []
    monkeypatch.setattr(dispatch, "launch", lambda job: jobs.append(job) or job)
    return jobs

"""A website outlives a survey: one Website per canonical origin, referenced by each survey's Site."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from govsite.surveys.demo import DemoSite, load_demo_survey
from govsite.surveys.imports import import_sites
from govsite.surveys.models import Site, Survey, Website

LIST_2024 = (
    "name,url,level,code,province\n"
    "杭州市人民政府,http://WWW.Hangzhou.gov.cn:80/,capital,330100,浙江省\n"
    "淳安县人民政府,http://www.qdh.gov.cn/,county,330127,浙江省\n"
)
LIST_2025 = (
    "name,url,level,code,province\n"
    "杭州市人民政府门户网站,http://www.hangzhou.gov.cn/index.html,capital,330100,浙江省\n"
    "建德市人民政府,http://www.jiande.gov.cn/,county,330182,浙江省\n"
    "坏端口县,http://www.bad.gov.cn:99999/,county,330100,浙江省\n"
)


def _survey(year: int) -> Survey:
    return Survey.objects.create(name=f"{year} 年评估", year=year, as_of=date(year, 11, 30))


@pytest.mark.django_db
def test_two_surveys_share_one_website_per_origin():
    first, second = _survey(2024), _survey(2025)
    import_sites(first, "2024.csv", LIST_2024.encode())
    result = import_sites(second, "2025.csv", LIST_2025.encode())
    assert result.created == 2
    assert [e.row for e in result.errors] == [4] and "端口无效" in result.errors[0].reason
    hangzhou = Website.objects.get(origin="http://www.hangzhou.gov.cn")
    assert sorted(hangzhou.sites.values_list("survey__year", flat=True)) == [2024, 2025]
    assert hangzhou.name == "杭州市人民政府门户网站"  # the latest list names the website
    assert (hangzhou.level, hangzhou.division_code) == ("capital", "330100")
    assert Website.objects.count() == 3  # hangzhou, qdh, jiande
    assert Site.objects.get(survey=first, website=hangzhou).name == "杭州市人民政府"  # each survey keeps its own


@pytest.mark.django_db
def test_reimport_reuses_the_websites():
    survey = _survey(2025)
    import_sites(survey, "a.csv", LIST_2024.encode())
    ids = set(Website.objects.values_list("pk", flat=True))
    import_sites(survey, "a.csv", LIST_2024.encode())
    assert set(Website.objects.values_list("pk", flat=True)) == ids


@pytest.mark.django_db
def test_a_site_saved_anyhow_gets_its_website_and_a_new_url_moves_it():
    survey = _survey(2025)
    site = Site.objects.create(survey=survey, name="宁波市人民政府", url="http://www.ningbo.gov.cn/", level="prefecture")
    assert site.website.origin == "http://www.ningbo.gov.cn"
    site.url = "https://www.ningbo.gov.cn/"
    site.save(update_fields=["url"])
    site.refresh_from_db()
    assert site.website.origin == "https://www.ningbo.gov.cn"
    bulk = Site.objects.bulk_create([Site(survey=_survey(2026), name="宁波", url="HTTPS://www.ningbo.gov.cn:443/", level="prefecture")])
    assert bulk[0].website_id == site.website_id


@pytest.mark.django_db
def test_the_demo_reuses_its_websites_when_built_again(tmp_path):
    scan = tmp_path / "scan"
    scan.mkdir()
    (scan / "summary.json").write_text(json.dumps({"sites": []}), encoding="utf-8")
    (scan / "findings.jsonl").write_text("", encoding="utf-8")
    sites = [DemoSite("青禾市人民政府", "http://127.0.0.1:8101/"), DemoSite("云川县人民政府", "http://127.0.0.1:8102/")]
    load_demo_survey(sites, scan, date(2025, 11, 30))
    first = dict(Website.objects.values_list("origin", "pk"))
    load_demo_survey(sites, scan, date(2025, 11, 30))  # replaces the demo survey
    assert dict(Website.objects.values_list("origin", "pk")) == first
    assert set(first) == {"http://127.0.0.1:8101", "http://127.0.0.1:8102"}
    assert Site.objects.filter(website__origin="http://127.0.0.1:8101").count() == 1


BEFORE = [("surveys", "0002_finding_type_free")]
AFTER = [("surveys", "0005_website_required")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_sites_websites_merging_surveys():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldSurvey, OldSite = old.get_model("surveys", "Survey"), old.get_model("surveys", "Site")
    s2024 = OldSurvey.objects.create(name="2024", year=2024, as_of=date(2024, 11, 30))
    s2025 = OldSurvey.objects.create(name="2025", year=2025, as_of=date(2025, 11, 30))
    rows = [
        (s2025, "杭州市人民政府门户网站", "http://www.hangzhou.gov.cn/", "capital", "330100"),
        (s2024, "杭州市人民政府", "HTTP://www.HANGZHOU.gov.cn:80/index.html", "capital", ""),
        (s2024, "淳安县人民政府", "https://www.qdh.gov.cn/", "county", "330127"),
        (s2025, "淳安县人民政府", "http://www.qdh.gov.cn/", "county", "330127"),  # http is another origin
    ]
    for survey, name, url, level, code in rows:
        OldSite.objects.create(survey=survey, name=name, url=url, level=level, division_code=code)

    executor = MigrationExecutor(connection)  # a fresh loader sees the applied state
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    NewSite, NewWebsite = new.get_model("surveys", "Site"), new.get_model("surveys", "Website")
    websites = {w.origin: w for w in NewWebsite.objects.all()}
    assert set(websites) == {"http://www.hangzhou.gov.cn", "https://www.qdh.gov.cn", "http://www.qdh.gov.cn"}
    hangzhou = websites["http://www.hangzhou.gov.cn"]
    assert NewSite.objects.filter(website=hangzhou).count() == 2  # merged across the two surveys
    assert (hangzhou.name, hangzhou.division_code) == ("杭州市人民政府门户网站", "330100")  # from the latest survey
    assert not NewSite.objects.filter(website__isnull=True).exists()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # leave the database as the other tests expect it

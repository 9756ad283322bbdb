"""Findings kept across scans: upsert by key, fixed when a full scan no longer sees them, scoped re-checks."""

from datetime import date

import pytest

from govsite.findings import Finding as FindingRecord
from govsite.surveys.jobs import create_job, prescore_site, record_scan, sync_findings
from govsite.surveys.models import Finding, IndicatorScore, Job, Site, Survey, SurveyFramework

pytestmark = pytest.mark.django_db
SITE = "http://127.0.0.1:9/"
ANSWERED = {SITE, SITE + "list.html"}  # the pages that answered in each run below


@pytest.fixture
def site():
    survey = Survey.objects.create(name="测试调查", year=2025, as_of=date(2025, 11, 30))
    SurveyFramework.objects.create(survey=survey, level="county", framework="portal_county_2025")
    return Site.objects.create(survey=survey, name="清河县人民政府", url=SITE, level="county")


def _broken(url: str, page: str = SITE) -> FindingRecord:
    return FindingRecord(type="broken_link", url=url, site=SITE, severity="medium", evidence="HTTP 404", page=page)


def test_same_scan_twice_leaves_the_same_rows(site):
    records = [_broken(SITE + "a.html"), _broken(SITE + "b.html"), _broken(SITE + "a.html")]
    first = sync_findings(create_job(site), records, fetched=ANSWERED)
    assert (first.new, first.fixed) == (2, 0)
    again = sync_findings(create_job(site), records, fetched=ANSWERED)
    assert (again.new, again.seen_again, again.fixed) == (0, 2, 0)
    assert Finding.objects.filter(site=site).count() == 2


def test_full_scan_fixes_what_it_no_longer_sees_and_reopens_what_returns(site):
    sync_findings(create_job(site), [_broken(SITE + "a.html"), _broken(SITE + "b.html")], fetched=ANSWERED)
    result = sync_findings(create_job(site), [_broken(SITE + "a.html")], fetched=ANSWERED)
    assert result.fixed == 1
    fixed = Finding.objects.get(url=SITE + "b.html")
    assert fixed.status == Finding.Status.FIXED and fixed.fixed_at is not None
    sync_findings(create_job(site), [_broken(SITE + "b.html")], fetched=ANSWERED)
    fixed.refresh_from_db()
    assert fixed.status == Finding.Status.OPEN and fixed.fixed_at is None


def test_a_type_whose_detector_did_not_run_fixes_nothing(site):
    sync_findings(create_job(site), [_broken(SITE + "a.html")], fetched=ANSWERED)
    result = sync_findings(create_job(site), [], fetched=ANSWERED, unchecked=frozenset({"broken_link"}))
    assert result.fixed == 0 and Finding.objects.get(url=SITE + "a.html").status == Finding.Status.OPEN
    assert sync_findings(create_job(site), [], fetched=ANSWERED).fixed == 1  # checked again: fixed


def test_a_scan_whose_summary_lists_a_type_unchecked_keeps_its_findings_open(site):
    sync_findings(create_job(site), [_broken(SITE + "a.html")], fetched=ANSWERED)
    summary = {"pages": 2, "crawl_complete": True, "verdict": None, "unchecked_types": ["broken_link"]}
    assert record_scan(create_job(site), summary, [], ANSWERED).fixed == 0
    assert Finding.objects.get(url=SITE + "a.html").status == Finding.Status.OPEN


def test_recheck_only_judges_its_own_urls(site):
    first = [_broken(SITE + "a.html"), _broken(SITE + "b.html", page=SITE + "list.html")]
    sync_findings(create_job(site), first, fetched=ANSWERED)
    recheck = create_job(site, Job.Kind.RECHECK, urls=[SITE + "list.html"])
    result = sync_findings(recheck, [], fetched=ANSWERED)  # the re-check saw neither problem
    assert result.fixed == 1
    assert Finding.objects.get(url=SITE + "a.html").status == Finding.Status.OPEN  # not re-checked: still open
    assert Finding.objects.get(url=SITE + "b.html").status == Finding.Status.FIXED


def test_a_page_that_did_not_answer_proves_nothing(site):
    first = [_broken(SITE + "a.html"), _broken(SITE + "b.html", page=SITE + "list.html")]
    sync_findings(create_job(site), first, fetched=ANSWERED)
    result = sync_findings(create_job(site), [], fetched={SITE})  # list.html timed out this time
    assert result.fixed == 1
    assert Finding.objects.get(url=SITE + "a.html").status == Finding.Status.FIXED  # its page, the homepage, answered
    assert Finding.objects.get(url=SITE + "b.html").status == Finding.Status.OPEN


def test_a_run_that_could_not_check_fixes_nothing(site):
    sync_findings(create_job(site), [_broken(SITE + "a.html")], fetched=ANSWERED)
    result = sync_findings(create_job(site), [], fetched=None)
    assert result.fixed == 0 and Finding.objects.get().status == Finding.Status.OPEN


def test_prescore_fills_suggestions_and_never_overrides_an_assessor(site):
    banner = FindingRecord(type="server_banner", url=SITE, site=SITE, severity="low", evidence="nginx/1.2")
    sync_findings(create_job(site), [banner], fetched=ANSWERED)
    assert prescore_site(site) > 0
    protection = IndicatorScore.objects.get(site=site, code="security_ops.protection")
    assert protection.auto_score < 3 and protection.score == protection.auto_score
    protection.score, protection.status = 3, IndicatorScore.Status.SUBMITTED
    protection.save()
    prescore_site(site)
    protection.refresh_from_db()
    assert protection.score == 3  # the assessor's adjusted score stands


def _phone(url: str) -> FindingRecord:
    return FindingRecord(type="privacy_phone", url=url, site=SITE, severity="high", evidence="138****0000")


def test_a_finding_stored_under_an_alias_is_re_keyed_not_fixed_and_found_again(site):
    """Before pages were merged, a scan reported the homepage's leak under /index.html too; the first
    scan that merges them reports it once, on /, and says /index.html is an alias of /."""
    alias, home = SITE + "index.html", SITE
    sync_findings(create_job(site), [_phone(alias)], fetched={home, alias})
    first_row = Finding.objects.get(site=site)
    result = sync_findings(create_job(site), [_phone(home)], fetched={home, alias}, aliases={alias: home})
    assert (result.new, result.seen_again, result.fixed) == (0, 1, 0)
    row = Finding.objects.get(site=site)
    assert row.pk == first_row.pk and row.url == home and row.status == Finding.Status.OPEN


def test_an_alias_row_beside_its_canonical_row_follows_it(site):
    alias, home = SITE + "index.html", SITE
    sync_findings(create_job(site), [_phone(alias), _phone(home)], fetched={home, alias})
    result = sync_findings(create_job(site), [_phone(home)], fetched={home, alias}, aliases={alias: home})
    assert (result.new, result.fixed) == (0, 0)
    assert set(Finding.objects.filter(site=site).values_list("status", flat=True)) == {Finding.Status.OPEN}
    result = sync_findings(create_job(site), [], fetched={home, alias}, aliases={alias: home})
    assert result.fixed == 1  # the problem is gone from its page: both rows say so
    assert set(Finding.objects.filter(site=site).values_list("status", flat=True)) == {Finding.Status.FIXED}

"""A site's second job compares with its first (the baseline); a reviewer confirms the suspected tampering.

Two jobs of a loopback site whose homepage headline changes between them: the
first has no baseline (page_tampered unchecked), the second reports it and the
security_incident rule is `unknown` until a reviewer confirms the finding in
the app; then the rule fails, and who confirmed it is in the audit log.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from opfixtures import SCAN_ARGS, make_world

from govsite.surveys import jobs as survey_jobs
from govsite.surveys.jobs import baseline_folder, create_job, run_job
from govsite.surveys.models import AuditEntry, Finding, Job, Site
from loopback import RouteServer, html_page

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def home(headline: str) -> str:
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>清河县人民政府</title></head><body>'
        f'<div class="banner"><h1>{headline}</h1></div><ul><li><a href="/about.html">走进清河</a></li></ul>'
        '<div class="footer">主办单位：清河县人民政府办公室</div></body></html>'
    )


ABOUT = '<!doctype html><html><head><meta charset="utf-8"><title>走进清河</title></head><body>走进清河</body></html>'


@pytest.fixture(autouse=True)
def _scan_env(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("GOVSITE_LOOPBACK_ONLY", "1")
    monkeypatch.setenv("GOVSITE_SCAN_ARGS", " ".join([*SCAN_ARGS, "--no-typos", "--analysis-workers", "0"]))
    monkeypatch.setattr(survey_jobs, "PROGRESS_SECONDS", 0.25)


def _rule(site: Site) -> dict:
    site.refresh_from_db()
    return {r["code"]: r for r in site.verdict["rules"]}["security_incident"]


def test_the_second_job_compares_with_the_first_and_a_reviewer_confirms_the_tampering(client):
    routes = {"/": html_page(home("清河县人民政府门户网站")), "/about.html": html_page(ABOUT)}
    with RouteServer(routes) as server:
        world = make_world(site_url=server.url)
        first = run_job(create_job(world.site).pk)
        assert first.status == Job.Status.DONE, first.error
        assert "page_tampered" in first.summary["unchecked_types"]
        first_rule = _rule(world.site)  # no baseline yet: the rule stands on malicious_script, and says so
        assert (first_rule["state"], first_rule["reason"]["code"]) == ("pass", "partly_checked")
        assert "网页篡改" in first_rule["reason"]["text"]

        routes["/"] = html_page(home("澳门威尼斯人娱乐城欢迎您"))
        second = create_job(world.site)
        assert baseline_folder(second) == survey_jobs.job_folder(first)
        second = run_job(second.pk)
    assert second.status == Job.Status.DONE, second.error
    # A scan that found tampering is no baseline: the next one still compares with the clean first.
    assert baseline_folder(create_job(world.site)) == survey_jobs.job_folder(first)
    assert "page_tampered" not in second.summary["unchecked_types"]
    finding = Finding.objects.get(site=world.site, type="page_tampered")
    assert "澳门威尼斯人娱乐城欢迎您" in finding.detail["diff"]
    rule = _rule(world.site)
    assert (rule["state"], rule["reason"]["text"]) == ("unknown", "疑似网页篡改，待人工确认")

    url = reverse("ops:finding_confirm", args=[finding.pk])
    client.force_login(world.operator)  # an operator may not confirm
    assert client.post(url).status_code == 403
    client.force_login(world.reviewer)
    page = client.get(reverse("ops:findings", args=[world.site.pk]))
    assert "确认为安全事件" in page.content.decode()
    assert client.post(url).status_code == 302
    finding.refresh_from_db()
    assert finding.confirmed_by == world.reviewer and finding.confirmed_at is not None
    rule = _rule(world.site)
    assert rule["state"] == "fail" and rule["reason"]["code"] == "incident_confirmed"
    assert world.site.verdict["state"] == "fail"
    entry = AuditEntry.objects.get(action="confirm_incident")
    assert entry.user == world.reviewer

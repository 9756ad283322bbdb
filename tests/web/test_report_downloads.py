"""Report downloads from the web app: the same report as `govsite report`, drawn from the database, for the right people."""

import io
import re
import subprocess
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest

from govsite import frameworks as fw
from govsite.surveys.models import Finding, IndicatorScore, Survey

pytestmark = pytest.mark.django_db
FRAMEWORK = "portal_city_2025"


@pytest.fixture
def scored(sites):
    """Every leaf confirmed: site i gets (1 - 0.1 i) of each weight; the first site has findings and a verdict."""
    framework = fw.load(FRAMEWORK)
    leaves = [leaf for group in framework.indicators for leaf in group.leaves()]
    for index, site in enumerate(sites):
        share = Decimal(1) - Decimal(index) / 10
        IndicatorScore.objects.bulk_create(
            IndicatorScore(
                site=site, code=leaf.code, score=(leaf.weight * share).quantize(Decimal("0.01")), status="confirmed"
            )
            for leaf in leaves
        )
    first = sites[0]
    first.verdict = {"passed": False, "label": "单项否决", "reasons": ["首页更新不及时"], "counts": {}}
    first.save()
    Finding.objects.create(
        site=first,
        type="broken_link",
        url=first.url + "gone.html",
        page=first.url,
        severity="medium",
        evidence="HTTP 404 <script>x</script>",
        key_hash="k1",
        found_at="2025-11-30T00:00:00Z",
    )
    return sites


def test_manager_downloads_survey_report_html_and_xlsx(client_for, users, scored):
    client = client_for(users["manager"])
    response = client.get(f"/surveys/{scored[0].survey_id}/report.html")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    html = b"".join(response.streaming_content).decode("utf-8")
    for site in scored:
        assert site.name in html
    assert "<script>x</script>" not in html
    response = client.get(f"/surveys/{scored[0].survey_id}/report.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = {str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None}
    assert {site.name for site in scored} <= cells


def test_site_report_pdf_has_the_site_and_its_finding(client_for, users, scored, tmp_path):
    response = client_for(users["manager"]).get(f"/sites/{scored[0].pk}/report.pdf")
    assert response.status_code == 200
    pdf = tmp_path / "site.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert scored[0].name in text
    assert "链接不可用" in text


def test_operators_wait_for_publication_and_see_only_their_site(client_for, users, scored):
    operator = client_for(users["operator"])
    assert operator.get(f"/sites/{scored[0].pk}/report.html").status_code == 403
    assert operator.get(f"/surveys/{scored[0].survey_id}/report.html").status_code == 403
    Survey.objects.filter(pk=scored[0].survey_id).update(status=Survey.Status.PUBLISHED)
    assert operator.get(f"/sites/{scored[0].pk}/report.html").status_code == 200
    assert operator.get(f"/sites/{scored[1].pk}/report.html").status_code == 404
    assert client_for(users["outsider"]).get(f"/surveys/{scored[0].survey_id}/report.html").status_code == 404


def test_unknown_format_is_404(client_for, users, scored):
    assert client_for(users["manager"]).get(f"/surveys/{scored[0].survey_id}/report.docx").status_code == 404


# -- the site report's database sections: manual assessments with evidence, work orders ------------

HOSTILE_NOTE = "首页信息公开专栏完整。<script>alert(1)</script>"
EVIDENCE_URL = "https://jia.example.gov.cn/xxgk/index.html?from=<b>report</b>"


@pytest.fixture
def assessed(scored, users):
    """sites[0]: one manual score with checklist answers, a hostile note and two pieces of evidence (a URL, an
    uploaded file); 日常运维 below full marks (its broken link explains it); four work orders, one overdue."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from govsite.surveys.models import Evidence
    from govsite.workorders.models import WorkOrder

    site = scored[0]
    row = IndicatorScore.objects.get(site=site, code="aggregation.disclosure.statutory")
    row.note = HOSTILE_NOTE
    row.assessor = users["assessor"]
    row.observed_at = datetime(2025, 11, 20, 2, 30, tzinfo=UTC)
    row.checklist = {"0": True, "1": False}
    row.save()
    Evidence.objects.create(score=row, url=EVIDENCE_URL, note="公开专栏截图 <i>页面</i>", created_by=users["assessor"])
    Evidence.objects.create(
        score=row, file=SimpleUploadedFile("专栏截图.png", b"\x89PNG\r\n"), note="", created_by=users["assessor"]
    )
    IndicatorScore.objects.filter(site=site, code="security_ops.daily_ops").update(score=Decimal("4.44"))
    today = date.today()
    for title, status, deadline in [
        ("首页链接失效（逾期）", WorkOrder.Status.OPEN, today - timedelta(days=3)),
        ("栏目链接失效", WorkOrder.Status.OPEN, today + timedelta(days=10)),
        ("下载链接失效", WorkOrder.Status.RECHECKING, today - timedelta(days=1)),
        ("已修复的链接", WorkOrder.Status.CLOSED, today - timedelta(days=20)),
    ]:
        WorkOrder.objects.create(
            site=site,
            title=title,
            finding_type="broken_link",
            status=status,
            deadline=deadline,
            closed_at=datetime(2025, 12, 1, 8, 0, tzinfo=UTC) if status == WorkOrder.Status.CLOSED else None,
        )
    return scored


def _download(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content).decode("utf-8")


def _card(html: str, label: str) -> str:
    """The value of the summary card labelled `label` in a site report."""
    match = re.search(rf'<div class="k">{label}</div><div class="v[^"]*">([^<]*)</div>', html)
    assert match, label
    return match.group(1)


def test_site_report_shows_manual_scores_with_evidence_escaped(client_for, users, assessed, settings):
    html = _download(client_for(users["manager"]), f"/sites/{assessed[0].pk}/report.html")
    assert "人工评估与佐证材料" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>report</b>" not in html and "from=&lt;b&gt;report&lt;/b&gt;" in html  # a URL is text, never a link
    assert "&lt;i&gt;页面&lt;/i&gt;" in html
    assert "专栏截图.png" in html
    assert "evidence/" not in html and str(settings.MEDIA_ROOT) not in html  # the file's name, never its path
    assert users["assessor"].first_name in html  # 评估员甲
    assert "2025-11-20" in html
    assert "<strong>是</strong>" in html  # checklist answers
    assert "<strong>否</strong>" in html
    assert 'href="https://' not in html


def test_site_report_counts_work_orders_by_status_and_overdue(client_for, users, assessed):
    html = _download(client_for(users["manager"]), f"/sites/{assessed[0].pk}/report.html")
    assert "整改工单" in html
    assert _card(html, "待整改") == "2"
    assert _card(html, "复核中") == "1"
    assert _card(html, "申请无需修改") == "0"
    assert _card(html, "已关闭") == "1"
    assert _card(html, "已逾期") == "2"  # the open one and the one being re-checked; never the closed one
    for title in ("首页链接失效（逾期）", "栏目链接失效", "下载链接失效", "已修复的链接"):
        assert title in html
    assert html.index("首页链接失效（逾期）") < html.index("已修复的链接")  # open first, closed last
    assert "2025-12-01" in html  # the closed date


def test_site_report_names_the_findings_behind_an_automated_deduction(client_for, users, assessed):
    html = _download(client_for(users["manager"]), f"/sites/{assessed[0].pk}/report.html")
    section = html[html.index("监测问题导致的扣分") :]
    assert "日常运维" in section[: section.index("</table>")]
    assert "链接不可用（1）" in section
    assert "监测发现：链接不可用 1 处" in section  # prescore's explanation


def test_other_sites_reports_have_empty_sections_and_the_survey_report_none(client_for, users, assessed):
    client = client_for(users["manager"])
    html = _download(client, f"/sites/{assessed[2].pk}/report.html")
    assert "人工评估与佐证材料" in html and "暂无整改工单" in html
    assert "监测问题导致的扣分" not in html  # no findings there
    survey_html = _download(client, f"/surveys/{assessed[0].survey_id}/report.html")
    assert "人工评估与佐证材料" not in survey_html and "整改工单" not in survey_html


def test_site_extras_take_a_fixed_number_of_queries(assessed, users):
    """More indicators with notes, more evidence, more work orders: not one query more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from govsite.surveys.models import Evidence
    from govsite.surveys.reporting import site_extras
    from govsite.surveys.results import survey_results
    from govsite.workorders.models import WorkOrder

    survey = Survey.objects.get(pk=assessed[0].survey_id)

    def count() -> int:
        outcomes = [o for o in survey_results(survey).values() if o.site.pk in {assessed[0].pk, assessed[1].pk}]
        with CaptureQueriesContext(connection) as queries:
            extras = site_extras(outcomes)
        assert set(extras) == {assessed[0].pk, assessed[1].pk}
        return len(queries)

    before = count()
    for row in IndicatorScore.objects.filter(site__in=assessed[:2])[:12]:
        row.note, row.assessor = "已核查", users["assessor"]
        row.save()
        Evidence.objects.create(score=row, url="https://example.gov.cn/e", note="截图")
    WorkOrder.objects.create(site=assessed[1], title="新工单", finding_type="broken_link")
    assert count() == before <= 4


def test_site_report_pdf_has_the_assessment_and_work_order_headings(client_for, users, assessed, tmp_path):
    response = client_for(users["manager"]).get(f"/sites/{assessed[0].pk}/report.pdf")
    assert response.status_code == 200
    pdf = tmp_path / "site.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "人工评估与佐证材料" in text and "整改工单" in text
    assert "监测问题导致的扣分" in text
    assert "专栏截图.png" in text

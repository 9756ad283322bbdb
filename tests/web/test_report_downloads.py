"""Report downloads from the web app: the same report as `govsite report`, drawn from the database, for the right people."""

import io
import subprocess
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
            IndicatorScore(site=site, code=leaf.code, score=(leaf.weight * share).quantize(Decimal("0.01")), status="confirmed")
            for leaf in leaves
        )
    first = sites[0]
    first.verdict = {"passed": False, "label": "单项否决", "reasons": ["首页更新不及时"], "counts": {}}
    first.save()
    Finding.objects.create(
        site=first, type="broken_link", url=first.url + "gone.html", page=first.url, severity="medium",
        evidence="HTTP 404 <script>x</script>", key_hash="k1", found_at="2025-11-30T00:00:00Z",
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

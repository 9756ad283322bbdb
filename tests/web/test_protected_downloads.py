"""Every protected download (evidence, case attachments, reports) answers with the same security headers.

The file name reaches the browser in Chinese (RFC 5987 `filename*`, read back here with the standard
library's RFC 2231 parser), the response is never cached, sniffed, run or embedded by another site.
"""

from __future__ import annotations

import ast
from email.message import Message
from email.utils import collapse_rfc2231_value
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from opfixtures import make_world

from govsite.surveys.models import CaseAttachment, Evidence, InnovationCase
from govsite.surveys.views.common import content_disposition, download_name

pytestmark = pytest.mark.django_db

CODE = "aggregation.disclosure.statutory"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SRC = Path(__file__).resolve().parents[2] / "src" / "govsite"


def _disposition(header: str) -> tuple[str, str]:
    """(attachment or inline, the file name a browser saves): `filename*` wins over `filename` (RFC 6266)."""
    message = Message()
    message["Content-Disposition"] = header
    kind, *params = message.get_params(header="content-disposition")
    names = [value for key, value in params if key == "filename"]
    extended = [collapse_rfc2231_value(value) for value in names if isinstance(value, tuple)]
    return kind[0], (extended or names)[0]


@pytest.fixture
def world():
    return make_world()


def _evidence(world, client_for) -> Evidence:
    upload = SimpleUploadedFile("首页截图.png", PNG)
    url = reverse("evidence_upload", args=[world.site.pk, CODE])
    response = client_for(world.assessor).post(url, {"url": "", "note": "", "observed_at": "", "file": upload})
    assert response.status_code == 302
    return Evidence.objects.get()


def _attachment(world, client_for) -> CaseAttachment:
    case = InnovationCase.objects.create(
        site=world.site, category="fusion", title="场景服务", description="说明", links="", created_by=world.operator
    )
    url = reverse("ops:case_upload", args=[case.pk])
    client_for(world.operator).post(url, {"files": SimpleUploadedFile("创新方案.pdf", PDF)})
    return CaseAttachment.objects.get()


def _routes(world, client_for) -> list[tuple[str, str, str, str]]:
    """(url, who downloads, disposition, file name) of every kind of protected download."""
    evidence = _evidence(world, client_for)
    attachment = _attachment(world, client_for)
    name = world.survey.name
    site = world.site.name
    return [
        (reverse("evidence_download", args=[evidence.pk]), "assessor", "inline", "首页截图.png"),
        (reverse("evidence_download", args=[evidence.pk]) + "?download=1", "assessor", "attachment", "首页截图.png"),
        (reverse("ops:case_attachment", args=[attachment.pk]), "expert", "attachment", "创新方案.pdf"),
        (
            reverse("ops:survey_report", args=[world.survey.pk, "html"]),
            "manager",
            "attachment",
            f"{name}-评估报告.html",
        ),
        (
            reverse("ops:survey_report", args=[world.survey.pk, "xlsx"]),
            "manager",
            "attachment",
            f"{name}-评估报告.xlsx",
        ),
        (
            reverse("ops:site_report", args=[world.site.pk, "html"]),
            "manager",
            "attachment",
            f"{site}-网站评估报告.html",
        ),
    ]


def test_every_protected_download_sends_the_same_security_headers(world, client_for):
    for url, who, kind, name in _routes(world, client_for):
        response = client_for(getattr(world, who)).get(url)
        assert response.status_code == 200, url
        b"".join(response.streaming_content)
        assert response["Cache-Control"] == "private, no-store", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Content-Security-Policy"] == "default-src 'none'; img-src 'self'; sandbox", url
        assert response["Cross-Origin-Resource-Policy"] == "same-origin", url
        assert _disposition(response["Content-Disposition"]) == (kind, name), url
        assert response["Content-Disposition"].isascii(), url


def test_the_chinese_name_is_rfc_5987_with_an_ascii_fallback():
    header = content_disposition("评估报告.pdf")
    assert header == "attachment; filename=\"download.pdf\"; filename*=utf-8''%E8%AF%84%E4%BC%B0%E6%8A%A5%E5%91%8A.pdf"
    assert content_disposition("report.pdf", inline=True) == 'inline; filename="report.pdf"'


@pytest.mark.parametrize(
    ("raw", "offered"),
    [
        ("发票\u202efdp.exe", "发票fdp.exe"),  # a right-to-left override would show it as 发票exe.pdf
        ("../../etc/passwd", "download.._.._etc_passwd"),  # no path, and no hidden file
        ("评估\r\n报告.pdf", "评估报告.pdf"),
        ('a"b<c>.pdf', "a_b_c_.pdf"),
        (".pdf", "download.pdf"),
        ("  . ", "download"),
    ],
)
def test_a_hostile_name_is_offered_without_paths_or_invisible_characters(raw, offered):
    assert download_name(raw) == offered


def test_only_the_one_helper_builds_a_file_response():
    """A new download that builds its own FileResponse would skip the headers above."""
    builders = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "FileResponse"
            ):
                builders.append(path.relative_to(SRC).as_posix())
    assert builders == ["surveys/views/common.py"]

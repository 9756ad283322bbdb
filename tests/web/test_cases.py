"""优秀创新案例: the bonus rule, entering cases with attachments, expert votes, and who sees what."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from opfixtures import assert_inert, make_world

from govsite.surveys.cases import attachment_problem, case_bonus, site_bonus
from govsite.surveys.models import AuditEntry, CaseAttachment, CaseVote, InnovationCase, Survey

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


# -- the rule ---------------------------------------------------------------------------------


def test_case_bonus_is_the_mean_of_the_votes_capped_at_the_weight():
    assert case_bonus([Decimal(6), Decimal(8), Decimal(9)], Decimal(10)) == Decimal("7.67")
    assert case_bonus([Decimal(12), Decimal(14)], Decimal(10)) == Decimal(10)
    assert case_bonus([], Decimal(10)) is None
    assert case_bonus([Decimal("2.5")], Decimal(3)) == Decimal("2.50")


def test_site_bonus_adds_the_cases_up_to_the_same_cap():
    assert site_bonus([Decimal(3), None, Decimal("4.5")], Decimal(10)) == Decimal("7.50")
    assert site_bonus([Decimal(7), Decimal(6)], Decimal(10)) == Decimal(10)
    assert site_bonus([], Decimal(10)) == Decimal(0)


@pytest.mark.parametrize(
    ("name", "head", "size", "problem"),
    [
        ("方案.pdf", PDF, 100, None),
        ("截图.PNG", PNG, 100, None),
        ("报告.docx", b"PK\x03\x04", 100, None),
        ("页面.html", b"<html>", 100, "不支持的文件类型"),
        ("图标.svg", b"<svg", 100, "不支持的文件类型"),
        ("说明", PDF, 100, "无扩展名"),
        ("伪装.pdf", b"<script>", 100, "文件内容与扩展名“.pdf”不符"),
        ("大文件.pdf", PDF, 1001, "文件过大"),
        ("空.pdf", b"", 0, "文件为空"),
    ],
)
def test_attachment_problems(name, head, size, problem):
    found = attachment_problem(name, size, head, max_bytes=1000)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found, found


# -- the pages ----------------------------------------------------------------------------------


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.DATA_DIR = tmp_path
    return make_world()


def new_case(client_for, world, user=None, **extra) -> InnovationCase:
    data = {
        "category": "fusion",
        "title": "“一网通办”沉浸式场景",
        "description": "依托集约化平台提供场景式服务。",
        "links": "https://www.qinghe.gov.cn/zt/\nhttp://127.0.0.1:9/changjing/",
        **extra,
    }
    response = client_for(user or world.operator).post(reverse("ops:case_new", args=[world.site.pk]), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    return InnovationCase.objects.latest("pk")


def test_categories_come_from_the_sites_framework(world, client_for):
    response = client_for(world.operator).get(reverse("ops:case_new", args=[world.site.pk]))
    choices = dict(response.context["form"].fields["category"].choices)
    assert choices["fusion"] == "优化融合" and len(choices) == 6
    bad = client_for(world.operator).post(
        reverse("ops:case_new", args=[world.site.pk]), {"category": "made_up", "title": "x", "description": "y"}
    )
    assert bad.status_code == 200 and "category" in bad.context["form"].errors
    assert not InnovationCase.objects.exists()


def test_operator_enters_a_case_with_attachments_kept_under_media_root(world, settings, client_for):
    files = [SimpleUploadedFile("方案.pdf", PDF), SimpleUploadedFile("截图.png", PNG)]
    response = client_for(world.operator).post(
        reverse("ops:case_new", args=[world.site.pk]),
        {"category": "fusion", "title": "场景服务", "description": "说明", "links": "", "files": files},
    )
    assert response.status_code == 302
    case = InnovationCase.objects.get()
    assert case.site == world.site and case.created_by == world.operator
    stored = [Path(a.file.path) for a in case.attachments.all()]
    assert len(stored) == 2 and all(p.is_file() and Path(settings.MEDIA_ROOT) in p.parents for p in stored)
    assert AuditEntry.objects.filter(action="case.create").exists()
    assert AuditEntry.objects.filter(action="case.attach").count() == 2


def test_attachments_of_the_wrong_type_or_size_are_refused(world, settings, client_for):
    case = new_case(client_for, world)
    client = client_for(world.operator)
    url = reverse("ops:case_upload", args=[case.pk])
    page = client.post(url, {"files": SimpleUploadedFile("x.html", b"<script>alert(1)</script>")}, follow=True)
    assert "不支持的文件类型" in page.content.decode()
    page = client.post(url, {"files": SimpleUploadedFile("x.pdf", b"<html>not a pdf")}, follow=True)
    assert "文件内容与扩展名" in page.content.decode()
    settings.GOVSITE_UPLOAD_MAX_BYTES = 20
    page = client.post(url, {"files": SimpleUploadedFile("big.pdf", PDF)}, follow=True)
    assert "文件过大" in page.content.decode()
    assert not CaseAttachment.objects.exists()


def test_attachments_are_served_only_to_those_who_may_see_the_case(world, django_capture_on_commit_callbacks, client_for):
    case = new_case(client_for, world)
    client_for(world.operator).post(
        reverse("ops:case_upload", args=[case.pk]), {"files": SimpleUploadedFile("方案.pdf", PDF)}
    )
    attachment = CaseAttachment.objects.get()
    url = reverse("ops:case_attachment", args=[attachment.pk])
    response = client_for(world.expert).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for(world.other_operator).get(url).status_code == 404
    assert client_for(world.outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    assert (
        client_for(world.other_operator).post(reverse("ops:case_attachment_delete", args=[attachment.pk])).status_code
        == 404
    )
    assert client_for(world.expert).post(reverse("ops:case_attachment_delete", args=[attachment.pk])).status_code == 403
    path = Path(attachment.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.operator).post(reverse("ops:case_attachment_delete", args=[attachment.pk]))
    assert not CaseAttachment.objects.exists() and not path.exists()


def test_who_may_enter_cases(world, client_for):
    url = reverse("ops:case_new", args=[world.site.pk])
    assert client_for(world.manager).get(url).status_code == 200
    assert client_for(world.reviewer).get(url).status_code == 403
    assert client_for(world.expert).get(url).status_code == 403
    assert client_for(world.other_operator).get(url).status_code == 404
    assert client_for(world.outsider).get(reverse("ops:cases", args=[world.site.pk])).status_code == 404


def test_links_must_be_http_urls(world, client_for):
    response = client_for(world.operator).post(
        reverse("ops:case_new", args=[world.site.pk]),
        {"category": "fusion", "title": "t", "description": "d", "links": "javascript:alert(1)"},
    )
    assert response.status_code == 200 and "links" in response.context["form"].errors


def test_experts_vote_and_the_bonus_is_their_mean(world, client_for):
    case = new_case(client_for, world)
    vote = reverse("ops:case_vote", args=[case.pk])
    client_for(world.expert).post(vote, {"score": "8", "comment": "场景设计有特色"})
    client_for(world.expert2).post(vote, {"score": "7"})
    client_for(world.expert).post(vote, {"score": "9", "comment": "改为 9 分"})  # an expert may change their vote
    assert sorted(CaseVote.objects.values_list("score", flat=True)) == [Decimal(7), Decimal(9)]
    response = client_for(world.manager).get(reverse("ops:case_detail", args=[case.pk]))
    assert response.context["bonus"] == Decimal("8.00")
    assert '<strong class="bonus">8.00</strong>' in response.content.decode()
    listing = client_for(world.manager).get(reverse("ops:cases", args=[world.site.pk]))
    assert listing.context["bonus"] == Decimal("8.00") and listing.context["cap"] == Decimal(10)
    assert AuditEntry.objects.filter(action="case.vote").count() == 3


def test_votes_beyond_the_cap_or_by_non_experts_are_refused(world, client_for):
    case = new_case(client_for, world)
    vote = reverse("ops:case_vote", args=[case.pk])
    page = client_for(world.expert).post(vote, {"score": "11"}, follow=True)
    assert "不能超过" in page.content.decode() or "确保该值小于或等于" in page.content.decode()
    assert client_for(world.expert).post(vote, {"score": "-1"}).status_code == 302
    assert not CaseVote.objects.exists()
    assert client_for(world.operator).post(vote, {"score": "10"}).status_code == 403
    assert client_for(world.manager).post(vote, {"score": "10"}).status_code == 403
    assert client_for(world.other_operator).post(vote, {"score": "10"}).status_code == 404


def test_operators_see_the_bonus_only_once_the_survey_is_published(world, client_for):
    case = new_case(client_for, world)
    client_for(world.expert).post(reverse("ops:case_vote", args=[case.pk]), {"score": "6"})
    page = client_for(world.operator).get(reverse("ops:case_detail", args=[case.pk])).content.decode()
    assert "尚未发布" in page and "6.00" not in page and "expert" not in page
    Survey.objects.filter(pk=world.survey.pk).update(status=Survey.Status.PUBLISHED)
    page = client_for(world.operator).get(reverse("ops:case_detail", args=[case.pk])).content.decode()
    assert '<strong class="bonus">6.00</strong>' in page
    assert client_for(world.operator).get(reverse("ops:case_new", args=[world.site.pk])).status_code == 302  # closed


def test_case_text_is_escaped(world, client_for):
    case = new_case(client_for,
        world,
        title="<script>alert(1)</script>案例",
        description='<img src=x onerror="alert(1)">\n第二行<a href="javascript:alert(1)">x</a>',
    )
    html = client_for(world.manager).get(reverse("ops:case_detail", args=[case.pk])).content.decode()
    assert_inert(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;案例" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;<br>第二行" in html

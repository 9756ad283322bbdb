"""How fast personal_data scans page texts: 10,000 article-sized texts, measured and printed.

The texts are made like the sample sites' articles (govsite.samplesites.content): body paragraphs,
a footer with a landline, site code and record numbers, and every tenth page a table of personal
numbers (IDs, mobiles, cards) or of look-alikes (masked values, credit codes, serials). Nothing is
asserted; run it to see the throughput on this machine:

    .venv/bin/python benchmarks/personal_data_benchmark.py [--pages 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date

from govsite.samplesites import content, identifiers
from govsite.text.personal_data import find_personal_numbers

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    made = [page_text(rng, n) for n in range(args.pages)]
    texts, seeded = [text for text, _ in made], sum(count for _, count in made)
    chars = sum(len(t) for t in texts)
    today = date(2025, 11, 30)
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

"""Typo layer benchmark: sentence-level detection/correction precision, recall, F1 and speed.

Two sets:
- pycorrector's SIGHAN-2015 test set (`sighan2015_test.tsv`: wrong<TAB>correct per line), if found:
  pass --sighan PATH, or it is looked up in an installed `pycorrector` package; absent, it is skipped.
- a government-style set generated here: official-style sentences written for govsite, half of them
  with one character replaced by a same-pinyin / similar-shape confusion (seeded).

Sentence level, as pycorrector reports it: detection counts a sentence with a typo as found when any
hit is reported; correction counts it when the corrected sentence equals the reference. A hit on a
correct sentence is a false positive. Figures are printed, not asserted.

    .venv/bin/python benchmarks/typo_benchmark.py [--sighan PATH] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import time
from importlib.util import find_spec
from pathlib import Path

from govsite.text import typos
from govsite.text.wording import check_text

GOV_SENTENCES = [
    "区政府召开常务会议，研究部署安全生产工作。",
    "全面贯彻落实党的方针政策，推动经济社会高质量发展。",
    "市场监督管理局开展食品安全专项检查，确保群众吃得放心。",
    "各部门要切实加强组织领导，压实工作责任，确保各项任务落到实处。",
    "持续优化营商环境，进一步提升政务服务效能。",
    "街道办事处组织开展防汛应急演练，提高应急处置能力。",
    "会议强调，要坚持以人民为中心，着力解决群众急难愁盼问题。",
    "县教育局召开全县教育工作会议，总结去年工作，安排今年任务。",
    "市人力资源和社会保障局发布就业服务指南，方便群众办事。",
    "加快推进乡村振兴，促进农业增效、农民增收。",
    "本次招聘坚持公开、平等、竞争、择优的原则。",
    "请各单位于规定时间内报送相关材料，逾期不予受理。",
    "生态环境局加强大气污染防治，空气质量持续改善。",
    "卫生健康委员会开展义诊活动，为居民提供免费健康咨询。",
    "交通运输局加强道路养护管理，保障群众安全出行。",
    "坚持依法行政，全面推进政务公开，自觉接受社会监督。",
    "财政局公布年度部门预算，主动接受人大和社会监督。",
    "统计局发布国民经济和社会发展统计公报。",
    "应急管理局组织开展安全生产大检查，消除各类安全隐患。",
    "文化和旅游局举办非物质文化遗产展示活动，吸引众多市民参观。",
    "社区工作人员深入居民家中走访慰问，了解生活困难。",
    "进一步规范行政审批程序，提高办事效率和服务质量。",
    "政府工作报告提出，要稳定和扩大就业，加强社会保障体系建设。",
    "加强政务信息公开工作，及时回应社会关切。",
    "推动数字政府建设，实现更多政务服务事项网上办理。",
    "水利局加强河道巡查，严厉打击非法采砂行为。",
    "农业农村局组织技术人员下乡指导春耕生产。",
    "自然资源局严格耕地保护，坚决遏制耕地非农化。",
    "民政局做好困难群众基本生活保障工作。",
    "审计局依法开展预算执行审计，促进财政资金规范使用。",
]


def gov_set(seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    pairs = []
    for sentence in GOV_SENTENCES:
        pairs.append((sentence, sentence))
        positions = [i for i, c in enumerate(sentence) if typos.CJK.match(c) and c not in typos.FUNCTION_CHARS]
        rng.shuffle(positions)
        for i in positions:
            cands = sorted(typos.confusions(sentence[i]))
            if cands:
                wrong = sentence[:i] + rng.choice(cands) + sentence[i + 1 :]
                pairs.append((wrong, sentence))
                break
    return pairs


def sighan_path(given: str | None) -> Path | None:
    if given:
        return Path(given)
    spec = find_spec("pycorrector")
    if spec and spec.submodule_search_locations:
        path = Path(next(iter(spec.submodule_search_locations))) / "data" / "sighan2015_test.tsv"
        if path.exists():
            return path
    return None


def read_sighan(path: Path) -> list[tuple[str, str]]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            pairs.append((parts[0].strip(), parts[1].strip()))
    return pairs


def evaluate(name: str, pairs: list[tuple[str, str]]) -> None:
    tp = fp = fn = tn = ctp = 0
    started = time.perf_counter()
    for wrong, right in pairs:
        hits = check_text(wrong)
        corrected = wrong
        for hit in sorted(hits, key=lambda h: -h.start):
            if len(hit.correct) == len(hit.wrong):
                corrected = corrected[: hit.start] + hit.correct + corrected[hit.end :]
        has_error = wrong != right
        if hits and has_error:
            tp += 1
            ctp += corrected == right
        elif hits:
            fp += 1
        elif has_error:
            fn += 1
        else:
            tn += 1
    elapsed = time.perf_counter() - started

    def prf(t: int) -> str:
        p = t / (tp + fp) if tp + fp else 0.0
        r = t / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return f"P {p:.3f} R {r:.3f} F1 {f:.3f}"

    print(f"{name}: {len(pairs)} sentences, {tp + fn} with errors; false-positive sentences {fp}/{fp + tn}")
    print(f"  detection  {prf(tp)}")
    print(f"  correction {prf(ctp)}")
    print(f"  speed {len(pairs) / elapsed:.1f} sentences/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sighan", help="path of sighan2015_test.tsv (pycorrector/data)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    typos.tokenizer()  # load the dictionary outside the timing
    path = sighan_path(args.sighan)
    if path and path.exists():
        evaluate("SIGHAN-2015 (pycorrector copy)", read_sighan(path))
        print("  published Kenlm-CSC (pycorrector README): P 0.802 R 0.196 F1 0.315, ~9 sentences/s")
    else:
        print("SIGHAN-2015: not found (pass --sighan PATH); skipped")
    evaluate(f"government-style (seed {args.seed})", gov_set(args.seed))


if __name__ == "__main__":
    main()

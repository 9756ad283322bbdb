"""Wording layer benchmark: sentence-level detection/correction precision, recall, F1 and speed.

Two sets:
- the government-style set `benchmarks/data/gov_typo_set.tsv`: 300 official-style sentences
  (通知、公告、工作动态、政策解读) written from govsite's own templates, half of them with one
  character replaced from the confusion sets (seeded; see benchmarks/data/gov_typo_set.py);
- pycorrector's SIGHAN-2015 test set (`sighan2015_test.tsv`: wrong<TAB>correct per line), if found:
  pass --sighan PATH, or it is looked up in an installed `pycorrector` package; absent, it is skipped.

- the reference prose (`--reference PATH`; by default the survey report in `../shared/reference/`
  beside the repository, when present): clean published government prose, so every alarm on it
  is false. Reported: false alarms per 100,000 characters; precision and recall on the same
  sentences with one typo injected into every other one (seeded, from the layer's own confusion
  sets: an upper bound for recall, not the figure on real typos); and the layer's speed on its
  sentences (best of `--runs`, with the spread). Each twice: corpus learning off (the layer
  alone), and learning from the other half of the text only (paragraphs alternate between the
  halves; a half is never judged with evidence from itself). Then what each switchable guard
  (typos.GUARDS) costs and saves: its false alarms and injected typos found when it is off.
- real pages (`benchmarks/data/heldout_pages/`, 14 pages of government sites (*.gov.cn), and
  `benchmarks/data/dev_pages/`, 6 more; the first line of each names its source address):
  alarms per 100,000 characters of main content, each page judged alone (layer alone) and
  learning from the page itself. The held-out pages are for measuring only: no rule of the layer
  was tuned against them (the development pages may be looked at).

Sentence level, as pycorrector reports it: detection counts a sentence with a typo as found when any
hit is reported; correction counts it when the corrected sentence equals the reference. A hit on a
correct sentence is a false positive. `check_text` runs with both layers (lexicon + statistical), as
`govsite scan` does by default. Figures are printed, not asserted; speeds are CPU time of this process
(time.process_time), so a busy shared machine distorts them less than wall time would.

    .venv/bin/python benchmarks/typo_benchmark.py [--sighan PATH] [--gov PATH] [--reference PATH] [--show-errors]
    .venv/bin/python benchmarks/typo_benchmark.py --main-content [--pages N]

`--main-content` measures the main-content step instead, on freshly generated sample sites (header,
navigation, breadcrumb, article, tools, footer with identity marks): for each extractor available
(trafilatura, readability-lxml, jusText, and the visible text as the crawl records it), ms/page, the
share of article body characters kept and the pages where chrome is left; then the wording
detector's pipeline (visible text, footer filter, per-site dedup) and its false alarms with the
statistical layer on.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from datetime import date
from importlib.util import find_spec
from pathlib import Path

from govsite.text import typos
from govsite.text.typo_evidence import CorpusEvidence, drop_corpus_words, evidence_forms
from govsite.text.wording import CJK, WordingHit, check_text, main_content, sentence_spans

GOV_SET = Path(__file__).parent / "data" / "gov_typo_set.tsv"
HELDOUT_PAGES = Path(__file__).parent / "data" / "heldout_pages"
DEV_PAGES = Path(__file__).parent / "data" / "dev_pages"
SOURCE_LINE = "# source: "
REFERENCE_NAME = "000_5a70f8b4ee0cdd50.part1-3.txt"


def default_reference() -> Path | None:
    """The reference prose in shared/reference/ beside the repository (or a folder above it)."""
    for folder in Path(__file__).resolve().parents[1:4]:
        path = folder / "shared" / "reference" / REFERENCE_NAME
        if path.exists():
            return path
    return None


def read_gov_set(path: Path = GOV_SET) -> list[tuple[str, str]]:
    """(as written, correct) pairs of benchmarks/data/gov_typo_set.tsv (written by gov_typo_set.py)."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        _id, _style, _has_error, wrong, right = line.split("\t")
        pairs.append((wrong, right))
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


def evaluate(name: str, pairs: list[tuple[str, str]], show_errors: bool = False) -> dict[str, float]:
    tp = fp = fn = tn = ctp = 0
    false_alarms: list[str] = []
    started = time.process_time()
    results = [(wrong, right, check_text(wrong)) for wrong, right in pairs]
    elapsed = time.process_time() - started
    for wrong, right, hits in results:
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
            false_alarms += [f"{h.wrong}->{h.correct}: {wrong}" for h in hits]
        elif has_error:
            fn += 1
        else:
            tn += 1

    def prf(t: int) -> tuple[float, float, float]:
        p = t / (tp + fp) if tp + fp else 0.0
        r = t / (tp + fn) if tp + fn else 0.0
        return p, r, 2 * p * r / (p + r) if p + r else 0.0

    det, cor = prf(tp), prf(ctp)
    print(f"{name}: {len(pairs)} sentences, {tp + fn} with errors; false-positive sentences {fp}/{fp + tn}")
    print("  detection  P {:.3f} R {:.3f} F1 {:.3f}".format(*det))
    print("  correction P {:.3f} R {:.3f} F1 {:.3f}".format(*cor))
    print(f"  speed {len(pairs) / elapsed:.1f} sentences/s")
    if show_errors:
        for line in false_alarms:
            print(f"    false alarm {line}")
    return {"precision": det[0], "recall": det[1], "f1": det[2], "false_positives": fp}


# -- reference prose ------------------------------------------------------------------------------


def reference_sentences(text: str) -> list[list[str]]:
    """The reference's paragraphs as lists of the units the typo layer reads (with Chinese in them)."""
    paragraphs = []
    for paragraph in text.split("\n"):
        units = [paragraph[s:e] for s, e in sentence_spans(paragraph)]
        units = [u for u in units if len(CJK.findall(u)) >= 2]
        if units:
            paragraphs.append(units)
    return paragraphs


def inject(sentence: str, rng) -> tuple[str, int] | None:
    """The sentence with one character of a dictionary word replaced from its confusion set, and where."""
    tok = typos.tokenizer()
    places, pos = [], 0
    for seg in tok.lcut(sentence, HMM=False):
        if len(seg) > 1 and all(CJK.match(c) for c in seg):
            places += [pos + i for i, c in enumerate(seg) if c not in typos.FUNCTION_CHARS and typos.confusions(c)]
        pos += len(seg)
    if not places:
        return None
    at = rng.choice(places)
    return sentence[:at] + rng.choice(sorted(typos.confusions(sentence[at]))) + sentence[at + 1 :], at


def _typo_hits(sentence: str) -> list[WordingHit]:
    return [h for h in check_text(sentence) if h.type == "typo"]


def _kept(sentence: str, hits: list[WordingHit], evidence: CorpusEvidence | None) -> list[WordingHit]:
    if evidence is None:
        return hits
    return [h for h in hits if h.kind != "typo" or not evidence.vetoes(evidence_forms(sentence, h))]


def _learnt(halves: list[list[str]], forms: set[str]) -> list[CorpusEvidence]:
    """Evidence for each half, learnt from the other half's text only."""
    return [CorpusEvidence.learn(halves[1 - i], forms) for i in (0, 1)]


def reference_benchmark(path: Path, runs: int = 3, seed: int = 7, show_errors: bool = False) -> None:
    import random
    import statistics

    text = path.read_text(encoding="utf-8")
    paragraphs = reference_sentences(text)
    chars = sum(len(u) for p in paragraphs for u in p)
    halves = [[u for p in paragraphs[i::2] for u in p] for i in (0, 1)]
    sentences = halves[0] + halves[1]
    print(f"reference prose ({path.name}): {len(sentences)} sentences, {chars} characters; every alarm is false")
    speeds = []
    for _ in range(runs):
        typos.clear_cache()
        started = time.process_time()
        found = [[_typo_hits(s) for s in half] for half in halves]
        speeds.append(len(sentences) / (time.process_time() - started))
    print(
        f"  speed (both layers, one core, cache cleared): best {max(speeds):.0f} sentences/s, "
        f"spread {min(speeds):.0f}-{max(speeds):.0f} over {runs} runs (median {statistics.median(speeds):.0f})"
    )
    pairs = [(s, h) for i in (0, 1) for s, hits in zip(halves[i], found[i], strict=True) for h in hits]
    learnt = _learnt(halves, {f for s, h in pairs for f in evidence_forms(s, h)})
    for label, evidence in (("learning off", [None, None]), ("learning from the other half", learnt)):
        alarms = [
            (h.wrong, h.correct, s)
            for i in (0, 1)
            for s, hits in zip(halves[i], found[i], strict=True)
            for h in _kept(s, hits, evidence[i])
        ]
        print(f"  {label}: {len(alarms)} false alarms, {len(alarms) / chars * 1e5:.1f} per 100,000 characters")
        if show_errors:
            for wrong, correct, sentence in alarms:
                print(f"    false alarm {wrong}->{correct}: {sentence[:60]}")
    rng = random.Random(seed)
    cases = [[], []]  # per half: (sentence as judged, injected position or None)
    for i in (0, 1):
        for k, sentence in enumerate(halves[i]):
            made = inject(sentence, rng) if k % 2 else None
            cases[i].append(made if made else (sentence, None))
    judged = [[(s, at, _typo_hits(s)) for s, at in half] for half in cases]
    forms = {f for half in judged for s, _, hits in half for h in hits for f in evidence_forms(s, h)}
    learnt = _learnt([[s for s, _ in half] for half in cases], forms)
    injected = sum(at is not None for half in cases for _, at in half)
    print(f"  injected: one confusion-set typo in {injected} of the sentences (seed {seed}; recall is an upper bound)")
    for label, evidence in (("learning off", [None, None]), ("learning from the other half", learnt)):
        tp = fp = fn = 0
        for i in (0, 1):
            for s, at, hits in judged[i]:
                kept = _kept(s, hits, evidence[i])
                covered = at is not None and any(h.start <= at < h.end for h in kept)
                tp += covered
                fn += at is not None and not covered
                fp += bool(kept) and not covered
        precision = tp / (tp + fp) if tp + fp else 0.0
        print(f"  {label}: detection P {precision:.3f} R {tp / (tp + fn):.3f} ({tp} found, {fp} false, {fn} missed)")
    guard_costs(sentences, [case for half in cases for case in half])


def guard_costs(clean: list[str], cases: list[tuple[str, int | None]]) -> None:
    """What each switchable guard of the statistical layer (typos.GUARDS) costs and saves: with it off,
    the false alarms on the clean sentences and the injected typos found (layer alone, find_typos)."""

    def measure() -> tuple[int, int]:
        typos.clear_cache()
        alarms = sum(len(typos.find_typos(s)) for s in clean)
        found = sum(at is not None and any(h.start <= at < h.end for h in typos.find_typos(s)) for s, at in cases)
        return alarms, found

    alarms, found = measure()
    print(f"  guards (statistical layer alone): all on {alarms} false alarms, {found} injected typos found")
    for guard in sorted(typos.GUARDS):
        typos.GUARDS.discard(guard)
        try:
            off_alarms, off_found = measure()
        finally:
            typos.GUARDS.add(guard)
        print(
            f"    {guard} off: {off_alarms} false alarms ({off_alarms - alarms:+d}), "
            f"{off_found} found ({off_found - found:+d})"
        )
    typos.clear_cache()


# -- held-out real pages -----------------------------------------------------------------------------


def read_pages(folder: Path = HELDOUT_PAGES) -> list[tuple[str, str]]:
    """(source address, text) of each page of benchmarks/data/heldout_pages (the first line names the source)."""
    pages = []
    for path in sorted(folder.glob("*.txt")):
        first, _, text = path.read_text(encoding="utf-8").partition("\n")
        if not first.startswith(SOURCE_LINE):
            raise ValueError(f"{path}: the first line must be '{SOURCE_LINE}ADDRESS'")
        pages.append((first[len(SOURCE_LINE) :].strip(), text))
    return pages


def pages_benchmark(folder: Path = HELDOUT_PAGES, show_errors: bool = False) -> None:
    """Alarms on real government and news pages (every page as published; an alarm may be a real typo:
    read them with --show-errors): each page's main content judged alone (layer alone), then with
    learning from the page itself (typo_evidence.drop_corpus_words: a single page has little to learn from)."""
    pages = read_pages(folder)
    if not pages:
        print(f"real pages: none in {folder}; skipped")
        return
    alone: list[tuple[str, WordingHit]] = []
    learnt: list[tuple[str, WordingHit]] = []
    chars = 0
    for source, text in pages:
        content = main_content(text)
        chars += sum(len(u) for p in reference_sentences(content) for u in p)
        hits = [h for h in check_text(content) if h.type == "typo"]
        alone += [(source, h) for h in hits]
        learnt += [(source, h) for h in drop_corpus_words(content, hits)]
    print(f"real pages ({folder.name}): {len(pages)} pages, {chars} characters")
    for label, alarms in (("layer alone", alone), ("learning from the page itself", learnt)):
        pages_hit = len({s for s, _ in alarms})
        print(
            f"  {label}: {len(alarms)} alarms on {pages_hit} pages, "
            f"{len(alarms) / max(chars, 1) * 1e5:.1f} per 100,000 characters"
        )
    if show_errors:
        for source, hit in alone:
            print(f"    alarm {hit.wrong}->{hit.correct}: {hit.sentence[:60]}  ({source})")


# -- person names -----------------------------------------------------------------------------------

NAME_TEMPLATES = (
    "{title}{name}出席会议并讲话。",
    "会议由{title}{name}主持。",
    "{name}同志任{dept}局长。",
    "拟聘用{name}等{n}名同志。",
    "{name}强调，要压紧压实责任。",
    "{title}{name}带队调研{topic}工作。",
    "联系人：{name}，电话：0571-1234567。",
    "{name}、{name2}、{name3}等同志参加会议。",
    "{topic}党委书记{name}介绍了有关情况。",
    "免去{name}同志的{dept}局长职务。",
)
GIVEN_NAME_TEXT = (
    "建国 建军 建华 建设 国庆 国强 卫国 卫东 志刚 志强 志明 晓东 晓峰 晓燕 海燕 海涛 海军 "
    "红梅 红霞 丽娟 丽华 秀英 秀兰 桂英 玉兰 春梅 春燕 德华 德胜 永红 永强 新华 新民 文华 "
    "文杰 明辉 明亮 金凤 金花 宏伟 宏图 振华 振兴 光明 光辉 俊杰 子涵 雨涵 思远 浩然 博文 "
    "一鸣 天宇 嘉怡 梓萱 静 磊 伟 娜 敏 勇 军 杰 涛 斌 鹏 帆 婷 丹 超 艳 芳 洋 辉 "
    "峰 平 刚 琳 亮"
)
GIVEN_NAMES = GIVEN_NAME_TEXT.split()


def names_check(count: int = 1500, seed: int = 5) -> None:
    """False alarms on sentences full of person names, with and without the name guard."""
    import random

    rng = random.Random(seed)
    surnames = sorted(typos.NAME_SURNAMES)

    def name() -> str:
        return rng.choice(surnames) + rng.choice(GIVEN_NAMES)

    sentences = [
        rng.choice(NAME_TEMPLATES).format(
            title=rng.choice(("市长", "副市长", "县长", "副县长", "局长", "副局长", "主任", "书记")),
            name=name(),
            name2=name(),
            name3=name(),
            dept=rng.choice(("教育", "财政", "民政", "商务")),
            n=rng.randint(2, 30),
            topic=rng.choice(("安全生产", "乡村振兴", "防汛")),
        )
        for _ in range(count)
    ]
    guarded = sum(bool(typos.find_typos(s)) for s in sentences)
    typos.GUARDS.discard("names")
    typos.clear_cache()
    try:
        unguarded = sum(bool(typos.find_typos(s)) for s in sentences)
    finally:
        typos.GUARDS.add("names")
        typos.clear_cache()
    print(f"person names: {count} template sentences full of names (seed {seed}), all correct")
    print(f"  sentences with a false alarm: {guarded} with the name guard, {unguarded} without")


# -- main content ------------------------------------------------------------------------------------

CHROME_MARKS = (
    "网站标识码",
    "ICP备",
    "公网安备",
    "主办单位",
    "承办单位",
    "打印本页",
    "关闭窗口",
    "当前位置",
    "欢迎访问",
    "浏览次数",
    "内部办公",
    "网站地图",
    "长者模式",
    "隐私声明",
)
SPACE = re.compile(r"\s+")


def _extractors() -> dict:
    import lxml.html

    from govsite.text.maincontent import extract_main_text, extractor_available

    found = {}
    if extractor_available():
        found["trafilatura 2 (fast=True, govsite's settings)"] = extract_main_text
    if find_spec("readability"):
        from readability import Document

        def readability_text(html: str) -> str:
            summary = Document(html).summary(html_partial=True)
            return lxml.html.fromstring(summary).text_content() if summary.strip() else ""

        found["readability-lxml"] = readability_text
    if find_spec("justext"):
        import justext

        def justext_text(html: str) -> str:  # no Chinese stoplist ships: length and link density only
            paragraphs = justext.justext(
                html.encode("utf-8"), frozenset(), length_low=10, length_high=40, stopwords_low=0, stopwords_high=0
            )
            return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

        found["jusText (no stoplist)"] = justext_text
    return found


def _sample_pages(benchmark_urls: int | None) -> list[tuple[str, str, str]]:
    """(site, url, html) of every generated HTML page (rendered in memory, decoded as the site declares)."""
    from govsite.samplesites.generate import benchmark_spec, default_specs, render_site

    specs = [benchmark_spec(urls=benchmark_urls)] if benchmark_urls else default_specs()
    pages = []
    for spec in specs:
        site = render_site(spec)
        for path, data in sorted(site.files.items()):
            if path.endswith((".html", ".htm")) or path.endswith("/"):
                url = f"http://{spec.site_slug}.example{path if path.startswith('/') else '/' + path}"
                pages.append((spec.site_slug, url, data.decode(spec.encoding, "replace")))
    return pages


def _article_body(html: str) -> list[str] | None:
    import lxml.html

    tree = lxml.html.fromstring(html)
    body = tree.xpath('//div[@id="zoom"]|//div[@class="TRS_Editor"]')
    if not body:
        return None
    return [SPACE.sub("", p.text_content()) for p in body[0].iter("p", "td", "li") if p.text_content().strip()]


def main_content_benchmark(benchmark_urls: int | None) -> None:
    from govsite.checks import wording as detector_module
    from govsite.checks.base import CheckConfig, SiteCrawl
    from govsite.crawl.analyze import analyze_page
    from govsite.crawl.policy import CrawlPolicy, UrlRules

    pages = _sample_pages(benchmark_urls)
    bodies = {url: _article_body(html) for _, url, html in pages}
    as_of = date(2025, 11, 30)
    records = {}
    started = time.process_time()
    for site, url, html in pages:
        rules = UrlRules(f"http://{site}.example/", CrawlPolicy(), as_of)
        records[url] = (site, analyze_page(url, 200, html, rules, as_of=as_of))
    parse_ms = (time.process_time() - started) / len(pages) * 1000
    articles = sum(b is not None for b in bodies.values())
    print(f"sample sites: {len(pages)} pages, {articles} articles; analyze_page (crawl parse) {parse_ms:.2f} ms/page")

    def report(name: str, texts: dict[str, str], ms: float) -> None:
        kept = total = 0
        left: Counter[str] = Counter()
        chrome_pages = 0
        for url, text in texts.items():
            flat = SPACE.sub("", text)
            marks = [m for m in CHROME_MARKS if m in flat]
            left.update(marks)
            chrome_pages += bool(marks)
            for paragraph in bodies[url] or ():
                total += len(paragraph)
                kept += len(paragraph) * (paragraph in flat)
        print(
            f"  {name}: {ms:.2f} ms/page; article body kept {kept / max(total, 1):.3f}; "
            f"pages with chrome left {chrome_pages}/{len(texts)}; most left: {dict(left.most_common(4))}"
        )

    print("extractors (one page at a time):")
    report("visible text (PageRecord.text)", {u: r.text for u, (_, r) in records.items()}, 0.0)
    for name, extract in _extractors().items():
        times = []
        for _ in range(2):  # the better of two runs: a shared machine is noisy
            started = time.process_time()
            texts = {url: extract(html) for _, url, html in pages}
            times.append(time.process_time() - started)
        report(name, texts, min(times) / len(pages) * 1000)

    print("the wording detector's pipeline (visible text, footer/identity filter, per-site dedup):")
    by_site: dict[str, dict] = {}
    for url, (site, record) in records.items():
        by_site.setdefault(site, {})[url] = record
    crawls = []
    for site_pages in by_site.values():
        homes = [u for u in site_pages if u.count("/") == 3 and u.endswith(("/", "/index.html"))]
        home = homes[0] if homes else next(iter(site_pages))
        crawls.append(SiteCrawl(home, CheckConfig(as_of=as_of), pages=site_pages))
    checked = {}
    started = time.process_time()
    for crawl in crawls:
        checked.update(detector_module.checked_texts(crawl))
    report("filter + dedup", checked, (time.process_time() - started) / len(pages) * 1000)
    typos.tokenizer()  # load the dictionary and the tagger outside the timing
    typos.person_names("会议由王建国主持。")
    check_text("预热：加载词库。")
    for layer in (False, True):
        options = detector_module.WordingOptions(general_typos=layer)
        findings = []
        started = time.process_time()
        for crawl in crawls:
            findings += list(detector_module.wording(crawl, options))
        ms = (time.process_time() - started) / len(pages) * 1000
        label = "on" if layer else "off (lexicon only)"
        print(f"  wording detector, statistical layer {label}: {ms:.2f} ms/page, {len(findings)} findings")
    for finding in findings[:20]:
        print(f"    {finding.url}: {finding.evidence}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sighan", help="path of sighan2015_test.tsv (pycorrector/data)")
    parser.add_argument("--gov", default=str(GOV_SET), help="government-style set (default: %(default)s)")
    parser.add_argument("--show-errors", action="store_true", help="print every false alarm")
    parser.add_argument("--reference", help="clean reference prose (default: shared/reference/ beside the repo)")
    parser.add_argument("--runs", type=int, default=3, help="speed runs on the reference (best and spread)")
    parser.add_argument(
        "--pages-dir",
        action="append",
        help=f"folder of real pages, repeatable (default: {HELDOUT_PAGES.name} and {DEV_PAGES.name})",
    )
    parser.add_argument("--main-content", action="store_true", help="measure main-content extraction instead")
    parser.add_argument("--pages", type=int, help="with --main-content: one large site of about N URLs")
    args = parser.parse_args()
    if args.main_content:
        main_content_benchmark(args.pages)
        return
    typos.warm_up()  # load the dictionaries, the tagger and wordfreq's list outside the timing
    check_text("预热：加载词库。")
    reference = Path(args.reference) if args.reference else default_reference()
    if reference is not None:
        reference_benchmark(reference, args.runs, show_errors=args.show_errors)
    else:
        print("reference prose: not found (pass --reference PATH); skipped")
    for folder in args.pages_dir or (HELDOUT_PAGES, DEV_PAGES):
        pages_benchmark(Path(folder), args.show_errors)
    evaluate("government-style (benchmarks/data/gov_typo_set.tsv)", read_gov_set(Path(args.gov)), args.show_errors)
    names_check()
    path = sighan_path(args.sighan)
    if path and path.exists():
        evaluate("SIGHAN-2015 (pycorrector copy)", read_sighan(path), args.show_errors)
        print("  published Kenlm-CSC (pycorrector README): P 0.802 R 0.196 F1 0.315, ~9 sentences/s")
    else:
        print("SIGHAN-2015: not found (pass --sighan PATH); skipped")


if __name__ == "__main__":
    main()

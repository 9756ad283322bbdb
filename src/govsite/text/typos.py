"""General Chinese typo detection (错别字), tuned for precision over recall.

`find_typos(sentence)` returns `TypoHit`s: a wrong character inside a word
that the segmenter could not recognise, with the suggested word. The method:

1. Segment the sentence with jieba's dictionary only (`HMM=False`), so a
   word broken by a wrong character falls apart into single characters.
2. For each single-character segment `c` (not a function character such as
   的/在/是, see `FUNCTION_CHARS`), look at the windows of 2–4 characters made
   of whole neighbouring segments that contain it. A window that is itself a
   dictionary word is fine.
3. Replace `c` by each candidate from the confusion sets (same pinyin, same
   or other tone; similar shape — pycorrector's `same_pinyin.txt` /
   `same_stroke.txt`, copied into `text/data` with attribution). If the result
   is a dictionary word with frequency at least `MIN_WORD_FREQ` (jieba's word
   counts, about 60 M tokens in all), and re-segmenting the corrected
   sentence keeps that word as one segment, the window is a typo candidate.
4. The most frequent correction wins; a window is reported only if the
   correction is at least `MIN_RATIO` times more frequent than the best
   alternative correction of the same window (an ambiguous fix is no fix).
5. Evidence that the form as written is right wins over the correction:
   - the form is a word of its own in wordfreq's Chinese list (a list built
     from web, news, subtitle and Wikipedia text, not from jieba's dictionary:
     微信, 共治, 发力 …) at least `WORD_EVIDENCE` often, or at least
     1/`WORD_EVIDENCE_RATIO` as often as its correction;
   - the suspect character and the characters outside the window on its side
     make such a word (差评|均: 差评 is listed, so 评 is not a typo of 平);
   - the correction does not make the sentence clearly more likely: jieba's
     unigram probability of the corrected word must exceed the product of the
     probabilities of the segments as written by `MIN_GAIN` (谁|能 -> 水能,
     办|的 -> 般的, 仍|是 -> 乃是 are frequent words side by side, not a
     broken word);
   - a form the corpus itself uses in many distinct contexts (a site, a
     survey: `CorpusEvidence`) is a word; that is decided by the caller
     (govsite.checks.wording), since one sentence cannot tell.

Never inside: digits or Latin text, book-title marks 《…》 and short quotes
“…”, document numbers (青政办函〔2023〕12号: abbreviations, not words), the
last characters of a cut-off title or file name (关于安全生….pdf), web
page chrome words (打印本页, 尾页 …: `WEB_TERMS`), whitelist words; never a
window right before a place suffix (省市县区镇乡村…: an unknown place name
falls apart like a typo does), on an administrative-level character
(省市县区乡镇村: 2025年县民政局), starting with a common surname followed by
single characters, or on a person name as jieba's tagger reads it (POS nr*
starting with a surname: 副局长周卫东) — names are never "corrected". A window
that starts with a measure word right after a number (2天|报到 -> 填报) or with
a productive suffix right after a word (公示期|为 -> 极为) is a segmentation
artefact, not a typo. New words and set phrases of real prose are not typos
either: a window of two abbreviation morphemes of digital-government vocabulary
(数智, 智控, 企服通: `COINAGE_MORPHEMES`; the price: 政治 written 政智 is not
reported), a conjunction between a word and the next phrase (无障碍|及|适老化 ->
及时: `CONJUNCTIONS`), a character heading the items of an enumeration
(减环节、减材料、减时限 -> 中间). `GUARDS` names the switchable guards (admin,
names, number, suffix, evidence: step 5, coinage, conjunction, parallel), for
benchmarks/typo_benchmark.py to measure what each costs.

Known wrong forms (`known_typos`, text/data/known_typos.txt: 按装, 自已, 做为,
秸杆, 攻府) are reported even where jieba or wordfreq list them as words, where
the segmentation keeps the form whole and the correction segments as a word.

Not for: serious errors (outdated names, political expressions, leader
names — govsite.text.wording), footer filtering (wording.main_content).
"""

from __future__ import annotations

import logging
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING

from govsite.text import wordlist

if TYPE_CHECKING:
    import jieba

MIN_WORD_FREQ = 300  # the corrected word must be common
MIN_RATIO = 5.0  # and clearly better than any other correction of the same window
MAX_WINDOW = 4
# A form as written that wordfreq's Chinese list counts this often (share of all tokens: 1e-7 is Zipf 2,
# about once in ten million words) is a word, not a typo; or when it is at least 1/RATIO as common as its
# correction (a typo is a rare slip of a common word: 维保 is a word beside 难保).
WORD_EVIDENCE = 1e-7
WORD_EVIDENCE_RATIO = 500
# The corrected word must be this many times more likely than the segments as written side by side
# (jieba's unigram model: P(word) against the product of P(segment)); log10 of the factor.
MIN_GAIN = 2.5
MAX_SENTENCE = 400  # characters checked per sentence (bounded work)
# Sentences remembered with their result (about 20 MB at most): a site repeats its breadcrumbs, labels and
# boilerplate on hundreds of pages; on the benchmark site 27,414 of 105,735 checked sentences are distinct.
SENTENCE_CACHE = 100_000

# Characters that are almost always right where they stand, or whose confusions (的/地/得, 在/再) are style issues
# rather than errors a government site is judged on.
FUNCTION_CHARS = set(
    "的地得了着过在再是不也都和与及或而但就还又很太更最把被让给对向从自于以为之其所这那此该各每本个们您你我他她它"
    "吗呢吧啊呀嘛哦有无没并且即如若则乃亦已将要会能可应需须由经按据至到上下中内外前后里间年月日时分号第一二三四五"
    "六七八九十百千万亿两几多少些请等用使跟同比往朝沿凭照当趁令叫做作来去说看想"
)
PLACE_SUFFIX = set("省市县区镇乡村州旗盟路街巷道里屯寨湾河江湖山岛")
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟"
    "谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
ADMIN_LEVEL = set("省市县区乡镇村")
CJK = re.compile(r"[\u4e00-\u9fff]")
MASKED_SPANS = re.compile(
    r"《[^》\n]{0,80}》|〈[^〉\n]{0,80}〉|“[^”\n]{0,30}”|「[^」\n]{0,30}」|\"[^\"\n]{0,30}\""
    # document numbers: 青政办函〔2023〕12号, 国办发[2024]3号 (the issuer's abbreviation before the year)
    r"|[\u4e00-\u9fff]{1,6}\s?[〔\[［(（【]\s?(?:19|20)\d\d\s?[〕\]］)）】]\s?第?\d{1,5}\s?号"
    # the end of a cut-off title or file name (关于安全生….pdf, 安全生...): a word cut short, not a typo
    r"|[\u4e00-\u9fff]{1,3}(?=\.{2,}|…|(?i:\.(?:pdf|docx?|xlsx?|csv|wps|et|ofd|txt|zip|rar|7z|pptx?)\b))"
)
# Words of page chrome that the statistical layer would "correct" (本页 -> 本领, 尾页 -> 一页).
WEB_TERMS = (
    "打印本页",
    "关闭本页",
    "本页",
    "首页",
    "尾页",
    "末页",
    "上一页",
    "下一页",
    "上一篇",
    "下一篇",
    "关闭窗口",
    "返回顶部",
    "分享到",
    "字号",
    "浏览次数",
    "访问量",
    "扫一扫",
    "无障碍",
    "长者模式",
    "网站地图",
)
NAME_TAGS = ("nr", "nrfg", "nrt")
# Surnames a tagged name must start with (the tagger also tags broken words such as 泽任 as names).
NAME_SURNAMES = SURNAMES | set(
    "温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席"
    "卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝闫萧洪高常赖"
)
NAME_CONTEXT = 10  # characters each side of a candidate that the name tagger reads
GUARDS = {  # all on; a benchmark may switch one off
    "admin",
    "names",
    "number",
    "suffix",
    "evidence",
    "conjunction",
    "parallel",
    "coinage",
}
# A conjunction between two phrases (无障碍|及|适老化, 智能预警|与|惠企政策): the layer would join it with the
# first character of the next phrase into a word (及时, 与会).
CONJUNCTIONS = set("及与和或并暨")
# Abbreviation morphemes of the vocabulary of digital government (数字, 智能/智慧, 云计算, 区块链, 二维码,
# 网络, 电子, 政务, 企业, 惠及, 服务, 办理, 通办, 管控, 汇聚, 治理): new words are made of two of them
# (数智, 数治, 智控, 智汇, 惠企, 企服通), faster than any dictionary lists them.
COINAGE_MORPHEMES = set("数智云链码网电政企惠服办通控汇治")
# Productive suffixes: 公示期, 有效期, 参保率 are words jieba does not list, not typos of 期为 -> 极为.
SUFFIX_CHARS = set("期性化者员费率式型类度量界方段面点")
NUMERALS = set("0123456789０１２３４５６７８９一二三四五六七八九十百千万两半几")


@dataclass(frozen=True)
class TypoHit:
    start: int  # span of the wrong text in the sentence
    end: int
    wrong: str  # the window as written
    correct: str  # the window corrected
    score: float  # frequency of the correction


@cache
def tokenizer() -> jieba.Tokenizer:
    # jieba and pypinyin are imported where the layer runs (the judge's typo helper, or the judge),
    # not by every process that imports this module (the crawler: ~70 MB it would never use).
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def word_freq(word: str) -> int:
    return tokenizer().FREQ.get(word, 0)


def usage_freq(word: str) -> float:
    """The share of tokens that `word` is in wordfreq's Chinese list (0.0 when it is not listed)."""
    return wordlist.frequency(word)


def is_attested(wrong: str, correct: str) -> bool:
    """The form as written is a word in its own right: common, or common next to its correction."""
    seen = usage_freq(wrong)
    return seen >= WORD_EVIDENCE or seen * WORD_EVIDENCE_RATIO >= usage_freq(correct) > 0


def gain(correct_freq: int, segments: Iterable[str]) -> float:
    """log10 of how much more likely the corrected word is than the segments as written (jieba's unigrams)."""
    parts = list(segments)
    total = tokenizer().total
    return (
        math.log10(max(correct_freq, 1))
        - sum(math.log10(max(word_freq(s), 1)) for s in parts)
        + (len(parts) - 1) * math.log10(total)
    )


def _read_table(name: str) -> list[list[str]]:
    rows = []
    text = files("govsite.text").joinpath("data", name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@cache
def same_pinyin() -> dict[str, tuple[str, str]]:
    """char -> (same pinyin same tone, same pinyin other tone)."""
    table = {}
    for row in _read_table("same_pinyin.txt"):
        char = row[0].strip()
        if len(char) == 1:
            table[char] = (row[1].strip() if len(row) > 1 else "", row[2].strip() if len(row) > 2 else "")
    return table


@cache
def same_stroke() -> dict[str, set[str]]:
    """char -> characters of similar shape."""
    table: dict[str, set[str]] = {}
    for row in _read_table("same_stroke.txt"):
        group = [c.strip() for c in row if len(c.strip()) == 1]
        for char in group:
            table.setdefault(char, set()).update(c for c in group if c != char)
    return table


@cache
def confusions(char: str, tone_sensitive: bool = False) -> frozenset[str]:
    """Characters a writer may have meant instead of `char`."""
    same_tone, other_tone = same_pinyin().get(char, ("", ""))
    found = set(same_tone) | same_stroke().get(char, set())
    if not tone_sensitive:  # the table's other-tone column is loose (zh/z, eng/en): keep true homophones only
        syllables = _syllables(char)
        found |= {c for c in other_tone if _syllables(c) & syllables}
    found.discard(char)
    return frozenset(c for c in found if CJK.match(c))


@cache
def _syllables(char: str) -> frozenset[str]:
    pypinyin = _pypinyin()
    return frozenset(pypinyin.pinyin(char, style=pypinyin.Style.NORMAL, heteronym=True)[0])


@cache
def _pypinyin():
    # Only single characters are looked up: without its phrase dictionary (pypinyin's documented
    # PYPINYIN_NO_PHRASES) pypinyin takes 11 MB instead of 55 MB and reads characters the same.
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    import pypinyin

    return pypinyin


def masked_positions(sentence: str, whitelist: Iterable[str] = ()) -> list[bool]:
    """Positions never checked: titles in 《》, short quotes, document numbers, page chrome words, whitelist words."""
    mask = [False] * len(sentence)
    for match in MASKED_SPANS.finditer(sentence):
        for i in range(match.start(), match.end()):
            mask[i] = True
    for word in (*WEB_TERMS, *whitelist):
        if not word:
            continue
        start = sentence.find(word)
        while start != -1:
            for i in range(start, start + len(word)):
                mask[i] = True
            start = sentence.find(word, start + 1)
    return mask


def find_typos(sentence: str, whitelist: Iterable[str] = ()) -> list[TypoHit]:
    """Typos in one sentence, most confident first per window; windows never overlap."""
    return list(_find_typos(sentence[:MAX_SENTENCE], frozenset(whitelist)))


def warm_up() -> None:
    """Load the segmenter, the name tagger and the confusion tables now (~1 s; else on first use)."""
    tokenizer()
    _tagger()
    same_pinyin()
    same_stroke()
    wordlist.load()
    known_typos()


def clear_cache() -> None:
    """Forget remembered sentences (after changing GUARDS or a threshold)."""
    _find_typos.cache_clear()


@dataclass(frozen=True)
class KnownTypo:
    correct: str
    before: re.Pattern[str] | None  # what the text before the form must end with (None: anything)


@cache
def known_typos() -> dict[str, KnownTypo]:
    """Known wrong forms (text/data/known_typos.txt): wrong -> its correction and context."""
    table = {}
    for row in _read_table("known_typos.txt"):
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise ValueError(f"known_typos.txt: a line needs wrong<TAB>correct, not {row!r}")
        before = re.compile(f"(?:{row[2].strip()})$") if len(row) > 2 and row[2].strip() else None
        table[row[0].strip()] = KnownTypo(row[1].strip(), before)
    return table


def is_known_typo(wrong: str, correct: str) -> bool:
    """`wrong` -> `correct` is a listed known wrong form (no corpus makes it a word)."""
    known = known_typos().get(wrong)
    return known is not None and known.correct == correct


@lru_cache(maxsize=SENTENCE_CACHE)
def _find_typos(sentence: str, whitelist: frozenset[str]) -> tuple[TypoHit, ...]:
    tok = tokenizer()
    segments = tok.lcut(sentence, HMM=False)
    offsets = []
    pos = 0
    for seg in segments:
        offsets.append(pos)
        pos += len(seg)
    mask = masked_positions(sentence, whitelist)
    hits = _known_hits(sentence, offsets, mask)
    taken = {i for h in hits for i in range(h.start, h.end)}
    for k, seg in enumerate(segments):
        if len(seg) != 1 or not CJK.match(seg) or seg in FUNCTION_CHARS or mask[offsets[k]]:
            continue
        if seg in ADMIN_LEVEL and "admin" in GUARDS:
            continue  # 2025年县民政局: 县 on its own is the county, not a typo of 年限
        if not confusions(seg):
            continue
        best = _best_window(sentence, segments, offsets, k, mask)
        if best is None:
            continue
        if any(i in taken for i in range(best.start, best.end)):
            continue
        if "names" in GUARDS and _in_person_name(sentence, best.start, best.end):
            continue
        taken.update(range(best.start, best.end))
        hits.append(best)
    return tuple(sorted(hits, key=lambda h: h.start))


def _known_hits(sentence: str, offsets: list[int], mask: list[bool]) -> list[TypoHit]:
    """Known wrong forms kept whole by the segmentation (their own segment boundaries), in context."""
    bounds = {*offsets, len(sentence)}
    hits = []
    for wrong, known in known_typos().items():
        start = sentence.find(wrong)
        while start != -1:
            end = start + len(wrong)
            if (
                start in bounds
                and end in bounds
                and not any(mask[start:end])
                and (known.before is None or known.before.search(sentence[:start]))
                and _segmented_as_word(sentence[:start] + known.correct + sentence[end:], start, known.correct)
            ):
                hits.append(TypoHit(start, end, wrong, known.correct, float(word_freq(known.correct))))
            start = sentence.find(wrong, start + 1)
    return hits


@cache
def _tagger():
    import jieba.posseg

    return jieba.posseg.POSTokenizer(tokenizer())


def _in_person_name(sentence: str, start: int, end: int) -> bool:
    """The candidate sentence[start:end] lies in a person name, as the tagger reads the text around it.

    Only NAME_CONTEXT characters each side go to the tagger: its HMM reads a run of characters it does
    not know in time that grows faster than the run (a 400-character line of rare characters took 0.9 s
    where a 24-character window takes under 2 ms), and a name is a few characters long."""
    lo = max(0, start - NAME_CONTEXT)
    return any(start < lo + e and lo + s < end for s, e in person_names(sentence[lo : end + NAME_CONTEXT]))


def person_names(sentence: str) -> list[tuple[int, int]]:
    """Spans that jieba's part-of-speech tagger reads as person names (nr, nrfg, nrt)."""
    spans = []
    pos = 0
    for pair in _tagger().lcut(sentence):
        end = pos + len(pair.word)
        if pair.flag in NAME_TAGS and (pair.word[0] in NAME_SURNAMES or pair.flag == "nrfg"):
            spans.append((pos, end))
        pos = end
    return spans


def _windows(segments: list[str], k: int) -> Iterable[tuple[int, int]]:
    """(first, last) segment indexes of windows of 2..MAX_WINDOW characters containing segment k."""
    for first in range(k, max(-1, k - MAX_WINDOW), -1):
        for last in range(k, min(len(segments), k + MAX_WINDOW)):
            if first == last:
                continue
            length = sum(len(segments[i]) for i in range(first, last + 1))
            if 2 <= length <= MAX_WINDOW:
                yield first, last


def _best_window(sentence: str, segments: list[str], offsets: list[int], k: int, mask: list[bool]) -> TypoHit | None:
    char = segments[k]
    best: TypoHit | None = None
    for first, last in _windows(segments, k):
        start = offsets[first]
        end = offsets[last] + len(segments[last])
        window = sentence[start:end]
        if not all(CJK.match(c) for c in window) or any(mask[start:end]) or word_freq(window) > 0:
            continue
        if end < len(sentence) and sentence[end] in PLACE_SUFFIX:
            continue  # an unknown place name
        if _looks_like_name(segments, first, last):
            continue
        at = offsets[k] - start
        if at == 0 and "suffix" in GUARDS and seg_suffix(segments, first, char):
            continue  # 公示期|为 -> 极为: a suffix of the word before
        if at == 0 and "number" in GUARDS and first > 0 and segments[first - 1][-1] in NUMERALS:
            continue  # 2天|报到 -> 填报: a measure word after a number
        scored = sorted(
            ((word_freq(window[:at] + cand + window[at + 1 :]), cand) for cand in confusions(char)), reverse=True
        )
        if not scored or scored[0][0] < MIN_WORD_FREQ:
            continue
        top, cand = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else 0
        if runner_up and top < MIN_RATIO * runner_up:
            continue
        corrected = window[:at] + cand + window[at + 1 :]
        if _new_word(segments, first, last, k, window):
            continue  # 数智, 无障碍|及|适老化, 减环节、减材料: new words and set phrases of real prose
        if "evidence" in GUARDS and (
            gain(top, segments[first : last + 1]) < MIN_GAIN
            or is_attested(window, corrected)
            or _in_outside_word(sentence, offsets[k], start, end)
        ):
            continue  # likely as it stands (谁|能, 办|的), a word of its own (微信), part of one (差评|均)
        fixed_sentence = sentence[:start] + corrected + sentence[end:]
        if not _segmented_as_word(fixed_sentence, start, corrected):
            continue
        hit = TypoHit(start, end, window, corrected, float(top))
        if best is None or hit.score > best.score:
            best = hit
    return best


def _new_word(segments: list[str], first: int, last: int, k: int, window: str) -> bool:
    """The window is a new word or a set phrase, not a broken word (the guards coinage, conjunction, parallel;
    checked only for a window that has a correction: the enumeration test reads the whole sentence)."""
    if "coinage" in GUARDS and all(c in COINAGE_MORPHEMES for c in window):
        return True  # 数智, 智控: a new word of two abbreviation morphemes
    if "conjunction" in GUARDS and _joins_phrases(segments, first, k):
        return True  # 无障碍|及|适老化 -> 及时: a conjunction before the next phrase
    return "parallel" in GUARDS and _in_parallel(segments, first, last)  # 减环节、减材料、减时限


def _joins_phrases(segments: list[str], first: int, k: int) -> bool:
    """The window starts with a conjunction standing between a word and the suspect character."""
    return (
        k == first + 1
        and segments[first] in CONJUNCTIONS
        and first > 0
        and len(segments[first - 1]) >= 2
        and all(CJK.match(c) for c in segments[first - 1])
    )


def _in_parallel(segments: list[str], first: int, last: int) -> bool:
    """A single character of the window heads items of an enumeration (减环节、减材料、减时限): it stands
    alone right after an enumeration comma at least twice in the sentence."""
    for i in range(first, last + 1):
        char = segments[i]
        if len(char) == 1:
            heads = sum(1 for j in range(1, len(segments)) if segments[j] == char and segments[j - 1] == "、")
            if heads >= 2:
                return True
    return False


def _in_outside_word(sentence: str, at: int, start: int, end: int) -> bool:
    """The suspect character at `at`, on the edge of the window start..end, with one or two characters
    outside it, is a word in wordfreq's list (so the character belongs to a word jieba does not know)."""
    forms = []
    if at == end - 1:
        forms += [sentence[at : end + n] for n in (1, 2) if end + n <= len(sentence)]
    if at == start:
        forms += [sentence[start - n : at + 1] for n in (1, 2) if start - n >= 0]
    return any(all(CJK.match(c) for c in f) and usage_freq(f) >= WORD_EVIDENCE for f in forms)


def seg_suffix(segments: list[str], k: int, char: str) -> bool:
    """Segment k is a productive suffix right after a word of two or more characters."""
    return char in SUFFIX_CHARS and k > 0 and len(segments[k - 1]) >= 2 and bool(CJK.match(segments[k - 1][-1]))


def _looks_like_name(segments: list[str], first: int, last: int) -> bool:
    """A window inside a run of single characters that starts with a common surname: an unknown person name."""
    run_start = first
    while run_start > 0 and len(segments[run_start - 1]) == 1 and CJK.match(segments[run_start - 1]):
        run_start -= 1
    return any(
        len(segments[i]) == 1 and segments[i] in SURNAMES and i + 1 < len(segments) and len(segments[i + 1]) == 1
        for i in range(run_start, last + 1)
    )


def _segmented_as_word(sentence: str, start: int, word: str) -> bool:
    """The corrected window is one segment, or lies inside one (贯彻落实 holds 落实)."""
    end = start + len(word)
    pos = 0
    for seg in tokenizer().lcut(sentence, HMM=False):
        seg_end = pos + len(seg)
        if pos <= start < seg_end:
            return seg_end >= end
        pos = seg_end
    return False

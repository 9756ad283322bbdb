"""Serious wording errors and typos in Chinese government text.

`check_text(text, lexicons=None)` returns `WordingHit`s, each with the wrong
text, the expected form and the surrounding sentence (at most
`CONTEXT_CHARS`). Two layers:

- **Serious errors**, driven by a YAML lexicon (`text/data/wording.yaml`,
  format documented at its top; a deployment passes its own file and extra
  files merged on top, see `load_lexicons`):
  outdated institution names (2018 State Council reform and local
  counterparts) -> `sensitive_expression`, unless the mention is historical:
  inside 《》, marked 原…/（原…）/前身/更名/组建/撤销/不再保留/时任…, in a
  sentence naming a year up to the rename, or on a page published before it;
  a name the reform kept as a 牌子 (国家海洋局 at 自然资源部, `plate` in the
  lexicon) only where it names the body that acts now (国家海洋局发布…,
  经国家海洋局批准…), never in a list of institutions, next to its parent
  body (自然资源部（国家海洋局）) or in a sentence about the 牌子;
  fixed political expressions written wrong (listed wrong forms, plus every
  one-character same-pinyin / similar-shape substitution of long expressions)
  -> `sensitive_expression`; official titles and deployment-listed leader
  names written wrong -> `typo` with `serious=True`; listed common
  misspellings -> `typo`.
- **General typos** (`govsite.text.typos`): confusion sets + word frequency,
  strict thresholds, -> `typo`.

The thousands of wrong forms of the expressions and titles (listed plus
generated variants) are matched in one pass: an Aho-Corasick automaton
(pyahocorasick) built once per lexicon, or without it one compiled regex over
their trie (`LiteralMatcher`).

Whitelist words (lexicon `whitelist` plus the caller's) suppress every hit
whose wrong text lies inside one of their occurrences. The lexicon's
`site_whitelists` (host -> words) are read here and applied by the detector
(govsite.checks.wording.site_whitelist) or `govsite text check --site`.

`main_content(text, footer_text)` strips what must not be checked: the
footer block and identity-mark units (网站标识码, ICP备, 公网安备, 主办单位,
联系电话 …) with the value that follows a bare label.

Not for: deciding findings (govsite.checks.wording does that).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from govsite import optional
from govsite.text import typos
from govsite.text.personal_data import mask_text

# One automaton for thousands of lexicon forms; without it, one compiled regex (a few times slower).
ahocorasick = optional.load(
    "ahocorasick",
    role="词库匹配",
    without="改用正则表达式逐一匹配，结果相同但慢数倍",
    fix="pip install pyahocorasick",
)

CONTEXT_CHARS = 60
MAX_TEXT_CHARS = 200_000  # bounded work per text
SENTENCE_END = re.compile(r"[。！？；!?\n]")
UNIT_SPLIT = re.compile(r"[。！？；!?\n]|\s+")
UNIT = re.compile(r"[^。！？；!?\s]+")  # what lies between two UNIT_SPLIT matches
IDENTITY_MARK = re.compile(
    r"网站标识码|ICP备|ICP证|公网安备|公安备案|主办单位|承办单位|主管单位|协办单位|技术支持|维护单位|联系电话|联系方式|"
    r"联系地址|通讯地址|地址[:：]|邮编|邮政编码|传真|电子邮箱|版权所有|Copyright|©|政府网站找错|党政机关",
    re.IGNORECASE,
)
HISTORICAL = re.compile(
    r"前身|更名|改名|组建|撤销|撤并|不再保留|划入|划转|整合|改革前|时任|曾任|曾经|原为|[（(]原|当时|旧称"
)
RECENT_ORIGINAL = re.compile(r"原[^，。；、,;\s《》]{0,10}$")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")
# What makes a 牌子 name the body acting now: right after it (other institutions joined to it and a
# date may come between) a verb of issuing, deciding or organising; or right before it 经/由 (经…批准).
ACTING_VERB = (
    r"(?:联合|会同)?(?:发布|印发|公布|发出|下发|出台|召开|举办|主办|组织|开展|部署|批准|批复|审批|核准|决定|宣布"
    r"|通报|启动|制定|修订|发文|公告|通知|要求|提出|表示|指出|强调|负责|牵头|颁发|授予|认定|同意)"
)
ACTING_AFTER = re.compile(
    r"(?:[、和与及][^，。；、\s]{2,16}?(?:部|局|委|委员会|署|办|办公室|院|总局|中心))*"
    r"(?:近日|日前|今天|今日|昨天|昨日|于?(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?)?" + ACTING_VERB
)
ACTING_BEFORE = re.compile(r"(?:经|由)$")
PLATE_WORD = "牌子"  # 加挂/对外保留/保留…牌子, 两块牌子: a sentence about the 牌子 itself
CJK = re.compile(r"[\u4e00-\u9fff]")

KINDS = ("outdated_name", "expression", "title", "leader", "common_typo", "typo")
TYPE_OF_KIND = {
    "outdated_name": "sensitive_expression",
    "expression": "sensitive_expression",
    "title": "typo",
    "leader": "typo",
    "common_typo": "typo",
    "typo": "typo",
}
SERIOUS_KINDS = {"outdated_name", "expression", "title", "leader"}


@dataclass(frozen=True)
class WordingHit:
    type: str  # typo | sensitive_expression (finding types)
    kind: str  # one of KINDS
    wrong: str  # the text as written
    correct: str  # the expected form
    sentence: str  # the surrounding sentence, at most CONTEXT_CHARS
    start: int  # span of `wrong` in the checked text
    end: int
    serious: bool


@dataclass(frozen=True)
class OutdatedName:
    pattern: re.Pattern[str]
    correct: str
    since: date | None = None
    not_after: tuple[str, ...] = ()
    not_before: tuple[str, ...] = ()
    literal: str = ""  # the name as written when the lexicon gives it as `wrong` (not `regex`)
    # For a regex led by a one-character lookbehind, the same regex with that character consumed: the
    # engine cannot skip ahead to a lookbehind, so the regex itself tries every position (30x slower);
    # where the prefilter finds nothing, neither can the regex.
    prefilter: re.Pattern[str] | None = None
    # For a name kept as a 牌子 (对外保留/加挂…牌子): the bodies that carry or carried it (full and short
    # names). Such a name is an error only where it names the body acting now (`_acts_now`).
    plates: tuple[str, ...] = ()


@dataclass
class Lexicons:
    outdated: list[OutdatedName] = field(default_factory=list)
    expressions: dict[str, tuple[str, str]] = field(default_factory=dict)  # wrong form -> (correct, kind)
    leaders: list[str] = field(default_factory=list)
    common_typos: dict[str, str] = field(default_factory=dict)
    whitelist: set[str] = field(default_factory=set)
    site_whitelists: dict[str, set[str]] = field(default_factory=dict)  # host -> words (the detector applies them)
    # Built once per lexicon, shared with the with_whitelist copies: (number of forms, matcher).
    _matchers: dict[str, tuple[int, LiteralMatcher]] = field(default_factory=dict, repr=False, compare=False)

    def with_whitelist(self, words: Iterable[str]) -> Lexicons:
        words = {w for w in words if w}
        if not words:
            return self
        return Lexicons(
            self.outdated,
            self.expressions,
            self.leaders,
            self.common_typos,
            self.whitelist | words,
            self.site_whitelists,
            self._matchers,
        )

    def outdated_matcher(self) -> LiteralMatcher:
        """One automaton over the outdated names given literally (rebuilt if names were added since)."""
        return self._matcher("outdated", len(self.outdated), lambda: {e.literal for e in self.outdated if e.literal})

    def expression_matcher(self) -> LiteralMatcher:
        """One automaton over every wrong form of `expressions` (rebuilt if forms were added since)."""
        return self._matcher("expressions", len(self.expressions), lambda: self.expressions)

    def _matcher(self, name: str, size: int, words: Callable[[], Iterable[str]]) -> LiteralMatcher:
        """The matcher `name`, built from `words()` again when its section's size changed."""
        built = self._matchers.get(name)
        if built is None or built[0] != size:
            built = (size, LiteralMatcher(words()))
            self._matchers[name] = built
        return built[1]


class LiteralMatcher:
    """Every occurrence, overlapping ones included, of a fixed set of strings, found in one pass.

    pyahocorasick's automaton when it is installed; otherwise one compiled regex over the
    strings' trie (longest match at each position) plus each string's proper prefixes that
    are strings of the set too (the other matches that can start at the same position).
    """

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(w for w in words if w)
        self._automaton = None
        self._regex: re.Pattern[str] | None = None
        self._prefixes: dict[str, tuple[str, ...]] = {}
        if not self.words:
            return
        if ahocorasick is not None:
            automaton = ahocorasick.Automaton()
            for word in self.words:
                automaton.add_word(word, word)
            automaton.make_automaton()
            self._automaton = automaton
            return
        optional.report_missing("ahocorasick")
        self._regex = re.compile(f"(?=({_trie_regex(self.words)}))")
        for word in self.words:
            shorter = tuple(word[:n] for n in range(len(word) - 1, 0, -1) if word[:n] in self.words)
            if shorter:
                self._prefixes[word] = shorter

    def find_all(self, text: str) -> list[tuple[int, str]]:
        """(start, string) of every occurrence, by start, longest first at the same start."""
        if self._automaton is not None:
            found = [(end + 1 - len(word), word) for end, word in self._automaton.iter(text)]
            found.sort(key=lambda f: (f[0], -len(f[1])))
            return found
        if self._regex is None:
            return []
        found = []
        for match in self._regex.finditer(text):
            word = match.group(1)
            found.append((match.start(), word))
            found.extend((match.start(), w) for w in self._prefixes.get(word, ()))
        return found


def _trie_regex(words: Iterable[str]) -> str:
    """A regex matching exactly `words`, longest first, as nested alternations over their shared prefixes."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + build(node[char]) for char in sorted(node) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def bundled_lexicon_path() -> Path:
    return Path(str(files("govsite.text").joinpath("data", "wording.yaml")))


def load_lexicons(path: str | Path | None = None, extra: Sequence[str | Path] = ()) -> Lexicons:
    """The lexicon in `path` (default: the bundled one) with the `extra` files merged on top."""
    lex = Lexicons()
    for source in [path or bundled_lexicon_path(), *extra]:
        data = yaml.safe_load(Path(source).read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{source}: a wording lexicon is a mapping of sections")
        _merge(lex, data, str(source))
    return lex


@cache
def default_lexicons() -> Lexicons:
    return load_lexicons()


LOOKBEHIND_LED = re.compile(r"\(\?<=(\[[^\]\\]*\]|[^\\()\[\]|.*+?{}^$])\)(.+)", re.DOTALL)


def _lookbehind_prefilter(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """`(?<=X)REST` with X one character or class -> `X(?:REST)` (see OutdatedName.prefilter)."""
    led = LOOKBEHIND_LED.fullmatch(pattern.pattern)
    if not led:
        return None
    try:
        return re.compile(f"{led.group(1)}(?:{led.group(2)})", pattern.flags)
    except re.error:
        return None


def _merge(lex: Lexicons, data: dict[str, Any], source: str) -> None:
    for entry in data.get("outdated_names") or []:
        prefilter = None
        if "wrong" in entry:
            pattern = re.compile(re.escape(str(entry["wrong"])))
        elif "regex" in entry:
            pattern = re.compile(str(entry["regex"]))
            prefilter = _lookbehind_prefilter(pattern)
        else:
            raise ValueError(f"{source}: outdated_names entry without wrong/regex: {entry}")
        since = entry.get("since")
        if isinstance(since, str):
            since = date.fromisoformat(since)
        lex.outdated.append(
            OutdatedName(
                pattern,
                str(entry["correct"]),
                since,
                tuple(str(s) for s in entry.get("not_after") or ()),
                tuple(str(s) for s in entry.get("not_before") or ()),
                str(entry["wrong"]) if "wrong" in entry else "",
                prefilter,
                _names(entry.get("plate")),
            )
        )
    corrects = {str(e["correct"]) for sec in ("expressions", "titles") for e in data.get(sec) or []}
    corrects |= {c for c, _ in lex.expressions.values()}
    for section, kind in (("expressions", "expression"), ("titles", "title")):
        for entry in data.get(section) or []:
            correct = str(entry["correct"])
            forms = {str(w) for w in entry.get("wrong") or ()}
            if entry.get("variants") and len(correct) >= 5:
                forms |= _variants(correct)
            for form in forms - corrects:
                if correct not in form:
                    lex.expressions[form] = (correct, kind)
    for entry in data.get("leaders") or []:
        name = str(entry["name"] if isinstance(entry, dict) else entry).strip()
        if len(name) >= 2:
            lex.leaders.append(name)
    for entry in data.get("common_typos") or []:
        lex.common_typos[str(entry["wrong"])] = str(entry["correct"])
    lex.whitelist |= {str(w) for w in data.get("whitelist") or () if w}
    sites = data.get("site_whitelists") or {}
    if not isinstance(sites, dict):
        raise ValueError(f"{source}: site_whitelists maps a host to its words")
    for host, words in sites.items():
        lex.site_whitelists.setdefault(str(host).lower(), set()).update(str(w) for w in words or () if w)


def _names(value: Any) -> tuple[str, ...]:
    """A lexicon field given as one name or a list of names."""
    if not value:
        return ()
    return (str(value),) if isinstance(value, str) else tuple(str(v) for v in value)


def _variants(correct: str) -> set[str]:
    """Every one-character substitution of `correct` by a confusable character."""
    found = set()
    for i, char in enumerate(correct):
        if CJK.match(char):
            for cand in typos.confusions(char):
                found.add(correct[:i] + cand + correct[i + 1 :])
    return found


def main_content(text: str, footer_text: str = "") -> str:
    """`text` without its footer block and without identity-mark units (each replaced by a line break)."""
    if footer_text and footer_text != text and footer_text in text:
        text = text.replace(footer_text, "\n")
    if not IDENTITY_MARK.search(text):
        return text  # no unit to drop (most article texts once the footer is gone)
    out: list[str] = []
    pos = 0
    drop_next = False
    for match in UNIT_SPLIT.finditer(text + "\n"):
        unit = text[pos : match.start()]
        sep = match.group(0)
        pos = match.end()
        if not unit:
            out.append(sep)
            continue
        marked = bool(IDENTITY_MARK.search(unit))
        if marked or (drop_next and (unit.endswith((":", "：")) or len(CJK.findall(unit)) < 3)):
            drop_next = True  # the label's value, a record number, follows: drop it too
            out.append("\n")
            continue
        drop_next = False
        out.append(unit + sep)
    return "".join(out)[: len(text)]


def record_main_content(record: Any) -> str:
    """What the wording checks read of a page or attachment record: its text without the footer
    (a page's `footer_text`) and identity-mark units."""
    return main_content(record.text, getattr(record, "footer_text", ""))


def check_text(
    text: str,
    lexicons: Lexicons | None = None,
    *,
    published: date | None = None,
    whitelist: Iterable[str] = (),
    general_typos: bool = True,
    typo_hits: Sequence[typos.TypoHit] | None = None,
) -> list[WordingHit]:
    """Serious wording errors and typos in `text` (already main content), in text order.

    `typo_hits`: the statistical layer's hits in `text` if already found (`general_typo_hits`, maybe in
    a helper process: govsite.text.typo_helper); None: found here."""
    lex = (lexicons or default_lexicons()).with_whitelist(whitelist)
    text = text[:MAX_TEXT_CHARS]
    titles = []
    if "《" in text:
        titles = [(m.start(), m.end()) for m in typos.MASKED_SPANS.finditer(text) if m.group(0).startswith("《")]
    hits: list[WordingHit] = []
    hits += _outdated(text, lex, published, titles)
    hits += _expressions(text, lex)
    hits += _leaders(text, lex)
    hits += _common_typos(text, lex)
    hits = _drop_overlaps(hits)
    if general_typos:
        taken = [(h.start, h.end) for h in hits]
        if typo_hits is None:
            typo_hits = general_typo_hits(text, lex.whitelist)
        for t in typo_hits:
            if not any(t.start < e and s < t.end for s, e in taken):
                hits.append(_hit(text, "typo", t.wrong, t.correct, t.start, t.end))
    hits = [h for h in hits if not _whitelisted(text, h, lex.whitelist)]
    return sorted(hits, key=lambda h: (h.start, h.end))


def general_typo_hits(text: str, whitelist: Iterable[str] = ()) -> list[typos.TypoHit]:
    """The statistical layer's typos in `text`, sentence by sentence, with offsets in `text`."""
    words = frozenset(whitelist)
    found: list[typos.TypoHit] = []
    text = text[:MAX_TEXT_CHARS]
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        if end - start > 1 and CJK.search(sentence):  # a window needs two characters
            found += [replace(t, start=start + t.start, end=start + t.end) for t in typos.find_typos(sentence, words)]
    return found


def _hit(text: str, kind: str, wrong: str, correct: str, start: int, end: int) -> WordingHit:
    return WordingHit(
        TYPE_OF_KIND[kind], kind, wrong, correct, context(text, start, end), start, end, kind in SERIOUS_KINDS
    )


def _outdated(text: str, lex: Lexicons, published: date | None, titles: list[tuple[int, int]]) -> list[WordingHit]:
    hits = []
    for entry, match in _outdated_matches(text, lex):
        if entry.since and published and published < entry.since:
            continue
        start, end = match.span()
        if any(s <= start and end <= e for s, e in titles):
            continue  # a cited document's title: historical by nature
        if any(text.startswith(after, end) for after in entry.not_after):
            continue
        if any(text[:start].endswith(before) for before in entry.not_before):
            continue
        if _historical(text, start, end, entry.since):
            continue
        if entry.plates and not _acts_now(text, start, end, entry.plates):
            continue  # a 牌子 name listed, named beside its parent body or explained: correct
        hits.append(_hit(text, "outdated_name", match.group(0), match.expand(entry.correct), start, end))
    return hits


def _outdated_matches(text: str, lex: Lexicons) -> Iterator[tuple[OutdatedName, re.Match[str]]]:
    """Every match of every outdated name, name by name and each in text order, as `finditer` gives
    them; the literal names are found together in one pass of the lexicon's automaton (39 scans of
    every text cost the judge 0.6 s on 10,000 pages)."""
    one_pass = ahocorasick is not None  # the regex fallback misses names starting inside another one
    starts: dict[str, list[int]] = {}
    if one_pass and any(e.literal for e in lex.outdated):
        for start, word in lex.outdated_matcher().find_all(text):
            starts.setdefault(word, []).append(start)
    for entry in lex.outdated:
        if not (one_pass and entry.literal):
            if entry.prefilter is None or entry.prefilter.search(text):
                yield from ((entry, match) for match in entry.pattern.finditer(text))
            continue
        end = 0
        for start in starts.get(entry.literal, ()):
            if start >= end:  # finditer's matches do not overlap
                match = entry.pattern.match(text, start)
                if match:
                    end = match.end()
                    yield entry, match


def _historical(text: str, start: int, end: int, since: date | None) -> bool:
    s_start, s_end = _sentence_span(text, start)
    before = text[max(s_start, start - 40) : start]
    if RECENT_ORIGINAL.search(before):
        return True
    sentence = text[s_start:s_end]
    if HISTORICAL.search(sentence):
        return True
    if since:
        return any(int(y) <= since.year for y in YEAR.findall(sentence))
    return False


def _acts_now(text: str, start: int, end: int, plates: tuple[str, ...]) -> bool:
    """Whether the 牌子 name at text[start:end] names the body that acts (publishes, decides, organises).

    Not where the sentence is about the 牌子 (加挂/对外保留…牌子), nor beside a parent body as the
    double name (自然资源部（国家海洋局）, 国家海洋局（自然资源部）); a bare mention — an item of a
    list of institutions, a link, a 简称 — is not acting either: when unsure, say nothing."""
    s_start, s_end = _sentence_span(text, start)
    if PLATE_WORD in text[s_start:s_end] or _beside_parent(text[s_start:start], text[end:s_end], plates):
        return False
    return bool(ACTING_AFTER.match(text, end, s_end) or ACTING_BEFORE.search(text, s_start, start))


def _beside_parent(before: str, after: str, plates: tuple[str, ...]) -> bool:
    """自然资源部（国家海洋局） or 国家海洋局（自然资源部）: the name bracketed with its parent body."""
    for plate in plates:
        if before.endswith((f"{plate}（", f"{plate}(")) and after.startswith(("）", ")")):
            return True
        if after.startswith((f"（{plate}）", f"({plate})")):
            return True
    return False


def _expressions(text: str, lex: Lexicons) -> list[WordingHit]:
    """Every occurrence of a listed wrong form (overlapping ones too; `_drop_overlaps` decides), one pass."""
    if not lex.expressions:
        return []
    hits = []
    for start, form in lex.expression_matcher().find_all(text):
        correct, kind = lex.expressions[form]
        hits.append(_hit(text, kind, form, correct, start, start + len(form)))
    return hits


def _leaders(text: str, lex: Lexicons) -> list[WordingHit]:
    hits = []
    for name in lex.leaders:
        n = len(name)
        max_diff = 1 if n <= 3 else 2
        firsts = {name[0], *typos.confusions(name[0], tone_sensitive=True)}
        for i in range(len(text) - n + 1):
            if text[i] not in firsts:
                continue
            window = text[i : i + n]
            diffs = [(a, b) for a, b in zip(window, name, strict=True) if a != b]
            if not diffs or len(diffs) > max_diff:
                continue
            if not all(a in typos.confusions(b, tone_sensitive=True) for a, b in diffs):
                continue
            if typos.word_freq(window) > 0 or not _on_segment_boundaries(text, i, i + n):
                continue
            hits.append(_hit(text, "leader", window, name, i, i + n))
    return hits


def _on_segment_boundaries(text: str, start: int, end: int) -> bool:
    s_start, s_end = _sentence_span(text, start)
    sentence = text[s_start:s_end]
    bounds = {0}
    pos = 0
    for seg in typos.tokenizer().lcut(sentence, HMM=False):
        pos += len(seg)
        bounds.add(pos)
    return (start - s_start) in bounds and (end - s_start) in bounds


def _common_typos(text: str, lex: Lexicons) -> list[WordingHit]:
    hits = []
    for wrong, correct in lex.common_typos.items():
        start = text.find(wrong)
        while start != -1:
            hits.append(_hit(text, "common_typo", wrong, correct, start, start + len(wrong)))
            start = text.find(wrong, start + 1)
    return hits


def _drop_overlaps(hits: list[WordingHit]) -> list[WordingHit]:
    """Longest hit first (serious before the rest); a hit overlapping a kept one is dropped."""
    kept: list[WordingHit] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), not h.serious, h.start)):
        if not any(hit.start < k.end and k.start < hit.end for k in kept):
            kept.append(hit)
    return kept


def _whitelisted(text: str, hit: WordingHit, whitelist: set[str]) -> bool:
    for word in whitelist:
        if hit.wrong in word:
            lo = max(0, hit.start - len(word))
            for m in re.finditer(re.escape(word), text[lo : hit.end + len(word)]):
                if lo + m.start() <= hit.start and hit.end <= lo + m.end():
                    return True
    return False


def _sentence_span(text: str, pos: int) -> tuple[int, int]:
    start = pos
    while start > 0 and not SENTENCE_END.match(text[start - 1]):
        start -= 1
    end = pos
    while end < len(text) and not SENTENCE_END.match(text[end]):
        end += 1
    return start, end


def sentence_spans(text: str) -> Iterable[tuple[int, int]]:
    """Spans of the units the typo layer reads: sentences, also cut at whitespace (collapsed page text)."""
    return (match.span() for match in UNIT.finditer(text))


def context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """The sentence around text[start:end], cut to at most `width` characters around it,
    with personal numbers masked (the sentence is shown to people as evidence)."""
    s_start, s_end = _sentence_span(text, start)
    s_end = max(s_end, end)
    if s_end - s_start > width:
        room = max(0, width - (end - start))
        lo = max(s_start, start - room // 2)
        hi = min(s_end, lo + width)
        lo = max(s_start, hi - width)
        # Never cut through a number: a cut-off personal number would escape masking.
        while lo > s_start and text[lo - 1].isdigit() and text[lo].isdigit():
            lo -= 1
        while hi < s_end and text[hi - 1].isdigit() and text[hi] in "0123456789Xx":
            hi += 1
        s_start, s_end = lo, hi
    return mask_text(text[s_start:s_end]).strip()

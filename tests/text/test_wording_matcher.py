"""The lexicon's wrong forms are matched in one pass (an Aho-Corasick automaton, or one compiled regex
without pyahocorasick) with exactly the results of the former per-position lookup."""

from __future__ import annotations

import random

import pytest

from govsite.text import typos
from govsite.text import wording as wording_module
from govsite.text.wording import LiteralMatcher, _expressions, check_text, default_lexicons


def old_expressions(text: str, lex) -> list[tuple[int, str]]:
    """The former implementation: at each position, every form length, longest first (duplicates included)."""
    forms = sorted(lex.expressions)
    firsts = {f[0] for f in forms}
    lengths = sorted({len(f) for f in forms}, reverse=True)
    found = []
    for i, char in enumerate(text):
        if char not in firsts:
            continue
        for length in lengths:
            form = text[i : i + length]
            if form in lex.expressions:
                found.append((i, form))
    return found


def varied_text(seed: int = 11) -> str:
    """Every wrong form, correct expressions, nested and overlapping forms, ordinary prose, noise, a form at the end."""
    lex = default_lexicons()
    rng = random.Random(seed)
    forms = sorted(lex.expressions)
    corrects = sorted({c for c, _ in lex.expressions.values()})
    prose = "区政府召开常务会议，研究部署安全生产工作。请各单位于规定时间内报送相关材料，逾期不予受理。"
    parts = []
    for form in forms:
        parts.append(form)
        roll = rng.random()
        if roll < 0.2:
            parts.append(rng.choice(corrects))
        elif roll < 0.4:
            parts.append(prose[: rng.randrange(len(prose))])
        elif roll < 0.5:
            parts.append(form[: rng.randrange(1, len(form))])  # a cut form right after a whole one
        elif roll < 0.6:
            parts.append("，ABC 123 ")
    for correct in corrects:  # one-character substitutions, listed or not
        i = rng.randrange(len(correct))
        cands = sorted(typos.confusions(correct[i])) or [correct[i]]
        parts.append(correct[:i] + rng.choice(cands) + correct[i + 1 :] + "。")
    parts.append(forms[len(forms) // 2])
    return "".join(parts)


def test_results_equal_the_former_lookup_on_a_varied_text():
    lex = default_lexicons()
    text = varied_text()
    old = old_expressions(text, lex)
    new = [(h.start, h.wrong) for h in _expressions(text, lex)]
    # The former lookup repeated a form at the very end of the text once per longer form length
    # (the slice was cut short); those repeats are the only difference, and _drop_overlaps removed them.
    assert new == list(dict.fromkeys(old))
    assert len(new) > len(lex.expressions)  # every form at least once, overlapping ones too
    hits = _expressions(text, lex)
    assert all(text[h.start : h.end] == h.wrong and lex.expressions[h.wrong][0] == h.correct for h in hits)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_check_text_is_unchanged_against_the_former_lookup(seed, monkeypatch):
    lex = default_lexicons()
    text = varied_text(seed)[:20_000]
    new = check_text(text, lex, general_typos=False)

    def former(text, lex):
        return [
            wording_module._hit(text, lex.expressions[f][1], f, lex.expressions[f][0], i, i + len(f))
            for i, f in old_expressions(text, lex)
        ]

    monkeypatch.setattr(wording_module, "_expressions", former)
    assert check_text(text, lex, general_typos=False) == new


def test_the_regex_fallback_finds_the_same_as_the_automaton(monkeypatch):
    lex = default_lexicons()
    text = varied_text(5)
    automaton = LiteralMatcher(lex.expressions)
    monkeypatch.setattr(wording_module, "ahocorasick", None)
    fallback = LiteralMatcher(lex.expressions)
    assert fallback._regex is not None
    assert fallback.find_all(text) == automaton.find_all(text)
    small = LiteralMatcher(["一二", "一二三", "二三", "三", "一二三四"])
    assert small.find_all("一二三四 二三") == [
        (0, "一二三四"),
        (0, "一二三"),
        (0, "一二"),
        (1, "二三"),
        (2, "三"),
        (5, "二三"),
        (6, "三"),
    ]
    assert LiteralMatcher([]).find_all("一二三") == []


def test_the_matcher_is_built_once_per_lexicon_and_shared_by_whitelisted_copies():
    lex = default_lexicons()
    matcher = lex.expression_matcher()
    assert lex.expression_matcher() is matcher
    assert lex.with_whitelist(["青禾"]).expression_matcher() is matcher

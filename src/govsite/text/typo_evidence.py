"""Corpus evidence against typo alarms: a form a corpus uses in many distinct contexts is a word.

A sentence alone cannot tell a new word (数智, 适老化, 惠企) from a typo: both fall
apart under the segmenter. A corpus can. A form that a site (or a survey's sites)
writes in many *different* contexts is a word the dictionaries do not list yet;
a real typo is a slip made once, or repeated only because a template repeats it
(the same characters around it on every page). So the evidence counts distinct
contexts (the `CONTEXT` characters each side of an occurrence), never pages.

For a statistical hit, the forms judged are the window as written (数智) and the
suspect character joined with the one or two characters outside the window on
its side (及|适老化: 适老, 适老化; 差评|均: 差评): a character that is part of
a word the corpus uses is not a typo. `MIN_CONTEXTS` distinct contexts make a
word.

Use: `forms = evidence_forms(text, hit)` for every hit, then
`evidence = CorpusEvidence.learn(texts, all_forms)` over the corpus, then
`evidence.vetoes(forms)`. Evidence from several corpora merges (`merge`: the
contexts are sets, so a context seen on two sites counts once), and it is a
plain mapping (`to_dict` / `from_dict`) that a survey can keep between runs.

Not for: deciding what a typo is in one sentence (govsite.text.typos), or which
texts a site's check reads (govsite.checks.wording).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from govsite.text.typos import CJK, TypoHit, is_known_typo
from govsite.text.wording import LiteralMatcher, WordingHit

CONTEXT = 2  # characters each side of an occurrence that make its context
MIN_CONTEXTS = 3  # distinct contexts from which a form is a word of the corpus
OUTSIDE = 2  # characters outside the window joined with the suspect character


@dataclass
class CorpusEvidence:
    """form -> the distinct contexts it occurs in, in a corpus (a site, a survey)."""

    contexts: dict[str, set[str]] = field(default_factory=dict)
    min_contexts: int = MIN_CONTEXTS

    @classmethod
    def learn(cls, texts: Iterable[str], forms: Iterable[str], min_contexts: int = MIN_CONTEXTS) -> CorpusEvidence:
        """The contexts of `forms` in `texts` (each form stops counting once it is a word)."""
        evidence = cls({}, min_contexts)
        evidence.add_texts(texts, forms)
        return evidence

    def add_texts(self, texts: Iterable[str], forms: Iterable[str]) -> None:
        wanted = {f for f in forms if len(f) > 1}
        if not wanted:
            return
        matcher = LiteralMatcher(wanted)
        for text in texts:
            for start, form in matcher.find_all(text):
                seen = self.contexts.setdefault(form, set())
                if len(seen) < self.min_contexts:  # bounded memory: more contexts prove nothing more
                    end = start + len(form)
                    seen.add(f"{text[max(0, start - CONTEXT) : start]}|{text[end : end + CONTEXT]}")

    def merge(self, other: CorpusEvidence) -> None:
        """Add another corpus's contexts (a site's, to a survey's)."""
        for form, seen in other.contexts.items():
            self.contexts.setdefault(form, set()).update(seen)

    def is_word(self, form: str) -> bool:
        return len(self.contexts.get(form, ())) >= self.min_contexts

    def vetoes(self, forms: Iterable[str]) -> bool:
        """Any of a hit's forms (`evidence_forms`) is a word of the corpus."""
        return any(self.is_word(f) for f in forms)

    def to_dict(self) -> dict[str, list[str]]:
        return {form: sorted(seen) for form, seen in self.contexts.items()}

    @classmethod
    def from_dict(cls, data: dict[str, Iterable[str]], min_contexts: int = MIN_CONTEXTS) -> CorpusEvidence:
        if not isinstance(data, dict):
            raise ValueError("语料证据应为“词形 -> 上下文列表”的映射")
        return cls({str(form): {str(c) for c in seen} for form, seen in data.items()}, min_contexts)


def drop_corpus_words(text: str, hits: list[WordingHit], corpus: Iterable[str] | None = None) -> list[WordingHit]:
    """`hits` in `text` without the statistical ones whose forms `corpus` (default: `text`, a long
    document being a corpus of its own) uses as words; lexicon hits are kept."""
    forms = {i: evidence_forms(text, h) for i, h in enumerate(hits) if h.kind == "typo"}
    if not forms:
        return hits
    evidence = CorpusEvidence.learn([text] if corpus is None else corpus, {f for fs in forms.values() for f in fs})
    return [h for i, h in enumerate(hits) if not evidence.vetoes(forms.get(i, ()))]


def suspect_offset(hit: TypoHit | WordingHit) -> int:
    """Where in the window the suspect character is (the one the correction changes)."""
    return next((i for i, (a, b) in enumerate(zip(hit.wrong, hit.correct, strict=False)) if a != b), 0)


def evidence_forms(text: str, hit: TypoHit | WordingHit) -> tuple[str, ...]:
    """The forms whose use in a corpus would make `hit` (found in `text`) a word rather than a typo
    (none for a known wrong form: a site that writes 自已 often is wrong often)."""
    if is_known_typo(hit.wrong, hit.correct):
        return ()
    forms = [hit.wrong]
    at = hit.start + suspect_offset(hit)
    if at == hit.end - 1:  # the suspect ends the window: it may start a word outside (及|适老化)
        for n in range(1, OUTSIDE + 1):
            form = text[at : hit.end + n]
            if len(form) == n + 1 and all(CJK.match(c) for c in form):
                forms.append(form)
    if at == hit.start:  # it starts the window: it may end a word outside (差评|均)
        for n in range(1, OUTSIDE + 1):
            form = text[max(0, at - n) : at + 1]
            if len(form) == n + 1 and all(CJK.match(c) for c in form):
                forms.append(form)
    return tuple(forms)

"""Corpus evidence: a form written in many distinct contexts is a word; a form a template repeats
(the same characters around it every time) is still one typo; the suspect character joined with its
neighbours outside the window is judged too (及|适老化)."""

from __future__ import annotations

import pytest

from govsite.text.typo_evidence import CorpusEvidence, evidence_forms, suspect_offset
from govsite.text.typos import TypoHit

NEW_WORD = ["推行首违不罚清单制度。", "落实首违不罚制度。", "扩大首违不罚事项范围。", "公布首违不罚事项清单。"]


def test_distinct_contexts_make_a_word_and_repeated_ones_do_not():
    evidence = CorpusEvidence.learn(NEW_WORD, {"首违"})
    assert evidence.is_word("首违")
    template = ["我们要认真落实责仁制。"] * 50  # fifty pages of one template: one context
    assert not CorpusEvidence.learn(template, {"责仁"}).is_word("责仁")
    assert not CorpusEvidence.learn(NEW_WORD[:2], {"首违"}).is_word("首违")  # two contexts are not enough


def test_evidence_forms_reach_outside_the_window_on_the_suspects_side():
    text = "无障碍及适老化服务"
    hit = TypoHit(3, 5, "及适", "及时", 1.0)
    assert suspect_offset(hit) == 1
    assert evidence_forms(text, hit) == ("及适", "适老", "适老化")
    text = "对差评均能积极整改"
    hit = TypoHit(2, 4, "评均", "平均", 1.0)
    assert evidence_forms(text, hit) == ("评均", "差评", "对差评")
    # never across punctuation or Latin text
    assert evidence_forms("。评均，", TypoHit(1, 3, "评均", "平均", 1.0)) == ("评均",)


def test_evidence_merges_and_round_trips_for_a_survey():
    survey = CorpusEvidence()
    survey.merge(CorpusEvidence.learn(NEW_WORD[:2], {"首违"}))
    assert not survey.is_word("首违")
    survey.merge(CorpusEvidence.learn(NEW_WORD[1:], {"首违"}))  # a context seen on both sites counts once
    assert survey.is_word("首违") and len(survey.contexts["首违"]) == 4
    again = CorpusEvidence.from_dict(survey.to_dict())
    assert again.is_word("首违") and again.to_dict() == survey.to_dict()
    with pytest.raises(ValueError, match="语料证据"):
        CorpusEvidence.from_dict(["首违"])  # type: ignore[arg-type]


def test_text_check_learns_the_documents_own_words(tmp_path):
    import json

    from click.testing import CliRunner

    from govsite.cli import main

    path = tmp_path / "report.txt"
    path.write_text("\n".join([*NEW_WORD, "我们要认真落实责仁制。"]), encoding="utf-8")
    result = CliRunner().invoke(main, ["text", "check", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [r["text"] for r in json.loads(result.output) if r["type"] == "typo"] == ["责仁"]

"""Typo precision on real prose and known wrong forms: each case pins a cause that made the statistical
layer alarm on clean government prose (new words, names, abbreviations), or a real typo shape it missed
(a known wrong form that jieba's dictionary lists as a word, or that falls apart into function characters).
The sentences are written here; none is read from outside the repository."""

from __future__ import annotations

import pytest

from govsite.text import typos
from govsite.text.typo_evidence import CorpusEvidence, evidence_forms
from govsite.text.typos import TypoHit, find_typos, known_typos
from govsite.text.wording import check_text


@pytest.mark.parametrize(
    ("sentence", "wrong", "correct"),
    [
        ("请各单位及时按装防护软件。", "按装", "安装"),  # 按 is a function character: the layer never looked at it
        ("党员干部要严格要求自已。", "自已", "自己"),  # 自已 is in jieba's dictionary and wordfreq's list
        ("做为一名基层干部，要带头落实。", "做为", "作为"),  # 做|为 are two frequent words side by side
        ("在乡村振兴中大有做为。", "做为", "作为"),
        ("严禁露天焚烧秸杆。", "秸杆", "秸秆"),  # 秸杆 is in both word lists
        ("市攻府召开第十二次常务会议。", "攻府", "政府"),  # 市|攻|府: after an administrative level
    ],
)
def test_known_wrong_forms_are_found(sentence, wrong, correct):
    assert [(h.wrong, h.correct) for h in find_typos(sentence)] == [(wrong, correct)]
    assert [(h.wrong, h.correct, h.kind) for h in check_text(sentence)] == [(wrong, correct, "typo")]


@pytest.mark.parametrize(
    "sentence",
    [
        "这就叫做为人民服务。",  # 叫做|为人民服务: the form straddles two words
        "把这项工作当做为民办实事的重要内容。",
        "要多做为群众排忧解难的实事。",  # 做 + 为群众: not at a clause start
        "请按装修标准执行。",  # 按|装修
        "按装机容量分档计算。",  # 按|装机
        "自已经批准之日起施行。",  # 自|已经
        "请阅读《自已的故事》。",  # a title is never corrected
    ],
)
def test_known_wrong_forms_need_their_own_segments(sentence):
    assert find_typos(sentence) == []


def test_known_wrong_forms_list_is_well_formed():
    table = known_typos()
    assert {"按装", "自已", "做为", "秸杆", "攻府"} <= table.keys()
    assert all(len(w) == len(k.correct) and w != k.correct for w, k in table.items())
    assert all(typos.word_freq(k.correct) > 0 for k in table.values())  # the correction is a word


def test_a_corpus_never_makes_a_known_wrong_form_a_word():
    text = "要严格要求自已。"
    hit = find_typos(text)[0]
    assert evidence_forms(text, hit) == ()
    many = ["干部要管好自已。", "从自已做起。", "把自已摆进去。", "反思自已的不足。"]
    evidence = CorpusEvidence.learn(many, {"自已"})
    assert evidence.is_word("自已") and not evidence.vetoes(evidence_forms(text, hit))
    # a statistical hit keeps its forms
    assert evidence_forms("落食", TypoHit(0, 2, "落食", "落实", 1.0)) == ("落食",)

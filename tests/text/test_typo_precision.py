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


@pytest.fixture
def guard_off():
    """Switch one guard off for the block (to show the guard, not chance, silences the sentence)."""
    switched: list[str] = []

    def off(name: str) -> None:
        typos.GUARDS.discard(name)
        switched.append(name)
        typos.clear_cache()

    yield off
    typos.GUARDS.update(switched)
    typos.clear_cache()


@pytest.mark.parametrize(
    ("guard", "sentence", "alarm"),
    [
        # new words of two abbreviation morphemes (数字+智能, 智能+管控, 智慧+汇聚, 企业+服务+通办)
        ("coinage", "以数智赋能基层治理现代化。", ("数智", "数值")),
        ("coinage", "建设全域安全智控平台。", ("智控", "指控")),
        ("coinage", "推进基层数治改革。", ("数治", "数值")),
        ("coinage", "打造智汇人才服务品牌。", ("智汇", "智慧")),
        ("coinage", "上线企服通涉企服务专区。", ("服通", "服用")),
        # a conjunction between a word and the next phrase, which starts with a new word
        ("conjunction", "推进无障碍及适老化改造。", ("及适", "及时")),
        ("conjunction", "强化风险预警与惠企政策精准推送。", ("与惠", "与会")),
        # a character heading the items of an enumeration
        ("parallel", "推动审批过程中减环节、减材料、减时限。", ("中减", "中间")),
        ("parallel", "以更高标准、更严要求、更实举措推进工作。", ("更实", "更是")),
    ],
)
def test_causes_of_false_alarms_on_real_prose_are_silent(guard_off, guard, sentence, alarm):
    assert find_typos(sentence) == []
    guard_off(guard)
    assert [(h.wrong, h.correct) for h in find_typos(sentence)] == [alarm]  # what the layer said before


@pytest.mark.parametrize(
    ("sentence", "wrong", "correct"),
    [
        ("这项工作要及适处理。", "及适", "及时"),  # 及 after a function word, not between two phrases
        ("推动减环节、减材料、减时限，全面落食主体责任。", "落食", "落实"),  # an enumeration hides nothing else
        ("以数智赋能基层治理，落食主体责任。", "落食", "落实"),  # a coinage does not hide its neighbour's typo
    ],
)
def test_typos_next_to_the_new_guards_are_still_found(sentence, wrong, correct):
    assert [(h.wrong, h.correct) for h in find_typos(sentence)] == [(wrong, correct)]


@pytest.mark.parametrize("sentence", ["区委副书记高继锋主持会议并讲话。", "高继锋同志强调，要切实抓好安全生产工作。"])
def test_a_name_under_a_common_surname_is_not_a_typo(sentence):
    """高 is among the twenty commonest surnames; 高继锋 once read as a slip for 高级."""
    assert [h for h in check_text(sentence) if h.type == "typo"] == []

"""What keeps the statistical typo layer affordable must not change what it finds.

- find_typos remembers sentences (a site repeats its labels and titles on hundreds of pages):
  the whitelist is part of what it remembers by;
- general_typo_hits gives offsets in the whole text, skipping units too short for a window;
- sentence_spans and main_content took faster paths: they must agree with the plain definitions;
- jieba and pypinyin load only where the layer runs, not in the crawler.
"""

from __future__ import annotations

import os
import pickle
import random
import subprocess
import sys
from dataclasses import replace

from govsite.frames import frame, read_frame
from govsite.text import typo_helper, typos, wording
from govsite.text.wording import UNIT_SPLIT, check_text, general_typo_hits, main_content, sentence_spans

SENTENCE = "我们要加强安全生产工作，认真落实责仁制。"


def test_a_remembered_sentence_gives_the_same_hits_and_the_whitelist_is_part_of_the_key():
    typos.clear_cache()
    first = typos.find_typos(SENTENCE)
    again = typos.find_typos(SENTENCE)
    assert [h.wrong for h in first] == ["责仁"] and again == first
    assert typos._find_typos.cache_info().hits >= 1
    assert typos.find_typos(SENTENCE, {"责仁制"}) == []  # a whitelist word is never a typo, remembered or not
    assert typos.find_typos(SENTENCE) == first


def test_clearing_the_cache_lets_a_guard_change_take_effect():
    # a person name the name guard keeps from being "corrected" (一鸣 is also a word wordfreq lists,
    # which the evidence guard reads: both are off to see the hit)
    sentence = "殷一鸣强调，要压紧压实责任。"
    typos.clear_cache()
    assert typos.find_typos(sentence) == []
    typos.GUARDS.difference_update({"names", "evidence"})
    typos.clear_cache()
    try:
        unguarded = typos.find_typos(sentence)
    finally:
        typos.GUARDS.update({"names", "evidence"})
        typos.clear_cache()
    assert [h.wrong for h in unguarded] == ["一鸣"]
    assert typos.find_typos(sentence) == []


def test_general_typo_hits_are_placed_in_the_whole_text():
    text = "首页\n大\n通知公告。" + SENTENCE
    hits = general_typo_hits(text)
    assert [(text[h.start : h.end], h.correct) for h in hits] == [("责仁", "责任")]
    [hit] = [h for h in check_text(text) if h.kind == "typo"]
    assert (hit.wrong, hit.correct, text[hit.start : hit.end]) == ("责仁", "责任", "责仁")


def _spans_by_separators(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for match in UNIT_SPLIT.finditer(text):
        if match.start() > pos:
            spans.append((pos, match.start()))
        pos = match.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def test_sentence_spans_are_the_runs_between_separators():
    rng = random.Random(7)
    alphabet = "我们。！？；!? \n\t\u3000ab，"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert list(sentence_spans(text)) == _spans_by_separators(text), repr(text)


def test_main_content_without_identity_marks_is_the_text_itself_and_marks_are_still_dropped():
    plain = "关于做好2025年防汛工作的通知\n各乡镇人民政府：现将有关事项通知如下。"
    assert main_content(plain) == plain
    assert main_content(plain + "\n页脚 主办单位：某某县人民政府", "页脚 主办单位：某某县人民政府") == plain + "\n\n"
    marked = plain + "\n网站标识码：3301000001\n联系电话：0571-1234567"
    kept = main_content(marked)
    assert "网站标识码" not in kept and "0571" not in kept and kept.startswith(plain)


def test_the_crawler_does_not_load_the_segmenter_or_the_pinyin_tables():
    code = (
        "import sys, govsite.scan, govsite.scan.crawler, govsite.checks.wording\n"
        "from govsite.checks.base import all_detectors; all_detectors()\n"
        "print(sorted(m for m in ('jieba', 'pypinyin') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_pinyin_without_phrases_reads_single_characters_as_before():
    # PYPINYIN_NO_PHRASES changes words, never single characters: the confusion sets depend on those only.
    assert typos._syllables("行") == frozenset({"xing", "hang", "heng"})
    assert "任" in typos.confusions("仁")


TEXTS = [
    SENTENCE,
    "首页 | 政务公开 | 通知公告",
    "",
    "各单位要认真贯彻落实，确保工作取得实效。" * 3,
    "关于开展安全生产大检查的通知。" + SENTENCE,
]


def test_the_helper_process_finds_what_the_judge_thread_finds():
    expected = typo_helper.hits(TEXTS, frozenset())
    assert [h.wrong for h in expected[0]] == ["责仁"]
    with typo_helper.running():
        helper = typo_helper._helper
        assert helper is not None and helper.process.poll() is None
        later = [typo_helper.hits_later(TEXTS, frozenset()), typo_helper.hits_later(TEXTS[:1], frozenset({"责仁制"}))]
        assert later[0]() == expected
        assert later[1]() == [[]]  # the whitelist travels with the texts
    assert helper.process.poll() is not None  # it ended when the judge was done with it
    assert typo_helper._helper is None


def test_a_helper_that_dies_loses_no_hit():
    expected = typo_helper.hits(TEXTS, frozenset())
    with typo_helper.running():
        helper = typo_helper._helper
        helper.process.kill()
        helper.process.wait()
        assert typo_helper.hits_later(TEXTS, frozenset())() == expected  # computed here instead


def test_without_the_helper_the_hits_are_computed_on_the_calling_thread():
    with typo_helper.running(enabled=False):
        assert typo_helper._helper is None
        assert typo_helper.hits_later(TEXTS, frozenset())() == typo_helper.hits(TEXTS, frozenset())


def test_outdated_names_found_in_one_pass_are_those_found_name_by_name(monkeypatch):
    lex = wording.default_lexicons()
    names = [e.literal for e in lex.outdated if e.literal]
    local = ["环境保护局", "环保局", "工商局", "质监局", "卫计委", "国土资源厅", "旅游局", "农业局"]  # the regex names
    assert len(names) > 10 and sum(e.prefilter is not None for e in lex.outdated) >= 10
    rng = random.Random(3)
    pieces = [*names, *local, "市", "县", "省", "，", "原", "《", "》", "2017年", "现更名为", "组织开展工作。", " "]
    texts = ["".join(rng.choice(pieces) for _ in range(12)) for _ in range(600)]
    texts += [
        names[0] * 3,
        f"《关于{names[1]}的通知》{names[1]}",
        f"原{names[2]}、{names[2]}",
        "市环保局环保局县环保局",
    ]
    fast = [wording._outdated(t, lex, None, []) for t in texts]
    # name by name, as re.finditer finds them, and every regex tried without its prefilter
    monkeypatch.setattr(wording, "ahocorasick", None)
    plain = replace(lex, outdated=[replace(e, prefilter=None) for e in lex.outdated], _matchers={})
    assert [wording._outdated(t, plain, None, []) for t in texts] == fast
    assert sum(map(len, fast)) > 100
    assert any(h.wrong in local for hits in fast for h in hits)


def test_the_name_guard_reads_the_text_around_the_candidate():
    # The name right before the candidate still guards it when the sentence is long and full of other text.
    padding = "各单位要认真贯彻落实会议精神，" * 20
    assert typos.find_typos(padding + "殷一鸣强调，要压紧压实责任。") == []
    assert [h.wrong for h in typos.find_typos(padding + "认真落实责仁制。")] == ["责仁"]


def test_a_helper_whose_judge_died_ends_quietly():
    read_end, write_end = os.pipe()
    helper = subprocess.Popen(
        [sys.executable, "-m", "govsite.text.typo_helper", str(write_end)],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    with os.fdopen(read_end, "rb") as answers:
        assert pickle.loads(read_frame(answers))[:2] == (0, True)  # ready
        helper.stdin.write(frame(pickle.dumps((1, "hits", ([SENTENCE] * 2000, frozenset())))))
        helper.stdin.flush()
    helper.stdin.close()  # the judge is gone while its batch is being worked on
    assert helper.wait(timeout=60) == 0
    assert helper.stderr.read() == b""

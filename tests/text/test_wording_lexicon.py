"""Serious wording errors, identity-line filtering, whitelists and the general typo layer (govsite.text.wording)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from govsite.text.typos import find_typos
from govsite.text.wording import check_text, load_lexicons, main_content


def kinds(text: str, **kwargs) -> list[tuple[str, str, str, str]]:
    return [(h.type, h.kind, h.wrong, h.correct) for h in check_text(text, **kwargs)]


@pytest.mark.parametrize(
    ("text", "wrong", "correct"),
    [
        ("今年，国土资源部印发了新的管理办法。", "国土资源部", "自然资源部"),
        ("国家工商行政管理总局公布了最新统计数据。", "国家工商行政管理总局", "国家市场监督管理总局"),
        ("请向国家卫生和计划生育委员会咨询。", "国家卫生和计划生育委员会", "国家卫生健康委员会"),
        ("2023年5月，青禾市环境保护局召开大气治理会议。", "环境保护局", "生态环境局"),
        ("请到县工商局办理营业执照。", "工商局", "市场监督管理局"),
    ],
)
def test_outdated_names_are_sensitive_expressions(text, wrong, correct):
    hits = check_text(text)
    assert [(h.type, h.wrong, h.correct, h.serious) for h in hits] == [("sensitive_expression", wrong, correct, True)]
    assert wrong in hits[0].sentence and len(hits[0].sentence) <= 60


@pytest.mark.parametrize(
    "text",
    [
        "原国土资源部的相关职责已划入新组建的部门。",
        "自然资源部（原国土资源部）发布公告。",
        "2017年国土资源部印发了土地管理通知。",
        "依据《国土资源部关于加强土地管理的通知》执行。",
        "农业部门要加强农产品质量监管。",
        "企业文化部负责组织职工活动。",
        "原青禾市环境保护局的职责已调整。",
    ],
)
def test_historical_mentions_and_lookalikes_are_not_flagged(text):
    assert [h for h in check_text(text) if h.kind == "outdated_name"] == []


def test_page_published_before_the_reform_is_not_judged_by_it():
    assert check_text("国土资源部部署土地督察工作。", published=date(2016, 5, 1)) == []
    assert kinds("国土资源部部署土地督察工作。", published=date(2024, 5, 1))[0][2] == "国土资源部"


@pytest.mark.parametrize(
    ("text", "wrong", "correct"),
    [
        ("坚持和发展中国特色社会注意，推动各项工作。", "中国特色社会注意", "中国特色社会主义"),
        (
            "深入学习贯彻习近平新时代中国特色社会主意思想。",
            "习近平新时代中国特色社会主意思想",
            "习近平新时代中国特色社会主义思想",
        ),
        ("认真学习贯彻二十届三中全委精神。", "二十届三中全委", "二十届三中全会"),
        ("坚定不移推进全面从严至党。", "全面从严至党", "全面从严治党"),
        ("坚持中国共铲党的领导。", "中国共铲党", "中国共产党"),
    ],
)
def test_wrong_political_expressions(text, wrong, correct):
    hits = check_text(text)
    assert [(h.type, h.wrong, h.correct, h.serious) for h in hits] == [("sensitive_expression", wrong, correct, True)]


def test_correct_expressions_are_silent():
    text = "深入学习贯彻习近平新时代中国特色社会主义思想，全面贯彻党的二十大和二十届三中全会精神，坚持全面从严治党。"
    assert check_text(text) == []


def test_misspelt_title_is_a_serious_typo():
    hits = check_text("会议由国务院总里主持。")
    assert [(h.type, h.kind, h.wrong, h.correct, h.serious) for h in hits] == [
        ("typo", "title", "国务院总里", "国务院总理", True)
    ]


def test_leader_names_with_same_pinyin_and_similar_shape_variants(tmp_path):
    extra = tmp_path / "leaders.yaml"
    extra.write_text("leaders:\n  - {name: 王建峰, title: 市长}\n  - {name: 李明哲}\n", encoding="utf-8")
    lex = load_lexicons(None, [extra])
    assert check_text("市长王建峰主持召开常务会议。", lex) == []
    same_pinyin = check_text("市长王建锋主持召开常务会议。", lex)
    assert [(h.type, h.kind, h.wrong, h.correct, h.serious) for h in same_pinyin] == [
        ("typo", "leader", "王建锋", "王建峰", True)
    ]
    assert [h.wrong for h in check_text("副市长李明折出席活动。", lex)] == ["李明折"]
    assert check_text("市长王建锋主持召开常务会议。") == []  # the bundled lexicon lists no leaders


def test_footer_and_identity_lines_yield_nothing():
    footer = "沪公网安备 31010102000001号 主办单位：青禾市人民政府办公室 联系电话：021-12345678 网站标识码：3101000001 沪ICP备12345678号"
    assert check_text(main_content(footer)) == []
    body = "全面贯彻落食党的方针政策。"
    content = main_content(f"{body} {footer} 国土资源部", footer_text="国土资源部")
    assert "公网安备" not in content and "主办单位" not in content and "国土资源部" not in content
    assert [h.wrong for h in check_text(content)] == ["落食"]


def test_whitelists_suppress(tmp_path):
    assert [h.wrong for h in check_text("全面贯彻落食党的方针政策。", whitelist=["落食"])] == []
    lexicon = tmp_path / "site.yaml"
    lexicon.write_text("whitelist: [工商局]\n", encoding="utf-8")
    lex = load_lexicons(None, [lexicon])
    assert check_text("请到县工商局办理营业执照。", lex) == []


def test_common_misspelling_list():
    assert kinds("希望大家再接再励。") == [("typo", "common_typo", "再接再励", "再接再厉")]


@pytest.mark.parametrize(
    ("sentence", "wrong", "correct"),
    [
        ("全面贯彻落食党的方针政策。", "落食", "落实"),
        ("推进营商环竟持续优化。", "环竟", "环境"),
        ("市政府召开新闻发部会。", "发部", "发布"),
        ("我们要坚持不懈地努历工作。", "努历", "努力"),
        ("对不气，最近我很忙。", "对不气", "对不起"),
    ],
)
def test_typo_layer_positives(sentence, wrong, correct):
    assert [(h.wrong, h.correct) for h in find_typos(sentence)] == [(wrong, correct)]


@pytest.mark.parametrize(
    "sentence",
    [
        "区政府召开常务会议，研究部署安全生产工作。",
        "全面推行河湖长制，加强河道管理。",
        "岢岚县人民政府发布通知。",
        "张晓岚同志任青禾市副市长。",
        "根据《青禾市城乡规划条例》第十二条规定执行。",
        "2025年3月1日，共有1234人参加考试。",
        "会议要求各部门认真学习领会会议精神，抓好贯彻落实。",
    ],
)
def test_typo_layer_negatives(sentence):
    assert check_text(sentence) == []


def test_the_context_shown_for_a_wording_hit_never_shows_a_personal_number():
    text = "根据国家工商行政管理总局的通知，现将名单公示如下：张三，身份证号 110101199003074514，手机 13812345678。"
    hits = check_text(text)
    assert hits, "the outdated name is found"
    for hit in hits:
        assert "110101199003074514" not in hit.sentence
        assert not re.search(r"\d{5,}", hit.sentence.replace("110101", "").replace("4514", "")), hit.sentence

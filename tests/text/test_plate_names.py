"""Names the 2018 reform kept as a 牌子 (国家海洋局 at 自然资源部, 国家外国专家局 now at 人社部): correct in
a list of institutions, beside the parent body, in a sentence about the 牌子 or marked historical; an
error where they name the body acting now. Outdated names without a 牌子 stay errors everywhere."""

from __future__ import annotations

from datetime import date

import pytest

from govsite.text.wording import check_text

NOW = date(2025, 6, 20)


def outdated(text: str, published: date | None = NOW) -> list[tuple[str, str]]:
    return [(h.wrong, h.correct) for h in check_text(text, published=published) if h.kind == "outdated_name"]


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("2025年6月8日，国家海洋局发布2024年中国海平面公报。", "国家海洋局"),
        ("国家海洋局近日印发《海洋观测预报管理办法》实施细则。", "国家海洋局"),
        ("国家海洋局6月8日召开全国海洋宣传日工作会议。", "国家海洋局"),
        ("经国家海洋局批准，我市设立海洋特别保护区。", "国家海洋局"),
        ("由国家海洋局组织的海洋知识竞赛在我市举行。", "国家海洋局"),
        ("国家海洋局、国家林业和草原局联合印发通知，部署红树林保护工作。", "国家海洋局"),
        ("国家海洋局负责全市海域使用的监督检查。", "国家海洋局"),
        ("国家外国专家局发布外国人来华工作许可服务指南。", "国家外国专家局"),
        ("国家外国专家局日前召开引才引智工作推进会。", "国家外国专家局"),
        ("国家外国专家局于2025年3月1日公布第二批引智示范基地名单。", "国家外国专家局"),
        ("经国家外国专家局认定，我市两家企业获评引智示范单位。", "国家外国专家局"),
    ],
)
def test_a_plate_name_naming_the_body_acting_now_is_an_error(text, wrong):
    assert [w for w, _ in outdated(text)] == [wrong]


def test_the_expected_name_is_the_body_carrying_the_plate_now():
    assert outdated("国家外国专家局发布通知。") == [("国家外国专家局", "人力资源和社会保障部（加挂国家外国专家局牌子）")]
    assert outdated("国家海洋局发布通知。") == [("国家海洋局", "自然资源部（对外保留国家海洋局牌子）")]


@pytest.mark.parametrize(
    "text",
    [
        # lists of institutions: 机构设置 pages, 相关链接, 部门名录
        "国务院部委管理的国家局：国家信访局、国家粮食和物资储备局、国家海洋局、国家林业和草原局。",
        "相关链接 自然资源部 国家海洋局 中国气象局 中国地震局",
        "部门名录\n科学技术部\n国家外国专家局\n人力资源和社会保障部",
        "友情链接：国家外国专家局｜国家移民管理局｜国家知识产权局",
        # the 牌子 itself
        "自然资源部对外保留国家海洋局牌子。",
        "人力资源和社会保障部加挂国家外国专家局牌子，国家外国专家局的职责由人力资源和社会保障部承担。",
        "自然资源部与国家海洋局是一个机构两块牌子。",
        # beside the parent body (the double name), even when it acts
        "自然资源部（国家海洋局）发布2024年中国海洋灾害公报。",
        "科技部(国家外国专家局)印发引智工作通知。",
        "国家海洋局（自然资源部）召开新闻发布会。",
        # historical
        "原国家海洋局发布的海域使用管理规定继续有效。",
        "2017年，国家海洋局发布了中国海平面公报。",
        "依据《国家海洋局关于进一步加强海洋预报工作的通知》执行。",
        # a bare mention: unsure, so silent
        "国家外国专家局（简称外专局）的主要职责见附件。",
    ],
)
def test_a_plate_name_listed_explained_or_historical_is_correct(text):
    assert outdated(text) == []


def test_a_page_published_before_the_reform_may_name_the_plate_body_acting():
    assert outdated("国家海洋局发布通知，部署海洋执法工作。", published=date(2016, 4, 1)) == []
    assert outdated("国家海洋局发布通知，部署海洋执法工作。") != []


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("国务院直属机构：海关总署、国家税务总局、国家工商行政管理总局、国家广播电视总局。", "国家工商行政管理总局"),
        ("相关链接 国家工商行政管理总局 国家统计局", "国家工商行政管理总局"),
        ("青禾市环保局、青禾市住建局联合开展扬尘整治。", "环保局"),
        ("部门名录\n青禾市环保局\n青禾市教育局", "环保局"),
        ("国家林业局对外发布森林防火通知。", "国家林业局"),
    ],
)
def test_an_outdated_name_without_a_plate_stays_an_error_in_a_list_too(text, wrong):
    assert [w for w, _ in outdated(text)] == [wrong]

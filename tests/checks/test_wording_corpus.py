"""The wording detector learns a site's own words from its texts: a form the site writes in many
distinct contexts is not reported; a typo repeated on every page by a template still is."""

from __future__ import annotations

from datetime import date

from govsite.checks.base import CheckConfig, SiteCrawl, all_detectors
from govsite.checks.wording import WordingOptions
from govsite.crawl.records import PageRecord
from govsite.text.typo_evidence import CorpusEvidence

SITE = "https://www.qinghe.gov.cn/"
NEW_WORD = ["推行首违不罚清单制度。", "落实首违不罚制度。", "扩大首违不罚事项范围。", "公布首违不罚事项清单。"]
TEMPLATE = "我们要认真落实责仁制。"


def site(sentences: list[str], template: str = "") -> SiteCrawl:
    pages = {SITE: PageRecord(SITE, 200, text="首页 通知公告")}
    for i, sentence in enumerate(sentences):
        url = f"{SITE}art/2025/3/{i + 1}/art_1_{i}.html"
        pages[url] = PageRecord(url, 200, text=f"{sentence}\n{template}\n第{i + 1}期工作简报", published=date(2025, 3, 1))
    return SiteCrawl(SITE, CheckConfig(as_of=date(2025, 11, 30)), pages=pages)


def typo_keys(crawl: SiteCrawl, options: WordingOptions | None = None) -> list[str]:
    detector = next(d for d in all_detectors() if d.name == "wording")
    return [f.detail["key"] for f in detector(crawl, options) if f.type == "typo"]


def test_a_form_the_site_writes_in_many_contexts_is_its_word():
    assert typo_keys(site(NEW_WORD)) == []
    assert typo_keys(site(NEW_WORD), WordingOptions(corpus_learning=False)) == ["首违"] * 4  # the layer alone: one finding per page


def test_a_typo_a_template_repeats_is_still_reported():
    keys = typo_keys(site(NEW_WORD, template=TEMPLATE))
    assert "责仁" in keys and "首违" not in keys


def test_a_survey_s_evidence_is_consulted_and_fed():
    survey = CorpusEvidence()
    options = WordingOptions(survey_evidence=survey)
    assert typo_keys(site(NEW_WORD[:2]), options) == ["首违", "首违"]  # two contexts: not yet a word
    assert typo_keys(site(NEW_WORD[2:]), options) == []  # two more on another site: a word of the survey
    assert survey.is_word("首违")
    assert typo_keys(site(["推动首违不罚落地见效。"]), options) == []  # and later sites profit

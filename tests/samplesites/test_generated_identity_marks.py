"""The record marks the generator writes, in every style, judged on the generated homepage by the
real page analyser and the identity detector, against the truth (no server: the homepage's HTML)."""

from __future__ import annotations

from itertools import combinations

import pytest

from govsite.checks.base import CheckConfig, SiteCrawl, all_detectors
from govsite.crawl.analyze import analyze_page
from govsite.crawl.policy import CrawlPolicy, UrlRules
from govsite.crawl.records import FetchRecord
from govsite.samplesites import SiteSpec, default_specs
from govsite.samplesites.generate import render_site
from govsite.samplesites.identifiers import record_prefixes
from govsite.samplesites.spec import MARK_FINDINGS, MARK_STYLES, MARKS

SITE = "http://127.0.0.1:8000/"


def judged(spec: SiteSpec) -> tuple[dict[str, str], dict[str, dict], str]:
    """(footer-mark finding type -> evidence, the truth's footer-mark findings, the homepage HTML)."""
    site = render_site(spec)
    raw = site.files["/"]
    html = raw.decode(spec.encoding) if isinstance(raw, bytes) else raw
    page = analyze_page(SITE, 200, html, UrlRules(SITE, CrawlPolicy(), spec.as_of), as_of=spec.as_of)
    crawl = SiteCrawl(site=SITE, config=CheckConfig(as_of=spec.as_of))
    crawl.fetches[SITE] = FetchRecord(url=SITE, kind="page", status=200, final_url=SITE)
    crawl.pages[SITE] = page
    detector = {d.name: d for d in all_detectors()}["identity_marks"]
    kinds = set(MARK_FINDINGS.values())
    found = {f.type: f.evidence for f in detector(crawl) if f.type in kinds}
    truth = {f.type: f.detail for f in site.truth.findings if f.type in kinds}
    return found, truth, html


def small(**changes) -> SiteSpec:
    return SiteSpec(name="示例市人民政府", columns=2, items_per_column=3, seed=7, **changes)


@pytest.mark.parametrize("spec", default_specs(), ids=lambda s: s.slug)
def test_default_sites_marks_match_their_truth(spec):
    found, truth, _ = judged(spec)
    assert set(found) == set(truth)


@pytest.mark.parametrize("style", MARK_STYLES)
@pytest.mark.parametrize("division", ["520100", "620100", "510100", "530100", "330100"])
def test_every_style_and_province_prefix_reads_as_present(style, division):
    found, truth, html = judged(small(mark_style=style, division_code=division))
    assert found == {} and truth == {}
    icp, police = record_prefixes(division)
    assert f"{icp}ICP备" in html and f"{police}公网安备" in html


@pytest.mark.parametrize("style", MARK_STYLES)
@pytest.mark.parametrize("kept", [c for n in (0, 1, len(MARKS) - 1) for c in combinations(MARKS, n)])
def test_every_missing_mark_is_found_in_every_style(style, kept):
    found, truth, _ = judged(small(mark_style=style, footer_marks=kept))
    assert set(found) == set(truth) == {MARK_FINDINGS[m] for m in MARKS if m not in kept}


def test_guizhou_uses_the_two_authorities_own_prefixes():
    assert record_prefixes("520100") == ("黔", "贵")
    assert record_prefixes("620100") == ("陇", "甘")
    assert record_prefixes("320100", "苏") == ("苏", "苏")
    with pytest.raises(ValueError, match="no mainland province"):
        record_prefixes("710000")


def test_a_site_code_only_in_the_meta_is_missing_with_that_evidence():
    spec = small(footer_marks=("icp", "police_record", "conac", "sponsor"), site_code_meta=True)
    found, truth, html = judged(spec)
    assert set(found) == {"missing_site_code"}
    code = truth["missing_site_code"]["meta"]
    assert f'<meta name="SiteIDCode" content="{code}">' in html
    assert found["missing_site_code"].startswith(f"网站标识码 {code} 只写在页面源码的 SiteIDCode 元数据中")


def test_bad_mark_settings_are_clear_errors():
    with pytest.raises(ValueError, match="mark_style must be one of"):
        render_site(small(mark_style="fancy"))
    with pytest.raises(ValueError, match="site_code_meta is for a footer without site_code"):
        render_site(small(site_code_meta=True))

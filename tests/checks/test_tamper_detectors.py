"""checks/tamper.py on records built by hand: what changes by design is not tampering; a hijacked link is."""

from __future__ import annotations

from datetime import date

from govsite.checks.base import CheckConfig, SiteCrawl
from govsite.checks.tamper import (
    ExternalContentOptions,
    detect_external_content,
    detect_external_redirect,
    detect_page_tampered,
)
from govsite.checks.verdict import Coverage, inspection_verdict
from govsite.crawl.records import FetchRecord, Link, ListItem, PageRecord

SITE = "http://www.qh.gov.cn/"
COLUMN = SITE + "col/col1/index.html"
CONFIG = CheckConfig(as_of=date(2025, 11, 30))


def home(**changes) -> PageRecord:
    page = PageRecord(
        url=SITE,
        status=200,
        title="青禾市人民政府",
        headings=["青禾市人民政府", "政务动态"],
        images=[SITE + "images/banner.png?v=1"],
        footer_text="主办：青禾市人民政府办公室 今天是2025年11月30日 星期日 晴 12℃ 访问量：10234",
        links=[Link(SITE, "首页", "page"), Link(COLUMN, "政务动态", "page"), Link(SITE + "a/1.html", "旧闻", "page")],
    )
    for name, value in changes.items():
        setattr(page, name, value)
    return page


def column(items: list[ListItem]) -> PageRecord:
    return PageRecord(url=COLUMN, status=200, title="政务动态", column_name="政务动态", list_items=items)


def crawl(pages: list[PageRecord], fetches: list[FetchRecord] = (), baseline: SiteCrawl | None = None, version=2):
    result = SiteCrawl(
        site=SITE,
        config=CONFIG,
        pages={p.url: p for p in pages},
        fetches={f.url: f for f in [FetchRecord(SITE, "page", status=200, final_url=SITE), *fetches]},
        baseline=baseline,
    )
    result.baseline_version = version
    return result


OLD_ITEMS = [ListItem(SITE + "a/1.html", "旧闻", date(2025, 11, 1))]
NEW_ITEMS = [ListItem(SITE + "a/2.html", "新闻", date(2025, 11, 29)), *OLD_ITEMS]


def test_dates_counters_weather_and_new_list_items_are_no_tampering():
    before = crawl([home(), column(OLD_ITEMS)])
    later = home(
        footer_text="主办：青禾市人民政府办公室 今天是2025年12月7日 星期一 多云 3℃ 访问量：11020",
        images=[SITE + "images/banner.png?v=2"],
        links=[*home().links, Link(SITE + "a/2.html", "新闻", "page")],
    )
    assert list(detect_page_tampered(crawl([later, column(NEW_ITEMS)], baseline=before))) == []


def test_a_changed_headline_image_or_menu_name_is_reported_with_a_bounded_diff():
    before = crawl([home(), column(OLD_ITEMS)])
    hacked = home(
        headings=["青禾市人民政府", "澳门赌场上线"],
        images=[SITE + "images/x.png"],
        links=[Link(SITE, "首页", "page"), Link(COLUMN, "博彩专区", "page")],
    )
    (finding,) = detect_page_tampered(crawl([hacked, column(OLD_ITEMS)], baseline=before))
    assert finding.type == "page_tampered" and finding.url == SITE and finding.severity == "high"
    diff = finding.detail["diff"]
    assert (
        "-栏目标题：政务动态" in diff
        and "+栏目标题：澳门赌场上线" in diff
        and "+图片：www.qh.gov.cn/images/x.png" in diff
    )
    assert f"+导航：博彩专区（{COLUMN}）" in diff and "澳门赌场上线" in finding.evidence
    many = home(headings=[f"标题{'甲乙丙丁'[i % 4] * (i + 1)}" for i in range(40)])
    (big,) = detect_page_tampered(crawl([many], baseline=before))
    assert len(big.detail["diff"].splitlines()) <= 41 and len(big.detail["diff"]) <= 4000


def test_a_version_1_baseline_compares_only_what_it_recorded():
    old = home(headings=[], images=[])
    before = crawl([old])
    assert list(detect_page_tampered(crawl([home()], baseline=before, version=1))) == []
    assert len(list(detect_page_tampered(crawl([home()], baseline=before, version=2)))) == 1


def test_a_page_missing_or_failing_in_either_scan_is_not_compared():
    before = crawl([home(status=500)])
    assert list(detect_page_tampered(crawl([home(title="被黑了")], baseline=before))) == []


def _friend(title: str, text: str, final: str = "http://friend.example/") -> FetchRecord:
    return FetchRecord("http://friend.example/", "external", 200, final_url=final, title=title, text_excerpt=text)


def test_a_friendly_link_to_gambling_is_reported_one_word_in_the_text_is_not():
    page = home(links=[Link("http://friend.example/", "邻市政府", "external")])
    casino = crawl([page], [_friend("邻市", "真人视讯 百家乐 注册开户")])
    (finding,) = detect_external_content(casino, ExternalContentOptions())
    assert finding.detail["key"] == "content" and finding.page == SITE and "邻市政府" in finding.evidence
    assert {"百家乐", "真人视讯"} <= set(finding.detail["hits"]) and finding.detail["categories"] == ["gambling"]
    police = crawl([page], [_friend("邻市公安局", "依法打击非法博彩活动 福利彩票发行")])
    assert list(detect_external_content(police, ExternalContentOptions())) == []
    titled = crawl([page], [_friend("代开发票-全国", "")])
    assert [f.detail["categories"] for f in detect_external_content(titled, ExternalContentOptions())] == [
        ["fake_invoice"]
    ]


def test_users_add_their_own_words(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text("categories:\n  scam:\n    label: 诈骗\n    words: [刷单返利]\n", encoding="utf-8")
    fetches = [_friend("刷单返利平台", "")]
    assert list(detect_external_content(crawl([home()], fetches), ExternalContentOptions())) == []
    (finding,) = detect_external_content(crawl([home()], fetches), ExternalContentOptions(bad_content_file=str(extra)))
    assert "诈骗" in finding.evidence


def test_a_link_that_now_redirects_to_another_site_is_reported_not_one_moved_under_gov_cn():
    before = crawl([home()], [_friend("", "")])
    moved = crawl([home()], [_friend("", "", final="http://casino.example/")], baseline=before)
    (finding,) = detect_external_redirect(moved)
    assert finding.detail["baseline_final_url"] == "http://friend.example/"
    merged = crawl([home()], [_friend("", "", final="http://www.city.gov.cn/qh/")], baseline=before)
    www = crawl([home()], [_friend("", "", final="https://www.friend.example/new/")], baseline=before)
    assert list(detect_external_redirect(merged)) == [] and list(detect_external_redirect(www)) == []


def test_security_incident_is_unknown_until_confirmed_then_fails():
    before = crawl([home()])
    (finding,) = detect_page_tampered(crawl([home(title="被黑了")], baseline=before))
    rule = {r.code: r for r in inspection_verdict([finding], Coverage()).rules}["security_incident"]
    assert (rule.state, rule.reason.text) == ("unknown", "疑似网页篡改，待人工确认")
    finding.detail["confirmed"] = True
    verdict = inspection_verdict([finding], Coverage())
    assert verdict.state == "fail" and {r.code: r for r in verdict.rules}["security_incident"].state == "fail"
    assert {r.code: r for r in inspection_verdict([], Coverage()).rules}["security_incident"].state == "pass"

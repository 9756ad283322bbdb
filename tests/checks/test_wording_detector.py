"""The wording detector over a crawl: one finding per (type, URL, wrong text), footers skipped,
attachments reported with their linking page, site whitelists honoured."""

from __future__ import annotations

from datetime import date

from govsite.checks.base import CheckConfig, SiteCrawl, all_detectors
from govsite.checks.wording import WordingOptions, wording_options
from govsite.crawl.records import DocumentRecord, Link, PageRecord

SITE = "https://www.qinghe.gov.cn/"
ARTICLE = SITE + "art/2025/3/1/art_1_1.html"
PDF = SITE + "attach/-1/notice.pdf"
FOOTER = "沪公网安备 31010102000001号 主办单位：青禾市人民政府办公室 网站标识码：3101000001"


def detector():
    return next(d for d in all_detectors() if d.name == "wording")


def crawl() -> SiteCrawl:
    body = "坚持中国特色社会注意道路，全面贯彻落食党的方针政策。国土资源部部署督察工作。再次强调，要全面贯彻落食。"
    pages = {
        SITE: PageRecord(SITE, 200, text=f"首页 {FOOTER}", footer_text=FOOTER, links=[Link(PDF, "通知", "attachment")]),
        ARTICLE: PageRecord(ARTICLE, 200, text=f"{body} {FOOTER}", footer_text=FOOTER, published=date(2025, 3, 1)),
    }
    documents = {PDF: DocumentRecord(PDF, "pdf", text="会议由国务院总里主持，大家再接再励。")}
    return SiteCrawl(SITE, CheckConfig(as_of=date(2025, 11, 30)), pages=pages, documents=documents)


def test_the_statistical_typo_layer_is_on_by_default_and_can_be_turned_off():
    keys = {(f.type, f.detail["key"]) for f in detector()(crawl())}
    assert ("typo", "落食") in keys  # statistical: on unless general_typos=False
    keys = {(f.type, f.detail["key"]) for f in detector()(crawl(), WordingOptions(general_typos=False))}
    assert ("typo", "落食") not in keys
    assert ("typo", "再接再励") in keys and ("sensitive_expression", "国土资源部") in keys  # lexicon: always


def test_findings_shape_and_keys():
    findings = detector()(crawl(), WordingOptions(general_typos=True))
    by_key = {(f.type, f.url, f.detail["key"]): f for f in findings}
    assert set(by_key) == {
        ("sensitive_expression", ARTICLE, "中国特色社会注意"),
        ("typo", ARTICLE, "落食"),
        ("sensitive_expression", ARTICLE, "国土资源部"),
        ("typo", PDF, "国务院总里"),
        ("typo", PDF, "再接再励"),
    }
    typo = by_key[("typo", ARTICLE, "落食")]
    assert typo.detail["count"] == 2 and typo.detail["correct"] == "落实" and typo.detail["serious"] is False
    assert typo.severity == "low" and typo.page is None
    assert "落食" in typo.evidence and "落实" in typo.evidence and "落食" in typo.detail["sentence"]
    outdated = by_key[("sensitive_expression", ARTICLE, "国土资源部")]
    assert outdated.severity == "high" and outdated.detail["serious"] is True and "自然资源部" in outdated.evidence
    title = by_key[("typo", PDF, "国务院总里")]
    assert title.detail["serious"] is True and title.severity == "high" and title.page == SITE
    assert title.detail["where"] == "pdf"


def test_footer_only_page_yields_nothing():
    c = SiteCrawl(SITE, CheckConfig(as_of=date(2025, 11, 30)))
    c.pages[SITE] = PageRecord(SITE, 200, text=FOOTER, footer_text=FOOTER)
    assert detector()(c) == []
    c.pages[SITE] = PageRecord(SITE, 200, text=f"欢迎访问 {FOOTER}", footer_text="")
    assert detector()(c) == []


def test_site_whitelist_matches_the_host_with_or_without_www():
    options = WordingOptions(site_whitelists={"QingHe.gov.cn": ["落食"]})
    assert "落食" not in {f.detail["key"] for f in detector()(crawl(), options)}


def test_site_whitelists_from_a_lexicon_file(tmp_path, monkeypatch):
    extra = tmp_path / "sites.yaml"
    extra.write_text(
        "site_whitelists:\n  www.qinghe.gov.cn: [落食]\n  www.other.gov.cn: [国土资源部]\n", encoding="utf-8"
    )
    keys = {f.detail["key"] for f in detector()(crawl(), wording_options(extra_lexicons=[str(extra)]))}
    assert "落食" not in keys and "国土资源部" in keys


def test_site_and_global_whitelists():
    options = wording_options(whitelist=["落食"], site_whitelists={"www.qinghe.gov.cn": ["国土资源部"]})
    keys = {f.detail["key"] for f in detector()(crawl(), options)}
    assert "落食" not in keys and "国土资源部" not in keys and "中国特色社会注意" in keys
    other = WordingOptions(site_whitelists={"www.other.gov.cn": ["国土资源部"]})
    assert "国土资源部" in {f.detail["key"] for f in detector()(crawl(), other)}


# -- main content, not chrome ----------------------------------------------------------------------

NAV = "首页 政务公开 通知公告 部门动态 政策文件 互动交流 打印本页 关闭窗口 上一页 下一页 尾页"
REAL_FOOTERS = [
    "沪公网安备 31010102000001号 网站标识码：3100000001 主办单位：上海市人民政府办公厅 京ICP备05070602号",
    "主办：青禾市人民政府办公室 承办：青禾市大数据发展管理局 联系电话：0571-83563090 浙ICP备39755566号-1",
    "版权所有：临川市人民政府 地址：临川市行政中心1号楼 邮编：344000 技术支持：临川市信息中心 政府网站找错 党政机关",
    "苏ICP备05000301号-2 苏公网安备 32010202010148号 建议使用1366×768分辨率浏览本网站 网站地图 隐私声明 无障碍 长者模式",
]
ARTICLES = [
    "市应急管理局召开安全生产工作推进会，副局长周卫东出席会议并讲话。会议要求压紧压实责任，确保各项任务落到实处。",
    "根据《青禾市人民政府办公室关于做好防汛工作的通知》（青政办函〔2024〕12号）要求，现将有关事项通知如下。",
    "公示期为5个工作日，请参训人员提前2天报到。2025年县民政局部门预算已按规定公开。",
    "县长张晓峰带队深入东坪镇调研乡村振兴工作，实地查看项目建设进展情况。",
]


def realistic_crawl(nav_typo: str = "") -> SiteCrawl:
    c = SiteCrawl(SITE, CheckConfig(as_of=date(2025, 11, 30)))
    nav = NAV + nav_typo
    for i in range(12):
        url = f"{SITE}art/2025/3/{i + 1}/art_{i}.html"
        footer = REAL_FOOTERS[i % len(REAL_FOOTERS)]
        body = ARTICLES[i % len(ARTICLES)]
        c.pages[url] = PageRecord(url, 200, text=f"{nav} 当前位置：首页 > 通知公告 {body} {footer}", footer_text=footer)
    # crawled last here, read first: the site's chrome is reported on the homepage
    home = f"{nav} 欢迎访问青禾市人民政府 {REAL_FOOTERS[0]}"
    c.pages[SITE] = PageRecord(SITE, 200, text=home, footer_text=REAL_FOOTERS[0])
    return c


def test_zero_findings_on_footers_identity_marks_and_chrome_of_realistic_pages():
    assert detector()(realistic_crawl()) == []


def test_chrome_repeated_on_most_pages_is_checked_once_on_the_homepage():
    findings = detector()(realistic_crawl(nav_typo=" 再接再励"))
    assert [(f.url, f.detail["key"], f.detail["count"]) for f in findings] == [(SITE, "再接再励", 1)]


def test_a_typo_in_the_article_body_is_still_found_on_every_page():
    c = realistic_crawl()
    for page in list(c.pages.values())[:3]:
        page.text = page.text.replace(
            "当前位置：首页 > 通知公告", "当前位置：首页 > 通知公告 要全面贯彻落食党的方针政策。"
        )
    found = {f.url for f in detector()(c) if f.detail["key"] == "落食"}
    assert len(found) == 3 and SITE not in found


def test_the_recorded_main_text_is_preferred_to_the_visible_text():
    c = realistic_crawl()
    url = next(iter(c.pages))
    c.pages[url].main_text = "坚持中国特色社会注意道路。"  # what analyze_page records once wired (see text/maincontent)
    c.pages[url].text += " 中国特色社会注意"  # would be a second finding if the visible text were read
    findings = [f for f in detector()(c) if f.url == url]
    assert [(f.detail["key"], f.detail["count"]) for f in findings] == [("中国特色社会注意", 1)]

"""The identity-mark detector judged on realistic homepages: footers of several styles, marks as
images, and the near-misses real sites have (a label without its value, a query link, a headline)."""

from __future__ import annotations

from datetime import date

import pytest

from govsite.checks.base import CheckConfig, SiteCrawl, all_detectors
from govsite.checks.identity import MARK_NAMES, SEVERITY
from govsite.crawl.records import FetchRecord, Link, PageRecord

SITE = "https://www.hangzhou.gov.cn/"
CONAC = "https://bszs.conac.cn/sitename?method=show&id=0A2B5F0C9E8D7F6A5B4C3D2E1F0A9B8C"
POLICE = "http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=33010202000555"

# A city portal whose footer spells every mark out in text.
CITY_FOOTER = (
    "网站地图 | 联系我们 | 隐私声明 | 无障碍浏览 | 长者模式\n"
    "主办单位：杭州市人民政府办公厅    承办单位：杭州市数据资源管理局\n"
    "联系电话：0571-85252525    地址：杭州市解放东路18号\n"
    "网站标识码：3301000001    浙ICP备05071451号-1    浙公网安备 33010202000555号"
)
CITY_LINKS = [
    Link(SITE + "wzdt/", "网站地图", "page"),
    Link(SITE + "lxwm/", "联系我们", "page"),
    Link(SITE + "yssm/", "隐私声明", "page"),
    Link(SITE + "wza/", "无障碍浏览", "page"),
    Link(CONAC, "党政机关", "external"),  # the red conac image, alt="党政机关"
    Link("https://beian.miit.gov.cn/", "浙ICP备05071451号-1", "external"),
    Link(POLICE, "浙公网安备 33010202000555号", "external"),
]

# A ministry portal: "bm" site code, full-width colons, 京ICP证, contact by e-mail, 适老化 entry.
MINISTRY_FOOTER = (
    "主办单位：中华人民共和国教育部　　版权所有：中华人民共和国教育部\n"
    "电子邮箱：webmaster@moe.edu.cn　网站标识码：bm05000001\n"
    "京ICP证030173号　京ICP备10028400号　京公网安备11040202430174号"
)
MINISTRY_LINKS = [
    Link("http://www.moe.gov.cn/wzdt/", "站点地图", "page"),
    Link("http://www.moe.gov.cn/ysbh/", "个人信息保护", "page"),
    Link("http://www.moe.gov.cn/", "适老化无障碍服务", "page"),
    Link("https://bszs.conac.cn/sitename?method=show&id=5A4B3C2D1E0F", "党政机关网站标识", "external"),
]

# A county site whose marks are images: the police mark has only its record link, the conac
# image has no alt text, the sponsor is written "××主办" and the contact is a 联系我们 link.
COUNTY_FOOTER = "淳安县人民政府办公室主办  淳安县大数据发展中心承办  网站标识码:3301270001  浙ICP备12038562号"
COUNTY_LINKS = [
    Link("https://www.qdh.gov.cn/col/col1229260063/index.html", "", "page"),  # sitemap icon, no text
    Link("https://www.qdh.gov.cn/art/2021/6/1/art_1229260062_1.html", "隐私保护", "page"),
    Link("https://www.qdh.gov.cn/lxwm.html", "联系我们", "page"),
    Link("https://bszs.conac.cn/sitename?method=show&id=4F2C9E6A81B3", "", "external"),
    Link("http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=33012702000101", "", "external"),
]
COUNTY_TEXT = "首页 政务公开 政务服务 互动交流 无障碍浏览 | 关怀版 今日淳安 ..."
COUNTY_SITEMAP = PageRecord(
    url="https://www.qdh.gov.cn/col/col1229260063/index.html", status=200, title="网站地图_淳安县人民政府"
)


def crawl_of(
    footer: str,
    links: list[Link] | None = None,
    text: str = "",
    *,
    site: str = SITE,
    final_url: str = "",
    status: int = 200,
    extra_pages: tuple[PageRecord, ...] = (),
) -> SiteCrawl:
    page_url = final_url or site
    homepage = PageRecord(
        url=page_url,
        status=status,
        title="杭州市人民政府门户网站",
        encoding="utf-8",
        text=text or "首页 要闻动态 政府信息公开 " + footer,
        footer_text=footer,
        links=list(links or []),
        has_viewport=True,
    )
    crawl = SiteCrawl(site=site, config=CheckConfig(as_of=date(2025, 6, 30)), found_at="2025-06-30T08:00:00+00:00")
    crawl.fetches[site] = FetchRecord(
        url=site, kind="page", status=status, final_url=page_url, content_type="text/html; charset=utf-8"
    )
    crawl.pages[page_url] = homepage
    for page in extra_pages:
        crawl.pages[page.url] = page
    return crawl


def run(crawl: SiteCrawl):
    """Through the registered detector, so the declared finding types are enforced too."""
    detectors = {d.name: d for d in all_detectors()}
    return detectors["identity_marks"](crawl)


def types(findings) -> list[str]:
    return sorted(f.type for f in findings)


@pytest.mark.parametrize(
    ("footer", "links", "text", "pages"),
    [
        (CITY_FOOTER, CITY_LINKS, "", ()),
        (MINISTRY_FOOTER, MINISTRY_LINKS, "", ()),
        (COUNTY_FOOTER, COUNTY_LINKS, COUNTY_TEXT, (COUNTY_SITEMAP,)),
    ],
    ids=["city-text-footer", "ministry-bm-code", "county-image-marks"],
)
def test_a_homepage_with_every_mark_has_no_finding(footer, links, text, pages):
    assert run(crawl_of(footer, links, text, extra_pages=pages)) == []


# (finding type, footer text to remove, link texts/URL fragments to drop)
REMOVALS = [
    ("missing_site_code", "网站标识码：3301000001", ()),
    ("missing_icp", "浙ICP备05071451号-1", ("beian.miit",)),
    ("missing_police_record", "浙公网安备 33010202000555号", ("recordcode",)),
    ("missing_conac_mark", "", ("conac",)),
    ("missing_sponsor", "主办单位：杭州市人民政府办公厅", ()),
    ("missing_sitemap", "网站地图 |", ("wzdt",)),
    ("missing_privacy_policy", "隐私声明 |", ("yssm",)),
    ("missing_accessibility", "无障碍浏览 | 长者模式", ("wza",)),
]


@pytest.mark.parametrize(("finding_type", "cut", "drop"), REMOVALS, ids=[r[0] for r in REMOVALS])
def test_each_missing_mark_is_one_site_level_finding(finding_type, cut, drop):
    footer = CITY_FOOTER.replace(cut, "") if cut else CITY_FOOTER
    links = [link for link in CITY_LINKS if not any(d in link.url for d in drop)]
    findings = run(crawl_of(footer, links))
    assert types(findings) == [finding_type]
    finding = findings[0]
    assert finding.url == SITE
    assert finding.site == SITE
    assert finding.page is None
    assert finding.severity == SEVERITY[finding_type]
    assert finding.detail["key"] == MARK_NAMES[finding_type]
    assert finding.found_at == "2025-06-30T08:00:00+00:00"
    assert "页脚：" in finding.evidence


def test_severities_follow_the_guideline():
    high = {
        "missing_site_code",
        "missing_icp",
        "missing_police_record",
        "missing_conac_mark",
        "missing_sponsor",
    }
    assert {t for t, s in SEVERITY.items() if s == "high"} == high
    assert {t for t, s in SEVERITY.items() if s == "medium"} == {
        "missing_sitemap",
        "missing_privacy_policy",
        "missing_accessibility",
    }


def test_a_bare_footer_misses_every_mark():
    findings = run(crawl_of("版权所有 © 杭州市人民政府", [], "首页 新闻 版权所有 © 杭州市人民政府"))
    assert types(findings) == sorted(MARK_NAMES)
    site_code = next(f for f in findings if f.type == "missing_site_code")
    assert site_code.evidence == (
        "首页底部及正文未找到“网站标识码”（如：网站标识码：3301000001）；页脚：版权所有 © 杭州市人民政府"
    )


def test_no_homepage_means_no_identity_findings():
    crawl = SiteCrawl(site=SITE, config=CheckConfig(as_of=date(2025, 6, 30)))
    crawl.fetches[SITE] = FetchRecord(url=SITE, kind="page", error="timeout", error_detail="read timeout")
    assert run(crawl) == []


def test_an_error_status_homepage_is_left_to_site_unreachable():
    assert run(crawl_of("", [], "502 Bad Gateway", status=502)) == []


def test_site_code_label_with_an_empty_value_is_missing():
    footer = CITY_FOOTER.replace("网站标识码：3301000001", "网站标识码：")
    findings = run(crawl_of(footer, CITY_LINKS))
    assert types(findings) == ["missing_site_code"]
    evidence = findings[0].evidence
    assert evidence.startswith("首页有“网站标识码”字样，但其后没有有效的标识码（10位数字或bm+8位数字），见页脚：…")
    assert "网站标识码： 浙ICP备05071451号-1" in evidence  # the original text after the label, quoted
    assert evidence.count("页脚：") == 1  # the footer is quoted once, around the label


@pytest.mark.parametrize("code", ["330100000", "33010000011", "bm1200001", "ab12000001"])
def test_site_code_of_the_wrong_shape_is_missing(code):
    footer = CITY_FOOTER.replace("3301000001", code)
    assert types(run(crawl_of(footer, CITY_LINKS))) == ["missing_site_code"]


def test_full_width_forms_are_read():
    footer = (
        "主办单位：杭州市人民政府办公厅　联系电话：０５７１－８５２５２５２５\n"
        "网站标识码：３３０１０００００１　浙ＩＣＰ备０５０７１４５１号－１　浙公网安备３３０１０２０２０００５５５号"
    )
    assert run(crawl_of(footer, [link for link in CITY_LINKS if "beian" not in link.url])) == []


def test_icp_query_link_without_a_number_is_missing():
    footer = CITY_FOOTER.replace("浙ICP备05071451号-1", "ICP备案查询")
    links = [link for link in CITY_LINKS if "miit" not in link.url]
    links.append(Link("https://beian.miit.gov.cn/", "ICP备案查询", "external"))
    findings = run(crawl_of(footer, links))
    assert types(findings) == ["missing_icp"]
    assert findings[0].evidence.startswith("首页有“ICP”字样，但没有完整的备案编号")
    assert "ICP备案查询" in findings[0].evidence


@pytest.mark.parametrize(
    "icp", ["京ICP证030173号", "粤ICP备2021012345号", "浙ICP备05071451号", "苏ICP备 10110325 号-2"]
)
def test_icp_numbers_of_any_province_and_form_count(icp):
    footer = CITY_FOOTER.replace("浙ICP备05071451号-1", icp)
    links = [link for link in CITY_LINKS if "miit" not in link.url]
    assert run(crawl_of(footer, links)) == []


def test_police_record_with_a_short_number_is_missing():
    footer = CITY_FOOTER.replace("33010202000555号", "3301020200055号")
    links = [link for link in CITY_LINKS if "recordcode" not in link.url]
    findings = run(crawl_of(footer, links))
    assert types(findings) == ["missing_police_record"]
    assert "没有14位公安机关备案号" in findings[0].evidence


def test_police_record_image_linking_to_the_record_system_counts():
    footer = CITY_FOOTER.replace("浙公网安备 33010202000555号", "")
    links = [link for link in CITY_LINKS if "recordcode" not in link.url]
    links.append(Link(POLICE, "", "external"))  # <a href=...><img src="gongan.png"></a>
    assert run(crawl_of(footer, links)) == []


def test_conac_mark_as_an_image_with_alt_text_counts():
    links = [link for link in CITY_LINKS if "conac" not in link.url]
    links.append(Link("https://www.hangzhou.gov.cn/dzjg.html", "党政机关", "page"))
    assert run(crawl_of(CITY_FOOTER, links)) == []


def test_a_headline_about_party_and_government_organs_is_not_the_conac_mark():
    links = [link for link in CITY_LINKS if "conac" not in link.url]
    links.append(Link(SITE + "art/2025/6/1/art_1.html", "关于进一步规范党政机关网站管理的通知", "page"))
    findings = run(crawl_of(CITY_FOOTER, links))
    assert types(findings) == ["missing_conac_mark"]
    assert findings[0].detail == {"key": "党政机关网站标识"}


def test_sponsor_label_without_a_name_is_missing():
    footer = CITY_FOOTER.replace("主办单位：杭州市人民政府办公厅", "主办单位：")
    findings = run(crawl_of(footer, CITY_LINKS))
    assert types(findings) == ["missing_sponsor"]
    assert findings[0].evidence.startswith("首页有“主办”字样，但未写明主办单位名称")


def test_sponsor_label_without_a_name_and_no_contact_says_both():
    footer = "主办单位： 网站标识码：3301000001 浙ICP备05071451号-1 浙公网安备 33010202000555号"
    links = [link for link in CITY_LINKS if "lxwm" not in link.url]
    findings = run(crawl_of(footer, links, "首页 无障碍浏览 " + footer))
    assert types(findings) == ["missing_sponsor"]
    assert findings[0].evidence == (
        "首页有“主办”字样，但未写明主办单位名称，也未找到联系方式（联系电话/邮箱/联系我们），"
        "见页脚：主办单位： 网站标识码：3301000001 浙ICP备05071451号-1 浙公…"  # 40 characters after the label
    )


def test_sponsor_without_any_contact_is_missing():
    footer = "主办单位：杭州市人民政府办公厅 网站标识码：3301000001 浙ICP备05071451号-1 浙公网安备 33010202000555号"
    links = [link for link in CITY_LINKS if "lxwm" not in link.url]
    findings = run(crawl_of(footer, links, "首页 " + footer + " 网站地图 隐私声明 无障碍浏览"))
    assert types(findings) == ["missing_sponsor"]
    assert findings[0].evidence.startswith("首页写明了主办单位“杭州市人民政府办公厅”，但未找到联系方式")


def test_an_empty_phone_label_is_not_a_contact():
    footer = "主办：杭州市人民政府办公厅 电话： 网站标识码：3301000001 浙ICP备05071451号-1 浙公网安备 33010202000555号"
    links = [link for link in CITY_LINKS if "lxwm" not in link.url]
    assert types(run(crawl_of(footer, links, "首页 无障碍浏览"))) == ["missing_sponsor"]


def test_sitemap_found_through_the_title_of_the_linked_page():
    assert run(crawl_of(COUNTY_FOOTER, COUNTY_LINKS, COUNTY_TEXT, extra_pages=(COUNTY_SITEMAP,))) == []
    findings = run(crawl_of(COUNTY_FOOTER, COUNTY_LINKS, COUNTY_TEXT))  # the page was not crawled
    assert types(findings) == ["missing_sitemap"]
    assert findings[0].evidence.startswith("首页未找到“网站地图”入口（查找链接文字：网站地图/站点地图）")


def test_a_privacy_law_headline_is_not_a_privacy_statement():
    links = [link for link in CITY_LINKS if "yssm" not in link.url]
    links.append(Link(SITE + "art/2021/8/20/art_9.html", "《中华人民共和国个人信息保护法》全文", "page"))
    links.append(Link(SITE + "art/2021/8/21/art_10.html", "个人信息保护法", "page"))
    footer = CITY_FOOTER.replace("隐私声明 |", "")
    assert types(run(crawl_of(footer, links))) == ["missing_privacy_policy"]


def test_accessibility_toolbar_seen_only_in_the_page_text_counts():
    """The toolbar is a javascript: link the crawler does not keep; its label is in the text."""
    footer = CITY_FOOTER.replace("无障碍浏览 | 长者模式", "")
    links = [link for link in CITY_LINKS if "wza" not in link.url]
    text = "无障碍浏览 | 长者模式 | 登录 首页 要闻动态 " + footer
    assert run(crawl_of(footer, links, text)) == []


def test_accessibility_news_is_not_an_accessibility_entry():
    footer = CITY_FOOTER.replace("无障碍浏览 | 长者模式", "")
    links = [link for link in CITY_LINKS if "wza" not in link.url]
    links.append(Link(SITE + "art/2025/5/18/art_3.html", "市残联开展无障碍环境建设督导检查", "page"))
    text = "首页 要闻动态 市残联开展无障碍环境建设督导检查 " + footer
    findings = run(crawl_of(footer, links, text))
    assert types(findings) == ["missing_accessibility"]
    assert findings[0].detail == {"key": "无障碍/适老化入口"}


def test_findings_of_a_redirected_homepage_name_the_site_and_the_page():
    site = "http://www.hangzhou.gov.cn/"
    final = "https://www.hangzhou.gov.cn/index.html"
    footer = CITY_FOOTER.replace("网站标识码：3301000001", "")
    findings = run(crawl_of(footer, CITY_LINKS, site=site, final_url=final))
    assert [(f.type, f.url, f.page) for f in findings] == [("missing_site_code", site, final)]


def test_the_footer_snippet_in_the_evidence_is_bounded():
    footer = "杭州市人民政府门户网站 " * 60
    findings = run(crawl_of(footer, []))
    assert findings
    for finding in findings:
        snippet = finding.evidence.split("页脚：", 1)[1]
        assert len(snippet) == 200
        assert snippet.endswith("…")


def test_an_empty_footer_is_said_so():
    findings = run(crawl_of("", CITY_LINKS, "首页 " + CITY_FOOTER))
    assert findings == []  # every mark is in the body text
    findings = run(crawl_of("", [], "首页 要闻"))
    assert all(f.evidence.endswith("首页未识别出底部区域（页脚文本为空）") for f in findings)

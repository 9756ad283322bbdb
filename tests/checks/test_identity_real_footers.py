"""Identity marks on footers written the way real government sites write them.

Each case is a homepage in HTML, read by the real page analyser (analyze_page) and judged by the
registered detector. The footers follow shapes seen on real sites: per-province prefixes that differ
between the two authorities (黔ICP备 + 贵公网安备, 陇ICP备 + 甘公网安备), labels without a colon
(网站标识码bm01000001), 公安机关备案号 / 公安局备案编号 forms, the older 12-digit 公安备案 numbers,
the newer beian.mps.gov.cn link, marks split over <span>s and lines, full-width digits, the conac
script. The set measures both ways: no mark that is shown is reported missing, and every mark that
is truly absent is reported.
"""

from __future__ import annotations

from datetime import date

import pytest

from govsite.checks.base import CheckConfig, SiteCrawl, all_detectors
from govsite.checks.identity import PROVINCE_PREFIXES, load_prefixes
from govsite.crawl.analyze import analyze_page
from govsite.crawl.policy import CrawlPolicy, UrlRules
from govsite.crawl.records import FetchRecord
from govsite.sites.divisions import name_of

AS_OF = date(2025, 11, 30)
SITE = "http://www.example.gov.cn/"
FOOTER_TYPES = ("missing_site_code", "missing_icp", "missing_police_record", "missing_conac_mark", "missing_sponsor")

SPONSOR = "<p>主办单位：示例市人民政府办公室　联系电话：0851-86891234</p>"
CONAC_LINK = (
    '<a href="http://bszs.conac.cn/sitename?method=show&amp;id=0A87C46FEE4D331A">'
    '<img src="/images/red.png" alt="党政机关"></a>'
)
CONAC_WRITE = (
    '<script type="text/javascript">document.write(unescape("%3Cspan id=\'_ideConac\' %3E%3C/span%3E'
    "%3Cscript src='http://dcs.conac.cn/js/52/000/0000/60422363/CA520000000604223630002.js' "
    "type='text/javascript'%3E%3C/script%3E\"));</script>"
)
CONAC_SRC = '<script type="text/javascript" src="https://dcs.conac.cn/js/33/000/0000/60429971/CA33000.js"></script>'


def homepage(footer: str, *, head: str = "", body: str = "") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8">{head}<title>示例市人民政府</title></head><body>'
        '<div class="top"><a href="/wza/">无障碍</a> <a href="/wzdt/">网站地图</a></div>'
        f'<div class="main"><ul><li><a href="/art/1.html">示例市召开常务会议</a></li></ul>{body}</div>'
        f'<div class="footer"><a href="/yssm/">隐私声明</a>{footer}</div></body></html>'
    )


def judge(html: str) -> dict[str, str]:
    """finding type -> evidence, for the footer marks."""
    page = analyze_page(SITE, 200, html, UrlRules(SITE, CrawlPolicy(), AS_OF), as_of=AS_OF)
    crawl = SiteCrawl(site=SITE, config=CheckConfig(as_of=AS_OF), found_at="2025-11-30T08:00:00+00:00")
    crawl.fetches[SITE] = FetchRecord(url=SITE, kind="page", status=200, final_url=SITE)
    crawl.pages[SITE] = page
    detector = {d.name: d for d in all_detectors()}["identity_marks"]
    return {f.type: f.evidence for f in detector(crawl) if f.type in FOOTER_TYPES}


# (id, footer HTML, <head> extra, the footer marks truly missing)
CASES: list[tuple[str, str, str, set[str]]] = [
    (
        "guizhou-qian-icp-gui-police",
        f"{SPONSOR}<p>网站标识码：5200000001　<a href='https://beian.miit.gov.cn/'>黔ICP备12003456号-1</a>　"
        "<a href='http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=52010202000123'>"
        f"<img src='/images/ga.png' alt=''>贵公网安备 52010202000123号</a></p>{CONAC_LINK}",
        "",
        set(),
    ),
    (
        "gansu-long-icp-gan-police",
        f"{SPONSOR}<p>网站标识码:6201000001 陇ICP备05000593号 甘公网安备 62010302000249号</p>{CONAC_WRITE}",
        "",
        set(),
    ),
    (
        "yunnan-dian",
        f"{SPONSOR}<p>网站标识码：5301000002 滇ICP备05003828号-1 滇公网安备53010202002026号</p>{CONAC_LINK}",
        "",
        set(),
    ),
    (
        "sichuan-shu-icp-chuan-police",
        f"{SPONSOR}<p>网站标识码：5101000001 蜀ICP备05005319号 川公网安备 51010402000507号</p>{CONAC_LINK}",
        "",
        set(),
    ),
    (
        "sichuan-newer-chuan-icp",
        f"{SPONSOR}<p>网站标识码：5107000002 川ICP备09003078号-2 川公网安备 51070302000118号</p>{CONAC_LINK}",
        "",
        set(),
    ),
    (
        "gov-cn-no-colon-bm-code",
        "<p>主办单位：国务院办公厅 运行维护单位：中国政府网运行中心 <a href='/lxwm/'>联系我们</a></p>"
        "<p>网站标识码bm01000001 <a href='https://beian.miit.gov.cn'>京ICP备05070218号</a>"
        "<img src='/images/ga.png' alt=''>京公网安备11010202000001号</p>" + CONAC_LINK,
        "",
        set(),
    ),
    (
        "ministry-old-12-digit-police",
        "<p>主办：国家体育总局 电话：010-87182114</p><p>ICP备案编号：京ICP备05084924号　"
        "网站标识码bm23000001　京公网安备110401300059号</p>" + CONAC_LINK,
        "",
        set(),
    ),
    (
        "police-organ-label-number-only",
        f"{SPONSOR}<p>网站标识码：4301000001 湘ICP备15014295号-2 公安机关备案号：43011102001327</p>{CONAC_LINK}",
        "",
        set(),
    ),
    (
        "old-public-security-bureau-number",
        f"{SPONSOR}<p>网站标识码：1101050001 京ICP备10028400号 北京市公安局朝阳分局备案编号：110105000443</p>"
        + CONAC_LINK,
        "",
        set(),
    ),
    (
        "bureau-label-with-gongwang-number",
        f"{SPONSOR}<p>网站标识码：1101080002 京ICP备06071601号 公安局备案编号：京公网安备 11010802022212号</p>"
        + CONAC_LINK,
        "",
        set(),
    ),
    (
        "police-icon-link-only-old-system",
        f"{SPONSOR}<p>网站标识码：3301270001 浙ICP备12038562号</p>"
        "<a href='http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=33012702000101'>"
        f"<img src='/images/ga.png'></a>{CONAC_LINK}",
        "",
        set(),
    ),
    (
        "police-new-mps-link-with-text",
        f"{SPONSOR}<p>网站标识码：5206000001 <a href='https://beian.miit.gov.cn'>黔ICP备2025044906号</a> "
        "<a href='https://beian.mps.gov.cn/#/query/webSearch?code=52060202000576'>"
        f"<img src='/images/BAIcon.png'>贵公网安备52060202000576号</a></p>{CONAC_LINK}",
        "",
        set(),
    ),
    (
        "marks-split-over-spans",
        "<p><span>主办单位：</span><span>示例市人民政府办公室</span><span>联系电话：</span>"
        "<span>0851-86891234</span></p><p><span>网站标识码：</span><span>5201000003</span>"
        "<span>黔ICP备</span><span>12003456号-2</span><span>贵公网安备</span><span>52010302000321号</span></p>"
        + CONAC_LINK,
        "",
        set(),
    ),
    (
        "marks-split-over-lines",
        "<p>主办单位：示例市人民政府办公室<br>\n联系电话：0851-86891234</p><p>网站标识码：<br>\n5201000003<br>\n"
        "黔ICP备<br>\n12003456号<br>\n贵公网安备<br>\n52010302000321号</p>" + CONAC_LINK,
        "",
        set(),
    ),
    (
        "full-width-digits",
        "<p>主办单位：示例市人民政府办公室　联系电话：０８５１－８６８９１２３４</p>"
        "<p>网站标识码：５２０１０００００３　黔ＩＣＰ备１２００３４５６号－１　贵公网安备５２０１０３０２０００３２１号</p>"
        + CONAC_LINK,
        "",
        set(),
    ),
    (
        "conac-script-src",
        f"{SPONSOR}<p>网站标识码：3301000001 浙ICP备05071451号-1 浙公网安备 33010202000555号</p>{CONAC_SRC}",
        "",
        set(),
    ),
    (
        "conac-image-to-local-page",
        f"{SPONSOR}<p>网站标识码：3301000001 浙ICP备05071451号-1 浙公网安备 33010202000555号</p>"
        "<a href='/dzjg.html'><img src='/images/dzjg.png' alt='党政机关'></a>",
        "",
        set(),
    ),
    (
        "government-site-code-label",
        f"{SPONSOR}<p>政府网站标识码：3301000001 ICP备案号：浙ICP备05071451号-1 浙公网安备 33010202000555号</p>"
        + CONAC_LINK,
        "",
        set(),
    ),
    (
        "space-before-colon-and-record-serial",
        f"{SPONSOR}<p>网站标识码 ：bm35000001 备案序号:京ICP备13027807号 京公网安备11010202008311号</p>"
        + CONAC_LINK,
        "",
        set(),
    ),
    (
        "icp-licence-and-upper-bm",
        f"{SPONSOR}<p>网站标识码BM05000001 京ICP证030173号 京公网安备11040202430174号</p>{CONAC_LINK}",
        "",
        set(),
    ),
    (
        "sponsor-suffix-and-contact-link",
        "<p>淳安县人民政府办公室主办 <a href='/lxwm.html'>联系我们</a></p>"
        f"<p>网站标识码:3301270001 浙ICP备12038562号 浙公网安备 33012702000101号</p>{CONAC_LINK}",
        "",
        set(),
    ),
    (
        "ningxia",
        f"{SPONSOR}<p>网站标识码：6401000001 宁ICP备05001221号 宁公网安备 64010402000123号</p>{CONAC_LINK}",
        "",
        set(),
    ),
    (
        "xinjiang",
        f"{SPONSOR}<p>网站标识码：6501000001 新ICP备05000236号-1 新公网安备 65010202000211号</p>{CONAC_LINK}",
        "",
        set(),
    ),
    (
        "tibet-guangxi-hainan-style",
        f"{SPONSOR}<p>网站标识码：5401000001 藏ICP备05000022号 藏公网安备 54010202000101号</p>{CONAC_LINK}",
        "",
        set(),
    ),
    (
        "shaanxi-licence-suffix-spaces",
        f"{SPONSOR}<p>网站标识码：6101000001 陕ICP备 15002899 号-4 陕公网安备 61010302000123 号</p>{CONAC_LINK}",
        "",
        set(),
    ),
    (
        "hebei-bei-zi-and-police-colon",
        "<p>河北省人民政府办公厅主办 联系电话：0311-87801234</p><p>网站标识码：1300000001 冀ICP备字201401号 "
        f"冀公网安备:13010202000123号</p>{CONAC_LINK}",
        "",
        set(),
    ),
    (
        "international-networking-record-label",
        "<p>重庆市九龙坡区人民政府办公室主办 联系电话：023-68781234</p><p>ICP备案：渝ICP备05001234号-1 "
        f"国际联网备案： 渝公网安备 50010702000123号 网站标识码：5001070012</p>{CONAC_LINK}",
        "",
        set(),
    ),
    (
        "site-recognition-code-label",
        f"{SPONSOR}<p>Copyright 2001-2013 网站识别码：3501000010 闽ICP备07501520号 闽公网安备 35010202000123号</p>"
        + CONAC_LINK,
        "",
        set(),
    ),
    (
        "conac-placeholder-filled-by-a-script-file",
        f"{SPONSOR}<p>网站标识码：3301000001 浙ICP备05071451号-1 浙公网安备 33010202000555号</p>"
        "<span id='_ideConac'></span><script src='/js/footer.js'></script>",
        "",
        set(),
    ),
    # -- marks truly missing -----------------------------------------------------------------------
    (
        "site-code-only-in-meta",
        f"{SPONSOR}<p>黔ICP备12003456号-1 贵公网安备 52010202000123号</p>{CONAC_LINK}",
        '<meta name="SiteIDCode" content="5201000001">',
        {"missing_site_code"},
    ),
    (
        "site-code-meta-content-first",
        f"{SPONSOR}<p>京ICP备05070218号 京公网安备11010202000001号</p>{CONAC_LINK}",
        '<meta content="bm01000001" name="SiteIDCode">',
        {"missing_site_code"},
    ),
    (
        "icp-query-link-without-number",
        f"{SPONSOR}<p>网站标识码：5201000001 <a href='https://beian.miit.gov.cn'>ICP备案查询</a> "
        f"贵公网安备 52010202000123号</p>{CONAC_LINK}",
        "",
        {"missing_icp"},
    ),
    (
        "police-label-without-number",
        f"{SPONSOR}<p>网站标识码：5201000001 黔ICP备12003456号-1 公安机关备案号：</p>{CONAC_LINK}",
        "",
        {"missing_police_record"},
    ),
    (
        "police-number-of-13-digits",
        f"{SPONSOR}<p>网站标识码：5201000001 黔ICP备12003456号-1 贵公网安备 5201020200012号</p>{CONAC_LINK}",
        "",
        {"missing_police_record"},
    ),
    (
        "conac-script-commented-out",
        f"{SPONSOR}<p>网站标识码：5201000001 黔ICP备12003456号-1 贵公网安备 52010202000123号</p>"
        "<script>\n// document.write(unescape(\"%3Cscript src='http://dcs.conac.cn/js/52/x.js'%3E\"));\n</script>",
        "",
        {"missing_conac_mark"},
    ),
    (
        "conac-headline-only",
        f"{SPONSOR}<p>网站标识码：5201000001 黔ICP备12003456号-1 贵公网安备 52010202000123号</p>"
        "<a href='/art/2.html'>关于进一步规范党政机关网站管理的通知</a>",
        "",
        {"missing_conac_mark"},
    ),
    (
        "bare-copyright-footer",
        "<p>版权所有 © 示例市人民政府</p>",
        '<meta name="SiteIDCode" content="28">',
        set(FOOTER_TYPES),
    ),
    (
        "site-code-label-empty-and-meta",
        f"{SPONSOR}<p>网站标识码： 黔ICP备12003456号-1 贵公网安备 52010202000123号</p>{CONAC_LINK}",
        '<meta name="SiteIDCode" content="5201000001">',
        {"missing_site_code"},
    ),
]


@pytest.mark.parametrize(("footer", "head", "missing"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_real_footer_shapes(footer: str, head: str, missing: set[str]):
    found = judge(homepage(footer, head=head))
    assert set(found) == missing, found


def test_the_set_is_measured_both_ways():
    """At least 30 footers, each variant, with both shown and truly missing marks; no false "missing"
    (precision 1.0) and none missed (recall 1.0) over all of them."""
    assert len(CASES) >= 30
    reported = expected = correct = 0
    for _, footer, head, missing in CASES:
        found = set(judge(homepage(footer, head=head)))
        reported += len(found)
        expected += len(missing)
        correct += len(found & missing)
    assert expected >= 10
    assert (correct / reported, correct / expected) == (1.0, 1.0)


def test_a_code_only_in_the_meta_says_it_is_there_but_not_shown():
    html = homepage(f"{SPONSOR}<p>黔ICP备12003456号-1 贵公网安备 52010202000123号</p>{CONAC_LINK}",
                    head='<meta name="SiteIDCode" content="5201000001">')  # fmt: skip
    evidence = judge(html)["missing_site_code"]
    assert evidence.startswith("网站标识码 5201000001 只写在页面源码的 SiteIDCode 元数据中，首页底部及正文均未显示")
    assert "页脚：" in evidence  # where it was looked for


def test_a_meta_value_that_is_no_site_code_is_not_quoted_as_one():
    evidence = judge(homepage("<p>版权所有</p>", head='<meta name="SiteIDCode" content="28">'))["missing_site_code"]
    assert evidence.startswith("首页底部及正文未找到“网站标识码”")
    assert "SiteIDCode" not in evidence


def test_an_empty_label_with_the_code_in_the_meta_says_both():
    html = homepage(f"{SPONSOR}<p>网站标识码： 黔ICP备12003456号-1</p>",
                    head='<meta name="SiteIDCode" content="5201000001">')  # fmt: skip
    evidence = judge(html)["missing_site_code"]
    assert "（SiteIDCode 元数据中有 5201000001，但页面未显示）" in evidence
    assert "见页脚：" in evidence


# -- the province table -----------------------------------------------------------------------------

MAINLAND = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
}  # fmt: skip


def test_the_table_covers_the_31_provinces_under_their_gb2260_names():
    assert {row.code for row in PROVINCE_PREFIXES} == MAINLAND
    assert len(PROVINCE_PREFIXES) == 31
    for row in PROVINCE_PREFIXES:
        assert name_of(row.code + "0000") == row.name


def test_the_two_authorities_prefixes_differ_where_they_do():
    by_name = {row.name: row for row in PROVINCE_PREFIXES}
    assert (by_name["贵州省"].icp[0], by_name["贵州省"].police[0]) == ("黔", "贵")
    assert (by_name["甘肃省"].icp[0], by_name["甘肃省"].police[0]) == ("陇", "甘")
    assert (by_name["四川省"].icp[0], by_name["四川省"].police[0]) == ("蜀", "川")
    assert (by_name["云南省"].icp[0], by_name["云南省"].police[0]) == ("滇", "滇")


@pytest.mark.parametrize("row", PROVINCE_PREFIXES, ids=lambda r: r.name)
def test_every_province_prefix_is_read(row):
    for icp in row.icp:
        for police in row.police:
            footer = (
                f"{SPONSOR}<p>网站标识码：{row.code}01000001 {icp}ICP备05012345号-1 "
                f"{police}公网安备 {row.code}010202000123号</p>{CONAC_LINK}"
            )
            assert judge(homepage(footer)) == {}, (icp, police)


def test_a_prefix_that_is_no_province_is_not_an_icp_number():
    footer = f"{SPONSOR}<p>网站标识码：3301000001 中ICP备05012345号 浙公网安备 33010202000555号</p>{CONAC_LINK}"
    assert set(judge(homepage(footer))) == {"missing_icp"}


def test_a_malformed_table_is_a_clear_error(tmp_path):
    bad = tmp_path / "prefixes.yaml"
    bad.write_text("provinces:\n  - {code: '52', name: 贵州省, icp: [黔], police: [贵公]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="one-character"):
        load_prefixes(bad)
    bad.write_text("provinces: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match="non-empty 'provinces'"):
        load_prefixes(bad)

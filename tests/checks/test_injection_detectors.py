"""Hidden links (暗链), injected scripts (挂马) and mixed content, judged on pages the crawl's own
analysis read (govsite.crawl.analyze.analyze_page), as a scan records them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from govsite.checks.badcontent import load_bad_content
from govsite.checks.base import CheckConfig, SiteCrawl, all_detectors
from govsite.crawl.analyze import analyze_page
from govsite.crawl.policy import CrawlPolicy, UrlRules
from govsite.crawl.records import FetchRecord
from govsite.sites.origin import registrable

SITE = "https://www.zj.gov.cn/"
AS_OF = date(2025, 6, 30)
CONAC = (
    '<script type="text/javascript">document.write(unescape("%3Cspan id=\'_ideConac\' %3E%3C/span%3E'
    "%3Cscript src='https://dcs.conac.cn/js/33/000/0000/60429971/CA330000000604299710002.js' "
    "type='text/javascript'%3E%3C/script%3E\"));</script>"
)


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head><title>浙江省人民政府</title>{head}</head><body>{body}</body></html>"


def crawl_of(*pages: tuple[str, str], site: str = SITE) -> SiteCrawl:
    crawl = SiteCrawl(site=site, config=CheckConfig(as_of=AS_OF), found_at="2025-06-30T08:00:00+00:00")
    rules = UrlRules(site, CrawlPolicy(), AS_OF)
    for url, html in pages:
        crawl.fetches[url] = FetchRecord(url=url, kind="page", status=200, final_url=url)
        crawl.pages[url] = analyze_page(url, 200, html, rules, as_of=AS_OF)
    return crawl


def run(name: str, crawl: SiteCrawl, options=None):
    found = {d.name: d for d in all_detectors()}[name]
    return found(crawl, found.make_options(options) if options else None)


def only(name: str, html: str, **kwargs):
    return run(name, crawl_of((SITE, html)), **kwargs)


# --- hidden_link ------------------------------------------------------------------------------------

INJECTED_SHAPES = [
    '<div style="display:none"><a href="http://www.am-casino.com/">澳门葡京娱乐城</a></div>',
    '<div style="position:absolute;top:-999px;left:-999px"><a href="http://x.example.com/">百家乐</a></div>',
    '<p style="font-size:0;line-height:0"><a href="http://fp.example.net/">代开发票</a></p>',
    '<div style="height:0;overflow:hidden"><a href="http://www.bet365.com/zh">体育</a></div>',
    '<span style="text-indent:-9999px;display:block"><a href="http://y.example.org/">时时彩</a></span>',
    '<marquee height="1" width="1"><a href="http://z.example.cc/">成人视频</a></marquee>',
    '<div hidden><a href="http://w.example.cc/">北京赛车</a></div>',
    '<div style="color:#fff;background-color:#fff"><a href="http://v.example.cc/">六合彩</a></div>',
    '<script>document.write(\'<div style="display:none"><a href="http://u.example.cc/">真人娱乐</a></div>\');</script>',
]


@pytest.mark.parametrize("markup", INJECTED_SHAPES)
def test_each_real_shape_of_a_hidden_gambling_link_is_high(markup):
    findings = only("hidden_links", page(markup + "<p>正文</p>"))
    assert [(f.type, f.url, f.severity) for f in findings] == [("hidden_link", SITE, "high")]
    assert findings[0].detail["links"][0]["url"] in findings[0].evidence


def test_a_rule_of_the_page_stylesheet_hides_links_too():
    html = page(
        '<div class="lk"><a href="http://www.xvideos.com/">视频</a></div>',
        head="<style>/* seo */ .lk { position: absolute; left: -3000px }</style>",
    )
    (finding,) = only("hidden_links", html)
    assert finding.severity == "high" and ".lk{position:absolute;left:-3000px}" in finding.evidence
    assert finding.detail["links"][0]["category"] == "porn"


def test_a_media_print_rule_or_a_hover_rule_hides_nothing():
    html = page(
        '<div class="lk"><a href="http://www.xvideos.com/">视频</a></div>',
        head="<style>@media print { .lk { display: none } } .lk:hover { display: none }</style>",
    )
    assert only("hidden_links", html) == []


def test_legitimate_hidden_things_say_nothing():
    html = page(
        '<a href="#main" class="skip" style="position:absolute;left:-9999px">跳到主要内容</a>'  # skip link
        '<a href="/wza/" style="position:absolute;top:-1000px">无障碍浏览</a>'  # in-site helper
        '<ul class="sub" style="display:none"><li><a href="https://www.hz.gov.cn/">杭州市</a></li>'
        '<li><a href="http://www.example.com/">合作单位</a></li></ul>'  # a folded menu, no bad content
        '<div style="position:absolute;left:-2000px"><a href="https://www.nb.gov.cn/">宁波市政府</a></div>'
        '<a href="https://sub.zj.gov.cn/" style="display:none">省直部门</a>'  # its own domain
        '<a href="http://www.cwl.gov.cn/">中国福利彩票</a>'  # visible, and a government lottery
    )
    assert only("hidden_links", html) == []


def test_an_injection_shape_without_a_list_match_is_low_or_silent_by_option():
    html = page('<div style="position:absolute;top:-999px"><a href="http://unknown.example.com/">aaa</a></div>')
    (finding,) = only("hidden_links", html)
    assert finding.severity == "low" and finding.detail["matched"] is False
    assert only("hidden_links", html, options={"report_unmatched": False}) == []


def test_a_user_list_extends_the_bundled_one(tmp_path: Path):
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "categories:\n  gambling:\n    words: [幸运飞艇]\n    domains: [lucky.example]\n", encoding="utf-8"
    )
    hit = load_bad_content(str(extra)).match("", "", host="www.lucky.example")
    assert (hit.category, hit.label, hit.text) == ("gambling", "博彩", "lucky.example")
    html = page('<div style="display:none"><a href="http://a.example.com/">幸运飞艇</a></div>')
    assert only("hidden_links", html) == []  # display:none alone, no bundled match
    (finding,) = only("hidden_links", html, options={"bad_content_file": str(extra)})
    assert finding.severity == "high"


def test_latin_keywords_match_whole_words_only():
    lists = load_bad_content()
    assert lists.match("", "http://a.example.com/casino/").text == "casino"
    assert lists.match("", "http://a.example.com/occasional/xxxl.html") is None


# --- malicious_script -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "said"),
    [
        (
            "<script>eval(function(p,a,c,k,e,d){e=function(c){return c};return p}('0',0,0,''.split('|'),0,{}))</script>",
            "eval 加壳",
        ),
        ("<script>var s=String.fromCharCode(" + ",".join(["60"] * 30) + ");</script>", "fromCharCode"),
        ('<script>var s="' + "\\x3c" * 25 + '";</script>', "十六进制"),
        (
            '<iframe src="http://evil.example.com/x.html" width="0" height="0" frameborder="0"></iframe>',
            "隐藏的站外框架",
        ),
        ('<div style="display:none"><iframe src="http://evil.example.com/"></iframe></div>', "隐藏的站外框架"),
        ('<script>if(/baidu/.test(document.referrer)){window.location.href="http://www.bc-xx.com/";}</script>', "跳转"),
    ],
)
def test_obfuscation_hidden_frames_and_redirects_are_high(markup, said):
    (finding,) = only("malicious_scripts", page(markup))
    assert (finding.type, finding.url, finding.severity) == ("malicious_script", SITE, "high")
    assert said in finding.evidence


def test_a_meta_refresh_to_another_site_is_high():
    html = page("", head='<meta http-equiv="refresh" content="0; url=http://www.bc-xx.com/">')
    (finding,) = only("malicious_scripts", html)
    assert finding.severity == "high" and "http://www.bc-xx.com/" in finding.evidence


def test_a_plain_foreign_script_is_medium_once_per_host():
    script = '<script src="http://js.unknown-stat.com/a.js"></script>'
    crawl = crawl_of((SITE, page(script)), (SITE + "a.html", page(script)))
    findings = run("malicious_scripts", crawl)
    assert [(f.url, f.severity) for f in findings] == [(SITE, "medium")]


def test_own_and_allow_listed_third_parties_say_nothing():
    html = page(
        CONAC
        + '<script src="https://www.zj.gov.cn/js/jquery.js"></script>'
        + '<script src="https://static.zj.gov.cn/js/common.js"></script>'
        + '<script src="https://hm.baidu.com/hm.js?abc"></script>'
        + '<script src="https://s4.cnzz.com/z_stat.php?id=1"></script>'
        + '<script src="https://pucha.kaipuyun.cn/exposure/jiucuo.js"></script>'
        + '<script>location.href="/mobile/index.html";</script>'
        + '<iframe src="https://www.zj.gov.cn/ad.html" width="0" height="0"></iframe>'
    )
    assert only("malicious_scripts", html) == []


def test_the_allow_list_takes_user_entries_and_path_prefixes(tmp_path: Path):
    html = page('<script src="http://127.0.0.1:8001/widget/a.js"></script>')
    assert len(only("malicious_scripts", html)) == 1
    assert only("malicious_scripts", html, options={"allow": ("127.0.0.1:8001/widget/",)}) == []
    listed = tmp_path / "allow.yaml"
    listed.write_text("- 127.0.0.1:8001/widget/\n", encoding="utf-8")
    assert only("malicious_scripts", html, options={"allow_file": str(listed)}) == []


def test_registrable_domains():
    assert registrable("https://www.zj.gov.cn/") == registrable("http://sub.zj.gov.cn/x") == "zj.gov.cn"
    assert registrable("https://www.hz.gov.cn/") != registrable("https://www.zj.gov.cn/")
    assert registrable("http://127.0.0.1:8001/") != registrable("http://127.0.0.1:8002/")
    assert registrable("https://cdn.example.com/") == "example.com"


# --- mixed_content ---------------------------------------------------------------------------------------


def test_an_https_page_loading_http_scripts_is_medium_and_images_low():
    active = only("mixed_content", page('<script src="http://www.zj.gov.cn/js/a.js"></script>'))
    assert [(f.type, f.severity) for f in active] == [("mixed_content", "medium")]
    assert "<script> http://www.zj.gov.cn/js/a.js" in active[0].evidence
    passive = only("mixed_content", page('<img src="http://www.zj.gov.cn/a.png">'))
    assert [(f.severity, f.detail["active"]) for f in passive] == [("low", False)]
    assert only("mixed_content", page('<img src="https://www.zj.gov.cn/a.png"><img src="/b.png">')) == []


def test_an_http_page_has_no_mixed_content():
    site = "http://www.qdh.gov.cn/"
    crawl = crawl_of((site, page('<script src="http://cdn.example.com/a.js"></script>')), site=site)
    assert run("mixed_content", crawl) == []


# --- the records -----------------------------------------------------------------------------------------


def test_the_hints_survive_the_page_index_and_are_bounded():
    from govsite.crawl.pagesecurity import MAX_ITEMS
    from govsite.crawl.records import PageRecord

    many = "".join(f'<div style="display:none"><a href="http://s{i}.example.com/">百家乐</a></div>' for i in range(80))
    html = page(many + CONAC, head='<meta http-equiv="refresh" content="5;URL=/new/">')
    record = crawl_of((SITE, html)).pages[SITE]
    assert len(record.hidden_links) == MAX_ITEMS
    assert record.meta_refresh == SITE + "new/"
    assert [s["kind"] for s in record.scripts] == ["written"]  # the conac script, as document.write writes it
    again = PageRecord.from_dict(record.to_dict())
    assert (again.hidden_links, again.scripts, again.meta_refresh) == (
        record.hidden_links,
        record.scripts,
        record.meta_refresh,
    )


def test_zero_size_without_overflow_hidden_still_shows_its_content():
    html = page('<div style="height:0"><a href="http://www.am-casino.com/">澳门葡京娱乐城</a></div>')
    assert only("hidden_links", html) == []


@pytest.mark.parametrize("href", ["//casino.example.com/", "HTTP://casino.example.com/", "/zwgk/", "list.html"])
def test_only_a_link_that_names_another_host_can_be_a_hidden_off_site_link(href):
    found = only("hidden_links", page(f'<div style="display:none"><a href="{href}">百家乐</a></div>'))
    assert len(found) == (0 if href in ("/zwgk/", "list.html") else 1)

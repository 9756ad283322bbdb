"""analyze_page: one parse of a page into the record the checks read."""

from __future__ import annotations

from datetime import date

from test_listpages import HANWEB_RECORDS, hanweb_page

from govsite.crawl.analyze import analyze_page
from govsite.crawl.policy import CrawlPolicy, UrlRules
from govsite.crawl.records import PageRecord

AS_OF = date(2025, 11, 30)
SITE = "http://www.example.gov.cn/"


def analyse(html: str, url: str = SITE + "art/2025/6/18/art_1.html") -> PageRecord:
    return analyze_page(url, 200, html, UrlRules(SITE, CrawlPolicy(), AS_OF), as_of=AS_OF)


def test_text_links_footer_and_date_are_read():
    page = analyse(
        """<html><head><title> 关于做好防汛工作的通知_示例市人民政府 </title>
        <meta name="viewport" content="width=device-width"></head><body>
        <p>发布时间：2025-06-18</p><p>各乡镇人民政府：
        请做好防汛工作。</p>
        <a href="/col/col1/index.html"> 通知 公告 </a><a href="/files/a.pdf"><img alt="附件下载"></a>
        <a href="https://www.gov.cn/" title="中国政府网"></a><a href="/css/a.css">样式</a>
        <a href="javascript:void(0)">无</a><a href="/col/col1/index.html#top">重复</a>
        <div class="footer">主办单位：示例市人民政府办公室 <img alt="党政机关"></div></body></html>"""
    )
    assert page.title == "关于做好防汛工作的通知_示例市人民政府"
    assert page.has_viewport
    assert page.published == date(2025, 6, 18)
    assert [(link.url, link.text, link.kind) for link in page.links] == [
        (SITE + "col/col1/index.html", "通知 公告", "page"),
        (SITE + "files/a.pdf", "附件下载", "attachment"),
        ("https://www.gov.cn/", "中国政府网", "external"),
        (SITE + "css/a.css", "样式", "other"),
    ]
    assert page.footer_text == "主办单位：示例市人民政府办公室 党政机关"
    assert "各乡镇人民政府： 请做好防汛工作。" in page.text


def test_comments_do_not_split_words_and_scripts_do_not_reach_the_text():
    page = analyse(
        "<html><body><p>中华<!-- 注释 -->人民共和国<script>var x = '脚本';</script>国务院"
        "<style>p{}</style></p><noscript>请启用脚本</noscript></body></html>"
    )
    assert "中华人民共和国国务院" in page.text
    assert "脚本" not in page.text and "注释" not in page.text


def test_an_xhtml_page_with_an_xml_declaration_is_read():
    page = analyse(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml">'
        "<head><title>政务公开</title></head><body><p>正文内容</p></body></html>"
    )
    assert page.title == "政务公开"
    assert "正文内容" in page.text


def test_an_empty_or_blank_page_gives_an_empty_record():
    for html in ("", "   \n "):
        page = analyse(html)
        assert (page.title, page.text, page.links) == ("", "", [])


def test_records_read_back_share_the_strings_pages_repeat():
    menu = '<a href="/col/col1/index.html">通知公告</a>'
    first = analyse(f"<html><body>{menu}<p>一</p></body></html>", SITE + "a.html")
    second = analyse(f"<html><body>{menu}<p>二</p></body></html>", SITE + "b.html")
    strings: dict[str, str] = {}
    back = [PageRecord.from_dict(p.to_dict(), strings) for p in (first, second)]
    assert back == [first, second]
    assert back[0].links[0].url is back[1].links[0].url
    assert back[0].links[0].text is back[1].links[0].text


FOOT = "版权所有：示例市人民政府 主办单位：示例市人民政府办公室 网站标识码：3301000001"


def test_the_footer_is_the_layout_block_that_holds_the_copyright_not_the_last_text():
    page = analyse(
        '<html><body><div class="wrap"><div class="nav"><a href="/">首页</a></div>'
        '<div class="con"><p>正文第一段。</p><div class="con_bottom">【打印本页】【关闭窗口】</div></div>'
        f'<div class="wrap3"><p>{FOOT}</p></div></div>'
        '<div class="float"><a href="#top">返回顶部</a></div></body></html>'
    )
    assert page.footer_text == FOOT


def test_a_footer_split_over_consecutive_blocks_is_read_whole():
    page = analyse(
        "<html><body><table><tr><td>示例市人民政府门户网站</td></tr></table>"
        "<table><tr><td>正文：关于做好防汛工作的通知。各乡镇人民政府：请做好防汛工作。</td></tr></table>"
        "<table><tr><td>版权所有：示例市人民政府</td></tr></table>"
        "<table><tr><td>网站标识码：3301000001 浙ICP备05001234号</td></tr></table></body></html>"
    )
    assert page.footer_text == "版权所有：示例市人民政府 网站标识码：3301000001 浙ICP备05001234号"


def test_a_footer_element_is_the_footer_and_a_page_without_one_has_none():
    page = analyse(f"<html><body><main><p>正文。</p></main><footer><p>{FOOT}</p></footer></body></html>")
    assert page.footer_text == FOOT
    bare = analyse("<html><body><p>关于做好防汛工作的通知。</p><p>各乡镇人民政府：请做好防汛工作。</p></body></html>")
    assert bare.footer_text == ""


def test_a_hanweb_datastores_records_are_links_the_crawl_follows():
    """jpage turns the records of a <script type="text/xml"> datastore into links in the browser; an
    article reachable only that way (a column's newest items on a Hanweb site) must be crawled too."""
    url = "https://www.zj.gov.cn/col/col1229019365/index.html"
    rules = UrlRules("https://www.zj.gov.cn/", CrawlPolicy(), AS_OF)
    page = analyze_page(url, 200, hanweb_page(HANWEB_RECORDS), rules, as_of=AS_OF)
    linked = {link.url: link for link in page.links}
    first = "https://www.zj.gov.cn/art/2025/6/17/art_1229019365_6021.html"
    assert linked[first].kind == "page" and linked[first].text == HANWEB_RECORDS[0][0]
    assert sum(1 for link in page.links if "/art/" in link.url) == len(HANWEB_RECORDS)

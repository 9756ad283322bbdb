"""parse_html / browser_html: a page read as a browser reads it, whatever its template concatenated."""

from __future__ import annotations

import time
from datetime import date

from lxml import etree

from govsite.crawl.analyze import analyze_page
from govsite.crawl.htmltree import browser_html, parse_html
from govsite.crawl.policy import CrawlPolicy, UrlRules
from govsite.text.maincontent import extract_main_text, visible_text

AS_OF = date(2025, 11, 30)
SITE = "http://www.example.gov.cn/"
MARKS = "主办单位：示例市人民政府办公室 网站标识码：3301000001 浙ICP备05001234号 浙公网安备33010202000123号"


def fragment(body: str, *, doctype: str = "<!DOCTYPE html>") -> str:
    """One include as TRS/JSP templates ship it: a whole document of its own."""
    return (
        f'{doctype}\n<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        f"<title>无标题文档</title></head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def article(paragraphs: int = 8) -> str:
    rows = "".join(
        f"<p>各乡镇人民政府要切实做好防汛工作，落实属地责任，加强巡查值守，确保群众生命财产安全。第{n}条。</p>"
        for n in range(1, paragraphs + 1)
    )
    return f'<div class="article"><h1>关于做好防汛工作的通知</h1><p>发布时间：2025-06-18</p>{rows}</div>'


def included_page() -> str:
    """Header, article and footer fragments, each ending in </body></html>; the marks only in the last."""
    header = fragment('<div class="top"><a href="/">首页</a> <a href="/col/col1/index.html">通知公告</a></div>')
    main = (
        '<!DOCTYPE html><html lang="zh-CN"><head><title>关于做好防汛工作的通知_示例市人民政府</title></head>'
        f'<body>\n<!--#include virtual="/include/head.shtml"-->\n<div class="main">{article()}</div>\n</body>\n</html>\n'
    )
    footer = fragment(f'<div class="wrap3"><p>{MARKS}</p><a href="/wzdt/index.html">网站地图</a></div>')
    return main.replace('<!--#include virtual="/include/head.shtml"-->', header) + footer


def analyse(html: str):
    url = SITE + "art/2025/6/18/art_1.html"
    return analyze_page(url, 200, html, UrlRules(SITE, CrawlPolicy(), AS_OF), as_of=AS_OF)


def test_a_page_of_included_fragments_keeps_its_footer():
    page = analyse(included_page())
    assert page.title == "关于做好防汛工作的通知_示例市人民政府"
    assert "第8条" in page.text and MARKS in page.text
    assert MARKS in page.footer_text and "第8条" not in page.footer_text
    assert "无标题文档" not in page.text  # a fragment's <title> lands in the body, where no browser shows it
    assert SITE + "wzdt/index.html" in [link.url for link in page.links]
    assert page.published == date(2025, 6, 18)


def test_every_reader_sees_the_whole_page():
    html = included_page()
    assert MARKS in visible_text(html) and "无标题文档" not in visible_text(html)
    assert "第8条" in extract_main_text(html)  # libxml2 under trafilatura stopped after the header fragment


def test_text_after_a_closed_body_is_in_the_body():
    root = parse_html("<html><body><p>一</p></BODY >二<p>三</p></HTML >四")
    body = root.find("body")
    assert " ".join(body.itertext()) == "一 二 三 四"
    assert root.tail is None and body.tail is None


def test_end_tags_inside_scripts_comments_and_attribute_values_are_not_tags():
    html = (
        "<html><body><p>一</p><script>var s = '</body></html>'; if (a<b) {}</script>"
        "<!-- </html> --><a title=\"</html>\" href=\"/a.html\">二</a><textarea></html></textarea>"
        "<p title=it's>三</p></body></html><p>四</p>"
    )
    root = parse_html(html)
    assert root.find(".//script").text == "var s = '</body></html>'; if (a<b) {}"
    assert root.find(".//a").get("title") == "</html>"
    assert root.find(".//textarea").text == "</html>"
    assert [p.text for p in root.iter("p")] == ["一", "三", "四"]
    root = parse_html('<body><a title="<b></html>">一</a><p>他说"好"</body></html><p>二</p>')
    assert root.find(".//a").get("title") == "<b></html>"
    assert [p.text for p in root.iter("p")] == ['他说"好"', "二"]


def test_a_script_that_opens_a_comment_does_not_hide_the_stray_end_tag_after_it():
    root = parse_html('<html><body><script>document.write("<!--");</script></body></html><p>页脚</p><!-- x -->')
    assert [p.text for p in root.iter("p")] == ["页脚"]


def test_unclosed_elements_and_a_script_inside_a_form_are_read_as_a_browser_reads_them():
    root = parse_html(
        "<html><body><div><p>一<div>二<ul><li>三<li>四</ul><p>五"
        '<form action="/s"><input name="q"><script>var x = "</form>";</script><p>六</p></form>'
        "</body></html><p>七</p>"
    )
    assert [li.text for li in root.iter("li")] == ["三", "四"]
    form = root.find(".//form")
    assert [child.tag for child in form] == ["input", "script", "p"]
    page = analyse(etree.tostring(root, encoding="unicode"))
    assert page.text == "一 二 三 四 五 六 七"


def test_a_gbk_page_read_from_bytes_keeps_its_footer():
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head>'
        "<body><p>正文</p></body></html><div class=\"foot\">版权所有：示例市人民政府</div></body></html>"
    )
    root = parse_html(html.encode("gbk"))
    assert root.find(".//div").text == "版权所有：示例市人民政府"


def test_a_page_with_one_closing_pair_is_handed_over_as_it_is():
    html = "<!DOCTYPE html><html><body><p>正文</p></body>\n</html>\n<!-- 生成于 2025-06-18 -->\n"
    assert browser_html(html) is html
    assert browser_html(html.encode()) == html.encode()


def test_hostile_markup_is_scanned_in_linear_time():
    for html in (
        "<html><body></body></html>" + '<a x="' * 40_000,
        "<html><body></body></html>" + "<!--" * 40_000,
        "<html><body></body></html>" + "<script>" + "</scrip" * 40_000,
        "<html><body></body></html>" + "</html" * 40_000,
        "<html><body></body></html>" + '<a title="</html>">x</a>' * 40_000,
    ):
        started = time.perf_counter()
        browser_html(html)
        assert time.perf_counter() - started < 1.0

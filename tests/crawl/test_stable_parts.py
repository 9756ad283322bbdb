"""crawl/stable.py through analyze_page: the stable parts page_tampered compares, and the friendly links."""

from __future__ import annotations

from datetime import date

from govsite.crawl.analyze import analyze_page
from govsite.crawl.policy import CrawlPolicy, UrlRules
from govsite.crawl.records import PageRecord
from govsite.crawl.stable import external_excerpt

SITE = "http://127.0.0.1:8000/"


def analyse(html: str) -> PageRecord:
    return analyze_page(SITE, 200, html, UrlRules(SITE, CrawlPolicy(), date(2025, 6, 30)), as_of=date(2025, 6, 30))


HOME = """<html><head><title>青禾市人民政府</title></head><body>
<div class="header"><div class="logo"><a href="/"><img src="/images/logo.png?v=3" alt="青禾市人民政府"></a></div></div>
<div class="banner"><h1>奋力谱写现代化建设新篇章</h1><img src="/images/banner.png"></div>
<div class="focus"><h2><a href="/art/2025/6/1/art_1.html">头条：市政府召开常务会议</a></h2><img src="/slide/1.jpg"></div>
<div class="box"><h3>政务动态</h3><ul class="list"><li><h3>列表里的标题</h3></li></ul></div>
<div class="tab"><div class="tabheader"><dl><dd>政府网站</dd><dd>县区网站</dd></dl></div>
<div class="tabcontent"><ul><li><a href="http://gov.example/">中国政府网</a></li></ul></div></div>
<div class="friend-links"><span>友情链接：</span><ul><li><a href="http://friend.example/">邻市政府</a></li>
<li><a href="/about.html">本站页面</a></li></ul></div>
<div class="footer">
<select onchange="window.open(this.value)"><option value="">市直部门网站</option>
<option value="http://dept.example/">市教育局</option><option value="0">请选择</option></select>
版权所有：青禾市人民政府 <img src="/images/conac.png"></div>
<p><a href="http://news.example/">一篇文章里的外部链接</a></p>
</body></html>"""


def test_headings_leave_out_lists_carousels_and_linked_headlines():
    page = analyse(HOME)
    assert "奋力谱写现代化建设新篇章" in page.headings and "政务动态" in page.headings
    assert not any("头条" in h or "列表里的标题" in h for h in page.headings)


def test_images_are_the_header_banner_and_footer_ones_not_the_carousel_s():
    images = analyse(HOME).images
    assert f"{SITE}images/banner.png" in images and f"{SITE}images/conac.png" in images
    assert f"{SITE}images/logo.png?v=3" in images and not any("slide" in u for u in images)


def test_friendly_links_are_the_blocks_and_select_boxes_of_external_urls():
    page = analyse(HOME)
    assert set(page.friendly_links) == {"http://friend.example/", "http://gov.example/", "http://dept.example/"}
    # A select box's URLs are links too (a visitor opens them), with the option's text.
    assert ("http://dept.example/", "市教育局", "external") in [(x.url, x.text, x.kind) for x in page.links]


def test_an_external_page_s_excerpt_is_its_title_and_visible_text_bounded():
    body = (
        "<html><head><title>澳门娱乐城</title><script>var x='百家乐';</script></head><body><p>真人视讯"
        + "字" * 10_000
        + "</p></body></html>"
    ).encode("gbk")
    title, text = external_excerpt(body, "gbk")
    assert title == "澳门娱乐城" and text.startswith("真人视讯") and "百家乐" not in text and len(text) == 4_000
    assert external_excerpt(b"", "utf-8") == ("", "")

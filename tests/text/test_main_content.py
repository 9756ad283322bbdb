"""Main content, not chrome: the extractor on a realistic government page, its fallback, and the
per-site dedup of text units repeated on most pages."""

from __future__ import annotations

from govsite.text import maincontent
from govsite.text.maincontent import SiteChrome, extract_main_text, html_text, sample, visible_text

BODY = (
    "为深入贯彻落实上级决策部署，进一步推动优化营商环境工作落地见效，8月30日，市自然资源和规划局组织召开专题会议，"
    "听取各相关单位工作进展汇报，研究部署下一阶段重点任务。",
    "会议强调，要聚焦重点领域和关键环节，细化工作举措，加强部门协同，形成工作合力；要强化督查考核，"
    "对工作推进不力的单位及时督促整改。",
)
PAGE = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>我市召开专题会议_青禾市人民政府</title>
<script>var x = "脚本里的字";</script></head><body>
<div class="top-bar"><span>欢迎访问青禾市人民政府门户网站</span><a href="/wza/">无障碍</a> | <a href="/sitemap/">网站地图</a></div>
<div class="main-nav"><ul><li><a href="/">首页</a></li><li><a href="/col/1/">政务要闻</a></li><li><a href="/col/2/">通知公告</a></li>
<li><a href="/col/3/">部门动态</a></li><li><a href="/col/4/">政策文件</a></li></ul></div>
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/col/3/">部门动态</a></div>
<div class="article"><h1>我市召开优化营商环境专题会议</h1>
<div class="info">发布时间：2025-08-30 16:51　来源：青禾市自然资源和规划局　浏览次数：799</div>
<div id="zoom"><p>{BODY[0]}</p><p>{BODY[1]}</p></div>
<div class="tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div></div>
<div class="footer"><p><a href="/privacy.html">隐私声明</a> | <a href="/sitemap/">网站地图</a></p>
<p>主办单位：青禾市人民政府办公室　承办单位：青禾市大数据发展管理局　联系电话：0571-83563090</p>
<p>网站标识码：3301000101　浙ICP备39755566号-1　浙公网安备 33010202000101号</p></div></body></html>"""


def test_the_extractor_keeps_the_article_and_drops_the_chrome():
    assert maincontent.extractor_available(), "trafilatura is a declared dependency: it must import"
    text = extract_main_text(PAGE)
    flat = "".join(text.split())
    assert all(paragraph in flat for paragraph in BODY)
    for chrome in ("网站标识码", "ICP备", "公网安备", "主办单位", "打印本页", "欢迎访问", "政务要闻", "脚本里的字"):
        assert chrome not in flat, chrome


def test_without_the_extractor_the_visible_text_is_read(monkeypatch):
    monkeypatch.setattr(maincontent, "trafilatura", None)
    assert extract_main_text(PAGE) == ""
    assert not maincontent.extractor_available()
    text = html_text(PAGE)
    assert BODY[0] in text and "网站标识码" in text and "脚本里的字" not in text
    assert text == visible_text(PAGE) == html_text(PAGE, main_only=False)


def test_hostile_or_empty_html_gives_empty_text():
    assert extract_main_text("") == "" and visible_text("") == ""
    assert extract_main_text("<html><body><p>\x00\x01</p></body></html>") == ""


def test_units_repeated_on_most_pages_are_chrome_and_kept_only_the_first_time():
    nav = "首页 政务要闻 通知公告 打印本页 关闭窗口"
    texts = [f"{nav} 第{i}篇文章的正文内容。结尾" for i in range(10)]
    chrome = SiteChrome.learn(texts)
    assert chrome.chrome == {"首页", "政务要闻", "通知公告", "打印本页", "关闭窗口", "结尾"}
    first = chrome.drop_seen(texts[0])
    assert first == texts[0]  # seen for the first time: checked here
    second = chrome.drop_seen(texts[1])
    assert "第1篇文章的正文内容" in second and "政务要闻" not in second and "结尾" not in second
    assert len(second) == len(texts[1])  # offsets kept: chrome blanked, not cut


def test_a_unit_repeated_within_the_first_page_is_kept_there():
    chrome = SiteChrome(["打印本页"])
    assert chrome.drop_seen("打印本页 正文 打印本页") == "打印本页 正文 打印本页"
    assert "打印本页" not in chrome.drop_seen("打印本页 正文 打印本页")


def test_small_sites_and_rare_units_have_no_chrome():
    assert SiteChrome.learn(["首页 甲", "首页 乙"]).chrome == frozenset()  # fewer than MIN_PAGES pages
    texts = ["首页 正文甲"] * 2 + [f"正文{i}" for i in range(8)]
    assert SiteChrome.learn(texts).chrome == frozenset()  # on 2 of 10 pages: not most


def test_the_sample_is_bounded_evenly_spaced_and_deterministic():
    items = list(range(1000))
    picked = sample(items, 10)
    assert picked == [0, 100, 200, 300, 400, 500, 600, 700, 800, 900] and sample(items[:5], 10) == items[:5]

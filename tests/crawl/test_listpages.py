"""read_list_page on the list styles Chinese government CMSs produce, and on pages that are not lists.

Every page here is written by hand after real sites' markup: TRS WCM (static
pages with createPageHTML pagination), Hanweb/大汉 (records in a text/xml
datastore), 信息公开 tables with 索引号 and 文号 columns, div-based modern
lists, bracketed month-day dates, Chinese-format dates, dl/dt/dd lists and
bare-anchor lists; and, as negatives, a homepage, a channel page of blocks,
an article with a related-news list, a sitemap and a navigation-only page.
"""

from __future__ import annotations

import re
import time
from datetime import date, timedelta

import pytest
from lxml import etree
from lxml import html as lxml_html
from parsel import Selector

from govsite.crawl.listpages import MAX_ITEMS, ListPage, read_dated_items, read_list_page

AS_OF = date(2025, 6, 20)

HEADER = """
<div class="header"><img src="/images/logo.png" alt="杭州市人民政府">
  <div class="nav"><ul>
    <li><a href="/">首页</a></li><li><a href="/col/col1229063371/index.html">政务公开</a></li>
    <li><a href="/col/col1229063382/index.html">政务服务</a></li><li><a href="/col/col1229063390/index.html">互动交流</a></li>
    <li><a href="/col/col1229063399/index.html">走进杭州</a></li>
  </ul></div>
</div>"""

FOOTER = """
<div class="footer">
  <p><a href="/col/col1229064001/index.html">网站地图</a> | <a href="/col/col1229064002/index.html">联系我们</a> | <a href="/col/col1229064003/index.html">隐私声明</a></p>
  <p>主办单位：杭州市人民政府办公厅 承办单位：杭州市数据资源管理局</p>
  <p>网站标识码：3301000001 浙ICP备05003468号-1 <a href="http://www.beian.gov.cn/">浙公网安备 33010302000123号</a></p>
</div>"""

TITLES = [
    "关于2025年端午节放假安排的通知",
    "杭州市人民政府办公厅关于印发杭州市推进数字政府建设实施方案的通知",
    "关于公布2025年度市级财政专项资金项目的公告",
    "杭州市市场监督管理局关于开展2025年食品安全抽检工作的通告",
    "关于征求《杭州市城市更新条例（草案）》意见的公告",
    "杭州市人力资源和社会保障局关于调整最低工资标准的通知",
    "关于做好2025年防汛防台工作的紧急通知",
    "杭州市2025年第一季度重大项目建设情况通报",
    "关于开展全市安全生产大检查的通知",
    "关于印发《杭州市公共数据开放管理办法》的通知",
    "杭州市住房保障和房产管理局关于公租房配租结果的公示",
    "关于2025年度市级行政事业单位公开招聘工作人员的公告",
]


def dated(n: int, start: date = date(2025, 6, 18)) -> list[date]:
    """n descending dates, a few days apart, starting from `start`."""
    return [date.fromordinal(start.toordinal() - 3 * k) for k in range(n)]


# --- TRS WCM: ul list, date after the title in a span, createPageHTML pagination -----------------


def trs_list_page() -> str:
    rows = "\n".join(
        f'<li><a href="./{d:%Y%m}/t{d:%Y%m%d}_{4123456 + k}.html" target="_blank" title="{t}">{t[:18]}…</a>'
        f"<span>{d.isoformat()}</span></li>"
        for k, (t, d) in enumerate(zip(TITLES, dated(12), strict=True))
    )
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>通知公告_杭州市人民政府门户网站</title>
<script src="/js/jquery-1.12.4.min.js"></script></head>
<body>{HEADER}
<div class="main">
  <div class="position">当前位置：<a href="../../">首页</a> &gt; <a href="../">信息公开</a> &gt; <a href="./">通知公告</a></div>
  <div class="left"><h3>信息公开</h3><ul>
    <li><a href="../tzgg/">通知公告</a></li><li><a href="../zcwj/">政策文件</a></li>
    <li><a href="../zcjd/">政策解读</a></li><li><a href="../rsxx/">人事信息</a></li></ul></div>
  <div class="right">
    <ul class="list">
{rows}
    </ul>
    <div class="page"><script type="text/javascript">
      var currentPage = 0;//所在页从0开始
      var prevPage = currentPage-1//上一页
      var nextPage = currentPage+1//下一页
      var countPage = 12//共多少页
      createPageHTML(countPage, currentPage, "index", "html");
    </script></div>
  </div>
</div>{FOOTER}
</body></html>"""


def test_trs_list_reads_items_name_and_js_pagination():
    url = "https://www.hangzhou.gov.cn/col/xxgk/tzgg/index.html"
    page = read_list_page(trs_list_page(), url, as_of=AS_OF)
    assert isinstance(page, ListPage)
    assert page.column_name == "通知公告"
    assert not page.is_empty
    assert len(page.items) == 12
    first = page.items[0]
    assert first.url == "https://www.hangzhou.gov.cn/col/xxgk/tzgg/202506/t20250618_4123456.html"
    assert first.title == "关于2025年端午节放假安排的通知"  # the full title= attribute, not the cut text
    assert first.date == date(2025, 6, 18)
    assert [i.date for i in page.items] == dated(12)
    assert page.pagination[0] == "https://www.hangzhou.gov.cn/col/xxgk/tzgg/index_1.html"
    assert page.pagination[-1] == "https://www.hangzhou.gov.cn/col/xxgk/tzgg/index_11.html"
    assert len(page.pagination) == 11  # index.html itself is this page


def test_trs_page_two_lists_the_other_pages_including_the_first():
    html = trs_list_page().replace("var currentPage = 0;", "var currentPage = 1;")
    page = read_list_page(html, "https://www.hangzhou.gov.cn/col/xxgk/tzgg/index_1.html", as_of=AS_OF)
    assert page is not None
    assert "https://www.hangzhou.gov.cn/col/xxgk/tzgg/index.html" in page.pagination
    assert "https://www.hangzhou.gov.cn/col/xxgk/tzgg/index_1.html" not in page.pagination


def test_newer_trs_create_page_html_form_with_element_id_first():
    html = trs_list_page().replace(
        'createPageHTML(countPage, currentPage, "index", "html");',
        "createPageHTML('page_div',4, 1,'index','shtml',52);",
    )
    page = read_list_page(html, "http://www.example.gov.cn/tzgg/", as_of=AS_OF)
    assert page is not None
    assert page.pagination == [
        "http://www.example.gov.cn/tzgg/index_1.shtml",
        "http://www.example.gov.cn/tzgg/index_2.shtml",
        "http://www.example.gov.cn/tzgg/index_3.shtml",
    ]


def test_parsed_tree_and_parsel_selector_give_the_same_result_as_text():
    url = "https://www.hangzhou.gov.cn/col/xxgk/tzgg/index.html"
    html = trs_list_page()
    from_text = read_list_page(html, url, as_of=AS_OF)
    from_tree = read_list_page(lxml_html.document_fromstring(html), url, as_of=AS_OF)
    from_selector = read_list_page(Selector(text=html), url, as_of=AS_OF)
    assert from_text == from_tree == from_selector


@pytest.mark.parametrize(
    ("page", "url"),
    [
        ("trs", "https://www.hangzhou.gov.cn/col/xxgk/tzgg/index.html"),
        ("table", "https://www.hangzhou.gov.cn/col/col1229063389/index.html"),
        ("div", "http://www.example.gov.cn/xwzx/bmdt/"),
        ("hanweb", "https://www.zj.gov.cn/col/col1229019365/index.html"),
        ("article", "https://www.hangzhou.gov.cn/art/2025/6/18/art_1229063389_1.html"),
        ("homepage", "https://www.hangzhou.gov.cn/"),
    ],
)
def test_the_crawlers_parsed_tree_gives_the_same_result_as_the_text(page, url):
    from govsite.crawl.htmltree import parse_html as _parse

    builders = {
        "trs": trs_list_page,
        "table": table_page,
        "div": div_list_page,
        "hanweb": lambda: hanweb_page(HANWEB_RECORDS),
        "article": article_page,
        "homepage": homepage,
    }
    html = builders[page]()
    tree = _parse(html)
    before = etree.tostring(tree)
    assert read_list_page(html, url, as_of=AS_OF, tree=tree) == read_list_page(html, url, as_of=AS_OF)
    assert etree.tostring(tree) == before


def test_reading_does_not_modify_the_callers_tree():
    html = trs_list_page()
    tree = lxml_html.document_fromstring(html)
    before = lxml_html.tostring(tree)
    read_list_page(tree, "https://www.hangzhou.gov.cn/col/xxgk/tzgg/index.html", as_of=AS_OF)
    assert lxml_html.tostring(tree) == before


# --- Hanweb (大汉): records as CDATA in a text/xml datastore, jpage pagination ---------------------

HANWEB_RECORDS = [
    ("全省数字化改革推进会在杭州召开", "2025-06-17"),
    ("省政府召开常务会议 研究部署防汛防台工作", "2025-06-16"),
    ("我省出台支持民营经济高质量发展若干措施", "2025-06-13"),
    ("2025年浙江省重大项目集中开工活动举行", "2025-06-10"),
    ("省领导调研山区海岛县高质量发展工作", "2025-06-06"),
]


def hanweb_page(records: list[tuple[str, str]], total: int = 1203) -> str:
    rows = "\n".join(
        f'<record><![CDATA[<li><a href="/art/{d.replace("-", "/").replace("/0", "/")}/art_1229019365_{6021 + k}.html" '
        f'title="{t}" target="_blank">{t}</a><span class="bt-data-time">{d}</span></li>]]></record>'
        for k, (t, d) in enumerate(records)
    )
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>工作动态 浙江省人民政府门户网站</title></head>
<body>{HEADER}
<div class="bt-position">您现在的位置：<a href="/">首页</a> <span>></span> <a href="/col/col1229019364/index.html">政务公开</a> <span>></span> <span>工作动态</span></div>
<div class="bt-box"><div class="lm-name">工作动态</div>
<ul class="bt-list">
<div id="4892867"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=3487&path=/&columnid=1229019365&unitid=4892867&webname=%E6%B5%99%E6%B1%9F%E7%9C%81&permissiontype=0"></a>]]></nextgroup>
<recordset>
{rows}
</recordset></datastore></script>
<script language="javascript" src="/module/jslib/jquery/jpage/jquery.jpage.js"></script>
<script>$(document).ready(function(){{ $('#4892867').jpage({{dataStore: dataStore, perPage: 15, totalRecord: {total}, proxyUrl: '/module/web/jpage/dataproxy.jsp'}}); }});</script>
</div></ul></div>{FOOTER}
</body></html>"""


def test_hanweb_datastore_records_are_read_with_their_dates_and_pages():
    url = "https://www.zj.gov.cn/col/col1229019365/index.html"
    page = read_list_page(hanweb_page(HANWEB_RECORDS), url, as_of=AS_OF)
    assert page is not None
    assert page.column_name == "工作动态"
    assert [i.title for i in page.items] == [t for t, _ in HANWEB_RECORDS]
    assert page.items[0].url == "https://www.zj.gov.cn/art/2025/6/17/art_1229019365_6021.html"
    assert page.items[0].date == date(2025, 6, 17)
    # The later records come from jpage's dataproxy.jsp (index.html?uid=…&pageNum=N is this page again),
    # with the datastore's <nextgroup> parameters, starting after the records the page holds.
    assert page.pagination[0] == (
        "https://www.zj.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=6&endrecord=20&perpage=15"
        "&appid=1&webid=3487&path=%2F&columnid=1229019365&unitid=4892867&webname=%E6%B5%99%E6%B1%9F%E7%9C%81"
        "&permissiontype=0"
    )
    assert "startrecord=21&endrecord=35&" in page.pagination[1]
    assert len(page.pagination) == 50  # 80 requests, capped


def test_hanweb_later_records_are_requested_from_dataproxy_in_groups_of_the_datastore():
    """A real datastore holds three pages (45 records at perPage 15); jpage asks for 46-90, 91-135 …"""
    records = [(f"{t}（{k}）", "2025-06-01") for k in range(9) for t, _ in HANWEB_RECORDS]  # 45 records
    page = read_list_page(hanweb_page(records, total=100), "https://www.zj.gov.cn/col/col1229019365/index.html", as_of=AS_OF)
    assert page is not None
    assert len(page.items) == 45
    spans = [re.search(r"startrecord=(\d+)&endrecord=(\d+)&perpage=(\d+)", u).groups() for u in page.pagination]
    assert spans == [("46", "90", "15"), ("91", "135", "15")]
    assert all("columnid=1229019365" in u and "unitid=4892867" in u and "&page=" not in u for u in page.pagination)


def dataproxy_answer(records: list[tuple[str, str]]) -> str:
    rows = "\n".join(
        f'<record><![CDATA[<li><a href="/art/{d.replace("-", "/")}/art_1229019365_{70 + k}.html" target="_blank" '
        f'title="{t}">{t}</a><span class="bt-data-time">{d}</span></li>]]></record>'
        for k, (t, d) in enumerate(records)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<totalrecord>47</totalrecord>\n'
        f"<totalpage>4</totalpage>\n<recordset>\n{rows}\n</recordset>\n</datastore>"
    )


PROXY_URL = (
    "https://www.zj.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15"
    "&columnid=1229019365&unitid=4892867"
)


def test_a_dataproxy_answer_is_read_record_by_record_even_with_two_records():
    old = [("全省安全生产工作会议召开", "2019-03-02"), ("省政府召开第一次全体会议", "2018-01-20")]
    page = read_list_page(dataproxy_answer(old), PROXY_URL, as_of=AS_OF)
    assert page is not None
    assert page.column_name == ""  # the column is the list page whose pagination led here
    assert [(i.title, i.date) for i in page.items] == [(t, date.fromisoformat(d)) for t, d in old]
    assert page.items[0].url == "https://www.zj.gov.cn/art/2019/03/02/art_1229019365_70.html"
    assert read_list_page(dataproxy_answer([]), PROXY_URL, as_of=AS_OF).is_empty


def test_hanweb_empty_datastore_is_an_empty_column():
    page = read_list_page(hanweb_page([], total=0), "https://www.zj.gov.cn/col/col1229019365/index.html", as_of=AS_OF)
    assert page is not None
    assert page.is_empty
    assert page.items == []
    assert page.column_name == "工作动态"


def test_hanweb_static_page_number_links_are_pagination():
    links = " ".join(f'<a href="/col/col1229019365/index.html?uid=4892867&pageNum={n}">{n}</a>' for n in range(2, 6))
    html = hanweb_page(HANWEB_RECORDS).replace("</ul></div>", f'</ul><div class="pager">{links}</div></div>')
    html = html.replace("totalRecord: 1203", "totalRecord: x")
    page = read_list_page(html, "https://www.zj.gov.cn/col/col1229019365/index.html", as_of=AS_OF)
    assert page is not None
    assert page.pagination == [
        f"https://www.zj.gov.cn/col/col1229019365/index.html?uid=4892867&pageNum={n}" for n in range(2, 6)
    ]


# --- 信息公开 table: 索引号 and 文号 columns must not be taken for dates --------------------------


def table_page() -> str:
    rows = "\n".join(
        f"<tr><td>{k + 1}</td><td>11330100002489954F/2025-{123 - k:05d}</td>"
        f'<td class="title"><a href="/art/{d.year}/{d.month}/{d.day}/art_1229063389_{58812 + k}.html">{t}</a></td>'
        f"<td>杭政办函〔2025〕{40 - k}号</td><td>{d:%Y-%m-%d}</td></tr>"
        for k, (t, d) in enumerate(zip(TITLES[:8], dated(8, date(2025, 5, 30)), strict=True))
    )
    return f"""<html><head><title>政策文件-杭州市人民政府</title></head><body>{HEADER}
<div class="crumbs"><a href="/">网站首页</a> » <a href="/col/col1229063371/index.html">政务公开</a> » <a href="/col/col1229063389/index.html">政策文件</a></div>
<table class="xxgk-table" width="100%">
<thead><tr><th>序号</th><th>索引号</th><th>标题</th><th>文号</th><th>发布日期</th></tr></thead>
<tbody>
{rows}
</tbody></table>
<div class="pages"><a href="/col/col1229063389/index.html?uid=5567&pageNum=1">首页</a>
<a href="/col/col1229063389/index.html?uid=5567&pageNum=2">下一页</a>
<a href="/col/col1229063389/index.html?uid=5567&pageNum=37">尾页</a></div>
{FOOTER}</body></html>"""


def test_table_list_takes_the_publish_date_not_the_index_number_or_document_number():
    page = read_list_page(table_page(), "https://www.hangzhou.gov.cn/col/col1229063389/index.html", as_of=AS_OF)
    assert page is not None
    assert page.column_name == "政策文件"
    assert len(page.items) == 8
    assert [i.date for i in page.items] == dated(8, date(2025, 5, 30))
    assert page.items[0].title == TITLES[0]
    assert page.pagination == [
        "https://www.hangzhou.gov.cn/col/col1229063389/index.html?uid=5567&pageNum=2",
        "https://www.hangzhou.gov.cn/col/col1229063389/index.html?uid=5567&pageNum=37",
    ]


# --- div lists: Chinese-format dates; split day / year-month --------------------------------------


def div_list_page() -> str:
    rows = "\n".join(
        f'<div class="list-item"><a class="item-title" href="/xwzx/bmdt/{d:%Y%m}/t{d:%Y%m%d}_{900 + k}.shtml">{t}</a>'
        f'<p class="item-summary">{t}。为进一步做好相关工作，现将有关事项通知如下。</p>'
        f'<span class="item-time">{d.year}年{d.month:02d}月{d.day:02d}日</span></div>'
        for k, (t, d) in enumerate(zip(TITLES[:6], dated(6), strict=True))
    )
    return f"""<html><head><title>部门动态 - 某某区人民政府</title></head><body>{HEADER}
<div class="location"><span>您的位置：</span><a href="/">首页</a><img src="/images/arrow.png"><a href="/xwzx/">新闻中心</a><img src="/images/arrow.png"><a href="/xwzx/bmdt/">部门动态</a></div>
<div class="news-list">
{rows}
</div>
<div class="pagination"><span class="current">1</span><a href="/xwzx/bmdt/index_1.shtml">2</a><a href="/xwzx/bmdt/index_2.shtml">3</a><a href="/xwzx/bmdt/index_1.shtml">下一页</a></div>
{FOOTER}</body></html>"""


def test_div_list_with_chinese_dates_and_summaries():
    page = read_list_page(div_list_page(), "http://www.example.gov.cn/xwzx/bmdt/", as_of=AS_OF)
    assert page is not None
    assert page.column_name == "部门动态"
    assert [i.date for i in page.items] == dated(6)
    assert page.items[2].title == TITLES[2]  # the date inside the title is not the item's date
    assert page.pagination == [
        "http://www.example.gov.cn/xwzx/bmdt/index_1.shtml",
        "http://www.example.gov.cn/xwzx/bmdt/index_2.shtml",
    ]


def test_split_day_and_year_month_date_blocks():
    rows = "\n".join(
        f'<li><div class="date"><span class="day">{d.day:02d}</span><span class="ym">{d:%Y-%m}</span></div>'
        f'<div class="text"><a href="/zwdt/{900 + k}.html">{t}</a></div></li>'
        for k, (t, d) in enumerate(zip(TITLES[:5], dated(5), strict=True))
    )
    html = f"<html><head><title>政务动态_某某县人民政府</title></head><body>{HEADER}<ul class='news'>{rows}</ul>{FOOTER}</body></html>"
    page = read_list_page(html, "http://www.example.gov.cn/zwdt/", as_of=AS_OF)
    assert page is not None
    assert page.column_name == "政务动态"
    assert [i.date for i in page.items] == dated(5)


# --- bracketed month-day dates, before and after titles ------------------------------------------


def test_bracketed_month_day_dates_take_the_year_from_as_of():
    items = [
        ("关于开展春季植树活动的通知", "03-12"),
        ("关于元旦放假的通知", "12-28"),
        ("关于召开年度总结大会的通知", "12-20"),
        ("关于报送年度工作总结的通知", "12-05"),
    ]
    rows = "".join(f'<li>·<a href="/tzgg/{k}.html">{t}</a> [{d}]</li>' for k, (t, d) in enumerate(items))
    html = (
        f"<html><head><title>通知公告</title></head><body>{HEADER}"
        f"<div class='wz'>当前位置：首页 > 通知公告</div><ul class='lb'>{rows}</ul>{FOOTER}</body></html>"
    )
    page = read_list_page(html, "http://www.example.gov.cn/tzgg/", as_of=date(2025, 3, 20))
    assert page is not None
    assert [i.date for i in page.items] == [
        date(2025, 3, 12),
        date(2024, 12, 28),
        date(2024, 12, 20),
        date(2024, 12, 5),
    ]
    assert page.items[0].title == "关于开展春季植树活动的通知"


def test_month_day_date_takes_the_year_of_the_item_url_when_they_agree():
    rows = "".join(
        f'<li><span class="date">[{d:%m-%d}]</span><a href="./{d:%Y%m}/t{d:%Y%m%d}_{k}.html">{t}</a></li>'
        for k, (t, d) in enumerate(zip(TITLES[:4], dated(4, date(2023, 11, 9)), strict=True))
    )
    html = f"<html><head><title>人事信息_某某市人民政府</title></head><body><ul class='list'>{rows}</ul></body></html>"
    page = read_list_page(html, "http://www.example.gov.cn/rsxx/index.html", as_of=AS_OF)
    assert page is not None
    assert [i.date for i in page.items] == dated(4, date(2023, 11, 9))  # not 2024 or 2025
    assert page.column_name == "人事信息"


def test_full_date_in_brackets_before_the_title_inside_the_link():
    rows = "".join(
        f'<li><a href="/gsgg/{k}.htm">[{d:%Y-%m-%d}] {t}</a></li>'
        for k, (t, d) in enumerate(zip(TITLES[:5], dated(5), strict=True))
    )
    html = f"<html><head><title>公示公告</title></head><body><div id='dqwz'>首页 &gt;&gt; 公示公告</div><ul class='newslist'>{rows}</ul></body></html>"
    page = read_list_page(html, "http://www.example.gov.cn/gsgg/", as_of=AS_OF)
    assert page is not None
    assert [i.date for i in page.items] == dated(5)
    assert [i.title for i in page.items] == TITLES[:5]


# --- bare anchors in one container, dates in sibling spans; dl lists ------------------------------


def test_bare_anchor_rows_borrow_the_date_that_follows_them():
    rows = "".join(
        f'<a href="/zfxxgk/tzgg/{k}.html">{t}</a><span class="time">{d:%Y/%m/%d}</span><br>'
        for k, (t, d) in enumerate(zip(TITLES[:6], dated(6), strict=True))
    )
    html = f"<html><head><title>通知公告-某某镇</title></head><body><div class='listbox'>{rows}</div></body></html>"
    page = read_list_page(html, "http://www.example.gov.cn/zfxxgk/tzgg/list.html", as_of=AS_OF)
    assert page is not None
    assert [i.date for i in page.items] == dated(6)
    assert page.column_name == "通知公告"


def test_bare_anchor_rows_borrow_the_date_that_precedes_them():
    rows = "".join(
        f'<span class="time">{d:%Y.%m.%d}</span><a href="/zfxxgk/tzgg/{k}.html">{t}</a><br>'
        for k, (t, d) in enumerate(zip(TITLES[:6], dated(6), strict=True))
    )
    html = f"<html><head><title>通知公告-某某镇</title></head><body><div class='listbox'>{rows}</div></body></html>"
    page = read_list_page(html, "http://www.example.gov.cn/zfxxgk/tzgg/list.html", as_of=AS_OF)
    assert page is not None
    assert [i.date for i in page.items] == dated(6)


def test_definition_list_with_dates_in_dd():
    rows = "".join(
        f'<dl><dt><a href="/tjxx/{k}.html">{t}</a></dt><dd>发布日期：{d.isoformat()}</dd></dl>'
        for k, (t, d) in enumerate(zip(TITLES[:4], dated(4), strict=True))
    )
    html = f"<html><head><title>统计信息</title></head><body><div class='list-con'><h2 class='lm-title'>统计信息</h2><div class='items'>{rows}</div></div></body></html>"
    page = read_list_page(html, "http://www.example.gov.cn/tjxx/", as_of=AS_OF)
    assert page is not None
    assert page.column_name == "统计信息"
    assert [i.date for i in page.items] == dated(4)


# --- items without dates -----------------------------------------------------------------------------


def test_undated_headline_list_with_pagination_is_a_list_with_dateless_items():
    rows = "".join(f'<li><a href="/ghjh/{k}.html">{t}</a></li>' for k, t in enumerate(TITLES[:8]))
    html = (
        f"<html><head><title>规划计划_某某市人民政府</title></head><body>{HEADER}"
        f"<div class='position'>当前位置：首页 > 规划计划</div><ul class='list'>{rows}</ul>"
        "<div class='page'><a href='/ghjh/index_1.html'>下一页</a><a href='/ghjh/index_5.html'>尾页</a></div>"
        f"{FOOTER}</body></html>"
    )
    page = read_list_page(html, "http://www.example.gov.cn/ghjh/index.html", as_of=AS_OF)
    assert page is not None
    assert page.column_name == "规划计划"
    assert len(page.items) == 8
    assert all(i.date is None for i in page.items)


def test_some_items_without_a_date_get_none():
    rows = "".join(
        f'<li><a href="/tzgg/{k}.html">{t}</a><span>{d.isoformat() if k != 2 else ""}</span></li>'
        for k, (t, d) in enumerate(zip(TITLES[:6], dated(6), strict=True))
    )
    html = f"<html><head><title>通知公告</title></head><body><ul class='list'>{rows}</ul></body></html>"
    page = read_list_page(html, "http://www.example.gov.cn/tzgg/", as_of=AS_OF)
    assert page is not None
    assert page.items[2].date is None
    assert page.items[3].date == dated(6)[3]


# --- empty columns ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message", ["暂无信息", "暂无数据！", "没有记录", "对不起，暂无相关信息", "本栏目正在建设中……"]
)
def test_empty_message_under_a_breadcrumb_is_an_empty_column(message):
    html = (
        f"<html><head><title>重点领域信息公开_某某县人民政府</title></head><body>{HEADER}"
        f"<div class='position'>当前位置：<a href='/'>首页</a> > <a href='/zwgk/'>政务公开</a> > <a href='./'>重点领域信息公开</a></div>"
        f"<div class='list'><p class='nodata'>{message}</p></div>{FOOTER}</body></html>"
    )
    page = read_list_page(html, "http://www.example.gov.cn/zwgk/zdly/", as_of=AS_OF)
    assert page == ListPage("重点领域信息公开", [], [], is_empty=True)


def test_empty_list_container_under_a_breadcrumb_is_an_empty_column():
    html = (
        f"<html><head><title>人事信息_某某县人民政府</title></head><body>{HEADER}"
        "<div class='breadcrumb'><a href='/'>首页</a> / <a href='/zwgk/'>政务公开</a> / <span>人事信息</span></div>"
        f"<ul class='news-list'>\n</ul><div class='page'></div>{FOOTER}</body></html>"
    )
    page = read_list_page(html, "http://www.example.gov.cn/zwgk/rsxx/", as_of=AS_OF)
    assert page is not None and page.is_empty
    assert page.column_name == "人事信息"


def test_empty_column_next_to_a_dated_side_list_is_still_empty():
    side = "".join(
        f'<li><a href="/xwzx/{k}.html">{t}</a><span>{d:%m-%d}</span></li>'
        for k, (t, d) in enumerate(zip(TITLES[:5], dated(5), strict=True))
    )
    html = (
        f"<html><head><title>规划计划_某某县人民政府</title></head><body>{HEADER}"
        "<div class='position'>当前位置：首页 > 政务公开 > 规划计划</div>"
        f"<div class='side'><div class='side-title'>热点信息</div><ul class='hot'>{side}</ul></div>"
        f"<div class='main'><div class='list'>暂无信息</div></div>{FOOTER}</body></html>"
    )
    page = read_list_page(html, "http://www.example.gov.cn/zwgk/ghjh/", as_of=AS_OF)
    assert page is not None and page.is_empty
    assert page.column_name == "规划计划"


# --- pages that are not list pages -------------------------------------------------------------------


def homepage() -> str:
    blocks = []
    for name, path in [("政务要闻", "zwyw"), ("通知公告", "tzgg"), ("部门动态", "bmdt"), ("区县动态", "qxdt")]:
        rows = "".join(
            f'<li><a href="/{path}/{d:%Y%m}/t{d:%Y%m%d}_{k}.html">{t}</a><span>{d:%m-%d}</span></li>'
            for k, (t, d) in enumerate(zip(TITLES[:7], dated(7), strict=True))
        )
        blocks.append(
            f"<div class='block'><div class='block-title'><h3>{name}</h3><a href='/{path}/'>更多>></a></div><ul>{rows}</ul></div>"
        )
    return (
        f"<html><head><title>杭州市人民政府门户网站</title></head><body>{HEADER}"
        f"<div class='banner'><a href='/zt/2025/'><img src='/banner.jpg' alt='专题'></a></div>{''.join(blocks)}{FOOTER}</body></html>"
    )


def test_homepage_at_the_site_root_is_not_a_list_page():
    assert read_list_page(homepage(), "https://www.hangzhou.gov.cn/", as_of=AS_OF) is None
    assert read_list_page(homepage(), "https://www.hangzhou.gov.cn/index.html", as_of=AS_OF) is None


def test_channel_page_of_several_dated_blocks_is_not_a_list_page():
    html = homepage().replace("<title>杭州市人民政府门户网站</title>", "<title>新闻中心_杭州市人民政府</title>")
    assert read_list_page(html, "https://www.hangzhou.gov.cn/xwzx/index.html", as_of=AS_OF) is None


def article_page() -> str:
    related = "".join(
        f'<li><a href="/art/{d.year}/{d.month}/{d.day}/art_1229_{k}.html">{t}</a><span>{d.isoformat()}</span></li>'
        for k, (t, d) in enumerate(zip(TITLES[:5], dated(5), strict=True))
    )
    body = "".join(
        f"<p>{sentence}</p>"
        for sentence in [
            "为贯彻落实国务院办公厅关于2025年部分节假日安排的通知精神，结合我市实际，现将端午节放假安排通知如下。",
            "5月31日（星期六）至6月2日（星期一）放假调休，共3天。节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。",
            "遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。",
            "特此通知。",
        ]
    )
    return f"""<html><head><title>关于2025年端午节放假安排的通知_通知公告_杭州市人民政府</title></head><body>{HEADER}
<div class="position">当前位置：<a href="/">首页</a> > <a href="/col/tzgg/">通知公告</a> > 正文</div>
<div class="article"><h1>关于2025年端午节放假安排的通知</h1>
<div class="info">发布时间：2025-05-20 09:30 信息来源：市政府办公厅 浏览次数：1203 字号：[大 中 小]</div>
<div class="content">{body}<p style="text-align:right">杭州市人民政府办公厅</p><p style="text-align:right">2025年5月20日</p></div>
<div class="tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
<div class="related"><h3>相关文章</h3><ul>{related}</ul></div></div>{FOOTER}</body></html>"""


def test_article_with_a_related_news_list_is_not_a_list_page():
    url = "https://www.hangzhou.gov.cn/art/2025/5/20/art_1229063383_58912345.html"
    assert read_list_page(article_page(), url, as_of=AS_OF) is None


def test_sitemap_page_is_not_a_list_page():
    sections = "".join(
        f"<dl><dt><a href='/{p}/'>{n}</a></dt>"
        + "".join(f"<dd><a href='/{p}/{c}/'>{c}</a></dd>" for c in ["tzgg", "zcwj", "zcjd", "rsxx"])
        + "</dl>"
        for n, p in [("政务公开", "zwgk"), ("政务服务", "zwfw"), ("互动交流", "hdjl"), ("走进杭州", "zjhz")]
    )
    html = f"<html><head><title>网站地图_杭州市人民政府</title></head><body>{HEADER}<div class='sitemap'>{sections}</div>{FOOTER}</body></html>"
    assert read_list_page(html, "https://www.hangzhou.gov.cn/col/col1229064001/index.html", as_of=AS_OF) is None


def test_navigation_only_page_is_not_a_list_page():
    links = "".join(
        f"<li><a href='/zwgk/{k}/'>{n}</a></li>"
        for k, n in enumerate(
            ["机构职能", "领导信息", "政策文件", "政策解读", "人事信息", "规划计划", "财政信息", "统计信息"]
        )
    )
    html = (
        f"<html><head><title>政务公开_杭州市人民政府</title></head><body>{HEADER}"
        f"<div class='position'>当前位置：首页 > 政务公开</div><ul class='menu-grid'>{links}</ul>{FOOTER}</body></html>"
    )
    assert read_list_page(html, "https://www.hangzhou.gov.cn/zwgk/", as_of=AS_OF) is None


def test_page_without_dates_or_list_hints_is_rejected_before_parsing():
    html = "<html><body><p>" + "网站正在维护。" * 50 + "</p></body></html>"
    assert read_list_page(html, "http://www.example.gov.cn/about/", as_of=AS_OF) is None


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "<!-- only a comment -->", "\x00\x01garbage"])
def test_degenerate_input_is_none_not_a_crash(html):
    assert read_list_page(html, "http://www.example.gov.cn/tzgg/", as_of=AS_OF) is None


# --- bounds and cost ------------------------------------------------------------------------------


def test_items_are_capped():
    rows = "".join(
        f'<li><a href="/tzgg/{k}.html">通知公告第{k}号文件发布</a><span>2025-06-01</span></li>'
        for k in range(MAX_ITEMS + 100)
    )
    page = read_list_page(
        f"<html><head><title>通知公告</title></head><body><ul class='list'>{rows}</ul></body></html>",
        "http://www.example.gov.cn/tzgg/",
        as_of=AS_OF,
    )
    assert page is not None
    assert len(page.items) == MAX_ITEMS


def test_links_that_are_not_pages_do_not_make_items():
    rows = "".join(
        f'<li><a href="javascript:void(0)" onclick="open({k})">{t}</a><span>{d.isoformat()}</span></li>'
        for k, (t, d) in enumerate(zip(TITLES[:5], dated(5), strict=True))
    )
    html = f"<html><head><title>通知公告</title></head><body><ul class='list'>{rows}</ul></body></html>"
    assert read_list_page(html, "http://www.example.gov.cn/tzgg/", as_of=AS_OF) is None


def test_reading_a_typical_page_costs_a_few_milliseconds():
    pages = [
        (trs_list_page(), "https://www.hangzhou.gov.cn/col/xxgk/tzgg/index.html"),
        (article_page(), "https://www.hangzhou.gov.cn/art/2025/5/20/art_1229063383_58912345.html"),
        (homepage(), "https://www.hangzhou.gov.cn/xwzx/index.html"),
        (table_page(), "https://www.hangzhou.gov.cn/col/col1229063389/index.html"),
    ]
    start = time.perf_counter()
    rounds = 50
    for _ in range(rounds):
        for html, url in pages:
            read_list_page(html, url, as_of=AS_OF)
    per_page = (time.perf_counter() - start) / (rounds * len(pages))
    assert per_page < 0.02  # generous for slow CI machines; measured ~1-2 ms here


# --- more markup variants ----------------------------------------------------------------------------


def test_table_with_two_date_columns_takes_the_publish_date_column():
    rows = "".join(
        f'<tr><td><a href="/zcwj/{k}.html">{t}</a></td><td>{d - timedelta(days=7):%Y-%m-%d}</td><td>{d:%Y-%m-%d}</td></tr>'
        for k, (t, d) in enumerate(zip(TITLES[:5], dated(5), strict=True))
    )
    html = (
        "<html><head><title>政策文件</title></head><body><table class='zcwj'>"
        "<tr><th>标题</th><th>成文日期</th><th>发布日期</th></tr>"
        f"{rows}</table></body></html>"
    )
    page = read_list_page(html, "http://www.example.gov.cn/zcwj/", as_of=AS_OF)
    assert page is not None
    assert [i.date for i in page.items] == dated(5)


def test_date_in_a_span_inside_the_link_is_not_part_of_the_title():
    rows = "".join(
        f'<li><a href="/tpxw/{k}.html"><span class="tit">{t}</span><span class="date">{d:%Y-%m-%d}</span></a></li>'
        for k, (t, d) in enumerate(zip(TITLES[:5], dated(5), strict=True))
    )
    html = f"<html><head><title>图片新闻</title></head><body><ul class='pic-list'>{rows}</ul></body></html>"
    page = read_list_page(html, "http://www.example.gov.cn/tpxw/", as_of=AS_OF)
    assert page is not None
    assert [(i.title, i.date) for i in page.items] == list(zip(TITLES[:5], dated(5), strict=True))


def test_image_links_use_the_alt_text_as_title():
    rows = "".join(
        f'<li><a href="/tpxw/{k}.html"><img src="/img/{k}.jpg" alt="{t}"></a><p>{d:%Y-%m-%d}</p></li>'
        for k, (t, d) in enumerate(zip(TITLES[:4], dated(4), strict=True))
    )
    html = f"<html><head><title>图片新闻</title></head><body><ul class='pic-list'>{rows}</ul></body></html>"
    page = read_list_page(html, "http://www.example.gov.cn/tpxw/", as_of=AS_OF)
    assert page is not None
    assert [i.title for i in page.items] == TITLES[:4]


def test_gbk_bytes_are_decoded_from_the_meta_charset():
    html = trs_list_page().replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'
    )
    page = read_list_page(html.encode("gbk"), "https://www.hangzhou.gov.cn/col/xxgk/tzgg/index.html", as_of=AS_OF)
    assert page is not None
    assert page.column_name == "通知公告"
    assert page.items[0].title == TITLES[0]


def test_base_href_resolves_item_links():
    rows = "".join(
        f'<li><a href="{d:%Y%m}/t{d:%Y%m%d}_{k}.html">{t}</a><span>{d}</span></li>'
        for k, (t, d) in enumerate(zip(TITLES[:3], dated(3), strict=True))
    )
    html = f"<html><head><base href='http://www.example.gov.cn/zwgk/tzgg/'><title>通知公告</title></head><body><ul class='list'>{rows}</ul></body></html>"
    page = read_list_page(html, "http://www.example.gov.cn/zwgk/tzgg/index.shtml", as_of=AS_OF)
    assert page is not None
    assert page.items[0].url == "http://www.example.gov.cn/zwgk/tzgg/202506/t20250618_0.html"


def test_wordpress_style_page_links():
    rows = "".join(
        f'<article class="post"><h2><a href="/news/{k}/">{t}</a></h2><time>{d:%Y年%m月%d日}</time></article>'
        for k, (t, d) in enumerate(zip(TITLES[:5], dated(5), strict=True))
    )
    html = (
        f"<html><head><title>乡镇动态 - 某某县</title></head><body><main>{rows}"
        "<nav class='navigation'><a class='page-numbers' href='/category/xzdt/page/2/'>2</a>"
        "<a class='next page-numbers' href='/category/xzdt/page/2/'>下一页</a></nav></main></body></html>"
    )
    page = read_list_page(html, "http://www.example.gov.cn/category/xzdt/", as_of=AS_OF)
    assert page is not None
    assert page.column_name == "乡镇动态"
    assert page.pagination == ["http://www.example.gov.cn/category/xzdt/page/2/"]
    assert [i.date for i in page.items] == dated(5)


def test_column_with_only_two_items_under_a_breadcrumb_is_still_read():
    html = (
        f"<html><head><title>规划计划_某某县人民政府</title></head><body>{HEADER}"
        "<div class='position'>当前位置：首页 > 政务公开 > 规划计划</div>"
        "<div class='list-box'><ul>"
        "<li><a href='/ghjh/2.html'>·某某县国民经济和社会发展第十四个五年规划纲要</a><span>2021-03-30</span></li>"
        "<li><a href='/ghjh/1.html'>·某某县2020年工作计划</a><span>2020-02-12</span></li>"
        f"</ul></div>{FOOTER}</body></html>"
    )
    page = read_list_page(html, "http://www.example.gov.cn/zwgk/ghjh/", as_of=AS_OF)
    assert page is not None
    assert page.column_name == "规划计划"
    assert [(i.title, i.date) for i in page.items] == [
        ("某某县国民经济和社会发展第十四个五年规划纲要", date(2021, 3, 30)),
        ("某某县2020年工作计划", date(2020, 2, 12)),
    ]


def short_article(crumb: str) -> str:
    related = "".join(
        f'<li><a href="/art/{k}.html">{t}</a><span>{d}</span></li>'
        for k, (t, d) in enumerate(zip(TITLES[:5], dated(5), strict=True))
    )
    return f"""<html><head><title>关于端午节放假的通知_通知公告_某某县</title></head><body>{HEADER}
<div class="position">当前位置：{crumb}</div><h1>关于端午节放假的通知</h1>
<div class="meta">发布时间：2025-05-20 来源：县政府办公室</div>
<div class="con"><p>各乡镇、各部门：经研究，端午节放假3天，请做好值班工作。</p></div>
<div class="xgwz"><h3>相关文章</h3><ul>{related}</ul></div>{FOOTER}</body></html>"""


def test_short_article_whose_breadcrumb_ends_in_zhengwen_is_not_a_list_page():
    html = short_article("首页 > 通知公告 > 正文")
    assert read_list_page(html, "http://www.example.gov.cn/tzgg/content_1.html", as_of=AS_OF) is None


def test_short_article_with_a_dated_url_and_article_marks_is_not_a_list_page():
    html = short_article("首页 > 通知公告")
    assert read_list_page(html, "http://www.example.gov.cn/tzgg/202505/t20250520_1.html", as_of=AS_OF) is None


def test_calendar_of_day_links_is_not_a_list_page():
    cells = "".join(
        f"<td><a href='/rl/2025-06-{d:02d}.html'>{d}</a></td>" + ("</tr><tr>" if d % 7 == 0 else "")
        for d in range(1, 31)
    )
    html = f"<html><head><title>活动日历</title></head><body><table class='calendar'><tr>{cells}</tr></table></body></html>"
    assert read_list_page(html, "http://www.example.gov.cn/rl/", as_of=AS_OF) is None


def test_leader_photo_list_without_dates_is_not_a_list_page():
    leaders = "".join(
        f"<li><a href='/ld/{k}.html'><img src='/{k}.jpg'><p>张某某</p><p>副县长</p></a></li>" for k in range(6)
    )
    html = (
        "<html><head><title>领导信息</title></head><body><div class='position'>当前位置：首页 > 领导信息</div>"
        f"<ul class='leader-list'>{leaders}</ul></body></html>"
    )
    assert read_list_page(html, "http://www.example.gov.cn/ldxx/", as_of=AS_OF) is None


def test_dated_items_of_a_homepage_for_the_homepage_rule():
    found = read_dated_items(homepage(), "https://www.hangzhou.gov.cn/", as_of=AS_OF)
    assert len(found) == 28  # four blocks of seven, each URL once
    assert max(i.date for i in found) == date(2025, 6, 18)
    assert read_dated_items(article_page(), "https://www.hangzhou.gov.cn/art/1.html", as_of=AS_OF)[0].date == date(
        2025, 6, 18
    )
    assert read_dated_items("<html><body>nothing</body></html>", "https://www.hangzhou.gov.cn/", as_of=AS_OF) == []


# -- regressions found by scanning the generated sample sites ------------------------------

_CHROME = (
    '<div class="top-bar"><span class="tools"><a href="/wza/index.html">无障碍</a> | <a href="/sitemap/">网站地图</a></span></div>'
    '<div class="header"><div class="logo"><a href="/"><img src="/logo.png" alt="某某市人民政府"></a></div></div>'
    '<div class="location">当前位置：<a href="/">首页</a> &gt; <span>政务要闻</span></div>'
)
_FOOTER = (
    '<div class="footer"><div class="w1200"><p class="links"><a href="/privacy.html">隐私声明</a> | '
    '<a href="/private/">内部办公</a></p><p>主办单位：某某市人民政府办公室</p>'
    '<p><a href="http://127.0.0.1:0/beian/">浙ICP备12345678号-1</a></p>'
    '<p class="conac"><a href="http://127.0.0.1:0/conac/"><img src="/red.png" alt="党政机关"></a></p></div></div>'
)


def _page(content: str) -> str:
    return f"<html><head><title>政务要闻</title></head><body>{_CHROME}{content}{_FOOTER}</body></html>"


def test_last_page_with_one_item_is_read_and_the_footer_is_not_a_list():
    content = (
        '<div class="column-box"><div class="list-box"><ul class="list"><li><span class="time">[2020-02-12]</span>'
        '<a href="/art/2020/2/12/art_1_5.html" title="市统计局举办业务培训班">市统计局举办业务培训班</a></li></ul></div>'
        '<div class="pagination"><a href="/col/col1/index.html">首页</a> <a href="/col/col1/index.html">上一页</a>'
        ' <a href="/col/col1/index_2.html">尾页</a></div></div>'
    )
    page = read_list_page(_page(content), "http://x/col/col1/index_2.html", as_of=date(2025, 11, 30))
    assert page is not None
    assert [(i.url, i.date) for i in page.items] == [("http://x/art/2020/2/12/art_1_5.html", date(2020, 2, 12))]


def test_two_dated_rows_in_a_table_on_a_last_page_are_the_list():
    rows = "".join(
        f'<tr><td class="xh">{n}</td><td class="bt"><a href="./2025{m}/t2025{m}01_{n}.html">县领导赴南山乡调研防汛防台工作{n}</a></td>'
        f'<td class="rq">2025-{m}-01</td></tr>'
        for n, m in ((1, "07"), (2, "06"))
    )
    content = (
        f'<div class="column-box"><div class="list-box"><table class="list-table"><tbody>{rows}</tbody></table></div>'
        '<div class="page"><a href="index.html">1</a> <span>2</span></div></div>'
    )
    page = read_list_page(_page(content), "http://x/xwzx/zwyw/index_1.html", as_of=date(2025, 11, 30))
    assert page is not None and [i.date for i in page.items] == [date(2025, 7, 1), date(2025, 6, 1)]


def test_an_undated_table_list_next_to_its_pager_is_a_column_with_undated_items():
    rows = "".join(
        f'<tr><td class="xh">{n}</td><td class="bt"><a href="./2025/t_{n}.html">关于印发云川县就业创业实施方案的通知第{n}号</a></td></tr>'
        for n in range(1, 7)
    )
    content = (
        f'<div class="column-box"><div class="list-box"><table class="list-table"><tbody>{rows}</tbody></table></div>'
        '<div class="page"><span>1</span> <a href="index_1.html">2</a></div></div>'
    )
    page = read_list_page(_page(content), "http://x/zwgk/zcwj/index.html", as_of=date(2025, 11, 30))
    assert page is not None and len(page.items) == 6
    assert all(item.date is None for item in page.items)
    assert page.items[0].url == "http://x/zwgk/zcwj/2025/t_1.html"

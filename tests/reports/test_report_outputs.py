"""The written report: XLSX sheets with numbers as numbers, a self-contained HTML file, site pages."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook
from reportfixture import HOSTILE, HOSTILE_EVIDENCE, expected_bands, expected_mean_index

from govsite.reports.writer import site_filename, write_report

EXPECTED_SHEETS = [
    "概览",
    "档级分布",
    "得分居前",
    "指标平均指数",
    "分组比较",
    "得分分布",
    "问题类型",
    "单项否决",
    "年度对比·档级",
    "年度对比·单位",
    "年度对比·指标",
    "分析结论",
    "省级排名",
    "省级指标得分",
    "城市排名",
    "城市指标得分",
]


@pytest.fixture(scope="module")
def written(survey_analysis, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    pages = [("省级", "北京市"), ("城市", HOSTILE), ("城市", "杭州市")]
    files = write_report(survey_analysis, out, ["html", "xlsx"], sites=pages)
    return out, files


def _rows(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def test_report_files_are_written_with_one_page_per_requested_site(written):
    out, files = written
    names = {p.relative_to(out).as_posix() for p in files}
    assert {"report.html", "report.xlsx"} <= names
    assert len([n for n in names if n.startswith("sites/")]) == 3


def test_workbook_has_one_sheet_per_table_with_frozen_chinese_headers(written):
    workbook = load_workbook(written[0] / "report.xlsx")
    assert workbook.sheetnames == EXPECTED_SHEETS
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.cell(1, 1).font.bold
        assert all(re.search(r"[\u4e00-\u9fff]", str(c.value)) for c in sheet[1] if c.value), sheet.title


def test_workbook_numbers_are_numbers_equal_to_the_independent_figures(written, fixture_survey):
    fx = fixture_survey
    workbook = load_workbook(written[0] / "report.xlsx")
    bands = expected_bands(fx.framework, fx.scores["省级"], fx.bonus["省级"])
    for row in _rows(workbook["档级分布"]):
        assert isinstance(row["单位数"], int) and isinstance(row["占比（%）"], (int, float))
        if row["分组"] == "省级":
            assert row["单位数"] == sum(1 for b in bands.values() if b == row["档级"])
    averages = [r for r in _rows(workbook["指标平均指数"]) if r["分组"] == "城市"]
    assert averages
    for row in averages:
        assert isinstance(row["平均创新发展指数"], float)
        expected = expected_mean_index(fx.framework, row["指标代码"], fx.scores["城市"])
        assert row["平均创新发展指数"] == float(expected.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
    ranking = _rows(workbook["省级排名"])
    assert all(isinstance(r["总分"], (int, float)) for r in ranking)
    assert {r["网址"] for r in ranking if r["单位名称"] == "北京市"} == {"https://www.beijing.gov.cn/"}
    veto = {r["单位名称"]: r["结论"] for r in _rows(workbook["单项否决"])}
    assert veto["天津市"] == "单项否决" and veto["上海市"] == "未检测" and veto["北京市"] == "合格"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


@pytest.mark.parametrize("page", ["report.html", "site:省级:北京市", "site:城市:" + HOSTILE])
def test_html_is_self_contained_with_urls_only_as_text(written, survey_data, page):
    out, _ = written
    if page.startswith("site:"):
        _, group, site = page.split(":", 2)
        position = survey_data.group(group).site(site).position
        page = "sites/" + site_filename(group, site, position)
    html = (out / page).read_text(encoding="utf-8")
    parsed = _parse(html)
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(parsed.tags)
    for tag, name, value in parsed.attributes:
        assert "://" not in value and not value.startswith("//"), (tag, name, value)
        if name == "href":
            assert value.startswith("#") or value.endswith(".html"), value
    assert "@import" not in html and "url(" not in html and "xmlns" not in html
    text = "".join(parsed.text)
    # Every URL in the file is data shown as text.
    assert html.count("http") == text.count("http")


def test_report_shows_the_expected_headings_and_figures(written, fixture_survey):
    fx = fixture_survey
    html = (written[0] / "report.html").read_text(encoding="utf-8")
    for heading in (
        "一、总体情况",
        "二、省级调查结果",
        "三、城市调查结果",
        "四、分组比较",
        "档级分布",
        "得分居前的省级单位",
        "指标分析",
        "得分分布",
        "网站监测",
        "与 2024 年比较",
        "计算口径",
    ):
        assert f">{heading}<" in html, heading
    bands = expected_bands(fx.framework, fx.scores["省级"], fx.bonus["省级"])
    top = [s for s, b in bands.items() if b == "卓越"]
    assert f"<tr><td>卓越</td><td>{'、'.join(top)}</td></tr>" in html
    assert "<tr><td>发展</td><td>——</td></tr>" in html
    assert "6 个省级单位中 5 个达到良好及以上，占 83.3%。" in html
    # The band chart's bars carry the same counts.
    chart = re.search(r"<svg[^>]*aria-label=\"省级各档级数量\".*?</svg>", html, re.S).group(0)
    values = dict(re.findall(r'data-label="([^"]+)" data-value="(\d+)"', chart))
    assert {band: int(v) for band, v in values.items()} == {
        band: sum(1 for b in bands.values() if b == band) for band in ("卓越", "优秀", "良好", "发展", "准备")
    }
    assert html.count("<svg") >= 20


def test_hostile_names_and_evidence_appear_escaped(written, survey_data):
    out, _ = written
    report = (out / "report.html").read_text(encoding="utf-8")
    assert HOSTILE not in report and "<script" not in report
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report
    beijing = survey_data.group("省级").site("北京市").position
    page = (out / "sites" / site_filename("省级", "北京市", beijing)).read_text(encoding="utf-8")
    assert HOSTILE_EVIDENCE not in page and "<img" not in page
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in page
    hostile = survey_data.group("城市").site(HOSTILE).position
    hostile_page = (out / "sites" / site_filename("城市", HOSTILE, hostile)).read_text(encoding="utf-8")
    assert "<script" not in hostile_page and "&lt;script&gt;" in hostile_page


def test_site_page_has_the_score_card_band_rank_and_findings(written, survey_data, fixture_survey):
    out, _ = written
    item = survey_data.group("省级").site("北京市")
    page = (out / "sites" / site_filename("省级", "北京市", item.position)).read_text(encoding="utf-8")
    for indicator in fixture_survey.framework.walk():
        # codes may wrap after their dots (<wbr>), never inside a word
        assert f"<td>{indicator.code.replace('.', '.<wbr>')}</td>" in page, indicator.code
    assert f"{item.rank_by_total} / 6" in page
    assert f">{item.band}<" in page
    assert "单项否决检查" in page and "合格" in page
    assert "链接不可用" in page and "不支持IPv6" in page
    assert "https://www.beijing.gov.cn/page/broken_link/1.html" in page
    hangzhou = survey_data.group("城市").site("杭州市").position
    city_page = (out / "sites" / site_filename("城市", "杭州市", hangzhou)).read_text(encoding="utf-8")
    assert "138****5678" in city_page and "手机号泄露" in city_page


def test_site_file_names_are_safe_for_any_site_name():
    name = site_filename("城市", HOSTILE, 3)
    assert name.endswith("-0003.html")
    assert not set(name) & set('<>:"/\\|?* ')
    assert site_filename("区县", "北京市朝阳区", 12) == "区县_北京市朝阳区-0012.html"


def test_site_reports_alone_leave_out_the_survey_report(survey_analysis, tmp_path):
    files = write_report(survey_analysis, tmp_path, ["html", "xlsx"], sites=[("省级", "北京市")], survey_report=False)
    assert [p.relative_to(tmp_path).as_posix() for p in files] == ["sites/" + site_filename("省级", "北京市", 1)]

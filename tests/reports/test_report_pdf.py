"""The PDF report, read back the way a reader gets it: text (pdftotext), fonts (pdffonts), pixels (pdftoppm).

`govsite report --format html,pdf,xlsx` on the fixture survey, plus site
reports for 北京市 (with a finding whose URL and evidence are one 300-character
word) and for the site named like a script tag. Figures are checked against
the fixture's own recomputation (`reportfixture`), not the report code.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader
from reportfixture import HOSTILE, build_fixture_survey, expected_bands

from govsite.cli import main
from govsite.reports.writer import site_filename

pytestmark = [
    pytest.mark.slow,  # WeasyPrint lays out ~30 pages: about 10 s
    pytest.mark.skipif(
        not all(shutil.which(tool) for tool in ("pdftotext", "pdftoppm", "pdffonts", "pdfinfo")),
        reason="poppler-utils not installed (scripts/system-deps.sh)",
    ),
]

A4_POINTS = (595.28, 841.89)
MARGIN_X = 16 / 25.4 * 72  # the print stylesheet's left and right page margin, in points
LONG_URL = "https://www.beijing.gov.cn/" + "a" * 300 + ".html"
LONG_EVIDENCE = "x" * 200
CHAPTERS = ("一、总体情况", "二、省级调查结果", "三、城市调查结果", "四、分组比较", "计算口径")
SECTIONS = ("档级分布", "得分居前的省级单位", "指标分析", "得分分布", "网站监测", "与 2024 年比较", "省级排名")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """(fixture survey, output folder): the survey, its PDF and two site PDFs written by the command."""
    fx = build_fixture_survey(tmp_path_factory.mktemp("pdf-survey"))
    findings = fx.path.parent / "scan" / "findings.jsonl"
    with findings.open("a", encoding="utf-8") as handle:
        finding = {
            "type": "slow_page",
            "url": LONG_URL,
            "site": "https://www.beijing.gov.cn/",
            "severity": "low",
            "evidence": LONG_EVIDENCE,
            "page": LONG_URL,
            "detail": {},
            "found_at": "2025-11-30",
        }
        handle.write(json.dumps(finding) + "\n")
    out = tmp_path_factory.mktemp("pdf-out")
    logger = logging.getLogger("weasyprint")
    handler = _Collect(logging.WARNING)
    logger.addHandler(handler)
    try:
        args = ["report", str(fx.path), "--format", "html,pdf,xlsx", "--out", str(out)]
        result = CliRunner().invoke(main, [*args, "--site", "北京市", "--site", HOSTILE])
    finally:
        logger.removeHandler(handler)
    assert result.exit_code == 0, result.output
    # WeasyPrint warns about CSS it ignores and resources it cannot fetch: the layout would not be the one designed.
    assert [r.getMessage() for r in handler.records] == []
    return fx, out


class _Collect(logging.Handler):
    def __init__(self, level):
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def _site_pdf(out: Path, group: str, site: str) -> Path:
    (path,) = (out / "sites").glob(site_filename(group, site, 0).replace("0000.html", "*.pdf"))
    return path


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@cache  # pdftotext takes a second or two per file (loading the CJK fonts)
def _pages(pdf: Path) -> tuple[str, ...]:
    """The text of each page (pdftotext separates pages with form feeds)."""
    return tuple(_run("pdftotext", "-enc", "UTF-8", str(pdf), "-").split("\f")[:-1])


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_files_are_written_next_to_the_html_and_xlsx(report):
    _, out = report
    assert {p.name for p in out.iterdir()} == {"report.html", "report.pdf", "report.xlsx", "sites"}
    assert sorted(p.suffix for p in (out / "sites").iterdir()) == [".html", ".html", ".pdf", ".pdf"]
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF-")


def test_pages_are_a4_numbered_in_the_footer_and_many(report):
    _, out = report
    info = _run("pdfinfo", str(out / "report.pdf"))
    assert "(A4)" in info
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    pages = _pages(out / "report.pdf")
    assert count == len(pages) > 1
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 / 共 {count} 页" in text, number


def test_headings_and_figures_match_the_fixture(report):
    fx, out = report
    pages = _pages(out / "report.pdf")
    text = "\n".join(pages)
    for heading in (*CHAPTERS, *SECTIONS):
        assert heading in text, heading
    # 档级分布 of 省级, recomputed from the sheets: the count per band and each site in its band's row.
    bands = expected_bands(fx.framework, fx.scores["省级"], fx.bonus["省级"])
    counts = {band: sum(1 for b in bands.values() if b == band) for band in ("卓越", "优秀", "良好", "发展", "准备")}
    assert _squash("各档级省级单位数量：" + "、".join(f"{band} {n} 个" for band, n in counts.items())) in _squash(text)
    group_text = _squash(next(p for p in pages[1:] if "二、省级调查结果" in p and "档级分布" in p))
    table = group_text[group_text.index("档级单位名称") + len("档级单位名称") : group_text.index("注：同档内")]
    rows = dict(re.findall(r"(卓越|优秀|良好|发展|准备)([^卓优良发准]+)", table))
    for band, n in counts.items():
        members = [] if rows[band] == "——" else rows[band].split("、")
        assert len(members) == n and set(members) == {site for site, b in bands.items() if b == band}, band
    good = sum(n for band, n in counts.items() if band in ("卓越", "优秀", "良好"))
    assert _squash(f"{len(bands)} 个省级单位中 {good} 个达到良好及以上") in _squash(text)
    # Crawled text prints as the text it is, never as markup or as escaped markup.
    assert HOSTILE in text and "&lt;" not in text


def test_table_of_contents_gives_the_page_each_chapter_starts_on(report):
    _, out = report
    pages = _pages(out / "report.pdf")
    toc = pages[0]
    assert "目录" in toc
    for chapter in CHAPTERS:
        match = re.search(re.escape(chapter) + r"\s*\.{3,}\s*(\d+)", toc)
        assert match, chapter
        starts = next(n for n, text in enumerate(pages[1:], start=2) if chapter in text)
        assert int(match.group(1)) == starts, chapter
    assert len(re.findall(r"\.{3,}\s*\d+", toc)) >= len(CHAPTERS) + 2 * 6  # and the sections of each group


def test_a_chinese_font_is_embedded_so_there_is_no_tofu(report):
    _, out = report
    for pdf in (out / "report.pdf", _site_pdf(out, "省级", "北京市")):
        fonts = _run("pdffonts", str(pdf)).splitlines()[2:]
        embedded = [line.split()[0] for line in fonts if re.search(r"\byes\s+yes\s+yes\b", line)]
        assert any(re.search(r"Noto-S(ans|erif)-CJK-SC", name) for name in embedded), fonts
        assert all(re.search(r"\byes\b", line) for line in fonts), "every font embedded"


def _ink(png: Path) -> float:
    """Share of pixels that are not (nearly) white."""
    image = Image.open(png).convert("L")
    histogram = image.histogram()
    return sum(histogram[:200]) / (image.width * image.height)


def test_the_title_page_and_a_table_page_render_to_something_visible(report, tmp_path):
    _, out = report
    pages = _pages(out / "report.pdf")
    ranking = next(n for n, text in enumerate(pages, start=1) if "省级排名" in text and n > 1)
    for number in (1, ranking):
        prefix = tmp_path / f"page{number}"
        _run("pdftoppm", "-r", "50", "-png", "-f", str(number), "-l", str(number), str(out / "report.pdf"), str(prefix))
        (png,) = tmp_path.glob(f"page{number}-*.png")
        image = Image.open(png)
        assert abs(image.width / image.height - A4_POINTS[0] / A4_POINTS[1]) < 0.01
        assert _ink(png) > 0.01, number


def test_nothing_runs_past_the_right_margin_even_a_300_character_url(report):
    _, out = report
    site = _site_pdf(out, "省级", "北京市")
    # Wrapped, not cut: every character is there (the URL is shown twice, as 网址 and 所在页面).
    # (pdftotext reads the three columns line by line, interleaved, so count rather than search.)
    text = _squash("".join(_pages(site)))
    assert text.count("a") >= 2 * 300 and text.count("x") >= len(LONG_EVIDENCE)
    for pdf in (out / "report.pdf", site):
        boxes = _run("pdftotext", "-bbox", str(pdf), "-")
        right = [float(x) for x in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"', boxes)]
        left = [float(x) for x in re.findall(r'<word xMin="([\d.]+)"', boxes)]
        assert right and max(right) <= A4_POINTS[0] - MARGIN_X + 1, pdf.name
        assert min(left) >= MARGIN_X - 1, pdf.name


def test_site_report_pdf_has_the_score_card_and_no_links_out(report, survey_data):
    _, out = report
    item = survey_data.group("省级").site("北京市")
    pdf = _site_pdf(out, "省级", "北京市")
    text = _squash("\n".join(_pages(pdf)))
    for words in ("北京市", "得分卡", "网站监测", "问题示例", f"{item.rank_by_total}/6", "合格"):
        assert words in text, words
    assert HOSTILE in "\n".join(_pages(_site_pdf(out, "城市", HOSTILE)))
    # URLs are shown, never linked; the survey report's only links are its table of contents.
    for path in (pdf, out / "report.pdf"):
        for page in PdfReader(path).pages:
            for annotation in page.get("/Annots") or []:
                action = annotation.get_object().get("/A") or {}
                assert "/URI" not in action, (path.name, action)


def test_many_documents_are_laid_out_in_worker_processes_and_come_back_in_order(tmp_path):
    from govsite.reports.pdf import PARALLEL_FROM, write_pdfs

    count = PARALLEL_FROM + 2
    documents = ((f"<html lang=zh-CN><p>第 {n} 份文件</p></html>", tmp_path / f"{n:02d}.pdf") for n in range(count))
    written = write_pdfs(documents, count, workers=2)
    assert written == [tmp_path / f"{n:02d}.pdf" for n in range(count)]
    for n, path in enumerate(written):
        assert f"第 {n} 份文件" in _run("pdftotext", "-enc", "UTF-8", str(path), "-")


def test_a_site_report_pdf_alone_does_not_lay_out_the_survey_report(survey_analysis, tmp_path):
    from govsite.reports.writer import write_report

    files = write_report(survey_analysis, tmp_path, ["pdf"], sites=[("城市", "杭州市")], survey_report=False)
    assert [p.parent.name for p in files] == ["sites"] and files[0].suffix == ".pdf"
    assert "杭州市" in _pages(files[0])[0]

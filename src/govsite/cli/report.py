"""`govsite report`: a survey report (analysis, charts; HTML, PDF, XLSX) from a survey definition."""

from __future__ import annotations

from pathlib import Path

import click

from govsite.cli.errors import BadInput
from govsite.console import console, err_console


@click.command("report")
@click.argument("survey_file", metavar="SURVEY.yaml", type=click.Path(dir_okay=False))
@click.option("--format", "formats", default="html,xlsx", show_default=True, help="输出格式，逗号分隔：html、pdf、xlsx")
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False), default="out/report", show_default=True, help="输出目录"
)
@click.option("--site", "site_names", multiple=True, help="另为该单位生成单站报告（可重复）")
@click.option("--sites", "all_sites", is_flag=True, help="为每个单位生成单站报告")
def report(survey_file: str, formats: str, out_dir: str, site_names: tuple[str, ...], all_sites: bool) -> None:
    """按调查定义文件生成调查报告：OUT/report.html（离线可用）、OUT/report.pdf（A4）与 OUT/report.xlsx。"""
    from govsite.reports.build import analyse
    from govsite.reports.survey import SurveyError, load_survey, read_definition
    from govsite.reports.writer import SITE_FORMATS, parse_formats, write_report

    try:
        chosen = parse_formats(formats)
    except ValueError as exc:
        raise BadInput(str(exc)) from exc
    if (site_names or all_sites) and not set(SITE_FORMATS) & set(chosen):
        raise BadInput("单站报告为 HTML 或 PDF 格式：使用 --site/--sites 时 --format 需包含 html 或 pdf")
    if "pdf" in chosen:
        from govsite.reports.pdf import PdfUnavailable, check_pdf_support

        try:
            check_pdf_support()
        except PdfUnavailable as exc:
            raise BadInput(f"无法生成 PDF：{exc}") from exc
    try:
        definition = read_definition(Path(survey_file))
        survey = load_survey(definition, examples_for=True if all_sites else set(site_names))
    except SurveyError as exc:
        raise BadInput("调查定义或数据有错误：\n" + "\n".join(exc.problems)) from exc
    pages = [
        (group.name, item.result.site)
        for group in survey.groups
        for item in group.ranked
        if all_sites or item.result.site in site_names
    ]
    missing = [name for name in site_names if not any(site == name for _, site in pages)]
    if missing:
        raise BadInput(f"调查中没有这些单位：{'、'.join(missing)}（名称须与成绩表 site 列一致）")
    analysis = analyse(survey)
    written = write_report(analysis, Path(out_dir), chosen, sites=pages)
    from rich.markup import escape

    for group in survey.groups:
        for note in group.notes:  # one line each; site names are text, not markup
            err_console.print(f"[yellow]提示：[/]{escape(group.name)}：{escape(note)}", highlight=False, soft_wrap=True)
    shown = [p for p in written if p.parent == Path(out_dir)]
    console.print("已写入 " + "、".join(str(p) for p in shown), highlight=False)
    if len(written) > len(shown):
        console.print(f"单站报告 {len(written) - len(shown)} 个：{Path(out_dir) / 'sites'}", highlight=False)

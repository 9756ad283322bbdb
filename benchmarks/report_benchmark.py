"""Time `govsite report` on a 1,000-site survey built from example score sheets.

    .venv/bin/python benchmarks/report_benchmark.py [--sites 1000] [--site-pages] [--no-pdf] [--out DIR]

Builds the 政府网站 example survey (部委 / 省和自治区 / 地市 / 区县, the 2025
sample's names topped up with numbered example names), with last year's
survey and a synthetic scan, then times each step of what `govsite report
SURVEY.yaml --format html,pdf,xlsx` does: read and score the sheets,
analyse, write the HTML, write the PDF (WeasyPrint), write the XLSX (and,
with --site-pages, one HTML page and one PDF per site, the PDFs in one
process per CPU). Prints the machine, the date, the command, the load on
the machine and the figures. Target: the whole report (HTML + PDF + XLSX)
in under a minute.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from pypdf import PdfReader

from govsite.reports.build import analyse
from govsite.reports.example import write_example_survey
from govsite.reports.pdf import check_pdf_support
from govsite.reports.survey import load_survey, read_definition
from govsite.reports.writer import write_report

# The 2025 sample's shares of the 政府网站 survey: 63 部委, 28 省和自治区, 333 地市, 486 区县 (of 910).
SHARES = {"部委": 63, "省和自治区": 28, "地市": 333, "区县": 486}


def sizes_for(total: int) -> dict[str, int]:
    whole = sum(SHARES.values())
    sizes = {name: max(1, share * total // whole) for name, share in SHARES.items()}
    sizes["区县"] += total - sum(sizes.values())
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=1000, help="sites in the survey (default 1000)")
    parser.add_argument("--site-pages", action="store_true", help="also write one HTML page and one PDF per site")
    parser.add_argument("--no-pdf", action="store_true", help="leave the PDF out (HTML and XLSX only)")
    parser.add_argument("--out", type=Path, help="keep the survey and report here (default: a temporary folder)")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    root = args.out or Path(tempfile.mkdtemp(prefix="govsite-report-bench-"))
    sizes = sizes_for(args.sites)
    started = time.perf_counter()
    path = write_example_survey(root / "survey", survey="portal", sizes=sizes)
    build_s = time.perf_counter() - started

    timings: dict[str, float] = {}

    def timed(label, func, *a, **kw):
        t0 = time.perf_counter()
        value = func(*a, **kw)
        timings[label] = time.perf_counter() - t0
        return value

    definition = timed("read definition", read_definition, path)
    survey = timed("score sheets + scan (this year and last)", load_survey, definition, examples_for=args.site_pages)
    analysis = timed("analyse", analyse, survey)
    out = root / "report"
    pages = [(g.name, item.result.site) for g in survey.groups for item in g.ranked] if args.site_pages else []
    timed("write HTML" + (" + site pages" if pages else ""), write_report, analysis, out, ["html"], sites=pages)
    pdf_pages = 0
    if not args.no_pdf:
        timed("import WeasyPrint, find a Chinese font", check_pdf_support)
        timed("write PDF (report.pdf)", write_report, analysis, out, ["pdf"])
        pdf_pages = len(PdfReader(out / "report.pdf").pages)
    timed("write XLSX", write_report, analysis, out, ["xlsx"])
    total = sum(timings.values())
    if pages and not args.no_pdf:
        # What `--format pdf --sites` adds: report.pdf again, beside one PDF per site, in one process per CPU.
        t0 = time.perf_counter()
        write_report(analysis, out / "with-sites", ["pdf"], sites=pages)
        sites_pdf_s = time.perf_counter() - t0
    formats = "html,xlsx" if args.no_pdf else "html,pdf,xlsx"

    sites = sum(len(g.ranked) for g in survey.groups)
    print("govsite report benchmark")
    print(f"date      {datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(
        f"machine   {platform.platform()}; {platform.processor() or platform.machine()}; "
        f"{os.cpu_count()} CPUs; Python {platform.python_version()}"
    )
    print(f"command   {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"load      1-min load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after (other work)")
    print(f"survey    {sites} sites ({', '.join(f'{k} {v}' for k, v in sizes.items())}), last year and a scan")
    print(f"          example survey written in {build_s:.1f} s (not counted)")
    for label, seconds in timings.items():
        print(f"  {label:<46} {seconds:6.2f} s")
    print(f"  {'total (govsite report --format ' + formats + ')':<46} {total:6.2f} s   target < 60 s")
    for name in ("report.html", "report.pdf", "report.xlsx"):
        if (out / name).exists():
            print(f"  {name:<46} {(out / name).stat().st_size / 1e6:6.1f} MB")
    if pdf_pages:
        print(f"  {'report.pdf pages':<46} {pdf_pages:6d}")
    if pages:
        print(f"  {'site pages':<46} {len(pages):6d}")
        if not args.no_pdf:
            label = f"report.pdf + {len(pages)} site PDFs (not in total)"
            print(f"  {label:<46} {sites_pdf_s:6.2f} s   ({os.cpu_count()} worker processes)")
            print(f"  {'  per site':<46} {sites_pdf_s / len(pages):6.2f} s")
    if args.out is None:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

"""The report as a print-quality A4 PDF: the same HTML as report.html, laid out by WeasyPrint.

There is no second layout. `html.render_survey` / `render_site` write the
HTML; its print stylesheet (templates/print_css.html) says how it goes on
paper — A4, "第 N 页 / 共 M 页" in the footer, a table of contents with page
numbers, table headers repeated on every page, fixed-width tables — and
WeasyPrint turns it into PDF. WeasyPrint runs no script, and here it fetches
nothing either: the report references no file or URL, and the URL fetcher
refuses every scheme in case crawled text ever slipped one in.

Chinese text needs a CJK font that WeasyPrint finds through fontconfig
(Debian: fonts-noto-cjk, installed by scripts/system-deps.sh). Without one,
every character would print as an empty box ("tofu"), so `check_pdf_support`
refuses before anything is written, as it does when WeasyPrint or its system
libraries (Pango, HarfBuzz, fontconfig) are missing.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import sys
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from functools import cache
from pathlib import Path
from types import ModuleType

# The CJK families of the stylesheets' font-family stacks (templates, charts.FONT): one of them must be installed.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Serif SC",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "SimSun",
    "Songti SC",
)
FONT_HINT = "请安装 Debian 软件包 fonts-noto-cjk（sudo apt-get install fonts-noto-cjk，或运行 scripts/system-deps.sh）"


class PdfUnavailable(RuntimeError):
    """PDF cannot be made on this machine; the message (Chinese) says what to install."""


def check_pdf_support() -> None:
    """Raise PdfUnavailable unless WeasyPrint, its libraries and a Chinese font are all there."""
    _weasyprint()
    families = installed_families()
    if families is not None and not families & set(CJK_FAMILIES):
        raise PdfUnavailable(
            "生成 PDF 需要中文字体（Noto Sans CJK SC 或 Noto Serif CJK SC），本机未找到，"
            f"否则中文会显示为方框。{FONT_HINT}"
        )


@cache
def _weasyprint() -> ModuleType:
    # WeasyPrint prints an English banner to stdout when a library is missing; our message replaces it.
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint
    except ImportError as exc:
        raise PdfUnavailable(
            f"生成 PDF 需要 Python 软件包 WeasyPrint（{exc}）：请在 govsite 所在环境中运行 pip install weasyprint"
        ) from exc
    except OSError as exc:
        raise PdfUnavailable(
            f"WeasyPrint 找不到它需要的系统库（{exc}）。请安装 Pango 等系统库"
            "（Debian：sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0），"
            f"并安装中文字体：{FONT_HINT}"
        ) from exc
    return weasyprint


def installed_families() -> set[str] | None:
    """Font families fontconfig knows (what WeasyPrint can use); None if they cannot be listed."""
    try:
        from weasyprint.text.ffi import ffi, fontconfig

        config = fontconfig.FcInitLoadConfigAndFonts()
        try:
            fonts = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetSystem)
            families: set[str] = set()
            value = ffi.new("FcChar8 **")
            for i in range(fonts.nfont if fonts != ffi.NULL else 0):
                n = 0
                while fontconfig.FcPatternGetString(fonts.fonts[i], b"family", n, value) == fontconfig.FcResultMatch:
                    families.add(ffi.string(value[0]).decode("utf-8", "replace"))
                    n += 1
            return families
        finally:
            fontconfig.FcConfigDestroy(config)
    except Exception:  # an internal API of WeasyPrint's: if it changes, skip the check rather than fail
        return None


def write_pdf(html: str, path: Path) -> Path:
    """Lay out `html` (a rendered report page) on A4 pages and write it to `path`."""
    weasyprint = _weasyprint()
    fetcher = weasyprint.URLFetcher(allowed_protocols=())
    weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(path, font_config=_font_config())
    return path


# Site reports: each is its own WeasyPrint document (~0.5-1 s, nearly all of it layout in pure Python),
# so many documents are laid out in worker processes, one per CPU.
PARALLEL_FROM = 8


def write_pdfs(documents: Iterable[tuple[str, Path]], count: int, *, workers: int | None = None) -> list[Path]:
    """Write `count` (html, path) documents, in the given order; in worker processes when there are many.

    `documents` is consumed lazily, a few per worker at a time, so 1,000 site pages are never all in
    memory. Give the longest document (the survey report) first: it then runs beside the others.
    Raises PdfUnavailable as `check_pdf_support` does, before writing anything.
    """
    check_pdf_support()
    workers = min(workers or os.cpu_count() or 1, count)
    # Linux only, and fork: spawn would re-import the caller's main module (a script without a
    # `__main__` guard would break); macOS' system libraries are not fork-safe; Windows has no fork.
    if workers < 2 or count < PARALLEL_FROM or not sys.platform.startswith("linux"):
        return [write_pdf(html, path) for html, path in documents]
    # Workers fork from a parent that has laid out nothing (all documents go to workers), and each
    # starts with its own fonts in case this process has laid out a PDF before.
    context = multiprocessing.get_context("fork")
    done: dict[int, Path] = {}
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_font_config.cache_clear) as pool:
        pending: dict[Future, int] = {}
        for number, (html, path) in enumerate(documents):
            if len(pending) >= workers * 3:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                done.update((pending.pop(future), future.result()) for future in finished)
            pending[pool.submit(write_pdf, html, path)] = number
        done.update((number, future.result()) for future, number in pending.items())
    return [done[number] for number in sorted(done)]


@cache
def _font_config():
    """One font configuration per process: fonts are looked up once, not once per site report."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()

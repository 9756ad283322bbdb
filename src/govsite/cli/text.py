"""`govsite text`: check one file's text for typos, serious wording errors and personal data."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from govsite.cli.errors import BadInput
from govsite.console import print_table
from govsite.reports.tables import Table
from govsite.userfiles import UserFileError


@click.group("text")
def text_group() -> None:
    """文本检查：错别字、严重表述错误、个人隐私信息。"""


@text_group.command("check")
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--lexicon", type=click.Path(dir_okay=False, exists=True), help="自定义词库 YAML（替换内置词库）")
@click.option(
    "--extra-lexicon",
    "extra_lexicons",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True),
    help="追加词库 YAML（合并到词库之上，可多次给出；可含 whitelist、site_whitelists）",
)
@click.option("--whitelist", multiple=True, help="不报告的词（可多次给出）")
@click.option(
    "--whitelist-file",
    "whitelist_files",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True),
    help="白名单文件：每行一个词，# 开头为注释（可多次给出）",
)
@click.option("--site", "site_host", help="按该网站（域名）的白名单检查（词库 site_whitelists 一节）")
@click.option("--typos/--no-typos", default=True, show_default=True, help="统计错别字检测（词库类严重错误始终检测）")
@click.option("--whole-page", is_flag=True, help="网页文件检查全部可见文字（默认只查正文，不查导航、页脚等）")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option(
    "--csc-model",
    type=click.Path(file_okay=False, exists=True),
    help="神经网络纠错模型目录（model.onnx + vocab.txt；需 pip install govsite[csc]；也可设 GOVSITE_CSC_MODEL）",
)
def text_check(
    path: str,
    lexicon: str | None,
    extra_lexicons: tuple[str, ...],
    whitelist: tuple[str, ...],
    whitelist_files: tuple[str, ...],
    site_host: str | None,
    typos: bool,
    whole_page: bool,
    fmt: str,
    csc_model: str | None,
) -> None:
    """检查一个文件（网页、文本、PDF、Word、Excel、CSV……）或标准输入（-）的文字。个人信息只显示打码后的值。

    网页只查正文的错别字和表述错误（导航、页脚、标识不查）；个人信息检查全部文字。"""
    from govsite.crawl.policy import extension
    from govsite.text.extract import extract_document
    from govsite.text.maincontent import html_text, visible_text
    from govsite.text.personal_data import find_personal_numbers, masked_context
    from govsite.text.typo_evidence import drop_corpus_words
    from govsite.text.wording import check_text, default_lexicons, load_lexicons, main_content

    if path == "-":
        text = sys.stdin.read()
        wording_text = text
    else:
        data = Path(path).read_bytes()
        if extension(path) in ("html", "htm", "shtml", "xhtml"):
            html, _ = _decode_or_fail(data, path)
            text = visible_text(html)
            wording_text = main_content(html_text(html, main_only=not whole_page))
        elif extension(path) in ("txt", ""):
            text, _ = _decode_or_fail(data, path)
            wording_text = text
        else:
            document = extract_document(path, "", data)
            if document.problem:
                raise BadInput(f"{path}：无法读取文字（{document.problem}：{document.detail}）")
            text = wording_text = document.text
    lexicons = load_lexicons(lexicon, extra_lexicons) if (lexicon or extra_lexicons) else default_lexicons()
    words = set(whitelist)
    for name in whitelist_files:
        raw, _ = _decode_or_fail(Path(name).read_bytes(), name)
        words |= {line.strip() for line in raw.splitlines() if line.strip() and not line.lstrip().startswith("#")}
    if site_host:
        from govsite.checks.wording import site_whitelist

        words |= site_whitelist(lexicons, site_host if "//" in site_host else f"http://{site_host}/")
    typo_hits = _csc_typo_hits(csc_model, wording_text, lexicons.with_whitelist(words).whitelist) if typos else None
    hits = check_text(wording_text, lexicons, whitelist=words, general_typos=typos, typo_hits=typo_hits)
    hits = drop_corpus_words(wording_text, hits)  # a form the document writes in many contexts is its word
    numbers = find_personal_numbers(text)
    rows = [[h.type, h.wrong, h.correct, "是" if h.serious else "", h.sentence] for h in hits]
    rows += [[f"privacy_{n.kind}", n.masked, "", "是", masked_context(text, n, numbers)] for n in numbers]
    if fmt == "json":
        keys = ["type", "text", "expected", "serious", "context"]
        click.echo(json.dumps([dict(zip(keys, r, strict=True)) for r in rows], ensure_ascii=False, indent=2))
    else:
        print_table(Table(f"文本检查：{len(rows)} 处问题", ["类型", "原文", "应为", "严重", "上下文"], rows))


def _csc_typo_hits(directory: str | None, text: str, whitelist: set[str]) -> list | None:
    """With a neural checker (--csc-model or GOVSITE_CSC_MODEL): the typo layer's hits with the model's."""
    from govsite.text import csc

    try:
        if directory:
            csc.use_model(directory)
        return csc.typo_hits_with_model(text, whitelist)
    except csc.CscModelError as exc:
        raise BadInput(str(exc)) from exc


def _decode_or_fail(data: bytes, path: str) -> tuple[str, str]:
    from govsite.userfiles import decode_user_bytes

    try:
        return decode_user_bytes(data)
    except UserFileError as exc:
        raise BadInput(f"{path}：{exc}") from exc

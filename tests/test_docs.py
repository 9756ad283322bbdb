"""The docs stay true to the code: every path they cite exists, every `govsite` option they show is one.

- A backticked path in README.md or docs/*.md that starts with `src/`, `tests/`,
  `benchmarks/` or `docs/` names a file or folder of the repository (a
  `tests/x.py::test_name` names the file); one that starts with `govsite/`
  names one under `src/`, and so does a module named by its package
  (`crawl/spider.py` is `src/govsite/crawl/spider.py`).
- Every `govsite COMMAND … --option` of those files (in backticks or a fenced
  code block) names a command of the CLI and options that command has
  (`govsite manage` passes its arguments to Django and is not checked).
"""

from __future__ import annotations

import importlib
import re
import tomllib
from pathlib import Path

import click
import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
PATH_RE = re.compile(r"(?<![\w./-])((?:src|tests|benchmarks|docs|govsite)/[^\s`'\"(),;]*)")
PACKAGES = sorted(p.name for p in (ROOT / "src" / "govsite").iterdir() if (p / "__init__.py").exists())
# `crawl/spider.py` in a sentence about the package: a module of src/govsite/
MODULE_RE = re.compile(rf"(?<![\w./-])((?:{'|'.join(PACKAGES)})/[\w/]+\.py)\b")
COMMAND_RE = re.compile(r"(?:^|[\s/])govsite ([^\n|#]*)")
OPTION_RE = re.compile(r"(?<![\w-])(--[a-z][\w-]*)")
PASS_THROUGH = {"manage"}  # arguments go to Django's management commands


def cited_paths(text: str) -> list[str]:
    """The repository paths cited in backticks, without a pytest node id or sentence punctuation."""
    found = []
    for quoted in re.findall(r"`([^`\n]+)`", text):
        for path in PATH_RE.findall(quoted):
            found.append(path.split("::")[0].rstrip(".:"))
        found.extend("govsite/" + path for path in MODULE_RE.findall(quoted))
    return found


def command_lines(text: str) -> list[str]:
    """What follows `govsite ` in backticks and on the lines of fenced code blocks (prose is not a command)."""
    spans = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.S))
    blocks = [line for block in re.findall(r"```.*?```", text, flags=re.S) for line in block.splitlines()]
    return [match for piece in spans + blocks for match in COMMAND_RE.findall(piece)]


def resolve(path: str) -> Path:
    return ROOT / "src" / path if path.startswith("govsite/") else ROOT / path


def govsite_cli() -> click.Command:
    """The `govsite` command as pyproject.toml's [project.scripts] names it."""
    target = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]["govsite"]
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


def command_and_options(cli: click.Command, words: list[str]) -> tuple[list[str], click.Command, list[str]]:
    """The subcommand path `words` starts with, that command, and the options the rest names."""
    path, command = [], cli
    for word in words:
        if not isinstance(command, click.Group) or word not in command.commands:
            break
        command = command.commands[word]
        path.append(word)
    rest = words[len(path) :]
    return path, command, [option for word in rest for option in OPTION_RE.findall(word)]


def known_options(command: click.Command) -> set[str]:
    names = {"--help"}
    for param in command.params:
        names.update(getattr(param, "opts", []), getattr(param, "secondary_opts", []))
    return names


def test_the_path_finder_reads_backticks_and_node_ids():
    text = "see `src/govsite/findings.py`, `tests/test_docs.py::test_x`, `govsite/cli.py.`, `scan/judge.py` and src/x.py"
    assert cited_paths(text) == ["src/govsite/findings.py", "tests/test_docs.py", "govsite/cli.py", "govsite/scan/judge.py"]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_cited_path_exists(doc):
    missing = [path for path in cited_paths(doc.read_text(encoding="utf-8")) if not resolve(path).exists()]
    assert not missing, f"{doc.name} cites paths that are not in the repository: {missing}"


def test_command_lines_come_from_code_only():
    text = "govsite follows one flow; run `govsite scan URL --out o`.\n```sh\n.venv/bin/govsite serve  # web\n```\n"
    assert command_lines(text) == ["scan URL --out o", "serve  "]


def test_the_option_check_tells_a_real_option_from_a_made_up_one():
    cli = govsite_cli()
    path, command, options = command_and_options(cli, ["scan", "https://x.gov.cn/", "--out", "o", "--no-such-option"])
    assert path == ["scan"]
    assert "--out" in known_options(command) and "--no-such-option" not in known_options(command)
    assert options == ["--out", "--no-such-option"]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_govsite_command_line_in_the_docs_is_real(doc):
    cli = govsite_cli()
    wrong = []
    for line in command_lines(doc.read_text(encoding="utf-8")):
        words = line.split()
        path, command, options = command_and_options(cli, words)
        if words and words[0] in PASS_THROUGH:
            continue
        if not path and words and not words[0].startswith("-"):
            wrong.append(f"govsite {words[0]}: no such command")
            continue
        unknown = [option for option in options if option not in known_options(command)]
        if unknown:
            wrong.append(f"govsite {' '.join(path)}: {unknown}")
    assert not wrong, f"{doc.name} shows command lines the CLI does not accept: {wrong}"

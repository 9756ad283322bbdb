"""YAML with line numbers, so that every framework error can name its line.

PyYAML's composer keeps a mark on every node; we turn the node tree into
plain dicts and lists that also remember where each key and item stood.
Duplicate keys, which PyYAML silently overwrites, are reported instead.
Not for: anything but reading user-written data files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml


class LinedDict(dict):
    """A mapping that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LinedList(list):
    """A sequence that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


@dataclass(frozen=True)
class YamlProblem:
    line: int
    message: str


class YamlSyntaxError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def load_lined(text: str) -> tuple[Any, list[YamlProblem]]:
    """Parse YAML text into Lined* containers; return the data and duplicate-key problems."""
    loader = yaml.SafeLoader(text)
    problems: list[YamlProblem] = []
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlSyntaxError(line, f"YAML 语法错误：{exc.problem or exc}") from exc
    finally:
        loader.dispose()
    if node is None:
        return None, problems
    return _convert(loader, node, problems), problems


def load_mapping(text: str, error: Callable[[int, str], None], top_keys_hint: str) -> LinedDict | None:
    """Parse a YAML document whose top level must be a mapping; report problems through `error(line, message)`.

    The shared opening of every user-written YAML format (frameworks, update
    classes): syntax errors and duplicate keys with their lines, then the shape.
    """
    try:
        data, duplicates = load_lined(text)
    except YamlSyntaxError as exc:
        error(exc.line, exc.message)
        return None
    for dup in duplicates:
        error(dup.line, dup.message)
    if not isinstance(data, LinedDict):
        error(getattr(data, "line", 1) or 1, f"文件顶层应为映射（{top_keys_hint}）")
        return None
    return data


def _convert(loader: yaml.SafeLoader, node: yaml.Node, problems: list[YamlProblem]) -> Any:
    if isinstance(node, yaml.MappingNode):
        result = LinedDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            key_line = key_node.start_mark.line + 1
            if key in result:
                problems.append(YamlProblem(key_line, f"键“{key}”重复出现（第 {result.key_lines[key]} 行已有）"))
            result[key] = _convert(loader, value_node, problems)
            result.key_lines[key] = key_line
        return result
    if isinstance(node, yaml.SequenceNode):
        items = LinedList()
        items.line = node.start_mark.line + 1
        items.item_lines = []
        for item in node.value:
            items.append(_convert(loader, item, problems))
            items.item_lines.append(item.start_mark.line + 1)
        return items
    return loader.construct_object(node, deep=True)

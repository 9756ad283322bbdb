"""Indicator systems (指标体系) as data: the bundled 2025 YAML files and their loader.

`load("portal_province_2025")` returns a checked `Framework`;
`load("devzone_2025:etdz")` picks one weight column of a table that has
several; a path loads a user's own framework. Plain Python, no Django.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from govsite.frameworks.loader import FrameworkError, Problem, load_file
from govsite.frameworks.model import Band, Bonus, Deduction, Framework, Indicator

__all__ = [
    "Band",
    "Bonus",
    "Deduction",
    "Framework",
    "FrameworkError",
    "Indicator",
    "Problem",
    "bundled_names",
    "bundled_path",
    "load",
    "load_file",
]


def _data_dir() -> Path:
    return Path(str(resources.files("govsite.frameworks") / "data"))


def bundled_names() -> list[str]:
    return sorted(path.stem for path in _data_dir().glob("*.yaml"))


def bundled_path(name: str) -> Path:
    return _data_dir() / f"{name}.yaml"


def load(spec: str, variant: str | None = None) -> Framework:
    """Load a bundled framework by name (`NAME` or `NAME:VARIANT`) or a YAML file by path.

    Without a variant, a table with several weight columns comes back whole
    (for display); scoring needs `for_variant` first. Raises FrameworkError
    (with every problem) when the file has errors, and ValueError when the
    name is unknown or the variant does not fit.
    """
    name, _, suffix = spec.partition(":")
    if suffix and variant and suffix != variant:
        raise ValueError(f"变体冲突：{spec} 与 {variant}")
    variant = variant or suffix or None
    if name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name:
        framework = _load_path(str(Path(name).resolve()))
    elif name in bundled_names():
        framework = _load_path(str(bundled_path(name)))
    else:
        known = "、".join(bundled_names())
        raise ValueError(f"未知的指标体系“{name}”（内置：{known}；也可给出 YAML 文件路径）")
    return framework.for_variant(variant) if variant else framework


@cache
def _load_path(path: str) -> Framework:
    framework, problems = load_file(path)
    if framework is None:
        raise FrameworkError(problems)
    return framework

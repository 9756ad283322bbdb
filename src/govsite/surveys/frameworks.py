"""A survey's frameworks as the application uses them: each level's resolved table with its leaves.

`framework_info(spec)` resolves a SurveyFramework.framework value (a bundled
table, with its weight variant) into the scored leaves in table order, each
with its path, weight, collection and the finding types feeding its
pre-score; `specs_by_level` and `info_or_none` give a survey's. `num` writes
a weight or score as people do (3, 2.5, never 3.00). Used by the pages, the
results (govsite.surveys.results) and the reports.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal

from govsite import frameworks as fw
from govsite.frameworks import Framework, Indicator
from govsite.scoring.prescore import feeding_types
from govsite.surveys.models import Survey


@dataclass(frozen=True)
class LeafInfo:
    """A scored leaf with what the pages show around it."""

    position: int  # order in the table, from 0
    code: str
    name: str
    weight: Decimal
    collection: str
    path: tuple[str, ...]  # names from 一级 down to the leaf itself
    indicator: Indicator
    feeding: tuple[str, ...]  # finding types that feed its pre-score

    @property
    def path_text(self) -> str:
        return " › ".join(self.path)

    @property
    def weight_text(self) -> str:
        return num(self.weight)


@dataclass(frozen=True)
class FrameworkInfo:
    spec: str
    framework: Framework
    leaves: tuple[LeafInfo, ...]

    @functools.cached_property
    def by_code(self) -> dict[str, LeafInfo]:
        return {leaf.code: leaf for leaf in self.leaves}

    @property
    def title(self) -> str:
        variant = self.framework.variant_name
        return f"{self.framework.name}（{variant}）" if variant else self.framework.name


@functools.lru_cache(maxsize=64)
def framework_info(spec: str) -> FrameworkInfo:
    """The resolved framework of a SurveyFramework.framework value; ValueError/FrameworkError when unusable."""
    framework = fw.load(spec)
    if framework.variants and not framework.variant:
        raise ValueError(f"指标体系 {spec} 需要选择权重变体")
    leaves: list[LeafInfo] = []

    def walk(node: Indicator, trail: tuple[str, ...]) -> None:
        here = (*trail, node.name)
        if node.is_leaf:
            leaves.append(
                LeafInfo(
                    position=len(leaves),
                    code=node.code,
                    name=node.name,
                    weight=node.weight or Decimal(0),
                    collection=node.collection or "manual",
                    path=here,
                    indicator=node,
                    feeding=feeding_types(node),
                )
            )
        for child in node.children:
            walk(child, here)

    for top in framework.indicators:
        walk(top, ())
    return FrameworkInfo(spec, framework, tuple(leaves))


def framework_choices() -> list[tuple[str, str]]:
    """Every bundled framework a survey level may use; tables with weight variants appear once per variant."""
    choices = []
    for name in fw.bundled_names():
        framework = fw.load(name)
        if framework.variants:
            choices += [(f"{name}:{key}", f"{framework.name}（{label}）") for key, label in framework.variants.items()]
        else:
            choices.append((name, framework.name))
    return choices


def specs_by_level(survey: Survey) -> dict[str, str]:
    return {row.level: row.framework for row in survey.frameworks.all()}


def info_or_none(spec: str | None) -> FrameworkInfo | None:
    if not spec:
        return None
    try:
        return framework_info(spec)
    except (ValueError, fw.FrameworkError):
        return None


def num(value: Decimal | None) -> str:
    """A score or weight as people write it: 3, 2.5, 0.25 (never 3.00 or 1E+1)."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text

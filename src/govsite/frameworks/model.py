"""The in-memory shape of an indicator system (指标体系).

A framework is a tree of indicators: groups (一级/二级) and scored leaves. A
table with several weight columns (the 开发区 table has 经开区 and 高新区) is
one framework with `variants`; `Framework.for_variant` gives the plain
framework that scoring works on. Everything here is immutable and free of I/O.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

COLLECTION_MODES = ("auto", "manual", "hybrid")
DEFAULT_VARIANT = ""


@dataclass(frozen=True)
class Deduction:
    """One listed condition of a deduction-style indicator (存在下述情况的将被减分)."""

    code: str
    text: str
    finding_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    # Printed weight per variant; a group may have none (the table prints no total).
    weights: Mapping[str, Decimal]
    children: tuple[Indicator, ...] = ()
    collection: str | None = None
    assessment: str = ""
    checklist: tuple[str, ...] = ()
    finding_types: tuple[str, ...] = ()
    scoring: str = "score"
    deductions: tuple[Deduction, ...] = ()
    line: int = 0

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def weight(self) -> Decimal | None:
        """The weight of a resolved (single-variant) framework."""
        if set(self.weights) - {DEFAULT_VARIANT}:
            raise ValueError(f"指标 {self.code} 有多个权重列，请先选择变体（for_variant）")
        return self.weights.get(DEFAULT_VARIANT)

    def leaves(self) -> Iterator[Indicator]:
        if self.is_leaf:
            yield self
        for child in self.children:
            yield from child.leaves()

    def walk(self) -> Iterator[Indicator]:
        yield self
        for child in self.children:
            yield from child.walk()

    def leaf_sum(self, variant: str = DEFAULT_VARIANT) -> Decimal:
        return sum((leaf.weights[variant] for leaf in self.leaves()), Decimal(0))

    def for_variant(self, variant: str) -> Indicator:
        weights = {DEFAULT_VARIANT: self.weights[variant]} if variant in self.weights else {}
        children = tuple(child.for_variant(variant) for child in self.children)
        return replace(self, weights=weights, children=children)


@dataclass(frozen=True)
class BonusCategory:
    code: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Bonus:
    """The 优秀创新案例 bonus: capped at its weight, added on top of the base total."""

    code: str
    name: str
    weights: Mapping[str, Decimal]
    categories: tuple[BonusCategory, ...] = ()
    note: str = ""

    @property
    def weight(self) -> Decimal:
        return self.weights[DEFAULT_VARIANT]

    def for_variant(self, variant: str) -> Bonus:
        return replace(self, weights={DEFAULT_VARIANT: self.weights[variant]})


@dataclass(frozen=True)
class Band:
    """A grade band; `min` is inclusive and applies to total + bonus."""

    name: str
    min: Decimal


@dataclass(frozen=True)
class Framework:
    code: str
    name: str
    year: int
    total: Decimal
    indicators: tuple[Indicator, ...]
    survey: str = ""
    source: str = ""
    applies_to: tuple[str, ...] = ()
    variants: Mapping[str, str] = field(default_factory=dict)
    variant: str = DEFAULT_VARIANT
    bands: tuple[Band, ...] = ()
    bonus: Bonus | None = None
    path: str = ""

    @property
    def display_code(self) -> str:
        return f"{self.code}:{self.variant}" if self.variant else self.code

    @property
    def variant_name(self) -> str:
        return self.variants.get(self.variant, "")

    def for_variant(self, variant: str | None) -> Framework:
        """The single-weight framework for one weight column.

        A framework without variants is returned as it is (variant must be None).
        """
        if not self.variants:
            if variant:
                raise ValueError(f"指标体系 {self.code} 没有权重变体，不能选择“{variant}”")
            return self
        if self.variant:
            if variant in (None, self.variant):
                return self
            raise ValueError(f"指标体系 {self.display_code} 已选定变体，不能再选“{variant}”")
        if variant not in self.variants:
            allowed = "、".join(f"{k}（{v}）" for k, v in self.variants.items())
            raise ValueError(f"指标体系 {self.code} 需要选择权重变体：{allowed}")
        return replace(
            self,
            variant=variant,
            indicators=tuple(ind.for_variant(variant) for ind in self.indicators),
            bonus=self.bonus.for_variant(variant) if self.bonus else None,
        )

    def leaves(self) -> Iterator[Indicator]:
        for indicator in self.indicators:
            yield from indicator.leaves()

    def walk(self) -> Iterator[Indicator]:
        for indicator in self.indicators:
            yield from indicator.walk()

    def find(self, code: str) -> Indicator | None:
        return next((ind for ind in self.walk() if ind.code == code), None)

    def path_of(self, code: str) -> tuple[Indicator, ...]:
        """The chain of indicators from the first level down to `code`."""

        def search(nodes: tuple[Indicator, ...], trail: tuple[Indicator, ...]):
            for node in nodes:
                here = (*trail, node)
                if node.code == code:
                    return here
                found = search(node.children, here)
                if found:
                    return found
            return None

        return search(self.indicators, ()) or ()

    @property
    def max_total(self) -> Decimal:
        return self.total + (self.bonus.weight if self.bonus else Decimal(0))

    def band_for(self, total: Decimal) -> str | None:
        for band in self.bands:
            if total >= band.min:
                return band.name
        return None

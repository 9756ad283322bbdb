"""Measure detectors against a generated site's truth: precision and recall per finding type.

A reported finding is a hit when the truth holds the same (type, URL) — and,
for header findings, the same header. Types the truth does not judge
(`Truth.unjudged_types`, e.g. typos before that detector exists) count
neither way. The result is a table a person can paste into a note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

KEYED_TYPES = {"missing_security_header"}


@dataclass
class TypeScore:
    type: str
    true_positives: int = 0
    false_positives: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        reported = self.true_positives + len(self.false_positives)
        return self.true_positives / reported if reported else None

    @property
    def recall(self) -> float | None:
        expected = self.true_positives + len(self.missed)
        return self.true_positives / expected if expected else None


def _key(item: dict[str, Any]) -> tuple[str, str, str]:
    detail = item.get("detail") or {}
    extra = str(detail.get("header") or detail.get("key") or "") if item["type"] in KEYED_TYPES else ""
    return (item["type"], item["url"], extra.lower())


def evaluate(
    reported: Iterable[dict[str, Any]], expected: Iterable[dict[str, Any]], *, unjudged: Iterable[str] = ()
) -> dict[str, TypeScore]:
    skip = set(unjudged)
    want = {_key(e) for e in expected if e["type"] not in skip}
    got = {_key(r) for r in reported if r["type"] not in skip}
    scores: dict[str, TypeScore] = {}
    for key in got | want:
        score = scores.setdefault(key[0], TypeScore(key[0]))
        label = key[1] + (f" [{key[2]}]" if key[2] else "")
        if key in want and key in got:
            score.true_positives += 1
        elif key in got:
            score.false_positives.append(label)
        else:
            score.missed.append(label)
    return dict(sorted(scores.items()))


def merge(scores: Iterable[dict[str, TypeScore]]) -> dict[str, TypeScore]:
    total: dict[str, TypeScore] = {}
    for per_site in scores:
        for type_, score in per_site.items():
            into = total.setdefault(type_, TypeScore(type_))
            into.true_positives += score.true_positives
            into.false_positives += score.false_positives
            into.missed += score.missed
    return dict(sorted(total.items()))


def score_table(scores: dict[str, TypeScore]) -> str:
    lines = [
        "| finding type | expected | reported | hits | precision | recall |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for score in scores.values():
        expected = score.true_positives + len(score.missed)
        reported = score.true_positives + len(score.false_positives)
        lines.append(
            f"| {score.type} | {expected} | {reported} | {score.true_positives} | "
            f"{_ratio(score.precision)} | {_ratio(score.recall)} |"
        )
    return "\n".join(lines)


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"

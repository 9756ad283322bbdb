"""Gambling, pornography and fake-invoice content: the word lists (bad_content.yaml) and their matching.

The lists live in `bad_content.yaml` beside this module; a deployment adds its
own file of the same shape (a detector option names it), whose categories are
merged into the bundled ones (words and patterns added, a label replaced).
Pure: text in, hits out. Shared by the detectors that judge what a link leads
to (external_link_hijacked) or says and where it points (hidden_link).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from govsite.checks.base import NotConfigured

DEFAULT_FILE = Path(__file__).with_name("bad_content.yaml")
MAX_HITS = 10


@dataclass(frozen=True)
class Category:
    name: str
    label: str
    words: tuple[str, ...]
    patterns: tuple[re.Pattern, ...]
    domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    category: str
    label: str
    text: str  # the words as found


@dataclass(frozen=True)
class BadContent:
    categories: tuple[Category, ...]

    def hits(self, text: str) -> list[Hit]:
        """The distinct bad words and pattern matches in `text` (case-insensitive), at most MAX_HITS."""
        lowered = text.lower()
        found: dict[str, Hit] = {}
        for category in self.categories:
            for word in category.words:
                if _contains(lowered, word):
                    found.setdefault(word, Hit(category.name, category.label, word))
            for pattern in category.patterns:
                match = pattern.search(lowered)
                if match:
                    found.setdefault(match.group(0), Hit(category.name, category.label, match.group(0)))
        return list(found.values())[:MAX_HITS]

    def match(self, *texts: str, host: str = "") -> Hit | None:
        """The first hit for a link: its host among the domains, else a word or pattern in its texts."""
        host = host.lower()
        for category in self.categories:
            for domain in category.domains:
                if host == domain or host.endswith("." + domain):
                    return Hit(category.name, category.label, domain)
        hits = self.hits(" ".join(texts))
        return hits[0] if hits else None


def _contains(lowered: str, word: str) -> bool:
    """A Chinese word anywhere; a Latin one as a whole word (casino, not occasional)."""
    if word.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", lowered) is not None
    return word in lowered


def load_bad_content(extra_file: str = "") -> BadContent:
    """The bundled lists, with `extra_file`'s merged in; NotConfigured (Chinese) for a file that cannot be read."""
    return _load(str(Path(extra_file).resolve()) if extra_file else "")


@lru_cache(maxsize=8)
def _load(extra_file: str) -> BadContent:
    merged: dict[str, dict] = {}
    for path in (DEFAULT_FILE, *([Path(extra_file)] if extra_file else [])):
        for name, entry in _read(path).items():
            into = merged.setdefault(name, {"label": name, "words": [], "patterns": [], "domains": []})
            into["label"] = str(entry.get("label") or into["label"])
            into["words"] += [str(w).lower() for w in entry.get("words") or []]
            into["patterns"] += [str(p) for p in entry.get("patterns") or []]
            into["domains"] += [str(d).lower().strip(".") for d in entry.get("domains") or []]
    categories = []
    for name, entry in merged.items():
        try:
            patterns = tuple(re.compile(p.lower()) for p in entry["patterns"])
        except re.error as exc:
            raise NotConfigured(f"不良内容词表中“{name}”的正则表达式有误：{exc}") from exc
        words = tuple(dict.fromkeys(w for w in entry["words"] if w))
        domains = tuple(dict.fromkeys(d for d in entry["domains"] if d))
        categories.append(Category(name, entry["label"], words, patterns, domains))
    return BadContent(tuple(categories))


def _read(path: Path) -> dict[str, dict]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise NotConfigured(f"无法读取不良内容词表 {path}：{exc}") from exc
    categories = data.get("categories") if isinstance(data, dict) else None
    if not isinstance(categories, dict) or not all(isinstance(v, dict) for v in categories.values()):
        raise NotConfigured(f"不良内容词表 {path} 应有 categories: 名称 -> {{label, words, patterns, domains}}")
    return categories

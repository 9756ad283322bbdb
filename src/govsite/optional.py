"""Components govsite can run without, and the one place that says so when one cannot load.

A declared dependency can still fail to import: a transitive package left out
by a plain `pip install` (trafilatura needs `lxml_html_clean` since lxml 5.2),
a wheel missing for the platform. The code that uses such a component keeps
working without it, but never silently: the first use in a process logs one
warning, in Chinese, that names the component, what is lost and the fix.
`missing()` lists them for a summary or a status page.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from types import ModuleType

log = logging.getLogger("govsite")


@dataclass(frozen=True)
class Missing:
    module: str
    role: str  # what the component does, in Chinese
    without: str  # what govsite does without it, in Chinese
    fix: str  # the command that installs it
    error: str  # why the import failed

    def message(self) -> str:
        return f"{self.role}组件 {self.module} 无法加载（{self.error}）：{self.without}。请运行 {self.fix}"


_missing: dict[str, Missing] = {}
_reported: set[str] = set()


def load(module: str, *, role: str, without: str, fix: str) -> ModuleType | None:
    """The imported module, or None (remembered with why) when it cannot be imported."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:  # includes a dependency of the module that is missing
        _missing[module] = Missing(module, role, without, fix, f"{type(exc).__name__}: {exc}".splitlines()[0])
        return None


def report_missing(module: str) -> None:
    """Log, once per process, that `module` is missing and what that costs."""
    if module in _missing and module not in _reported:
        _reported.add(module)
        log.warning(_missing[module].message())


def missing() -> list[Missing]:
    """Every component that failed to load in this process."""
    return list(_missing.values())

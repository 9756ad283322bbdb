"""Architecture rules read from the code's imports (import-linter and its graph library, grimp).

- the import-linter contracts of pyproject.toml hold (`govsite.checks` imports
  nothing that reaches the network: no socket, ssl, HTTP client, nor
  `govsite.probes`), so detectors judge an archive offline;
- no import cycle among the project's modules, counting imports inside
  functions (a late import that dodges a cycle is still a cycle).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import pytest

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"

@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("govsite", cache_dir=None)


def test_import_contracts_hold():
    """On failure the message holds import-linter's report: the import chain that breaks a contract.

    In a process of its own: import-linter fails on classes zope.interface has touched (Twisted,
    imported by other tests, does), and it reconfigures logging."""
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(sys.argv[1], no_cache=True))"
    result = subprocess.run(
        [sys.executable, "-c", code, str(PYPROJECT)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_no_import_cycles_counting_imports_inside_functions(graph):
    edges = {
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
    }
    cycles = _cycles(edges)
    assert not cycles, "import cycles: " + "; ".join(" → ".join(c) for c in cycles)


def test_the_probes_package_has_no_cycle_of_its_own(graph):
    """probes/__init__ loads the families, the families import probes.base: never base → the package."""
    assert "govsite.probes" not in graph.find_modules_directly_imported_by("govsite.probes.base")
    assert "govsite.probes.tls" in graph.find_modules_directly_imported_by("govsite.probes")


def test_the_cycle_finder_finds_cycles_and_only_cycles():
    edges = {("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "d"), ("f", "a")}
    assert sorted(_cycles(edges)) == [["a", "b", "c"], ["d", "e"]]
    assert _cycles({("a", "b"), ("b", "c"), ("a", "c")}) == []


def _cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    succ: dict[str, list[str]] = {}
    for a, b in sorted(edges):
        succ.setdefault(a, []).append(b)
        succ.setdefault(b, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(succ):
        if root in index:
            continue
        work = [(root, iter(succ[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(succ[child])))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found

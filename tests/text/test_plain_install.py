"""The text layer works on a plain `pip install .`, not only in the dev environment.

A plain install has the declared dependencies and the package data of the wheel, nothing
else. Two ways it went wrong: trafilatura's jusText imports `lxml.html.clean`, a separate
project (lxml_html_clean) since lxml 5.2, that the dev extras happened to bring; without it
trafilatura does not import and `govsite text check` read every page whole (about ten times
the typo alarms on real pages). So the typo layer and the main-content step are imported here
in a child process that cannot import any distribution outside the closure of
`[project] dependencies`; and every data file the layer reads must match the package-data globs.
"""

from __future__ import annotations

import fnmatch
import subprocess
import sys
import textwrap
import tomllib
from importlib.metadata import PackageNotFoundError, requires
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def declared_closure() -> set[str]:
    """Canonical names of the declared dependencies and everything they require (extras as asked)."""
    todo = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
    seen: set[str] = set()
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        seen.add(name)
        try:
            children = requires(req.name) or []
        except PackageNotFoundError:
            continue
        extras = req.extras or {""}
        for child in map(Requirement, children):
            if child.marker is None or any(child.marker.evaluate({"extra": e}) for e in extras):
                todo.append(child)
    return seen


CHILD = textwrap.dedent(
    """
    import importlib.abc, importlib.metadata, sys
    from packaging.utils import canonicalize_name

    allowed = set(sys.argv[1].split(","))
    owners = importlib.metadata.packages_distributions()

    class Undeclared(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            top = name.partition(".")[0]
            if "." in name or top in sys.stdlib_module_names or top == "govsite":
                return None
            dists = owners.get(top)
            if dists and not any(canonicalize_name(d) in allowed for d in dists):
                raise ModuleNotFoundError(f"{name}: not a declared dependency ({dists})", name=name)
            return None

    sys.meta_path.insert(0, Undeclared())
    from govsite.text import maincontent, typos
    from govsite.text.wording import check_text

    assert maincontent.extractor_available(), "trafilatura does not import with the declared dependencies"
    typos.warm_up()
    hits = check_text("我们要加强安全生产工作，认真落实责仁制。")
    print([(h.wrong, h.correct) for h in hits])
    """
)


def test_the_text_layer_runs_with_the_declared_dependencies_only():
    allowed = ",".join(sorted(declared_closure()))
    done = subprocess.run([sys.executable, "-c", CHILD, allowed], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[('责仁', '责任')]"


def test_the_undeclared_import_is_caught():
    # the same child without lxml_html_clean among the allowed: what a plain install without it did
    allowed = ",".join(sorted(declared_closure() - {"lxml-html-clean"}))
    done = subprocess.run([sys.executable, "-c", CHILD, allowed], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "trafilatura does not import" in done.stderr


def test_the_layers_data_files_ship_in_the_wheel():
    globs = PYPROJECT["tool"]["setuptools"]["package-data"]["*"]
    data = ROOT / "src" / "govsite" / "text" / "data"
    files = [p.name for p in data.iterdir() if p.is_file()]
    assert {"same_pinyin.txt", "same_stroke.txt", "wording.yaml"} <= set(files)
    unshipped = [name for name in files if not any(fnmatch.fnmatch(name, g) for g in globs)]
    assert unshipped == []

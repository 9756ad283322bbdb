"""The tests' shared helpers stay shared: no copies, no shadowing.

- a fixture of a conftest.py is not defined again by a test module or a
  conftest.py below it (a shadowed `launched` silently differs from the one
  its docstring describes);
- a logged-in test client is `client_for(user)` of tests/conftest.py: no other
  function builds a plain `Client()` and calls `force_login` on it;
- the loopback route server is tests/loopback.py's: no other test module
  subclasses `BaseHTTPRequestHandler`.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT_CONFTEST = TESTS / "conftest.py"
LOOPBACK = TESTS / "loopback.py"


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def fixture_names(tree: ast.Module) -> set[str]:
    """Module-level functions decorated with pytest.fixture (with or without arguments)."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if ast.unparse(target) in {"pytest.fixture", "fixture"}:
                    names.add(node.name)
    return names


def shadowed_fixtures(modules: dict[Path, ast.Module], tests_root: Path) -> list[str]:
    """`module: name` for every fixture a conftest.py above the module already defines."""
    conftests = {path.parent: fixture_names(tree) for path, tree in modules.items() if path.name == "conftest.py"}
    found = []
    for path, tree in modules.items():
        folder = path.parent.parent if path.name == "conftest.py" else path.parent
        inherited: set[str] = set()
        while True:
            inherited |= conftests.get(folder, set())
            if folder == tests_root or tests_root not in folder.parents:
                break
            folder = folder.parent
        found += [f"{path.relative_to(tests_root)}: {name}" for name in sorted(fixture_names(tree) & inherited)]
    return found


def client_copies(tree: ast.Module) -> list[str]:
    """Functions that build `Client()` without arguments and log it in: a copy of client_for."""
    copies = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        calls = [n for n in ast.walk(node) if isinstance(n, ast.Call)]
        plain_client = any(ast.unparse(c.func) == "Client" and not c.args and not c.keywords for c in calls)
        logs_in = any(isinstance(c.func, ast.Attribute) and c.func.attr == "force_login" for c in calls)
        if plain_client and logs_in:
            copies.append(node.name)
    return copies


def handler_classes(tree: ast.Module) -> list[str]:
    return [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and any(ast.unparse(b).endswith("BaseHTTPRequestHandler") for b in node.bases)
    ]


@cache
def _modules() -> dict[Path, ast.Module]:
    return {path: _tree(path) for path in sorted(TESTS.rglob("*.py"))}


def test_the_checks_find_a_shadowed_fixture_a_client_copy_and_a_handler(tmp_path):
    (tmp_path / "web").mkdir()
    (tmp_path / "conftest.py").write_text("import pytest\n@pytest.fixture\ndef launched():\n    return []\n")
    module = (
        "import pytest\n"
        "@pytest.fixture()\ndef launched():\n    return [1]\n"
        "def as_user(user):\n    client = Client()\n    client.force_login(user)\n    return client\n"
        "def csrf(user):\n    client = Client(enforce_csrf_checks=True)\n    client.force_login(user)\n"
        "class Handler(BaseHTTPRequestHandler):\n    pass\n"
    )
    (tmp_path / "web" / "test_x.py").write_text(module)
    modules = {path: _tree(path) for path in sorted(tmp_path.rglob("*.py"))}
    assert shadowed_fixtures(modules, tmp_path) == ["web/test_x.py: launched"]
    tree = modules[tmp_path / "web" / "test_x.py"]
    assert client_copies(tree) == ["as_user"]
    assert handler_classes(tree) == ["Handler"]


def test_no_fixture_is_shadowed():
    assert shadowed_fixtures(_modules(), TESTS) == []


def test_one_logged_in_client_helper():
    copies = {
        str(path.relative_to(TESTS)): client_copies(tree) for path, tree in _modules().items() if path != ROOT_CONFTEST
    }
    assert {path: names for path, names in copies.items() if names} == {}


def test_one_loopback_route_server():
    handlers = {str(path.relative_to(TESTS)): handler_classes(tree) for path, tree in _modules().items()}
    assert {path: names for path, names in handlers.items() if names} == {"loopback.py": ["Handler"]}

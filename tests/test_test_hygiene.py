"""The test suite's own layout: test modules share code through support modules, not each other.

Shared paths and the terminal size live in ``tests/paths.py``, shared helpers in plain support
modules (``tests/team_support.py``, ``tests/cli_support.py``, ``tests/tui/support.py``, ...),
shared fixtures in a ``conftest.py``. A test module importing another test module (or a conftest)
runs, collects or overrides that module's tests and fixtures by accident.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests import paths

TESTS = Path(__file__).resolve().parent
# The names tests/paths.py owns: a test module imports them, it does not define its own.
SHARED = {name for name in vars(paths) if name.isupper()}


def suite_modules() -> list[Path]:
    return sorted(p for p in TESTS.rglob("test_*.py") if "__snapshots__" not in p.parts)


def imported_modules(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, dotted name) of every module imported anywhere in the file; relative ones start with dots."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found.append((node.lineno, base))
            # ``from tests.annotate import test_team_merge`` / ``from . import conftest``
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def offending_import(name: str) -> bool:
    parts = name.lstrip(".").split(".")
    relative = name.startswith(".")
    in_tests = relative or parts[0] == "tests"
    return in_tests and any(p.startswith("test_") or p == "conftest" for p in parts)


def test_no_test_module_imports_another_test_module_or_a_conftest():
    bad = []
    for path in suite_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bad += [f"{path.relative_to(TESTS.parent)}:{line}: {name}"
                for line, name in imported_modules(tree) if offending_import(name)]
    assert not bad, "import from a support module or tests/paths.py instead:\n" + "\n".join(bad)


def test_no_test_module_redefines_the_shared_paths():
    assert {"ROOT", "SEEDS", "GOLD"} <= SHARED
    bad = []
    for path in suite_modules():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
            names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
            bad += [f"{path.relative_to(TESTS.parent)}:{node.lineno}: {name}" for name in sorted(names & SHARED)]
    assert not bad, "take these from tests/paths.py (or name a different value for what it is):\n" + "\n".join(bad)

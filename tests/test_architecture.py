"""Architecture rules the import-linter contracts cannot express.

``store/`` owns every SQL statement (issue 13): the layers above talk to it in domain terms.
"""

from __future__ import annotations

import ast
import re

from tests.paths import ROOT

SCANNED = ("annotate", "tui", "cli")

# Files allowed to hold SQL outside store/, each with its reason. Empty: keep it so.
ALLOWED_SQL: set[str] = set()

CURSOR_CALLS = {"execute", "executemany", "executescript"}
# ``.query(`` is also Textual's DOM query: flagged when called on something that names a database.
DATABASE_RECEIVER = re.compile(r"(^|[._])(db|conn|connection|store|database)$")
SQL_START = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE"
    r"|REPLACE|WITH|VACUUM|ATTACH|DETACH)\s+\S")


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string nodes that are docstrings (prose may well start with "Update ...")."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def sql_uses(source: str, name: str = "<string>") -> list[str]:
    """Every place in ``source`` that talks SQL: cursor calls, ``db[...]`` table access,
    ``sqlite3.connect`` and string literals that start with an SQL keyword."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        where = f"{name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            attr, receiver = node.func.attr, ast.unparse(node.func.value)
            if attr in CURSOR_CALLS:
                found.append(f"{where}: .{attr}(")
            elif attr == "query" and DATABASE_RECEIVER.search(receiver):
                found.append(f"{where}: {receiver}.query(")
            elif attr == "connect" and receiver == "sqlite3":
                found.append(f"{where}: sqlite3.connect(")
        elif isinstance(node, ast.Subscript) and DATABASE_RECEIVER.search(ast.unparse(node.value)):
            found.append(f"{where}: {ast.unparse(node)} (table access)")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            if SQL_START.match(node.value):
                found.append(f"{where}: SQL literal {node.value[:40]!r}")
    return found


def test_no_sql_outside_store():
    files = sorted(p for folder in SCANNED for p in (ROOT / folder).rglob("*.py"))
    assert len(files) > 50
    problems, allowed_clean = [], []
    for path in files:
        rel = path.relative_to(ROOT).as_posix()
        uses = sql_uses(path.read_text(encoding="utf-8"), rel)
        if rel in ALLOWED_SQL:
            if not uses:
                allowed_clean.append(rel)
            continue
        problems += uses
    assert problems == [], "SQL outside store/ (add a store function instead):\n" + "\n".join(problems)
    assert allowed_clean == [], f"no SQL left in {allowed_clean}: remove them from ALLOWED_SQL"


def test_the_scan_finds_planted_sql():
    planted = '''
def f(store, db, sqlite3, conn):
    store.db.execute("select 1")
    conn.executemany("x", [])
    db.executescript("x")
    store.db.query("x")
    db["spans"].insert({})
    sqlite3.connect("g.db")
    sql = "SELECT id FROM spans"
    return f"DELETE FROM spans WHERE id = {1}"
'''
    found = sql_uses(planted, "planted.py")
    assert [f.split(": ", 1)[1].split(" ")[0] for f in found].count(".execute(") == 1
    assert len(found) == 8, found


def test_the_scan_leaves_prose_and_textual_queries_alone():
    clean = '''
def f(self):
    """Update the table: SELECT nothing."""
    self.query("#spans").remove()
    self.notify("Delete it?")
    return "UPDATE"
'''
    assert sql_uses(clean) == []


def test_store_files_do_hold_sql():
    # The scan run over store/ finds what it should (a scan that finds nothing anywhere proves nothing).
    assert sql_uses((ROOT / "store" / "repo.py").read_text(encoding="utf-8"))

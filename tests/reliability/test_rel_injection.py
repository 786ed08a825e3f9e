"""Injection: markup, ANSI escapes and SQL metacharacters are data, never code.

They are stored as given and come out of export byte-identical; SQL is built with
parameters only (checked over the source tree).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from annotate.service import Service
from tests.reliability.support import ROOT, run_cli

NASTY = [
    "[bold]Bagdad[/bold]",
    "[/]",
    "[link=https://evil.example]Irak[/link]",
    "[@click=app.quit]x[/]",
    "\x1b[31mrouge\x1b[0m",
    "\x1b]8;;https://evil.example\x07lien\x1b]8;;\x07",
    "'; DROP TABLE articles; --",
    "Robert'); DELETE FROM spans WHERE ('1'='1",
    "%s %d {0} {text} $1 ?",
    "\\N \\x00 \\u0000",
    "\u202eRTL\u202c",
]


def nasty_text() -> str:
    lines = [f"{i}. Al Maliki {s} a rencontré l’ambassadrice." for i, s in enumerate(NASTY)]
    return "Titre : [red]Irak[/red] \x1b[2J\r\n\r\n" + "\n".join(lines) + "\n"


def test_text_names_and_file_names_are_stored_and_exported_byte_identical(tmp_path: Path):
    text = nasty_text()
    name = "[bold]x[red] \x1b[31m'; DROP TABLE articles; --.txt"  # no "/" in a file name
    source = tmp_path / name
    source.write_bytes(text.encode("utf-8"))
    db = tmp_path / "g.db"
    service = Service.open(db, annotator="[i]alice[/i]'; --")
    report = service.data.ingest([source])
    assert not report.failures, report.failures
    article_id = report.added[0]
    article = service.data.article(article_id)
    assert article.text == text and article.source == name
    # Entity spans over the nasty parts, linked to entities with nasty names.
    for payload in NASTY[:8]:
        start = text.index(payload)
        span_id = service.review.add_span(article_id, start, start + len(payload), "MISC")
        entity_id = service.entities.link_new(span_id, name=payload)
        assert service.entities.get(entity_id).name == payload
    service.review.mark_done(article_id)
    target = tmp_path / "out.jsonl"
    service.data.export_jsonl(target)
    service.close()
    (line,) = target.read_bytes().splitlines()
    record = json.loads(line)
    assert record["text"] == text
    assert record["text"].encode("utf-8") == text.encode("utf-8")
    assert record["meta"]["source"] == name
    assert record["meta"]["annotator"] == "[i]alice[/i]'; --"
    assert [s["text"] for s in record["spans"]] == NASTY[:8]
    assert all(s["text"] == text[s["start"]:s["end"]] for s in record["spans"])
    # The tables are all still there.
    assert Service.open(db, annotator="x").data.counts()


def test_export_import_export_is_byte_identical_with_nasty_text(tmp_path: Path):
    text = nasty_text() + "ligne\u2028séparée\x85NEL\u2029fin"
    start = text.index("Al Maliki")
    record = {"text": text, "meta": {"source": "[bold]s[/]", "annotator": "bob"},
              "spans": [{"start": start, "end": start + 9, "label": "PER", "kb_id": "'; DROP TABLE entities; --"}]}
    first = tmp_path / "first.jsonl"
    first.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    out1, out2 = tmp_path / "out1.jsonl", tmp_path / "out2.jsonl"
    for source, db, out in ((first, tmp_path / "g.db", out1), (out1, tmp_path / "g2.db", out2)):
        service = Service.open(db, annotator="alice")
        service.data.import_jsonl(source)
        service.data.export_jsonl(out)
        service.close()
    assert out1.read_bytes() == out2.read_bytes()
    exported = json.loads(out1.read_bytes().decode("utf-8"))
    assert exported["text"] == text
    assert exported["spans"][0]["kb_id"] == "'; DROP TABLE entities; --"


def test_cli_messages_do_not_interpret_markup(tmp_path: Path):
    # Typer/Rich must print file names as given: "[bold]" stays visible text.
    bad = tmp_path / "[bold]bad[red].txt"
    bad.write_bytes(b"\xff")
    proc = run_cli("ingest", str(bad), "--db", str(tmp_path / "g.db"), check=1)
    assert f"error: {bad}, line 1: not valid UTF-8" in proc.stderr


# -- SQL is parameterised ------------------------------------------------------------

SQL_WORDS = ("SELECT ", "INSERT ", "UPDATE ", "DELETE ", " WHERE ", "VALUES", "PRAGMA ")
# Interpolations that are not user data: names of our own tables.
ALLOWED = {"journal", "t", "table"}
# The one helper allowed to build identifier lists (from dict keys): it checks every key against
# the table's columns in the schema and quotes it (store/bulk.py).
IDENTIFIER_HELPER = "column_list"


def constant_names(tree: ast.AST) -> set[str]:
    """Names only ever assigned SQL-safe constants (strings, placeholder lists) in a module."""
    values: dict[str, list[ast.AST]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    values.setdefault(target.id, []).append(node.value)
                elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    for t, v in zip(target.elts, node.value.elts):
                        if isinstance(t, ast.Name):
                            values.setdefault(t.id, []).append(v)

    def safe(value: ast.AST) -> bool:
        return (isinstance(value, ast.Constant) and isinstance(value.value, str)) or "'?'" in ast.unparse(value)

    return {name for name, assigned in values.items() if all(safe(v) for v in assigned)}


# Query builders: modules that compose a query from constant fragments of their own (a filter, a
# sort order, a join chosen by branch), each value still a named parameter. Reviewed by hand: in
# them the check only refuses what can carry a value in, a function's parameter interpolated as is.
COMPOSED = {
    "listing.py": "the corpus windows: FROM/WHERE/ORDER BY chosen from SORTS and _from()'s fragments",
    "search.py": "the search's ORDER BY: rank or rowid, chosen by branch",
    "corpus.py": "the INSERT's column list: the constant _COLUMNS",
}


def parameters_around(tree: ast.AST) -> dict[ast.AST, set[str]]:
    """Each f-string node → the parameter names of the functions enclosing it."""
    found: dict[ast.AST, set[str]] = {}

    def visit(node: ast.AST, params: set[str]) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = node.args
            params = params | {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
        if isinstance(node, ast.JoinedStr):
            found[node] = params
        for child in ast.iter_child_nodes(node):
            visit(child, params)

    visit(tree, set())
    return found


def sql_fstrings(path: Path) -> list[str]:
    """f-strings that look like SQL and interpolate something other than constants or placeholders."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = constant_names(tree)
    composed = path.name in COMPOSED and path.parent.name == "store"
    params = parameters_around(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        if not any(word in literal for word in SQL_WORDS):  # our SQL is written in capitals
            continue
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                expr = ast.unparse(value.value)
                call = value.value
                if isinstance(call, ast.Call) and isinstance(call.func, (ast.Name, ast.Attribute)) and \
                        ast.unparse(call.func).split(".")[-1] == IDENTIFIER_HELPER:
                    continue
                if composed:
                    if isinstance(value.value, ast.Name) and value.value.id in params[node]:
                        found.append(f"{path.name}:{node.lineno}: {{{expr}}}")
                    continue
                if expr not in ALLOWED and expr not in constants and "'?'" not in expr:
                    found.append(f"{path.name}:{node.lineno}: {{{expr}}}")
    return found


def test_sql_is_built_with_parameters_only():
    files = [p for folder in ("store", "annotate", "tui") for p in (ROOT / folder).rglob("*.py")]
    assert files
    problems = [problem for path in files for problem in sql_fstrings(path)]
    assert problems == [], "SQL built from values (use ? parameters):\n" + "\n".join(problems)


def test_a_query_builder_may_not_interpolate_a_parameter(tmp_path: Path):
    store = tmp_path / "store"
    store.mkdir()
    bad = store / "listing.py"
    bad.write_text("ORDER = 'a.rowid'\n"
                   "def window(db, title):\n    way = ' DESC'\n"
                   "    return db.execute(f\"SELECT id FROM articles ORDER BY {ORDER}{way} WHERE t = '{title}'\")\n")
    assert sql_fstrings(bad) == ["listing.py:4: {title}"]
    assert set(COMPOSED) <= {p.name for p in (ROOT / "store").glob("*.py")}


def test_the_sql_check_catches_an_interpolated_value(tmp_path: Path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f(db, name):\n    where = 'a = ?'\n"
                   "    db.execute(f\"SELECT id FROM spans WHERE {where} AND label = '{name}'\")\n")
    assert sql_fstrings(bad) == ["bad.py:3: {name}"]


def test_the_sql_check_catches_identifiers_joined_by_hand(tmp_path: Path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f(db, row):\n"
                   "    db.execute(f\"INSERT INTO spans ({', '.join(row)}) VALUES (?)\")\n"
                   "    db.execute(f\"INSERT INTO spans ({column_list(db, 'spans', row)}) VALUES (?)\")\n")
    assert sql_fstrings(bad) == ["bad.py:2: {', '.join(row)}"]


def test_column_names_from_data_are_refused(tmp_path: Path):
    from store import bulk
    from store.db import open_db

    db = open_db(tmp_path / "g.db")
    assert bulk.column_list(db, "reviews", ["status", "updated_at"], each="{} = ?") == \
        '"status" = ?, "updated_at" = ?'
    for keys in (['status] = 1; DROP TABLE spans; --'], ['"status"'], []):
        with pytest.raises(ValueError):
            bulk.column_list(db, "reviews", keys)
    with pytest.raises(ValueError):
        bulk.insert_rows(db, "spans; DROP TABLE spans", [{"id": 1}])
    with pytest.raises(ValueError):
        bulk.update_rows(db, "reviews", [("x", {"status = 'done', annotator": "y"})])
    assert "spans" in db.table_names()


def test_search_and_filters_take_sql_metacharacters_literally(tmp_path: Path):
    service = Service.open(tmp_path / "g.db", annotator="alice")
    source = tmp_path / "a.txt"
    source.write_text(nasty_text(), encoding="utf-8")
    article_id = service.data.ingest([source]).added[0]
    for who in ("'; DROP TABLE spans; --", "x' OR '1'='1", "%", "_"):
        other = Service(service.store, service.config)
        other.annotator = who
        assert other.store.spans(article_id, who) == []
        assert all(row["gold"] == 0 for row in other.data.articles())
    assert service.store.entity("' OR 1=1 --") is None
    assert service.store.alias_id("x' OR '1'='1", "%") is None
    assert len(service.data.articles()) == 1
    service.close()

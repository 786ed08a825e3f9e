"""Every migration function of store/migrations.py is registered and runs on a new database.

A merge once dropped the decorator above one migration: the function sat in the file, a new
database never got its table, and nothing said so.
"""

import inspect
import re

from store import migrations
from store.repo import Store


def test_every_migration_function_is_applied_to_a_new_database(tmp_path):
    functions = [f for name, f in inspect.getmembers(migrations, inspect.isfunction) if re.fullmatch(r"m\d{3}_\w+", name)]
    defined = [f.__name__ for f in sorted(functions, key=lambda f: f.__code__.co_firstlineno)]
    assert len(defined) >= 8
    store = Store.open(tmp_path / "g.db")
    applied = [row["name"] for row in store.db.query("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied == defined  # all of them, in the order of the file
    assert {"articles_fts", "known_name_sets", "link_rejections"} <= set(store.db.table_names())

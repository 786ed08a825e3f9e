"""SQL identifiers from dict keys: the one way a statement here names columns it was handed
(``tests/reliability/test_rel_injection.py`` accepts no other)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlite_utils


def columns(db: sqlite_utils.Database, table: str) -> list[str]:
    """Column names of a table, in order (none for a table that does not exist)."""
    return [row[0] for row in db.execute("SELECT name FROM pragma_table_info(?) ORDER BY cid", [table]).fetchall()]


def column_list(db: sqlite_utils.Database, table: str, keys: Sequence[str], each: str = "{}",
                sep: str = ", ") -> str:
    """``keys`` as quoted SQL identifiers joined by commas, each written through the template
    ``each`` (``"{} = ?"`` for an UPDATE); ValueError unless every key is a real column of
    ``table`` (read from the schema). The one way SQL here is built from dict keys: column names
    cannot be ? parameters (tests/reliability/test_rel_injection.py accepts only this helper)."""
    known = set(columns(db, table))
    if not known:
        raise ValueError(f"no table {table!r}")
    unknown = [k for k in keys if k not in known]
    if unknown or not keys:
        raise ValueError(f"{table}: not columns: {unknown or 'none given'}")
    return sep.join(each.format('"' + k.replace('"', '""') + '"') for k in keys)

"""The text of a log entry's ops: a JSON list of ops, where inserts of many rows may be packed.

An op is ``{"table", "pk", "before", "after"}`` (store/actions.py). A bulk import logs about 80
inserted rows per article, and written one op each they were half of an imported database (48 of
99 MB for 2,000 articles) and a tenth of the import's time. So an import packs the inserts of one
table into one element::

    {"table": "spans", "cols": [every column, in order], "same": {column: value shared by every row},
     "rows": [[the other columns' values, in column order], ...]}

which stands for one insert op per row, in row order (``pk`` is the row's ``id``, ``before`` is
null). :func:`loads_ops` unpacks it, so every reader (undo, redo, merge, team figures) sees plain
ops. Only tables whose integer ids are never reused are packed (spans, event arguments, aliases):
a later action can never name one of those rows again except to change it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

_encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def packed(table: str, cols: Sequence[str], same: dict[str, Any], rows: list[list[Any]]) -> dict[str, Any]:
    """The packed element for inserting ``rows`` into ``table``: each row holds the values of the
    columns of ``cols`` that are not in ``same``, in ``cols`` order; ``cols`` includes ``id``."""
    return {"table": table, "cols": list(cols), "same": same, "rows": rows}


def dumps_ops(ops: Sequence[Any]) -> str:
    """The text of ``ops`` (plain ops, packed elements, or either already encoded as JSON text):
    the text ``json.dumps(ops, ensure_ascii=False)`` writes."""
    return "[" + ", ".join(op if type(op) is str else _encode(op) for op in ops) + "]"


def loads_ops(text: str | None) -> list[dict[str, Any]]:
    """The plain ops of a log entry's text, packed elements unpacked in place."""
    raw = json.loads(text or "[]")
    if not any("rows" in op for op in raw):
        return raw
    out: list[dict[str, Any]] = []
    for op in raw:
        if "rows" not in op:
            out.append(op)
            continue
        table, cols, same = op["table"], op["cols"], op["same"]
        varying = [c for c in cols if c not in same]
        for values in op["rows"]:
            after = dict.fromkeys(cols)  # the row's columns in table order, as a unit of work reads them
            after.update(same)
            after.update(zip(varying, values))
            out.append({"table": table, "pk": after["id"], "before": None, "after": after})
    return out

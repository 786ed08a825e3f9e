"""The line shapes ``glossator import`` reads from a JSONL file, told apart by their keys.

Our JSONL and Prodigy ``ner_manual`` lines hold ``spans`` (and our ``events``); doccano writes its
sequence-labelling export as ``label: [[start, end, LABEL]]`` and its relation export as ``entities``
(``start_offset``/``end_offset``) plus ``relations`` (``from_id``/``to_id``/``type``); the doccano
shapes are brought to ours by :mod:`annotate.formats.doccano`. A line that carries annotations
under a key none of these shapes reads is an error, never an article imported with empty gold.
Imports no format.
"""

from __future__ import annotations

from typing import Any

# Keys every shape may carry that hold no annotations (or that we read elsewhere).
_COMMON = frozenset({"text", "meta", "id", "tokens", "answer", "_input_hash", "_task_hash", "_view_id",
                     "_annotator_id", "_session_id", "_timestamp", "_is_binary", "Comments", "comments",
                     "annotation_approver", "created_at", "updated_at"})
_OURS = frozenset({"spans", "events"})
_DOCCANO_SEQ = frozenset({"label", "kb_id", "events"})
_DOCCANO_REL = frozenset({"entities", "relations"})
SKIPPED_ANSWERS = ("reject", "ignore")


class ShapeError(Exception):
    """A line whose shape cannot be read; the message names the key at fault (not the line)."""


def shape_of(obj: dict[str, Any]) -> str:
    """``ours`` (our JSONL, Prodigy), ``doccano`` (``label``) or ``doccano-relations`` (``entities``)."""
    if "spans" in obj:
        return "ours"
    if "label" in obj:
        return "doccano"
    if "entities" in obj:
        return "doccano-relations"
    return "ours"


def check_keys(obj: dict[str, Any], shape: str) -> None:
    """Refuse annotations under keys this shape does not read (``accept`` of a Prodigy choice task,
    ``relations`` beside ``spans``, a ``labels`` column …): importing them as nothing would be silent loss."""
    read = {"ours": _OURS, "doccano": _DOCCANO_SEQ, "doccano-relations": _DOCCANO_REL}[shape]
    for key, value in obj.items():
        if key in _COMMON or key in read:
            continue
        if isinstance(value, (list, dict)) and value:
            raise ShapeError(f"annotations under {key!r} are not read (glossator reads \"spans\"/\"events\", "
                             "doccano's \"label\" or \"entities\"/\"relations\"); nothing would be imported from them")


def annotator_of(obj: dict[str, Any], meta: dict[str, Any], default: str) -> str:
    """Who made the line: our meta's annotator, else Prodigy's ``_annotator_id`` / ``_session_id``."""
    for value in (meta.get("annotator"), obj.get("_annotator_id"), obj.get("_session_id")):
        if isinstance(value, str) and value.strip():
            return value
    return default

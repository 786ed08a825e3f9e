"""Reading entity import files (gazetteers) for ``Service.entities``: CSV/TSV with a header, or
JSONL, checked whole before anything is written."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from annotate.corpus.ingest import decode
from annotate.corpus.jsonlines import BadLine, check_input_file, loads_line
from annotate.errors import InputError


@dataclass(frozen=True)
class GazetteerRow:
    """One validated row of an entity import file."""

    line: int
    name: str
    type: str
    aliases: tuple[str, ...]
    external_id: str
    description: str
    id: str = ""  # a fixed slug (shipped knowledge bases); empty: derived from the name


def read_gazetteer(path: Path, types: tuple[str, ...]) -> list[GazetteerRow]:
    """Parse and check a CSV/TSV (header: name, type, aliases, external_id) or JSONL file whose
    types are among ``types``; InputError listing the first bad rows, and nothing read, otherwise."""
    check_input_file(path)  # before opening: a FIFO would hang the read
    try:
        content = decode(path, path.read_bytes())
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    if path.suffix.lower() in (".jsonl", ".json"):
        raw = _jsonl_rows(path, content)
    else:
        raw = _table_rows(path, content)
    rows, errors = [], []
    for line, obj in raw:
        try:
            rows.append(_row(obj, line, types))
        except ValueError as exc:
            errors.append(f"{path}, line {line}: {exc}")
    if errors:
        more = f"\n… and {len(errors) - 10} more" if len(errors) > 10 else ""
        raise InputError("\n".join(errors[:10]) + more + "\nnothing was imported")
    return rows


def _jsonl_rows(path: Path, content: str) -> list[tuple[int, object]]:
    out = []
    for n, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = loads_line(line)  # invalid JSON, too deep, too many digits, lone surrogates
        except BadLine as exc:
            raise InputError(f"{path}, line {n}: {exc}; nothing was imported") from exc
        out.append((n, obj))
    return out


def _table_rows(path: Path, content: str) -> list[tuple[int, object]]:
    delimiter = "\t" if path.suffix.lower() == ".tsv" or "\t" in content.splitlines()[0] else ","
    reader = csv.DictReader(io.StringIO(content), delimiter=delimiter)
    fields = set(reader.fieldnames or [])
    if not {"name", "type"} <= fields:
        raise InputError(f"{path}, line 1: the header needs the columns name and type "
                         f"(and optionally aliases, external_id, description)")
    unknown = fields - {"name", "type", "aliases", "external_id", "description"}
    if unknown:
        raise InputError(f"{path}, line 1: unknown column(s) {', '.join(sorted(unknown))}")
    return [(reader.line_num, dict(row)) for row in reader]


def _row(obj: object, line: int, types: tuple[str, ...]) -> GazetteerRow:
    if not isinstance(obj, dict):
        raise ValueError("expected an object with name and type")
    name, type_ = obj.get("name"), obj.get("type")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("name is missing")
    if type_ not in types:
        raise ValueError(f"type {type_!r} is not one of {', '.join(types)}")
    aliases = obj.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [a for a in aliases.split("|")]
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ValueError("aliases must be a list of strings or a |-separated string")
    extra = {k: obj.get(k) or "" for k in ("external_id", "description")}
    for key, value in extra.items():
        if not isinstance(value, str):
            raise ValueError(f"{key} must be a string")
    return GazetteerRow(line, name.strip(), type_, tuple(a.strip() for a in aliases if a.strip()),
                        extra["external_id"], extra["description"])

"""Knowledge bases shipped with glossator (``annotate/data/kb/``), read as gazetteer rows.

``starter``: the countries of ISO 3166-1 (``countries.jsonl``, generated from pycountry by
``scripts/build_starter_kb.py``) and the cities, institutions, international organisations, armed
groups and public figures of this news domain (``domain.toml``, hand-written). Every row has a
stable slug id; both files are plain text, versioned with the project and editable.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

KB_DIR = Path(__file__).resolve().parents[1] / "data" / "kb"
BUILTIN = {"starter": ("countries.jsonl", "domain.toml")}


@dataclass(frozen=True)
class BuiltinEntity:
    """One entity of a shipped knowledge base."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    external_id: str = ""
    description: str = ""


def builtin_names() -> tuple[str, ...]:
    """Names accepted by ``glossator entities import --builtin``."""
    return tuple(BUILTIN)


def version(name: str = "starter") -> str:
    """A version string of a shipped KB: its files' own versions ("domain 2, pycountry 26.2.16")."""
    parts = []
    for file in BUILTIN[name]:
        path = KB_DIR / file
        if path.suffix == ".toml":
            v = tomllib.loads(path.read_text(encoding="utf-8")).get("version", 0)
            parts.append(f"{path.stem} {v}")
        else:
            meta = json.loads(path.read_text(encoding="utf-8").splitlines()[0]).get("_meta", {})
            parts.append(f"{meta.get('source', path.stem)} {meta.get('version', '?')}")
    return ", ".join(parts)


@lru_cache(maxsize=4)
def load(name: str = "starter") -> tuple[BuiltinEntity, ...]:
    """Every entity of the shipped KB ``name`` (KeyError for an unknown name)."""
    out: list[BuiltinEntity] = []
    for file in BUILTIN[name]:
        path = KB_DIR / file
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".toml":
            rows = tomllib.loads(text).get("entity", [])
        else:
            rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        for row in rows:
            if "_meta" in row:
                continue
            out.append(BuiltinEntity(row["id"], row["name"], row["type"],
                                     tuple(dict.fromkeys(row.get("aliases", ()))),
                                     row.get("external_id", ""), row.get("description", "")))
    return tuple(out)

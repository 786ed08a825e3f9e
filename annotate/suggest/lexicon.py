"""The user-editable event trigger lexicon (TOML) and its loader."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tomllib
from dataclasses import astuple, dataclass
from pathlib import Path

DEFAULT_LEXICON = Path(__file__).resolve().parent.parent / "data" / "event_lexicon.toml"

EVENT_TYPES = (
    "ATTACK", "MEETING", "NEGOTIATION", "WITHDRAWAL", "DEPLOYMENT", "ARREST", "CASUALTY",
)
_TYPE_KEYS = ("nouns", "verbs", "phrases", "roles")
_RULE_KEYS = (
    "troop_nouns", "needs_troops", "needs_person_object", "needs_contre", "threat_only",
    "needs_reflexive", "excluded_objects",
    "irrealis_heads", "habitual_adverbs", "negators",
    "support_verbs", "claim_verbs", "quantity_heads", "member_nouns",
)


@dataclass(frozen=True)
class EventType:
    """Trigger words and roles of one event type."""

    label: str
    nouns: tuple[str, ...]
    verbs: tuple[str, ...]
    phrases: tuple[str, ...]
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    """Event types in file order plus the context rules (word lists by rule name)."""

    types: tuple[EventType, ...]
    rules: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def rule(self, name: str) -> frozenset[str]:
        """The word list of rule ``name`` (empty if the file does not define it)."""
        for key, words in self.rules:
            if key == name:
                return frozenset(words)
        return frozenset()

    def roles(self, label: str) -> tuple[str, ...]:
        """Roles of event type ``label`` (empty for an unknown label)."""
        for t in self.types:
            if t.label == label:
                return t.roles
        return ()

    @property
    def digest(self) -> str:
        """A stable hash of the lexicon content (part of the suggester fingerprint)."""
        blob = json.dumps([[astuple(t) for t in self.types], self.rules], ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def _line_of(text: str, needle: str) -> int:
    """1-based line of the first occurrence of ``needle`` (1 if absent)."""
    pos = text.find(needle)
    return text.count("\n", 0, pos) + 1 if pos >= 0 else 1


def _words(value: object, path: Path, text: str, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        line = _line_of(text, f"{key}")
        raise ValueError(f"{path}:{line}: {where}.{key} must be a list of non-empty strings")
    return tuple(w.strip() for w in value)


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Read an event lexicon TOML file (default: the one shipped in annotate/data).

    Raises ``ValueError`` naming the file and line when the file is not valid TOML or
    does not follow the schema (unknown event type or key, value not a list of strings).
    """
    path = Path(path) if path is not None else DEFAULT_LEXICON
    try:
        # stat before open: a FIFO would wait forever, /dev/zero would fill the memory.
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise ValueError(f"{path}: cannot read event lexicon: not a regular file (a folder, FIFO or device)")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"{path}: cannot read event lexicon: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: cannot read event lexicon: not UTF-8 text ({exc.reason})") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # The decoder message ends with "(at line N, column M)".
        raise ValueError(f"{path}: invalid TOML: {exc}") from exc

    events = data.get("events")
    if not isinstance(events, dict) or not events:
        raise ValueError(f"{path}:1: no [events.TYPE] table found")
    unknown = set(data) - {"events", "rules"}
    if unknown:
        name = sorted(unknown)[0]
        raise ValueError(f"{path}:{_line_of(text, name)}: unknown table {name!r}")

    types: list[EventType] = []
    for label, table in events.items():
        line = _line_of(text, f"[events.{label}]")
        if label not in EVENT_TYPES:
            raise ValueError(
                f"{path}:{line}: unknown event type {label!r} (expected one of {', '.join(EVENT_TYPES)})"
            )
        if not isinstance(table, dict):
            raise ValueError(f"{path}:{line}: events.{label} must be a table")
        bad = set(table) - set(_TYPE_KEYS)
        if bad:
            key = sorted(bad)[0]
            raise ValueError(f"{path}:{_line_of(text, key)}: unknown key events.{label}.{key}")
        fields = {k: _words(table.get(k, []), path, text, f"events.{label}", k) for k in _TYPE_KEYS}
        types.append(EventType(label=label, **fields))

    rules_table = data.get("rules", {})
    if not isinstance(rules_table, dict):
        raise ValueError(f"{path}:{_line_of(text, '[rules]')}: rules must be a table")
    rules = []
    for key, value in rules_table.items():
        if key not in _RULE_KEYS:
            raise ValueError(f"{path}:{_line_of(text, key)}: unknown rule {key!r}")
        rules.append((key, _words(value, path, text, "rules", key)))
    return Lexicon(types=tuple(types), rules=tuple(rules))

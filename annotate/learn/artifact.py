"""Trained models beside the database: ``<db dir>/<db stem>.models/vN/``, and the suggester's view of one.

A version folder holds ``meta.json`` (written last: a folder without it is unfinished and ignored),
``memory.json`` (the label memory), ``calibration.json`` (the confidence table) and ``ner/`` (the
fine-tuned entity recogniser of the base pipeline, when training produced one). Suggesting uses
the newest version; its digest is part of the suggestion fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotate.learn.confidence import Calibrator, default_calibrator
from annotate.learn.memory import LabelMemory, Trigger

Span = tuple[int, int, str]
_VERSION = re.compile(r"v(\d+)")


def models_dir(db_path: str | Path) -> Path:
    """Where the trained versions of a database live."""
    db_path = Path(db_path)
    return db_path.parent / f"{db_path.stem}.models"


def versions(db_path: str | Path) -> list[tuple[int, Path]]:
    """Finished versions (number, folder), oldest first."""
    root = models_dir(db_path)
    if not root.is_dir():
        return []
    out = []
    for child in root.iterdir():
        m = _VERSION.fullmatch(child.name)
        if m and (child / "meta.json").is_file():
            out.append((int(m.group(1)), child))
    return sorted(out)


@dataclass(frozen=True)
class Learned:
    """What training adds to the suggester: label memory, confidence table, fine-tuned NER."""

    version: str = ""  # "v3"; "" when nothing was trained
    memory: LabelMemory | None = None
    calibrator: Calibrator | None = None
    ner_dir: Path | None = None
    meta: dict[str, Any] | None = None

    @property
    def digest(self) -> str:
        """Fingerprint part: version, memory, confidence table."""
        parts = [self.version, self.memory.digest if self.memory else "", self.table.digest]
        return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:12]

    @property
    def table(self) -> Calibrator:
        """The confidence table in use (the shipped default when none was trained)."""
        return self.calibrator or default_calibrator()

    def load_pipeline(self, model: str) -> Any:
        """The base pipeline, with the fine-tuned entity recogniser swapped in when there is one."""
        import spacy

        nlp = spacy.load(model)
        if self.ner_dir is not None:
            nlp.get_pipe("ner").from_disk(self.ner_dir, exclude=["vocab"])
        return nlp

    def entities(self, text: str, spans: list[Span]) -> tuple[list[Span], list[Span]]:
        """(model spans fixed by the memory, names the memory adds)."""
        if self.memory is None:
            return spans, []
        fixed = self.memory.fix_entities(text, spans)
        # A taught name replaces model spans it covers, never splits a longer one
        # ("Résistance" taught must not cut "Résistance islamique en Irak").
        taught = [t for t in self.memory.find_names(text)
                  if not any(s < t[1] and t[0] < e and not (t[0] <= s and e <= t[1]) for s, e, _ in fixed)]
        return fixed, taught

    def drop_furniture(self, text: str, spans: list[Span]) -> list[Span]:
        """Entity spans without those on a line shape reviewers never annotate (site furniture)."""
        return spans if self.memory is None else self.memory.drop_furniture(text, spans)

    def triggers(self, doc: Any, triggers: list[Trigger]) -> list[Trigger]:
        """Triggers fixed (and completed) by the memory."""
        return triggers if self.memory is None else self.memory.fix_triggers(doc, triggers)


def load(folder: Path) -> Learned:
    """A finished version folder as a :class:`Learned`."""
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    memory = LabelMemory.from_json(json.loads((folder / "memory.json").read_text(encoding="utf-8")))
    calib_path = folder / "calibration.json"
    calibrator = Calibrator.from_json(json.loads(calib_path.read_text(encoding="utf-8"))) if calib_path.is_file() else None
    ner = folder / "ner"
    return Learned(folder.name, memory, calibrator, ner if ner.is_dir() else None, meta)


def newest(db_path: str | Path | None) -> Learned:
    """The newest trained version for this database, or the untrained default."""
    found = versions(db_path) if db_path is not None else []
    return load(found[-1][1]) if found else Learned()

"""Known names: a PhraseMatcher over canonical names and aliases linked by reviewers."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from annotate.suggest.normalise import normalise

ENTITY_LABELS = ("PER", "ORG", "LOC", "MISC")
KnownName = tuple[str, str, str | None]  # (surface, type, kb_id)


def clean_known_names(known_names: Iterable[KnownName]) -> tuple[KnownName, ...]:
    """Deduplicate and validate ``(surface, type, kb_id)`` triples, in a stable order."""
    seen: dict[tuple[str, str], str | None] = {}
    for item in known_names:
        surface, label, kb_id = (tuple(item) + (None,))[:3]
        surface = " ".join(normalise(str(surface)).split())
        if not surface or label not in ENTITY_LABELS:
            continue
        seen.setdefault((surface, label), kb_id)
    return tuple(sorted((s, lab, kb) for (s, lab), kb in seen.items()))


def known_names_digest(names: tuple[KnownName, ...]) -> str:
    """Hash of the known-name table (part of the suggester fingerprint)."""
    blob = "\n".join(f"{s}\t{lab}\t{kb or ''}" for s, lab, kb in names)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


class KnownNameMatcher:
    """Finds known names in a doc, case-insensitively but respecting capitalisation of names."""

    def __init__(self, nlp: Language, names: tuple[KnownName, ...]):
        self._matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._surfaces: dict[str, str] = {}
        by_label: dict[str, list[Doc]] = {}
        for surface, label, _kb in names:
            by_label.setdefault(label, []).append(nlp.make_doc(surface))
            self._surfaces[surface.lower()] = surface
        for label, docs in by_label.items():
            self._matcher.add(label, docs)
        self.empty = not names

    def __call__(self, doc: Doc) -> list[tuple[int, int, str]]:
        """Non-overlapping ``(start_char, end_char, label)`` matches, longest first."""
        if self.empty:
            return []
        found = []
        for match_id, start, end in self._matcher(doc):
            span = doc[start:end]
            canonical = self._surfaces.get(span.text.lower(), span.text)
            # "Etat" as an alias must not match the common noun "état".
            if canonical[:1].isupper() and not span.text[:1].isupper():
                continue
            found.append((span.start_char, span.end_char, doc.vocab.strings[match_id]))
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        taken: list[tuple[int, int]] = []
        out = []
        for s, e, label in found:
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            out.append((s, e, label))
        return sorted(out)

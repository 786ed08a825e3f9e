"""A label memory learnt from gold: surface (and context) → label votes, "not an entity" included.

Applied after the model and the rules, it relabels or drops what reviewers corrected before, and
adds the names they annotated where the model missed them. Votes come from gold spans (one vote
for their label) and from the base suggester's mistakes on gold text and reviewers' rejections
(one vote for ``O``, "not an entity"). Event triggers get the same treatment keyed by lemma.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from annotate.learn import shapes as name_shapes
from annotate.learn.gold import GoldDoc, Span
from annotate.learn.lines import GENERIC, is_skipped, line_shape
from annotate.learn.variants import loose_key, skeleton

NOT = "O"  # the "not an entity / not a trigger" vote
Trigger = tuple[int, int, str, int]  # (start, end, label, head token index)
_WORD = re.compile(r"\w+")
_NAME_WORD = re.compile(r"[\w'’]+(?:-[\w'’]+)*")
EXACT, LOOSE, SKELETON = "exact", "loose", "skeleton"  # how a mention matched the votes


def surface_key(text: str) -> str:
    """Whitespace-collapsed surface, case kept ("Etat" the state is not "état")."""
    return " ".join(text.split())


def prev_word(text: str, start: int) -> str:
    """The lower-cased word just before ``start`` (context of a mention), or ""."""
    words = _WORD.findall(text[max(0, start - 40):start])
    return words[-1].lower() if words else ""


def _overlaps(s: int, e: int, spans: Sequence[tuple[int, int, Any]]) -> bool:
    return any(s < se and ss < e for ss, se, *_ in spans)


class LabelMemory:
    """Votes per surface, per (previous word, surface) and per trigger lemma; see the module doc."""

    def __init__(self, entities: dict[str, dict[str, int]] | None = None,
                 contexts: dict[str, dict[str, int]] | None = None,
                 triggers: dict[str, dict[str, int]] | None = None,
                 lines: dict[str, dict[str, int]] | None = None,
                 shapes: dict[str, dict[str, int]] | None = None):
        self.entities = {k: dict(v) for k, v in (entities or {}).items()}
        self.lines = {k: dict(v) for k, v in (lines or {}).items()}  # line shape -> votes (annotate.learn.lines)
        self.contexts = {k: dict(v) for k, v in (contexts or {}).items()}
        self.shapes = {k: dict(v) for k, v in (shapes or {}).items()}  # name shape -> votes (annotate.learn.shapes)
        self.triggers = {k: dict(v) for k, v in (triggers or {}).items()}
        self._pattern: re.Pattern[str] | None = None
        self._names: dict[str, str] = {}
        self._variants: tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]] | None = None
        self._firsts: dict[str, int] = {}  # first loose word of a taught name -> most words after it

    # -- building -----------------------------------------------------------------
    @classmethod
    def build(cls, docs: Sequence[GoldDoc], predicted: Sequence[tuple[Sequence[Span], Sequence[Trigger]]],
              parsed: Sequence[Any]) -> LabelMemory:
        """Votes from gold docs, the base suggester's output on them and their parses (for lemmas)."""
        ents: dict[str, Counter] = defaultdict(Counter)
        ctx: dict[str, Counter] = defaultdict(Counter)
        trig: dict[str, Counter] = defaultdict(Counter)
        lines: dict[str, Counter] = defaultdict(Counter)
        for doc, (pred_ents, pred_trigs), spacy_doc in zip(docs, predicted, parsed, strict=True):
            text = spacy_doc.text
            gold = set(doc.entities)
            for s, e, label in doc.entities:
                ents[surface_key(text[s:e])][label] += 1
                ctx[f"{prev_word(text, s)}\t{surface_key(text[s:e])}"][label] += 1
                _line_vote(lines, text, s, e, label)
            wrong = [(s, e) for s, e, lab in pred_ents if (s, e, lab) not in gold and not
                     any((s, e) == (gs, ge) for gs, ge, _ in gold)]
            wrong += [(s, e) for s, e, _ in doc.rejected]
            for s, e in set(wrong):
                if (s, e) in {(gs, ge) for gs, ge, _ in gold}:
                    continue  # a rejected label, not a rejected span: the gold vote says which
                if _line_vote(lines, text, s, e, NOT):
                    # A name in a site's furniture is still a name elsewhere ("Tripoli Matin"):
                    # the line shape takes the vote, not the surface.
                    continue
                ents[surface_key(text[s:e])][NOT] += 1
                ctx[f"{prev_word(text, s)}\t{surface_key(text[s:e])}"][NOT] += 1
            gold_trig = {(s, e): lab for s, e, lab in doc.events}
            for s, e, label in doc.events:
                span = spacy_doc.char_span(s, e, alignment_mode="expand")
                if span is not None:
                    trig[span.root.lemma_.lower()][label] += 1
            for s, e, label, head in pred_trigs:
                if (s, e) not in gold_trig and not _overlaps(s, e, doc.events):
                    trig[spacy_doc[head].lemma_.lower()][NOT] += 1
        shapes = name_shapes.count((p.text, s, e, label) for d, p in zip(docs, parsed) for s, e, label in d.entities)
        return cls({k: dict(v) for k, v in ents.items()}, {k: dict(v) for k, v in ctx.items()},
                   {k: dict(v) for k, v in trig.items()}, {k: dict(v) for k, v in lines.items()}, shapes)

    # -- persistence --------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """JSON-ready form (saved in the model folder)."""
        out = {"entities": self.entities, "contexts": self.contexts, "triggers": self.triggers}
        if self.lines:  # absent when empty: older versions' digests stay the same
            out["lines"] = self.lines
        if self.shapes:
            out["shapes"] = self.shapes
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LabelMemory:
        """Inverse of :meth:`to_json`."""
        return cls(data.get("entities"), data.get("contexts"), data.get("triggers"), data.get("lines"),
                   data.get("shapes"))

    @property
    def digest(self) -> str:
        """Hash of the votes (part of the suggestion fingerprint)."""
        blob = json.dumps(self.to_json(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]

    # -- lookups ------------------------------------------------------------------
    def vote(self, text: str, start: int, end: int) -> tuple[str | None, float, int]:
        """(majority label or ``O``, its share, number of votes) for a mention; (None, 0, 0) if unseen.

        The context (previous word + surface) decides when it has two votes or more; an unseen
        surface falls back to its spelling variants (see :meth:`vote_how`).
        """
        return self.vote_how(text, start, end)[:3]  # type: ignore[return-value]

    def vote_how(self, text: str, start: int, end: int) -> tuple[str | None, float, int, str]:
        """:meth:`vote` and how it matched: ``exact``, ``loose`` key or consonant ``skeleton``."""
        key = surface_key(text[start:end])
        votes = self.contexts.get(f"{prev_word(text, start)}\t{key}")
        if not votes or sum(votes.values()) < 2:
            votes = self.entities.get(key)
        if votes:
            return (*_majority(votes), EXACT)
        by_loose, by_skeleton = self._variant_votes()
        loose = loose_key(key)
        if loose in by_loose:
            return (*_majority(by_loose[loose]), LOOSE)
        bones = skeleton(loose)
        if bones and bones in by_skeleton:
            return (*_majority(by_skeleton[bones]), SKELETON)
        return None, 0.0, 0, EXACT

    def skipped_line(self, text: str, start: int, end: int) -> bool:
        """Whether reviewers leave a mention on this line's shape unannotated (site furniture)."""
        return bool(self.lines) and is_skipped(self.lines, text, start, end, NOT)

    def drop_furniture(self, text: str, spans: Sequence[Span]) -> list[Span]:
        """``spans`` without those on a line shape reviewers never annotate."""
        return [sp for sp in spans if not self.skipped_line(text, sp[0], sp[1])]

    def trigger_vote(self, lemma: str) -> tuple[str | None, float, int]:
        """(majority event type or ``O``, share, votes) for a trigger lemma."""
        return _majority(self.triggers.get(lemma.lower()))

    # -- application --------------------------------------------------------------
    def fix_entities(self, text: str, spans: Sequence[Span]) -> list[Span]:
        """Relabel or drop model spans the way reviewers did before; a name with no vote of its
        own takes the label the gold gave names of its shape (``annotate.learn.shapes``)."""
        out = []
        for s, e, label in spans:
            best, share, _n, how = self.vote_how(text, s, e)
            if best is None:
                out.append((s, e, name_shapes.shape_label(self.shapes, text, s, e) or label))
            # A skeleton is a guess at a spelling: enough to relabel, never to drop a span.
            elif share <= 0.5 or (best == NOT and how == SKELETON):
                out.append((s, e, label))
            elif best != NOT:
                out.append((s, e, best))
        return out

    def find_names(self, text: str) -> list[Span]:
        """Occurrences of names annotated before (majority label, word-bounded), longest first.

        Spelling variants of a taught name count too ("Hashd" for a taught "Hachd"), when they
        start with a capital (so a common noun is not taken for a name).
        """
        pattern = self._names_pattern()
        if pattern is None:
            return []
        found = []
        for m in pattern.finditer(text):
            label = self._names.get(surface_key(m.group(0)))
            if label is None:
                continue
            best, share, _n = self.vote(text, m.start(), m.end())
            if best not in (None, NOT) and share > 0.5:
                found.append((m.start(), m.end(), best))
        exact = {(s, e) for s, e, _ in found}
        for s, e in self._variant_candidates(text):
            best, share, _n, how = self.vote_how(text, s, e)
            if how != EXACT and (s, e) not in exact and best not in (None, NOT) and share > 0.5:
                found.append((s, e, best))
        return sorted(found, key=lambda sp: (-(sp[1] - sp[0]), sp[0]))

    def _variant_candidates(self, text: str) -> list[tuple[int, int]]:
        """Runs of words starting with a taught name's first loose word (its possible variants)."""
        self._variant_votes()
        words = list(_NAME_WORD.finditer(text))
        out = []
        for i, first in enumerate(words):
            if not any(c.isupper() for c in first.group(0)):
                continue
            head = loose_key(first.group(0)).split(" ")[0]
            longest = self._firsts.get(head) or self._firsts.get(skeleton(head) and "~" + skeleton(head))
            for j in range(i, min(len(words), i + (longest or 0))):
                if j > i and text[words[j - 1].end():words[j].start()].strip():
                    break  # a name does not run over punctuation
                out.append((first.start(), words[j].end()))
        return out

    def _variant_votes(self) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
        """Votes summed per loose key and per consonant skeleton (built once)."""
        if self._variants is None:
            by_loose: dict[str, Counter] = defaultdict(Counter)
            by_skeleton: dict[str, Counter] = defaultdict(Counter)
            for key, votes in self.entities.items():
                loose = loose_key(key)
                if not loose:
                    continue
                by_loose[loose].update(votes)
                if bones := skeleton(loose):
                    by_skeleton[bones].update(votes)
                best, share, _n = _majority(votes)
                if best not in (None, NOT) and share > 0.5:
                    words = loose.split(" ")
                    n = len(_NAME_WORD.findall(key)) + 1  # articles folded away still take a word
                    for head in (words[0], "~" + skeleton(words[0]) if skeleton(words[0]) else ""):
                        if head:
                            self._firsts[head] = max(self._firsts.get(head, 0), n)
            self._variants = ({k: dict(v) for k, v in by_loose.items()},
                              {k: dict(v) for k, v in by_skeleton.items()})
        return self._variants

    def fix_triggers(self, doc: Any, triggers: Sequence[Trigger]) -> list[Trigger]:
        """Drop or relabel triggers by their lemma's votes; add taught triggers the rules missed."""
        out = []
        for s, e, label, head in triggers:
            best, share, n = self.trigger_vote(doc[head].lemma_)
            # The lexicon rules know the context; one contrary vote is not enough to overrule them.
            if best is None or share <= 0.5 or n < 2:
                out.append((s, e, label, head))
            elif best != NOT:
                out.append((s, e, best, head))
        for tok in doc:
            best, share, n = self.trigger_vote(tok.lemma_)
            if best in (None, NOT) or share <= 0.5 or n < 2 or tok.is_punct:
                continue
            s, e = tok.idx, tok.idx + len(tok.text)
            if tok.pos_ in ("VERB", "AUX") or "Part" in tok.morph.get("VerbForm"):
                # A taught verb takes the guidelines' span, as the lexicon's verbs do ("a reçu").
                # Imported here: annotate.suggest's package imports this module.
                from annotate.suggest.events import verb_span

                s, e = verb_span(tok)
            if not _overlaps(s, e, out):
                out.append((s, e, best, tok.i))
        return sorted(out)

    def _names_pattern(self) -> re.Pattern[str] | None:
        if self._pattern is None and self.entities:
            for key, votes in self.entities.items():
                best, share, _n = _majority(votes)
                if best not in (None, NOT) and share > 0.5 and len(key) >= 2:
                    self._names[key] = best
            if not self._names:
                return None
            alts = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(self._names, key=len, reverse=True))
            self._pattern = re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])")
        return self._pattern


def _line_vote(lines: dict[str, Counter], text: str, start: int, end: int, label: str) -> bool:
    """Count a vote for a mention's line shape and the generic short line; False on a prose line."""
    shape = line_shape(text, start, end)
    if shape is None:
        return False
    lines[shape][label] += 1
    lines[GENERIC][label] += 1
    return True


def _majority(votes: dict[str, int] | None) -> tuple[str | None, float, int]:
    if not votes:
        return None, 0.0, 0
    n = sum(votes.values())
    # Ties go to "not an entity": a reviewer's rejection weighs as much as an acceptance.
    best = max(votes, key=lambda lab: (votes[lab], lab == NOT))
    return best, votes[best] / n, n

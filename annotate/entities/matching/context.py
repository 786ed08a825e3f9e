"""What annotators' links say about two entities, beside their names (duplicate detection).

- **Shared mentions**: one mention (same article, start and end) linked to one entity by an
  annotator and to the other by another. Two annotators reading the same words as two entities
  is the commonest way a duplicate is born, so each shared mention raises the pair (a pair with
  no string evidence needs two to reach the default threshold), and such a pair is not held
  down as "shared alias only" (the alias is the annotators' own reading of one mention). It may
  also be a disagreement (metonymy: "Washington" as the city or the country): the cluster says
  so in its evidence and a reviewer decides; names the starter KB knows as different entities
  still never merge.
- **Articles in common**: news copy gives the full name once, then a short form ("Mohammed Chia
  al-Soudani" … "M. Soudani"). A short form linked in the same articles as the longer name it is
  contained in scores a little higher, and when it fits two referents ("Hussein": Saddam or
  Fouad) the one it appears beside decides.

Conflicts (different nationality, names the starter KB gives to different entities) still
forbid a merge whatever the context says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

from annotate.entities.matching.scoring import compare

SHARED_FLOOR = 78.0   # a shared mention counts from here when the names say less
SHARED_STEP = 5.0     # per shared mention, up to three
TOGETHER_BONUS = 3.0  # a short form linked in the same articles as the full name
CONTEXT_CAP = 95.0


@dataclass(frozen=True)
class Context:
    """Per pair of entity ids (a, b), a < b: articles where both are linked (``together``) and
    mentions linked to a by one annotator and to b by another (``shared``)."""

    together: Mapping[tuple[str, str], int] = field(default_factory=dict)
    shared: Mapping[tuple[str, str], int] = field(default_factory=dict)


def _by_index(ctx: Mapping[tuple[str, str], int], index: dict[str, int]) -> dict[int, dict]:
    out: dict[int, dict[int, int]] = {}
    for (x, y), n in ctx.items():
        i, j = index.get(x), index.get(y)
        if i is not None and j is not None and n > 0:
            out.setdefault(i, {})[j] = n
            out.setdefault(j, {})[i] = n
    return out


class Evidence:
    """The context of one clustering run, on entity indexes."""

    def __init__(self, ctx: Context | None, ids: list[str]) -> None:
        index = {eid: i for i, eid in enumerate(ids)}
        ctx = ctx or Context()
        self.together = _by_index(ctx.together, index)
        self.shared = _by_index(ctx.shared, index)
        self.notes: dict[tuple[int, int], str] = {}
        self.exempt: set[int] = set()  # pair positions raised by shared mentions

    def n_together(self, a: int, b: int) -> int:
        """Articles where entities ``a`` and ``b`` are both linked."""
        return self.together.get(a, {}).get(b, 0)

    def apply(self, rows, etypes: list[str], pairs: np.ndarray, score: np.ndarray,
              kind: np.ndarray, conflict: np.ndarray, contained: int, full: int):
        """Raise the pairs that context supports; add a pair of canonical names for entity
        pairs with shared mentions that blocking did not pair. Returns the (possibly longer)
        pairs, score, kind and conflict arrays."""
        if not self.shared and not self.together:
            return pairs, score, kind, conflict
        n = rows.n
        owner = rows.entity
        ea, eb = owner[pairs // n], owner[pairs % n]
        score = score.copy()
        seen: set[tuple[int, int]] = set()
        for k in np.nonzero([self._has(int(x), int(y)) for x, y in zip(ea, eb)])[0].tolist():
            x, y = sorted((int(ea[k]), int(eb[k])))
            seen.add((x, y))
            score[k] = self._raised(x, y, float(score[k]), int(kind[k]) == contained)
            if self.shared.get(x, {}).get(y):
                self.exempt.add(k)
        extra = []
        for x, partners in self.shared.items():
            for y in partners:
                if x < y and (x, y) not in seen and rows.name_row[x] >= 0 \
                        and rows.name_row[y] >= 0 and etypes[x] == etypes[y]:
                    extra.append((x, y))
        if not extra:
            return pairs, score, kind, conflict
        add_pairs, add_score, add_kind, add_conflict = [], [], [], []
        self.exempt.update(range(len(pairs), len(pairs) + len(extra)))
        for x, y in extra:
            r, s = sorted((int(rows.name_row[x]), int(rows.name_row[y])))
            cmp = compare(rows.forms[r], rows.forms[s], etypes[x], explain=False)
            add_pairs.append(r * n + s)
            add_score.append(self._raised(x, y, cmp.score, False))
            add_kind.append(full)
            add_conflict.append(cmp.conflict)
        return (np.concatenate([pairs, np.asarray(add_pairs, dtype=pairs.dtype)]),
                np.concatenate([score, np.asarray(add_score)]),
                np.concatenate([kind, np.asarray(add_kind, dtype=kind.dtype)]),
                np.concatenate([conflict, np.asarray(add_conflict, dtype=bool)]))

    def _has(self, x: int, y: int) -> bool:
        return y in self.shared.get(x, ()) or y in self.together.get(x, ())

    def _raised(self, x: int, y: int, score: float, contained: bool) -> float:
        key = (min(x, y), max(x, y))
        shared = self.shared.get(x, {}).get(y, 0)
        if shared:
            self.notes[key] = f"{shared} mention(s) linked to each by different annotators"
            return min(CONTEXT_CAP, max(score, SHARED_FLOOR) + SHARED_STEP * min(shared, 3))
        together = self.n_together(x, y)
        if together and contained:
            self.notes[key] = f"short form linked beside the full name in {together} article(s)"
            return min(CONTEXT_CAP, max(score, score + TOGETHER_BONUS))
        return score

    def prefer(self, shorter: int, others: list[int]) -> int | None:
        """Of the entities an ambiguous short name is contained in, the one it is linked beside
        in the most articles, when one leads; else None."""
        counts = sorted(((self.n_together(shorter, o), o) for o in others), reverse=True)
        if not counts or counts[0][0] == 0 or (len(counts) > 1 and counts[1][0] == counts[0][0]):
            return None
        return counts[0][1]

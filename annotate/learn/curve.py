"""The project's own learning curve, computed by ``glossator train`` and shown by the dashboard.

The done articles are taken in the order the store gives them; for growing prefixes of k of them
(k = 0, 1, 2, 3, 5, 8, … below their number) a label memory and known names are built from the
first k only, and the articles after them are suggested and scored against their gold (entity
spans and event triggers, exact match). The figures are those of unseen text, so the curve says
how much each new done article still teaches. The NER is the one the gold was parsed with (the
base model's): fine-tuning for every k would cost minutes, the memory costs milliseconds.

Cost: one ``from_doc`` per held-out article per k, on docs already parsed (at most
:data:`HELD_OUT_MAX` held-out articles per point, :data:`POINTS_MAX` points).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from annotate.learn.gold import GoldDoc, known_from
from annotate.learn.memory import LabelMemory
from store.models import ENTITY, EVENT

HELD_OUT_MAX = 20
POINTS_MAX = 8


def prefix_sizes(n: int) -> list[int]:
    """k values of the curve for ``n`` done articles: 0, 1, 2, 3, 5, 8, 13 … (each < n)."""
    ks, a, b = [0], 1, 2
    while a < n and len(ks) < POINTS_MAX:
        ks.append(a)
        a, b = b, a + b
    return ks


def score(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 of counts (0 when undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def learning_curve(suggester: Any, docs: Sequence[GoldDoc], parsed: Sequence[Any],
                   outputs: Sequence[tuple[list, list]],
                   cancelled: Callable[[], bool] = lambda: False) -> list[dict[str, Any]]:
    """One point per prefix size: ``{"k", "gold_spans", "held_out", "f1", "precision", "recall",
    "edits_per_100"}`` (edits: missed + wrong suggestions per 100 held-out gold spans)."""
    from annotate.learn.artifact import Learned

    saved = suggester.learned, suggester.known_names
    points = []
    try:
        for k in prefix_sizes(len(docs)):
            if cancelled():
                break
            head = list(range(k))
            rest = list(range(k, min(len(docs), k + HELD_OUT_MAX)))
            memory = LabelMemory.build([docs[j] for j in head], [outputs[j] for j in head],
                                       [parsed[j] for j in head]) if k else None
            suggester.set_known_names(known_from(docs[j] for j in head))
            suggester.learned = Learned(memory=memory)
            tp = fp = fn = 0
            for i in rest:
                sugg = suggester.from_doc(parsed[i].text, parsed[i])
                got = {(s.start, s.end, s.label, s.kind) for s in sugg.spans if s.kind in (ENTITY, EVENT)}
                gold = {(*s, ENTITY) for s in docs[i].entities} | {(*s, EVENT) for s in docs[i].events}
                tp += len(got & gold)
                fp += len(got - gold)
                fn += len(gold - got)
            gold_spans = sum(len(docs[j].entities) + len(docs[j].events) for j in head)
            held = tp + fn
            points.append({"k": k, "gold_spans": gold_spans, "held_out": len(rest), **score(tp, fp, fn),
                           "edits_per_100": round(100 * (fp + fn) / held, 1) if held else 0.0})
    finally:
        suggester.learned = saved[0]
        suggester.set_known_names(saved[1])
    return points


def summary(points: Sequence[dict[str, Any]]) -> str:
    """One line: ``F1 on held-out done articles by gold spans learnt from: 0 → 0.41, 57 → 0.62 …``."""
    if not points:
        return "no learning curve (fewer than two done articles)"
    shown = ", ".join(f"{p['gold_spans']} → {p['f1']:.2f}" for p in points)
    return f"F1 on held-out done articles by gold spans learnt from: {shown}"

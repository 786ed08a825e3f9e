"""Helpers of the event tests (restored from the former tests/tui/test_events.py)."""

from __future__ import annotations

from annotate.service import Service
from store.models import ENTITY, EVENT, VALUE, ArgSuggestion, DocSuggestions, SpanSuggestion

ATTACK_SENTENCE = "ont été tirés samedi"


def article_id(svc: Service, prefix: str) -> str:
    """Id of the seed whose file name starts with ``prefix``."""
    return next(r["id"] for r in svc.data.articles() if r["source"].startswith(prefix))


def near(text: str, surface: str, after: int = 0) -> tuple[int, int]:
    """Offsets of the first ``surface`` at or after ``after``."""
    start = text.index(surface, after)
    return start, start + len(surface)


def suggest_attack(svc: Service, aid: str) -> None:
    """The suggester's view of the ATTACK in seed 000: trigger "tirés" with four suggested arguments,
    of which the agent (Centcom) and the place (the title's "Irak") are wrong."""
    text = svc.data.article(aid).text
    line = text.index(ATTACK_SENTENCE)
    spans = {
        "trigger": SpanSuggestion(*near(text, "tirés", line), "ATTACK", EVENT),
        "agent": SpanSuggestion(*near(text, "Centcom"), "ORG", ENTITY),
        "target": SpanSuggestion(*near(text, "Aïn Al\u00a0Assad", line), "LOC", ENTITY),
        "place": SpanSuggestion(*near(text, "Irak"), "LOC", ENTITY),
        "time": SpanSuggestion(*near(text, "samedi", line), "DATE", VALUE),
    }
    ordered = sorted(spans.values(), key=lambda s: s.start)
    index = {name: ordered.index(span) for name, span in spans.items()}
    args = tuple(ArgSuggestion(index["trigger"], role, index[role]) for role in ("agent", "target", "place", "time"))
    svc.store.replace_suggestions([(aid, DocSuggestions(spans=tuple(ordered), args=args))], "fp-test", "test")



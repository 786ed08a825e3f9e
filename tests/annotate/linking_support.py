"""Helpers of the link propagation and accept-all link tests: an article, places of a surface,
suggestions written directly, the links of an article."""

from __future__ import annotations

from annotate.service import Service
from store.models import ENTITY, DocSuggestions, SpanSuggestion


def first(svc: Service) -> str:
    return next(r["id"] for r in svc.data.articles() if r["source"].startswith("000_"))


def places(text: str, surface: str) -> list[tuple[int, int]]:
    out, at = [], text.find(surface)
    while at >= 0:
        out.append((at, at + len(surface)))
        at = text.find(surface, at + 1)
    return out


def suggest(svc: Service, aid: str, spans: list[tuple[int, int, str]]) -> None:
    items = tuple(SpanSuggestion(s, e, label, ENTITY) for s, e, label in sorted(spans))
    svc.store.replace_suggestions([(aid, DocSuggestions(spans=items))], "fp-test", "test")


def links(svc: Service, aid: str) -> dict[tuple[int, int], str | None]:
    return {(s.start, s.end): s.kb_id for s in svc.store.spans(aid, svc.annotator)}

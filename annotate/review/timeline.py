"""The events of the corpus in date order: who did what to whom, where and when, at a glance.

Gold events of every annotator who marked the article done, with each argument's text and the
canonical entity it is linked to (merged entities resolved to the one they were merged into).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from annotate.labels import EVENT_ROLES, EventRoles
from store.models import EVENT
from store.repo import Store


@dataclass(frozen=True)
class Argument:
    """One role filler of an event."""

    role: str
    text: str
    label: str
    start: int
    end: int
    kb_id: str | None = None
    name: str | None = None  # the canonical entity's name


@dataclass(frozen=True)
class TimelineEvent:
    """One gold event with its article's date and its arguments."""

    date: str | None
    article_id: str
    source: str
    title: str
    annotator: str
    label: str
    trigger: str
    start: int
    end: int
    args: tuple[Argument, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def _resolve(store: Store, kb_id: str, cache: dict[str, tuple[str, str] | None]) -> tuple[str, str] | None:
    """(final id, name) of an entity, following ``merged_into`` (guarded against cycles)."""
    if kb_id not in cache:
        seen, current, found = set(), kb_id, None
        while current and current not in seen:
            seen.add(current)
            entity = store.entity(current)
            if entity is None:
                break
            found = (entity.id, entity.name)
            current = entity.merged_into
        cache[kb_id] = found
    return cache[kb_id]


def events(store: Store, event_roles: EventRoles = EVENT_ROLES) -> list[TimelineEvent]:
    """Every gold event of reviewed articles (of the annotators who marked them done), ordered by article date (undated last), then by
    source and position."""
    out: list[TimelineEvent] = []
    cache: dict[str, tuple[str, str] | None] = {}
    for article in store.iter_articles():
        done = store.done_by(article.id)
        if not done:
            continue
        spans = {s.id: s for s in store.spans(article.id) if s.annotator in done}
        args_of: dict[int, list[Argument]] = {}
        for arg in store.event_args(article.id):
            filler = spans.get(arg.span_id)
            if filler is None:
                continue
            resolved = _resolve(store, filler.kb_id, cache) if filler.kb_id else None
            args_of.setdefault(arg.event_id, []).append(Argument(
                arg.role, article.text[filler.start:filler.end], filler.label, filler.start, filler.end,
                resolved[0] if resolved else filler.kb_id, resolved[1] if resolved else None))
        for span in spans.values():
            if span.kind != EVENT:
                continue
            roles = event_roles.get(span.label, ())
            # Roles in the frame's own order (agent before target …), then by position.
            ordered = sorted(args_of.get(span.id, ()), key=lambda a: (
                roles.index(a.role) if a.role in roles else len(roles), a.start))
            out.append(TimelineEvent(article.date, article.id, article.source, article.title, span.annotator,
                                     span.label, article.text[span.start:span.end], span.start, span.end,
                                     tuple(ordered)))
    out.sort(key=lambda e: (e.date is None, e.date or "", e.source, e.start, e.annotator))
    return out


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render(timeline: list[TimelineEvent]) -> str:
    """Plain text: one heading per article, one line per event with ``role: text (Canonical name)``."""
    if not timeline:
        return "no gold events (events are listed from reviewed articles)"
    lines: list[str] = []
    current = None
    for ev in timeline:
        if (ev.article_id, ev.annotator) != current:
            current = (ev.article_id, ev.annotator)
            lines.append(f"{ev.date or 'undated':<10}  {ev.source}  {_one_line(ev.title)[:70]}"
                         + (f"  [{ev.annotator}]" if ev.annotator else ""))
        roles = []
        for arg in ev.args:
            name = f" ({arg.name})" if arg.name and arg.name != _one_line(arg.text) else ""
            roles.append(f"{arg.role}: {_one_line(arg.text)}{name}")
        lines.append(f"            {ev.label:<11} «{_one_line(ev.trigger)}»" + ("  " + "; ".join(roles) if roles else ""))
    return "\n".join(lines)

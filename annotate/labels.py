"""Label sets: entity labels come from the config, event types and roles from the lexicon."""

from __future__ import annotations

from store.models import ENTITY, EVENT, VALUE

EVENT_ROLES: dict[str, tuple[str, ...]] = {
    "ATTACK": ("agent", "target", "instrument", "place", "time"),
    "MEETING": ("participants", "place", "time"),
    "NEGOTIATION": ("parties", "topic", "time"),
    "WITHDRAWAL": ("agent", "origin", "time"),
    "DEPLOYMENT": ("agent", "place", "quantity"),
    "ARREST": ("agent", "person", "place", "time"),
    "CASUALTY": ("victim", "agent", "place", "time", "quantity"),
}
VALUE_LABELS = ("DATE", "QUANTITY")


def kind_of(label: str, entity_labels: tuple[str, ...], event_types: tuple[str, ...] = tuple(EVENT_ROLES)) -> str | None:
    """The layer a label belongs to, or None for an unknown label."""
    if label in entity_labels:
        return ENTITY
    if label in event_types:
        return EVENT
    if label in VALUE_LABELS:
        return VALUE
    return None

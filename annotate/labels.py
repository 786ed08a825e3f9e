"""Label sets: entity labels come from the config, event types and roles from the lexicon."""

from __future__ import annotations

from collections.abc import Mapping

from annotate.suggest.lexicon import Lexicon, load_lexicon
from store.models import ENTITY, EVENT, VALUE

EventRoles = Mapping[str, tuple[str, ...]]


def roles_of(lexicon: Lexicon) -> dict[str, tuple[str, ...]]:
    """Event type → its roles, in lexicon order."""
    return {t.label: t.roles for t in lexicon.types}


# The built-in lexicon's roles: the default wherever no project config is at hand.
EVENT_ROLES: dict[str, tuple[str, ...]] = roles_of(load_lexicon())
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

"""Label sets: entity labels come from the config, event types and roles from the lexicon."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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


def label_colors(config: Any) -> dict[str, str]:
    """Label → colour of a project config (its entity labels' colours, the event colour for each event
    type, the value colour for DATE/QUANTITY), for the exports that show colours (brat, Label Studio)."""
    out = {label: config.event_color for label in config.event_roles}
    out.update({label: config.value_color for label in VALUE_LABELS})
    out.update({label.name: label.color for label in config.labels})
    return out


def hex_color(color: str) -> str | None:
    """A config colour (``#rrggbb`` or a Rich colour name) as ``#rrggbb``, which every tool reads;
    None if it is neither."""
    from rich.color import Color, ColorParseError

    try:
        return Color.parse(color).get_truecolor().hex
    except ColorParseError:
        return None

"""What an export selects (articles, annotators, dates, labels) and how it is asked for.
Imports no format."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from annotate.errors import InputError
from annotate.formats.reports import GOLD, SUGGESTIONS
from annotate.labels import EVENT_ROLES, VALUE_LABELS, EventRoles
from store.models import DONE, STATUSES

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class ExportFilters:
    """Which articles and spans an export holds. ``statuses`` None means: done for gold, all for
    suggestions. Dates are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, compared at the coarser of the two
    precisions (an article dated ``2023-12`` is inside ``--since 2023-12-15``)."""

    what: str = GOLD
    statuses: tuple[str, ...] | None = None
    annotator: str | None = None
    since: str | None = None
    until: str | None = None
    labels: frozenset[str] | None = None

    def wanted_statuses(self) -> tuple[str, ...]:
        """The statuses exported."""
        if self.statuses:
            return self.statuses
        return (DONE,) if self.what == GOLD else STATUSES


@dataclass(frozen=True)
class ExportOptions:
    """The project's label set and the per-format settings every exporter receives.
    ``colors``: label → colour (brat's visual.conf, Label Studio's config); ``eval_split`` and
    ``seed``: the spaCy train/dev split; ``strict``: any loss is an error and nothing is written."""

    entity_labels: tuple[str, ...] = ()
    event_roles: EventRoles = field(default_factory=lambda: dict(EVENT_ROLES))
    colors: Mapping[str, str] = field(default_factory=dict)
    eval_split: float = 0.2
    seed: int = 0
    strict: bool = False


def known_labels(entity_labels: tuple[str, ...], event_roles: EventRoles = EVENT_ROLES) -> tuple[str, ...]:
    """Every label an export can filter on: the project's entity labels, the values, and the event
    types of the project's lexicon (not the built-in one: a custom lexicon's events are filterable)."""
    return (*entity_labels, *VALUE_LABELS, *event_roles)


def check_filters(filters: ExportFilters, known: tuple[str, ...]) -> None:
    """Raise InputError (one line) on a filter that cannot mean anything."""
    if filters.what not in (GOLD, SUGGESTIONS):
        raise InputError(f"--what must be gold or suggestions, not {filters.what!r}")
    for status in filters.statuses or ():
        if status not in STATUSES:
            raise InputError(f"unknown status {status!r} (known: {', '.join(STATUSES)})")
    for name, value in (("--since", filters.since), ("--until", filters.until)):
        if value is not None and not _DATE.match(value):
            raise InputError(f"{name} {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    if filters.since and filters.until and _cut(filters.since, filters.until) > _cut(filters.until, filters.since):
        raise InputError(f"--since {filters.since} is after --until {filters.until}")
    unknown = sorted((filters.labels or frozenset()) - set(known))
    if unknown:
        raise InputError(f"unknown label {', '.join(unknown)} (known: {', '.join(known)})")
    if filters.annotator and filters.what != GOLD:
        raise InputError("--annotator selects gold; suggestions have no annotator")


def _cut(date: str, other: str) -> str:
    return date[:min(len(date), len(other))]


def in_range(date: str | None, since: str | None, until: str | None) -> bool:
    """Whether an article date falls in [since, until] (undated articles fall in no range)."""
    if since is None and until is None:
        return True
    if not date:
        return False
    return (since is None or _cut(date, since) >= _cut(since, date)) and \
           (until is None or _cut(date, until) <= _cut(until, date))

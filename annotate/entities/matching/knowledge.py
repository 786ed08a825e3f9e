"""What the shipped starter knowledge base knows about names: which entity a whole name is a
name of ("Daech", "ISIL", "État islamique" → ``islamic_state``; "Hewlêr" → ``erbil``).

Aliases no string rule can find (a nom de guerre, a translated body, an exonym) are knowledge,
not fuzz. Two names the starter KB gives to one entity match (96); two names it gives to
*different* entities never merge (a capital and its country, a militia and a party of the same
word). A name it does not know falls through to the string rules. Names are compared by their
comparable words (:func:`~.normalise.analyse`), so "l'État islamique" and "Etat Islamique" are
both known.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

from annotate.entities import builtin as kb_builtin
from annotate.entities.matching.normalise import NameForm, analyse, uninformative

_EMPTY: frozenset[str] = frozenset()
_state = {"enabled": True}


@lru_cache(maxsize=1)
def _table() -> dict[tuple[str, ...], frozenset[str]]:
    """Comparable words of every name and alias of the starter KB → the ids it names."""
    table: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for entity in kb_builtin.load("starter"):
        for text in (entity.name, *entity.aliases):
            form = analyse(text)
            if form.tokens and not uninformative(form):
                table[form.tokens].add(entity.id)
    return {words: frozenset(ids) for words, ids in table.items()}


def known(form: NameForm) -> frozenset[str]:
    """Ids of the starter-KB entities that ``form`` is a name of (empty when unknown)."""
    if not _state["enabled"]:
        return _EMPTY
    return _table().get(form.tokens, _EMPTY)


def entity_name(entity_id: str) -> str:
    """The canonical name of a starter-KB entity, for evidence."""
    return _names().get(entity_id, entity_id)


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    return {e.id: e.name for e in kb_builtin.load("starter")}


@contextmanager
def disabled() -> Iterator[None]:
    """Match on string rules only (benchmarks compare with and without knowledge)."""
    before = _state["enabled"]
    _state["enabled"] = False
    try:
        yield
    finally:
        _state["enabled"] = before

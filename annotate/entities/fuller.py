"""The fuller mention a short form abbreviates, within one article: "Maliki" where the article also
has the PER mention "Nouri al-Maliki", "Brigades" beside "Brigades du Hezbollah".

News copy names someone in full once and by a part of the name after that, so a new entity made
from the short form is better named (and given an id) after the full one. The rule is lexical and
deliberately narrow, since a wrong guess costs more than the slug of the short form:

- same label; the words compared are those of ``normalise_name`` (case, accents, titles, the Arabic
  article dropped), each by its transliteration key ("Soudani" = "Sudani");
- the short form's words are a contiguous run of the fuller one's, fewer of them, and the run does
  not start right after a function word of the fuller one ("Irak" is not a short form of
  "Résistance islamique en Irak", nor "Bagdad" of "aéroport de Bagdad");
- the fullest such mentions must be one name: two maximal ones that do not contain each other
  ("Saddam Hussein", "Fouad Hussein" for "Hussein") make the short form ambiguous, and nothing is
  proposed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from annotate.entities.matching import lexicon as lx
from annotate.entities.matching.normalise import analyse, translit, uninformative


@dataclass(frozen=True)
class Mention:
    """One entity mention of an article: its text, label, entity (None: unlinked), whether it is gold."""

    text: str
    label: str
    kb_id: str | None = None
    gold: bool = True


@dataclass(frozen=True)
class Fuller:
    """The fullest mention a short form stands for: the surface to name it by, and the one entity
    its linked mentions point to (None: none linked, or not all to one)."""

    name: str
    kb_id: str | None


def _words(text: str) -> tuple[str, ...]:
    """The normalised words of a name, by transliteration key (function words kept: they mark complements)."""
    return tuple(translit(w) for w in analyse(" ".join(text.split())).norm.split())


def _run_at(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """Whether ``short`` is a contiguous run of ``full`` that does not follow a function word."""
    n = len(short)
    return any(full[i:i + n] == short and (i == 0 or full[i - 1] not in lx.FUNCTION_WORDS)
               for i in range(len(full) - n + 1))


def _within(small: tuple[str, ...], big: tuple[str, ...]) -> bool:
    """Whether every word of ``small`` occurs in ``big`` in the same order ("Mohammed al-Soudani"
    within "Mohammed Chia al-Soudani")."""
    it = iter(big)
    return all(word in it for word in small)


def fuller_mention(text: str, label: str, mentions: Sequence[Mention]) -> Fuller | None:
    """The unique fullest same-label mention among ``mentions`` that ``text`` is a short form of, or
    None (no such mention, an uninformative short form, or two different fullest names)."""
    if uninformative(analyse(" ".join(text.split()))):
        return None
    short = _words(text)
    if not short:
        return None
    found: dict[tuple[str, ...], list[Mention]] = {}
    for m in mentions:
        if m.label != label:
            continue
        words = _words(m.text)
        if len(words) > len(short) and _run_at(short, words):
            found.setdefault(words, []).append(m)
    if not found:
        return None
    fullest = [w for w in found if not any(o != w and len(o) > len(w) and _within(w, o) for o in found)]
    if len(fullest) != 1:
        return None
    forms = found[fullest[0]]
    return Fuller(_name_of(forms), _entity_of(forms))


def _name_of(forms: list[Mention]) -> str:
    """The surface to name the entity by: a gold one before a suggestion, then the most frequent, then
    the shortest (no title or determiner in front), then the first."""
    counts = Counter(" ".join(m.text.split()) for m in forms)
    order = {s: i for i, s in reversed(list(enumerate(" ".join(m.text.split()) for m in forms)))}
    gold = {" ".join(m.text.split()) for m in forms if m.gold}
    return min(counts, key=lambda s: (s not in gold, -counts[s], len(s), order[s]))


def _entity_of(forms: list[Mention]) -> str | None:
    """The entity the fuller mentions are linked to, when they all are linked to one (unlinked ones aside)."""
    linked = {m.kb_id for m in forms if m.kb_id}
    return linked.pop() if len(linked) == 1 else None

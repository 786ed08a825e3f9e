"""Name shapes: the label the gold gave to names built like this one, for names it never saw.

The label memory votes per surface, and new articles mostly bring new names. What does carry over
is how names are built: the capitalised head word that opens a multiword name ("Brigades de …",
"Forces …", "Cour …" are groups and institutions), the word that closes it ("… Kataëb"), the
ending of its last word ("-istan" is a place), an acronym, and the title or function word right
before it ("M.", "président", "ministre" announce a person). Every gold entity span votes for its
label under each of its shapes; a model span whose surface has no vote of its own takes the label
of its first shape (most specific first) with at least :data:`MIN_VOTES` votes, when
:data:`MIN_SHARE` of them agree. Shapes relabel, never drop or add a span: a shape says what kind of name
this is, not whether it is one.

Cost: a handful of dictionary look-ups per model span; the votes are a few hundred keys.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

MIN_VOTES, MIN_SHARE = 2, 0.75  # distinct names under a shape; the share of them that agree
SUFFIX = 4  # letters of the last word's ending ("stan" of "Kurdistan", "Ouzbékistan")
_WORD = re.compile(r"[\w'’.]+(?:-[\w'’]+)*")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,5}(?:-[A-Z0-9]{1,3})?")
_BEFORE = re.compile(r"([\w.]+)[\s\u00a0]+$")
_ELIDED = re.compile(r"^(?:l|d|qu|jusqu|lorsqu)['’]", re.IGNORECASE)
# Function words say nothing about the name that follows them ("de X" is a place as often as a group).
_WEAK = frozenset({"de", "du", "des", "d", "le", "la", "les", "l", "et", "à", "a", "au", "aux", "en", "par",
                   "pour", "sur", "avec", "dans", "que", "qui", "un", "une", "ou", "entre", "selon", "contre"})


def name_shapes(text: str, start: int, end: int) -> list[str]:
    """The shape keys of the name ``text[start:end]``, most specific first."""
    surface = text[start:end]
    words = _WORD.findall(surface)
    if not words:
        return []
    keys = []
    if len(words) > 1:
        keys.append(f"first\t{words[0].lower()}")
        keys.append(f"last\t{words[-1].lower()}")
    if _ACRONYM.fullmatch(surface):
        keys.append("acronym")
    last = _ELIDED.sub("", words[-1]).split("-")[-1]
    if len(last) > SUFFIX + 1 and last[:1].isupper() and not last.isupper():
        keys.append(f"suffix\t{last[-SUFFIX:].lower()}")
    before = _BEFORE.search(text[max(0, start - 40):start])
    if before is not None:
        word = before.group(1).lower()
        if word not in _WEAK and not word.isdigit():
            keys.append(f"before\t{word}")
    return keys


def count(spans: Iterable[tuple[str, int, int, str]]) -> dict[str, dict[str, int]]:
    """Votes per shape from gold entity spans ``(text, start, end, label)``: one vote per distinct
    name and label under a shape, so that "Bagdad" fourteen times is not a rule about "-gdad"."""
    seen: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for text, start, end, label in spans:
        name = " ".join(text[start:end].split())
        for key in name_shapes(text, start, end):
            seen[key].add((name, label))
    votes: dict[str, dict[str, int]] = {}
    for key, names in seen.items():
        votes[key] = dict(Counter(label for _name, label in names))
    return votes


def shape_label(shapes: Mapping[str, Mapping[str, int]], text: str, start: int, end: int) -> str | None:
    """The label the gold gave names of this shape (first shape with enough agreement), or None."""
    for key in name_shapes(text, start, end):
        votes = shapes.get(key)
        if not votes:
            continue
        n = sum(votes.values())
        best = max(votes, key=lambda lab: (votes[lab], lab))
        if n >= MIN_VOTES:
            # A shape the gold labelled both ways says "ambiguous": no falling back to a vaguer one.
            return best if votes[best] / n >= MIN_SHARE else None
    return None

"""Labels of names the article's vote cannot repair: a name seen once, or always with the same label.

``entities.repair_labels`` lets identical surfaces vote; when every mention of a name carries the
model's one guess there is nothing to vote on, and a wrong guess (LOC for a person, PER for a
group) would stay. Those names are settled here, from the strongest evidence there is:

a. the canonical entities' types: the surface, normalised as the entity matcher normalises names
   (``normalise_name``: accents, ``al-``, hyphens, titles), reads like known entities of one type
   — the project's entities first, else the starter KB shipped in ``annotate/data/kb/``;
b. the context: the kind noun right before the name ("le groupe X" → ORG, "la ville de X",
   "l'hôpital X" → LOC, "le ministre X" → PER, "l'opération X" → MISC), a sentence opening "À X,"
   (a place), an apposition after the name ("X, une milice chiite, …") or the name in apposition
   to a person noun ("le chef du groupe, X, …"), the last word of a known person.

A name most of whose mentions carry one label is the vote's (a tie is no vote); the learned label
memory (what reviewers taught) and exact known-name matches run after this step and win over it.
"Known entities of one type" counts types, not entities: two LOC entities read "Congo" alike and
both say LOC.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from annotate.suggest import words
from annotate.suggest.entities import _PARTICLES, Span, _key

LABELS = ("PER", "ORG", "LOC", "MISC")

KIND_BEFORE = words.KIND_NOUNS
# Before "de": "la ville de X", "le nord de X", "les habitants de X" name a place; "le président de X"
# does not make X a person, nor "à la place de X", "le passage de X", "le pays de X" a place.
_PLACE_OF = (KIND_BEFORE["LOC"] - {"place", "passage", "pays"}) | frozenset({
    "nord", "sud", "est", "ouest", "nord-est", "nord-ouest", "sud-est", "sud-ouest", "centre",
    "périphérie", "banlieue", "environs", "alentours", "habitants", "originaire", "natif", "native"})
# "les combattants du Hachd", "des membres de Kataëb Hezbollah": members belong to a group.
_MEMBERS_OF = frozenset({"combattant", "combattants", "membre", "membres", "milicien", "miliciens",
                         "militant", "militants", "faction", "factions",
                         "unité", "unités", "fondateur", "rangs"})
_KIND_ADJECTIVES = words.KIND_ADJECTIVES
_DETERMINERS = frozenset({"le", "la", "les", "l'", "un", "une", "son", "sa", "ses", "leur", "ce", "cette"})
_OF = frozenset({"de", "d'", "du", "des"})
# A sentence opening on a locative preposition and a name then a comma: "À Erbil, …", "En Syrie, …".
_PLACE_OPENERS = frozenset({"À", "A", "En", "Au", "Aux"})


def kind_before(doc, start: int) -> str:
    """The label the words right before a name give it, or "" (``doc`` is the parsed text);
    "ORG-of" for a member noun + "de" ("les combattants du X")."""
    toks = list(reversed(_tokens_before(doc, start, 5)))
    of = False
    for t in toks:
        low = t.lower_
        if t.is_space and "\n" not in t.text:
            continue
        if t.is_punct or t.is_space:
            return ""
        if low in _DETERMINERS or low in words.NATIONALITY_FORMS or low in _KIND_ADJECTIVES:
            continue
        if low in _OF and not of:
            of = True
            continue
        if of:
            if low in _MEMBERS_OF:
                return "ORG-of"
            return "LOC" if low in _PLACE_OF else ""
        for label, nouns in KIND_BEFORE.items():
            if low in nouns:
                return label
        return ""
    return ""


def _tokens_before(doc, start: int, n: int) -> list:
    """The ``n`` tokens that end at or before ``start`` (a name's first character)."""
    end = doc[-1].idx + len(doc[-1].text) if len(doc) else 0  # doc.text would be rebuilt on every call
    span = doc.char_span(start, start + 1, alignment_mode="expand") if start < end else None
    first = span.start if span is not None else sum(1 for t in doc if t.idx < start)
    while first > 0 and doc[first - 1].idx + len(doc[first - 1].text) > start:
        first -= 1  # a token the name starts inside ("l'" + "Irak" split oddly) is not before it
    return list(doc[max(0, first - n):first])


def kind_after(doc, text: str, start: int, end: int) -> str:
    """The label an apposition after a name gives it, or "": "Zorbak, une milice chiite, …" → ORG,
    "Tuz Khurmatu, localité disputée" → LOC, when the parser hangs the noun on the name (an
    enumeration, "Zorbak, la milice et l'armée", hangs it elsewhere)."""
    if text[end:end + 1] != ",":
        return ""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or span.end + 1 >= len(doc) or doc[span.end].text != ",":
        return ""
    for t in doc[span.end + 1:span.end + 5]:
        low = t.lower_
        if low in _DETERMINERS or low in words.NATIONALITY_FORMS or low in _KIND_ADJECTIVES:
            continue
        kind = words.kind_of_noun(low)
        hung = t.dep_ in ("appos", "nmod") and span.start <= t.head.i < span.end
        listed = t.i + 1 < len(doc) and doc[t.i + 1].lower_ in ("et", "ou")  # "X, la milice et l'armée"
        return kind if kind and hung and not listed else ""
    return ""


def _place_opener(doc, text: str, start: int, end: int) -> bool:
    """"À Erbil, …": a sentence that opens on a locative preposition, the name, then a comma."""
    before = _tokens_before(doc, start, 1)
    if not before or before[0].text not in _PLACE_OPENERS:
        return False
    t = before[0]
    opens = t.i == 0 or t.is_sent_start or doc[t.i - 1].is_punct or "\n" in doc[t.i - 1].text_with_ws
    return opens and text[end:end + 1] == ","


def mention_context(doc, text: str, start: int, end: int, label: str, person_tails: frozenset[str],
                    heads: dict[str, str]) -> str:
    """The label one mention's context gives its name, or "" (see the module doc, b.); ``text`` is
    ``doc.text``, which spaCy rebuilds on every access."""
    parts = text[start:end].split()
    new = kind_before(doc, start)
    if new == "ORG-of":
        # "les combattants de X": a full person name the model saw is left to it, and so is a
        # place ("les combattants de Jénine"): the kind of group is only implied.
        new = "" if label == "LOC" or label == "PER" and len(parts) >= 2 else "ORG"
    if not new and _place_opener(doc, text, start, end):
        new = "LOC"
    if not new and doc.has_annotation("DEP"):
        new = kind_after(doc, text, start, end)
    span = doc.char_span(start, end, alignment_mode="expand")
    if not new and span is not None and doc.has_annotation("DEP") and span.root.dep_ == "appos" and (
            span.root.head.lemma_.lower() in KIND_BEFORE["PER"]):
        new = "PER"
    if not new and _key(text[start:end]) in person_tails:
        new = "PER"
    if not new and len(parts) >= 2 and parts[1].split("-")[0].lower() in _PARTICLES and _key(parts[0]) in heads:
        new = heads[_key(parts[0])]
    return new


class NameTypes:
    """Entity types by normalised name: the project's known names, else the starter KB's."""

    def __init__(self, known: Iterable[tuple] = (), starter: bool = True):
        self._known = tuple((surface, label) for surface, label, *_rest in known)
        self._starter = starter
        self._project: dict[str, frozenset[str]] | None = None  # built on first use

    def type_of(self, surface: str) -> str:
        """The one type the entities reading like ``surface`` have, or "" (none, or several)."""
        norm = _norm(surface)
        if not norm:
            return ""
        if self._project is None:
            self._project = _types(self._known)
        starter = starter_types() if self._starter else {}
        types = self._project.get(norm) or starter.get(norm) or frozenset()
        return next(iter(types)) if len(types) == 1 else ""


def lookup_form(surface: str) -> str:
    """``surface`` as an article may write it for the same canonical type, for a word search: its
    normalised name without the particles and articles ``normalise_name`` unifies or drops
    ("Abu Ali al-Askari" → "ali askari", also in "Abou Ali al-Askari"); "" when nothing is left."""
    from annotate.entities.matching import lexicon as lx

    bare = set(lx.PARTICLE_MAP) | set(lx.PARTICLE_MAP.values()) | lx.ARTICLES | lx.SUN_ARTICLES
    return " ".join(w for w in _norm(surface).split() if w not in bare)


def _norm(surface: str) -> str:
    from annotate.entities.matching.normalise import normalise_name

    return normalise_name(surface)


def _types(pairs: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for surface, label in pairs:
        norm = _norm(surface)
        if norm and label in LABELS:
            out[norm].add(label)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def starter_types() -> dict[str, frozenset[str]]:
    """Normalised name or alias → types, over the starter KB (``annotate.entities.builtin``)."""
    from annotate.entities import builtin

    return _types((text, e.type) for e in builtin.load("starter") for text in (e.name, *e.aliases))


@lru_cache(maxsize=1)
def starter_digest() -> str:
    """Hash of the starter KB files (part of the suggester fingerprint: an edit changes labels)."""
    from annotate.entities import builtin

    h = hashlib.sha256()
    for file in builtin.BUILTIN["starter"]:
        h.update((builtin.KB_DIR / file).read_bytes())
    return h.hexdigest()[:16]


def repair_unvoted(doc, spans: list[Span], types: NameTypes,
                   known: tuple = ()) -> tuple[list[Span], set[tuple[int, int]]]:
    """Relabel the names the vote cannot repair; return the spans and the (start, end) settled here.

    Mentions are grouped as the vote groups them (same surface, case-folded). A group whose
    mentions carry one label, or labels no majority picks, takes (a) its canonical type when the
    entities reading like it have exactly one, else (b) the kind its contexts agree on. The KB's
    place or group gives way when a mention follows a person title ("M. Maurice") or the name is
    the first or last word of a person named in the article ("Jordan" of "Jordan Bardella").
    Settled spans are left alone by the name-shape rules of ``repair_labels`` (``"l'hôpital Ibn
    Sina"`` is no person for its "Ibn").
    """
    text = doc.text
    person_tails, heads = _known_forms(known)
    person_words = {_key(w) for s, e, label in spans if label == "PER" and len(text[s:e].split()) >= 2
                    for w in (text[s:e].split()[0], text[s:e].split()[-1])}
    groups: dict[str, list[int]] = defaultdict(list)
    for i, (s, e, _label) in enumerate(spans):
        groups[_key(text[s:e])].append(i)
    out = list(spans)
    settled: set[tuple[int, int]] = set()
    for key, members in groups.items():
        counts = Counter(spans[i][2] for i in members).most_common()
        if len(counts) > 1 and counts[0][1] > counts[1][1]:
            continue  # a majority: the vote's
        contexts = {mention_context(doc, text, spans[i][0], spans[i][1], spans[i][2], person_tails, heads)
                    for i in members} - {""}
        new = types.type_of(text[spans[members[0]][0]:spans[members[0]][1]])
        if new and new != "PER" and ("PER" in contexts or key in person_words):
            new = ""  # "M. Maurice", "Jordan" of "Jordan Bardella": a person as much as a KB place
        if not new and len(contexts) == 1:
            new = contexts.pop()
        if not new:
            continue
        for i in members:
            s, e, _old = spans[i]
            out[i] = (s, e, new)
            settled.add((s, e))
    return out, settled


def _known_forms(known: tuple) -> tuple[frozenset[str], dict[str, str]]:
    """Last words of known persons ("Soudani") and the labels of one-word known names."""
    person_tails: set[str] = set()
    heads: dict[str, str] = {}
    for surface, label, *_rest in known:
        parts = surface.split()
        if label == "PER" and len(parts) >= 2 and len(parts[-1]) >= 4:
            person_tails.add(_key(parts[-1]))
            person_tails.add(_key(parts[-1].split("-")[-1]))
        if len(parts) == 1:
            heads[_key(surface)] = label
    return frozenset(person_tails), heads

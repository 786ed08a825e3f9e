"""Event arguments read from the dependency parse.

Each role points at an entity suggestion or at a new value span (DATE, QUANTITY).
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from annotate.suggest.words import MONTHS, WEEKDAYS

_TIME_WORDS = frozenset(WEEKDAYS + MONTHS + ("hier", "aujourd'hui", "demain", "avant-hier"))
_PLACE_CASES = frozenset({"à", "en", "dans", "au", "aux", "près", "vers"})
_ORIGIN_CASES = frozenset({"de", "d'", "du", "des", "hors"})
_CLAUSE_DEPS = frozenset({"acl", "acl:relcl", "advcl", "ccomp", "parataxis", "conj", "punct"})

# Which syntactic slot fills which role, per event type.
_SUBJECT_ROLE = {"ATTACK": "agent", "MEETING": "participants", "NEGOTIATION": "parties",
                 "WITHDRAWAL": "agent", "DEPLOYMENT": "agent", "ARREST": "agent",
                 "CASUALTY": "agent"}
_OBJECT_ROLE = {"ATTACK": "target", "MEETING": "participants", "ARREST": "person",
                "CASUALTY": "victim", "NEGOTIATION": "topic"}


def _case(tok: Token) -> str:
    for c in tok.children:
        if c.dep_ in ("case", "mark") or (c.dep_ == "fixed" and c.i < tok.i):
            return c.lower_
    return ""


def _is_time(tok: Token) -> bool:
    return tok.lower_ in _TIME_WORDS or any(t.lower_ in MONTHS for t in tok.subtree if t.i - tok.i < 4)


def _value_extent(tok: Token) -> tuple[int, int]:
    """Character extent of a time or quantity phrase: its subtree minus leading case/det."""
    toks = [t for t in tok.subtree if t.dep_ not in _CLAUSE_DEPS and abs(t.i - tok.i) <= 4]
    toks.sort(key=lambda t: t.i)
    while toks and toks[0].dep_ in ("case", "det", "mark") and toks[0].i != tok.i:
        toks.pop(0)
    # keep a contiguous run around the head
    run = [tok]
    for t in toks:
        if t.i == run[-1].i + 1 and t.i > tok.i:
            run.append(t)
    first = tok
    for t in reversed([t for t in toks if t.i < tok.i]):
        if t.i == first.i - 1:
            first = t
    return first.idx, run[-1].idx + len(run[-1].text)


class ArgumentFinder:
    """Links triggers to entity spans and value spans through the parse."""

    def __init__(self, roles_of):
        self._roles_of = roles_of  # label -> tuple of role names

    def __call__(self, doc: Doc, trigger_tok: int, label: str, entity_at: dict[int, tuple[int, str]]):
        """Yield ``(role, target)``: target is ("entity", index) or ("value", start, end, label).

        ``entity_at`` maps a token index to (entity span index, entity label).
        """
        roles = set(self._roles_of(label))
        tok = doc[trigger_tok]
        seen: set[tuple] = set()

        def entity_of(t: Token) -> int | None:
            if t.i in entity_at:
                return entity_at[t.i][0]
            for c in t.children:  # "le commandant iranien Esmail Qaani"
                if c.dep_ in ("appos", "flat:name", "nmod") and c.i in entity_at and not _case(c):
                    return entity_at[c.i][0]
            return None

        def emit(role: str, target):
            if role in roles and (role, target) not in seen:
                seen.add((role, target))
                yield role, target

        passive = any(c.dep_ == "aux:pass" for c in tok.children)
        slots = list(tok.children)
        if tok.dep_ in ("acl", "amod") and tok.pos_ in ("VERB", "ADJ"):
            # "un soldat blessé": the modified noun is the patient.
            slots.append(tok.head)
        for c in slots:
            dep, case = c.dep_, _case(c)
            if c is tok.head:
                dep = "nsubj:pass"
            ent = entity_of(c)
            for t in [c] + [g for g in c.children if g.dep_ == "conj"]:
                e2 = entity_of(t)
                if e2 is None:
                    continue
                if dep == "nsubj" and not passive:
                    yield from emit(_SUBJECT_ROLE.get(label, "agent"), ("entity", e2))
                elif dep in ("obj", "nsubj:pass") or (dep == "nsubj" and passive):
                    yield from emit(_OBJECT_ROLE.get(label, "target"), ("entity", e2))
                elif dep == "obl:agent" or case == "par":
                    yield from emit(_SUBJECT_ROLE.get(label, "agent"), ("entity", e2))
                elif case == "contre":
                    yield from emit("target", ("entity", e2))
                elif case in ("avec", "entre"):
                    yield from emit("participants" if label == "MEETING" else "parties", ("entity", e2))
                elif case in _PLACE_CASES and entity_at.get(t.i, (0, ""))[1] == "LOC":
                    yield from emit("place", ("entity", e2))
                elif case in _ORIGIN_CASES and label == "WITHDRAWAL":
                    yield from emit("origin", ("entity", e2))
            if ent is None and _is_time(c) and dep not in ("nsubj", "nsubj:pass", "conj"):
                s, e = _value_extent(c)
                yield from emit("time", ("value", s, e, "DATE"))
            if dep in ("obj", "obl", "obl:mod", "nmod") and c is not tok.head:
                # "a bombardé des bases à Bagdad": the place often hangs on the target.
                for g in c.children:
                    gi = entity_of(g)
                    if gi is not None and _case(g) in _PLACE_CASES and entity_at.get(g.i, (0, ""))[1] == "LOC":
                        yield from emit("place", ("entity", gi))
            if dep in ("nummod",) and c.like_num:
                s, e = _value_extent(c)
                yield from emit("quantity", ("value", s, e, "QUANTITY"))
            if dep in ("nsubj", "obj", "nsubj:pass") and "quantity" in roles:
                for g in c.children:
                    if g.dep_ == "nummod":
                        s, e = _value_extent(g)
                        yield from emit("quantity", ("value", s, e, "QUANTITY"))

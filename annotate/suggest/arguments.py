"""Event arguments read from the dependency parse.

Each role points at an entity suggestion or at a new value span (DATE, QUANTITY). Roles are
filled only inside the trigger's own sentence, from

* the trigger's dependents: subject, object, complements, a participle on an event noun
  ("une attaque revendiquée par X", "une frappe imputée à X"), locatives of its target
  ("attaques contre les troupes déployées en Irak" → place Irak);
* its clause: the support verb of an event noun ("l'Iran a effectué des tirs" → agent), the
  verb it is the subject of ("des attaques ont visé X" → target), the controller of an
  infinitive ("ont menacé de lancer des attaques"), the subject of a clause a meeting is
  "lors de", coordinated triggers sharing one verb, a casualty's strike.

The conventions followed are those of ``tests/data/gold_src/args/README.md``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from annotate.suggest.clauses import (
    DURING,
    NOMINAL,
    SUBJECT_DEPS,
    case_of,
    controller,
    governor,
    is_passive,
    negated,
    segments,
    subjects,
)
from annotate.suggest.lexicon import Lexicon
from annotate.suggest.values import is_time, misplaced_time, number_extent, time_extent

_PLACE_CASES = frozenset({"à", "en", "dans", "au", "aux", "près", "vers"})
_OF_CASES = frozenset({"de", "d'", "du", "des"})
_ORIGIN_CASES = _OF_CASES | {"hors"}
_COMPLEMENT_DEPS = frozenset({"obj", "obl", "obl:mod", "obl:arg", "nmod", "nsubj:pass"})
_TIME_DEPS = frozenset({"obl", "obl:mod", "obl:arg", "advmod", "nmod", "obj"})

# Which syntactic slot fills which role, per event type.
_SUBJECT_ROLE = {"ATTACK": "agent", "MEETING": "participants", "NEGOTIATION": "parties",
                 "WITHDRAWAL": "agent", "DEPLOYMENT": "agent", "ARREST": "agent",
                 "CASUALTY": "agent"}
_OBJECT_ROLE = {"ATTACK": "target", "MEETING": "participants", "ARREST": "person",
                "CASUALTY": "victim", "NEGOTIATION": "topic"}

Target = tuple  # ("entity", index) | ("value", start, end, label)


class _Reader:
    """One parsed document with its entity suggestions, read token by token."""

    def __init__(self, doc: Doc, entity_at: dict[int, tuple[int, str]], member_nouns: frozenset[str]):
        self.doc = doc
        self.entity_at = entity_at
        self.member_nouns = member_nouns
        self.segment = segments(doc)

    def entity(self, t: Token) -> int | None:
        """Index of the entity suggestion ``t`` stands for, if any."""
        if t.i in self.entity_at:
            return self.entity_at[t.i][0]
        for c in t.children:  # "le commandant iranien Esmail Qaani", "le ministre, Fuad Hussein"
            if c.dep_ in ("appos", "flat:name", "nmod") and c.i in self.entity_at and not case_of(c):
                return self.entity_at[c.i][0]
        if t.lemma_.lower() in self.member_nouns:
            # Members of a named group stand for the group: "cinq membres des Gardiens …".
            for c in t.children:
                if c.dep_ == "nmod" and case_of(c) in _OF_CASES and self.label(c) == "ORG":
                    return self.entity_at[c.i][0]
        return None

    def label(self, t: Token) -> str:
        return self.entity_at.get(t.i, (0, ""))[1]

    def members(self, t: Token) -> list[Token]:
        """``t`` and its conjuncts introduced the same way ("l'Irak et les États-Unis")."""
        out, case = [t], case_of(t)
        for c in t.children:
            if c.dep_ == "conj" and case_of(c) in ("", case):
                out.extend(self.members(c))
        return out

    def _of_loc(self, t: Token, depth: int = 2) -> list[Token]:
        """LOC names under a locative common noun: "dans le nord de l'Irak", "à l'aéroport de Bagdad"."""
        out = []
        for c in t.children:
            if c.dep_ == "nmod" and case_of(c) in _OF_CASES:
                if self.label(c) == "LOC":
                    out.append(c)
                elif depth > 1 and c.pos_ == "NOUN":
                    out.extend(self._of_loc(c, depth - 1))
        return out

    def locative(self, t: Token) -> list[Token]:
        """Place names ``t`` introduces when it is a locative ("en Irak et en Syrie")."""
        if case_of(t) not in _PLACE_CASES:
            return []
        if self.label(t) == "LOC":
            return [m for m in self.members(t) if self.label(m) == "LOC"] + [
                c for c in t.children if c.dep_ == "conj" and case_of(c) in _PLACE_CASES and self.label(c) == "LOC"]
        return self._of_loc(t) if t.pos_ == "NOUN" else []

    def places(self, t: Token, depth: int = 2) -> list[Token]:
        """Locatives attached to a complement, also through a participle on it
        ("les troupes déployées en Irak")."""
        out = []
        for c in t.children:
            if c.dep_ == "acl" and c.pos_ == "VERB" and depth > 0:
                # Only a bare participle locates its noun; "la coalition mobilisée contre l'EI
                # en Irak" places the mobilisation, and "imputée à Israël" names an author.
                comps = [g for g in c.children if g.dep_.startswith(("obl", "obj"))]
                if all(case_of(g) in _PLACE_CASES and case_of(g) != "à" or self.label(g) == "" and
                       case_of(g) in _PLACE_CASES for g in comps):
                    out.extend(self.locative(g) for g in comps)
            elif c.dep_ in ("nmod", "obl", "obl:mod", "obl:arg", "conj"):
                out.append(self.locative(c))
        return [p for group in out for p in group]

    def origins(self, t: Token, depth: int = 3) -> list[Token]:
        """Where troops leave from: "les forces de la coalition d'Irak" → Irak."""
        out = []
        for c in t.children:
            if c.dep_ == "nmod" and case_of(c) in _ORIGIN_CASES:
                if self.label(c) == "LOC":
                    out.append(c)
                elif depth > 1 and c.pos_ == "NOUN" and self.entity(c) is None:
                    out.extend(self.origins(c, depth - 1))
        return out


class _Out:
    """The arguments of one trigger, deduplicated, kept to the trigger's sentence."""

    def __init__(self, reader: _Reader, trigger: Token, roles: set[str]):
        self.reader, self.trigger, self.roles = reader, trigger, roles
        self.items: list[tuple[str, Target]] = []

    def add(self, role: str, target: Target, at: Token) -> None:
        seg = self.reader.segment
        if role in self.roles and seg[at.i] == seg[self.trigger.i] and (role, target) not in self.items:
            self.items.append((role, target))

    def entity(self, role: str, t: Token, members: bool = True) -> None:
        for m in self.reader.members(t) if members else [t]:
            e = self.reader.entity(m)
            if e is not None:
                self.add(role, ("entity", e), m)

    def time(self, t: Token) -> None:
        s, e = time_extent(t)
        self.add("time", ("value", s, e, "DATE"), t)

    def quantity(self, t: Token) -> None:
        extent = number_extent(t)
        if extent is not None:  # None: an indefinite article ("un soldat")
            self.add("quantity", ("value", *extent, "QUANTITY"), t)

    def places(self, tokens) -> None:
        for p in tokens:
            self.add("place", ("entity", self.reader.entity_at[p.i][0]), p)


class ArgumentFinder:
    """Links triggers to entity spans and value spans through the parse."""

    def __init__(self, lexicon: Lexicon):
        self._roles_of = lexicon.roles
        self._verbs = {t.label: frozenset(t.verbs) for t in lexicon.types}
        self._support = lexicon.rule("support_verbs")
        self._claims = lexicon.rule("claim_verbs")
        self._quantity_heads = lexicon.rule("quantity_heads")
        self._member_nouns = lexicon.rule("member_nouns")
        self._negators = lexicon.rule("negators")

    def __call__(self, doc: Doc, trigger_tok: int, label: str, entity_at: dict[int, tuple[int, str]]):
        """Yield ``(role, target)`` for one trigger (see ``find_all``)."""
        yield from self.find_all(doc, [(trigger_tok, label)], entity_at)[0]

    def find_all(self, doc: Doc, triggers: list[tuple[int, str]],
                 entity_at: dict[int, tuple[int, str]]) -> list[list[tuple[str, Target]]]:
        """``(role, target)`` lists, one per ``(head token, label)`` trigger, in order.

        A target is ("entity", index) or ("value", start, end, label); ``entity_at`` maps a
        token index to (entity span index, entity label).
        """
        reader = _Reader(doc, entity_at, self._member_nouns)
        heads = {h: lab for h, lab in triggers}
        outs = []
        for h, lab in triggers:
            out = _Out(reader, doc[h], set(self._roles_of(lab)))
            self._own(reader, out, doc[h], lab)
            self._clause(reader, out, doc[h], lab, heads)
            outs.append(out)
        index = {h: n for n, (h, _lab) in enumerate(triggers)}
        for n, (h, lab) in enumerate(triggers):
            # "tués dans une frappe … imputée à Israël": the casualty has the strike's agent and place.
            for c in doc[h].children:
                m = index.get(c.i)
                if lab == "CASUALTY" and m is not None and triggers[m][1] == "ATTACK" and c.dep_.startswith("obl"):
                    for role, target in outs[m].items:
                        if role in ("agent", "place"):
                            outs[n].add(role, target, c)
        return [o.items for o in outs]

    # -- the trigger's own dependents ---------------------------------------------------
    def _own(self, reader: _Reader, out: _Out, tok: Token, label: str) -> None:
        nominal = tok.pos_ in NOMINAL
        passive = tok.pos_ in ("VERB", "AUX", "ADJ") and is_passive(tok)
        slots = list(tok.children)
        if tok.dep_ in ("acl", "amod") and tok.pos_ in ("VERB", "ADJ"):
            slots.append(tok.head)  # "un soldat blessé": the modified noun is the patient
        for c in slots:
            dep, case = ("nsubj:pass", "") if c is tok.head else (c.dep_, case_of(c))
            if nominal and dep in ("acl", "acl:relcl"):
                self._participle(reader, out, c, label)
                continue
            if nominal and dep == "appos" and c.pos_ == "NOUN":
                # "des négociations, un processus qui avait été lancé l'année dernière"
                for a in c.children:
                    if a.dep_ in ("acl", "acl:relcl"):
                        self._participle(reader, out, a, label)
            if nominal and dep == "nmod":
                # "une frappe à Damas imputée à Israël": the claim hangs on the place.
                for a in c.children:
                    if a.dep_ == "acl" and a.lemma_.lower() in self._claims:
                        self._participle(reader, out, a, label)
            for t in reader.members(c):
                lab = reader.label(t) if t.i in reader.entity_at else ""
                if reader.entity(t) is None:
                    continue
                t_case = case_of(t) or case
                if t_case in _PLACE_CASES:
                    if lab == "LOC":
                        out.entity("place", t, members=False)  # never a target or subject
                elif dep == "nsubj" and not passive:
                    out.entity(_SUBJECT_ROLE.get(label, "agent"), t, members=False)
                elif dep in ("obj", "nsubj:pass") or (dep == "nsubj" and passive):
                    out.entity(_OBJECT_ROLE.get(label, "target"), t, members=False)
                elif dep == "obl:agent" or t_case == "par":
                    out.entity(_SUBJECT_ROLE.get(label, "agent"), t, members=False)
                elif t_case == "contre":
                    out.entity("target", t, members=False)
                elif t_case in ("avec", "entre"):
                    out.entity("participants" if label == "MEETING" else "parties", t, members=False)
                elif t_case in _ORIGIN_CASES and label == "WITHDRAWAL" and lab == "LOC":
                    out.entity("origin", t, members=False)
                elif t_case in _OF_CASES and nominal and dep == "nmod" and lab == "PER":
                    # "l'assassinat de Qassem Soleimani", "la visite de Nuland"
                    out.entity({"ATTACK": "target", "MEETING": "participants"}.get(label, ""), t, members=False)
            if reader.entity(c) is None:
                out.places(reader.locative(c))  # "dans l'ouest de l'Irak"
                if is_time(c) and dep not in ("nsubj", "nsubj:pass", "conj"):
                    out.time(c)
            if dep in _COMPLEMENT_DEPS and case != "par":
                # "a bombardé des bases à Bagdad": the place often hangs on the target.
                out.places(reader.places(c))
                if dep in ("obj", "obl", "obl:mod", "obl:arg") and not is_time(c):
                    for d in misplaced_time(c):  # "a attaqué la base en janvier"
                        out.time(d)
            if label == "WITHDRAWAL" and dep in ("obj", "nmod", "nsubj:pass"):
                for o in reader.origins(c):
                    out.entity("origin", o, members=False)
            self._quantities(out, c, dep)

    def _quantities(self, out: _Out, c: Token, dep: str) -> None:
        if dep == "nummod" and c.like_num:
            out.quantity(c)
        if dep == "nsubj" and any(o.dep_ == "obj" for o in c.head.children):
            return  # "une frappe a tué deux gardes": the subject is the agent, not the count
        if dep in ("nsubj", "obj", "nsubj:pass") and "quantity" in out.roles:
            for g in c.children:
                if g.dep_ in ("nummod", "det") and g.like_num:
                    out.quantity(g)

    def _participle(self, reader: _Reader, out: _Out, a: Token, label: str) -> None:
        """A participle or relative clause on an event noun: its agent, place and time."""
        if negated(a, self._negators):
            return
        agent_role = _SUBJECT_ROLE.get(label, "agent")
        # "imputée à Israël par Téhéran": the "à" argument is the author, "par" only reports it.
        attributed = [c for c in a.children if a.lemma_.lower() in self._claims
                      and c.dep_ in ("obl:arg", "obl", "iobj") and case_of(c) == "à" and reader.entity(c) is not None]
        for c in attributed:
            out.entity(agent_role, c)
        # Only a participle saying the event happened dates or places it ("lancé l'année
        # dernière"), not one about something else ("annoncée en août").
        happened = a.lemma_.lower() in self._support | self._claims | self._verbs.get(label, frozenset())
        for c in a.children:
            if (c.dep_ == "obl:agent" or case_of(c) == "par") and not attributed and a.pos_ == "VERB":
                out.entity(agent_role, c)
            elif c.dep_.startswith("obl") and c not in attributed and happened:
                out.places(reader.locative(c))
                if reader.entity(c) is None and is_time(c):
                    out.time(c)

    # -- the clause around the trigger --------------------------------------------------
    def _clause(self, reader: _Reader, out: _Out, tok: Token, label: str, heads: dict[int, str]) -> None:
        agent_role = _SUBJECT_ROLE.get(label, "agent")
        if tok.pos_ in ("VERB", "AUX"):
            if not subjects(tok) and not is_passive(tok):
                for s in controller(tok):  # "a menacé de frapper", "demander à Bagdad d'expulser"
                    out.entity(agent_role, s)
            return
        g = governor(tok, label, heads, self._quantity_heads)
        head = g.head
        if label == "MEETING":
            self._meeting_clause(reader, out, g)
        if head is g or head.pos_ not in ("VERB", "AUX"):
            return
        lemma = head.lemma_.lower()
        support = lemma in self._support or lemma in self._claims or lemma in self._verbs.get(label, ()) or (
            lemma == "avoir" and any(c.lower_ == "lieu" and c.dep_ == "obj" for c in head.children))  # "ont eu lieu"
        if support and not negated(head, self._negators):
            if g.dep_ == "obj":
                for s in subjects(head) or controller(head):  # "l'Iran a effectué des tirs"
                    out.entity(agent_role, s)
            if g.dep_ in SUBJECT_DEPS or is_passive(head):
                for c in head.children:  # "ont été revendiqués par la Résistance"
                    if c.dep_ == "obl:agent" or case_of(c) == "par":
                        out.entity(agent_role, c)
            if g.dep_ == "nsubj" and not is_passive(head):
                for c in head.children:  # "des attaques visent les États-Unis"
                    if c.dep_ == "obj":
                        out.entity(_OBJECT_ROLE.get(label, "target"), c)
            self._share(reader, out, head, g, deep=True)
        elif head.i in heads and g.dep_.startswith("obl"):
            # "Samedi, cinq membres … ont été tués dans une frappe": one event, one date.
            self._share(reader, out, head, g, deep=False)

    def _share(self, reader: _Reader, out: _Out, verb: Token, skip: Token, deep: bool) -> None:
        """The verb's time and place are the event's (and, ``deep``, its target's places)."""
        for c in verb.children:
            if c is skip or c.dep_ in SUBJECT_DEPS:
                continue
            if c.dep_ in _TIME_DEPS and reader.entity(c) is None and is_time(c):
                out.time(c)
            if c.dep_.startswith("obl"):
                out.places(reader.locative(c))
            if deep and c.dep_ in ("obj", "obl:arg", "obl:mod", "obl"):
                out.places(reader.places(c))
                if not is_time(c):
                    for d in misplaced_time(c):  # "a visé le convoi début mars"
                        out.time(d)

    def _meeting_clause(self, reader: _Reader, out: _Out, g: Token) -> None:
        """Who takes part in a meeting named in a "lors de" phrase or on a person."""
        head = g.head
        during = head.lower_ in DURING or any(c.lower_ in DURING for c in g.children if c.dep_ in ("case", "fixed"))
        if during:
            clause = head.head if head.lower_ in DURING else head
            if clause.pos_ in ("VERB", "AUX"):
                for s in subjects(clause) or controller(clause):  # "lors d'une conférence …, Pompeo a appelé"
                    out.entity("participants", s)
            elif clause.pos_ in NOMINAL:
                out.entity("participants", clause)
        elif g.dep_ in ("nmod", "acl", "appos") and reader.label(head) == "PER":
            out.entity("participants", head)  # "Victoria Nuland, en visite à Bagdad"

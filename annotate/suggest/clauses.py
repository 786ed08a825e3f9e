"""Parse helpers shared by the argument rules: case markers, negation, control, governors.

An event noun takes many of its arguments from the clause around it: the subject of its
support verb ("l'Iran a effectué des tirs"), the verb it is the subject of ("des attaques ont
visé X"), the controller of an infinitive ("a menacé de lancer des attaques"). These helpers
find that clause; ``arguments.py`` decides which roles it fills.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

NOMINAL = frozenset({"NOUN", "PROPN", "NUM"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass"})
# "lors d'une rencontre", "au cours d'un entretien": the clause's subject takes part.
DURING = frozenset({"lors", "pendant", "durant", "cours"})


def case_of(tok: Token) -> str:
    """The preposition (or subordinator) introducing ``tok``, lower-cased; "" if none."""
    for c in tok.children:
        if c.dep_ in ("case", "mark") or (c.dep_ == "fixed" and c.i < tok.i):
            return c.lower_
    return ""


def is_passive(verb: Token) -> bool:
    """Passive voice: an "être" passive auxiliary or a passive-marked participle."""
    return any(c.dep_ == "aux:pass" for c in verb.children) or "Pass" in verb.morph.get("Voice")


def negated(tok: Token, negators: frozenset[str]) -> bool:
    """A negator among the word's own dependents ("n'a pas revendiqué")."""
    return any(c.lower_ in negators and c.dep_ in ("advmod", "det", "case") for c in tok.children)


def subjects(verb: Token) -> list[Token]:
    """Active subjects of ``verb``; empty for a passive or subjectless verb."""
    return [c for c in verb.children if c.dep_ == "nsubj"]


def controller(verb: Token) -> list[Token]:
    """Who does the action of a subjectless verb: infinitives, gerunds, coordinated verbs.

    Climbs "xcomp" (object control first: "demander à Bagdad de … expulser" → Bagdad; else the
    subject: "ont menacé de lancer" → the threatener), subjectless participial adverbials
    ("l'Iran …, assurant avoir pris pour cible" → l'Iran) and coordinated verbs.
    """
    v = verb
    for _ in range(4):
        if subjects(v) or v.dep_ not in ("xcomp", "advcl", "conj") or v.head is v:
            break
        if v.dep_ == "advcl" and not ("Part" in v.morph.get("VerbForm") and "Pres" in v.morph.get("Tense")):
            # Only a gerund-like participle shares the main subject ("…, assurant avoir");
            # "pour avoir ciblé" after "condamné les attaques mentionnant X" is X's doing.
            break
        head = v.head
        if v.dep_ == "xcomp":
            objs = [c for c in head.children if c.i != v.i and (
                c.dep_ in ("iobj", "obj") or (c.dep_ == "obl:arg" and case_of(c) == "à"))
                and c.pos_ in NOMINAL]
            if objs:
                return objs
        if head.pos_ not in ("VERB", "AUX"):
            break
        v = head
    return subjects(v)


def segments(doc: Doc) -> list[int]:
    """A segment number per token: a new one at each sentence start and after a line break.

    The parser sometimes runs a sentence across paragraphs; arguments never cross them.
    """
    seg, out = 0, []
    for t in doc:
        if (t.is_sent_start and t.i > 0) or (t.i > 0 and "\n" in doc[t.i - 1].text):
            seg += 1
        out.append(seg)
    return out


def governor(tok: Token, label: str, heads: dict[int, str], quantity_heads: frozenset[str]) -> Token:
    """The token standing for ``tok`` in its clause.

    Coordinated triggers share their first conjunct's clause ("frappes … ou tirs … ont été
    revendiqués"); a trigger counted by a quantity noun stands where that noun does ("la
    plupart des frappes", "une série de frappes", "davantage d'attaques").
    """
    g = tok
    for _ in range(6):
        if g.dep_ == "conj" and g.head is not g:
            g = g.head
            # "frappes de drones ou tirs": the parser hangs the second trigger on a modifier.
            if g.i not in heads and g.dep_ == "nmod" and heads.get(g.head.i) == label:
                g = g.head
        elif g.dep_ in ("nmod", "obl:arg") and g.head.lemma_.lower() in quantity_heads:
            g = g.head
        else:
            break
    return g

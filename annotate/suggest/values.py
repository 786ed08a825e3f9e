"""Time and quantity value spans read from the parse (DATE / QUANTITY fillers).

A value span is the expression without its leading preposition or article ("le 17 octobre"
→ "17 octobre"); a range is one span from its first to its last date ("entre octobre 2019 et
fin juillet" → "octobre 2019 et fin juillet"); a quantity is the numeral alone ("5 000").
"""

from __future__ import annotations

from spacy.tokens import Token

from annotate.suggest.words import MONTHS, WEEKDAYS

_TIME_WORDS = frozenset(WEEKDAYS + MONTHS + ("hier", "aujourd'hui", "demain", "avant-hier", "week-end"))
# Period nouns are a date only when anchored by "dernier", "prochain"…: "ces dernières semaines",
# "l'année dernière"; a bare "des mois" is vague.
_PERIODS = frozenset({"semaine", "mois", "année", "an", "jour", "week"})
_ANCHORS = frozenset({"dernier", "dernière", "derniers", "dernières", "prochain", "prochaine",
                      "prochains", "prochaines", "passé", "passée", "passés", "passées"})
# Children that are not part of the value: clauses, side remarks, and "déjà" in "Lundi dernier déjà".
_OUTSIDE = frozenset({"acl", "acl:relcl", "advcl", "ccomp", "parataxis", "conj", "cc", "punct",
                      "appos", "advmod", "nsubj", "obj"})
_RANGE_CC = frozenset({"et", "à", "au"})


def is_time(tok: Token) -> bool:
    """True when ``tok`` heads a calendar expression (weekday, month, dated period…)."""
    if tok.pos_ in ("VERB", "AUX", "ADP", "PRON", "DET", "CCONJ", "PUNCT"):
        return False  # "annoncée en juillet" is a clause, not a date
    low = tok.lower_
    if low in _TIME_WORDS or (low.startswith("mi-") and low[3:] in MONTHS):
        return True
    if low == "week" and tok.i + 2 < len(tok.doc) and tok.doc[tok.i + 2].lower_ == "end":
        return True  # the tokenizer splits "week-end"
    if tok.lemma_.lower() in _PERIODS and any(c.lower_ in _ANCHORS for c in tok.children):
        return True
    return any(t.lower_ in MONTHS for t in tok.subtree if abs(t.i - tok.i) <= 4)


def _inside(tok: Token) -> list[Token]:
    """``tok`` and the dependents that belong to its expression (not clauses or conjuncts)."""
    out = [tok]
    for c in tok.children:
        if c.dep_ in _OUTSIDE:
            continue
        if c.dep_ == "nmod" and not (c.like_num or is_time(c)):
            continue  # "mi-octobre les soldats…": a misattached noun, not part of the date
        out.extend(_inside(c))
    return out


def _run(tok: Token) -> tuple[Token, Token]:
    """First and last token of the contiguous expression around ``tok``, article stripped."""
    toks = sorted(_inside(tok), key=lambda t: t.i)
    while toks and toks[0].dep_ in ("case", "det", "mark") and toks[0].i != tok.i:
        toks.pop(0)
    first = last = tok
    for t in toks:
        if t.i == last.i + 1 and t.i > tok.i:
            last = t
    for t in reversed([t for t in toks if t.i < tok.i]):
        if t.i == first.i - 1:
            first = t
    doc = tok.doc
    # Re-join hyphenated words the tokenizer split ("week - end").
    while last.i + 2 < len(doc) and doc[last.i + 1].text == "-" and not last.whitespace_:
        last = doc[last.i + 2]
    return first, last


def time_extent(tok: Token) -> tuple[int, int]:
    """Character extent of the time expression headed by ``tok``, ranges included."""
    first, last = _run(tok)
    for c in tok.children:
        cc = [g.lower_ for g in c.children if g.dep_ == "cc"]
        if c.dep_ == "conj" and c.i > last.i and is_time(c) and cc and cc[0] in _RANGE_CC:
            last = max(last, _run(c)[1], key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def number_extent(tok: Token) -> tuple[int, int]:
    """Character extent of a numeral, thousands groups included ("5 000")."""
    doc = tok.doc
    first = last = tok
    while first.i > 0 and doc[first.i - 1].like_num and doc[first.i - 1].head == tok.head:
        first = doc[first.i - 1]
    while last.i + 1 < len(doc) and doc[last.i + 1].like_num and doc[last.i + 1].head == tok.head:
        last = doc[last.i + 1]
    return first.idx, last.idx + len(last.text)

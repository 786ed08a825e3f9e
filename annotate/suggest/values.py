"""Time and quantity value spans read from the parse (DATE / QUANTITY fillers).

A value span is the expression without its leading preposition or article ("le 17 octobre"
→ "17 octobre"); a range is one span from its first to its last date ("entre octobre 2019 et
fin juillet" → "octobre 2019 et fin juillet", "du 4 au 18 août" → "4 au 18 août"); a quantity
is the numeral alone ("5 000", "12 500" with any space between the digit groups), never the
indefinite article ("un soldat", "une frappe").

Calendar expressions are first found on the surface (``date_ranges``): the parser often hangs
"fin", "début" or a year on the wrong word ("les positions fin juin") or tags the day of "du 4 au
18 août" as a pronoun, so the parse only says *where* a date is and the surface says how far it
goes.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from annotate.suggest.words import MONTHS, WEEKDAYS

_M = "(?:" + "|".join(MONTHS) + ")"
_WD = "(?:" + "|".join(WEEKDAYS) + ")"
_DAY = r"(?:1er|premier|3[01]|[12]\d|0?[1-9])"
_YEAR = r"(?:1[89]\d\d|2\d\d\d)"
# "fin juin", "début mars", "mi-octobre", "courant mai".
_EDGE = r"(?:(?:fin|début|debut|courant|mi)\s+|mi-)"
_MONTHX = rf"(?:{_EDGE}|{_DAY}\s+)?{_M}(?:\s+{_YEAR})?"
_WDX = (rf"{_WD}(?:\s+{_DAY}\s+{_M}(?:\s+{_YEAR})?)?"
        r"(?:\s+(?:dernier|prochain|soir|matin|après-midi|midi))?")
_REL = r"(?:avant-hier|après-demain|hier|aujourd'hui|demain)(?:\s+(?:soir|matin|après-midi))?"
_WEEKEND = r"(?:week-end|weekend)(?:\s+(?:dernier|prochain))?"
_ONE = rf"(?:{_WDX}|{_MONTHX}|{_REL}|{_WEEKEND})"
# A range needs its opening word ("entre", "du", "de", "depuis"); "samedi et dimanche" is two days.
_RANGE = re.compile(
    rf"(?<![\w-])(?:entre|du|de|depuis)\s+(?:le\s+|l')?"
    rf"(?P<v>(?:{_ONE}|{_DAY})\s+(?:et\s+(?:le\s+)?|au\s+|à\s+(?:la\s+)?){_ONE})(?![\w-])",
    re.I,
)
_SINGLE = re.compile(rf"(?<![\w-]){_ONE}(?![\w-])", re.I)
_DATES_KEY = "glossator_date_ranges"

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
# Indefinite articles read as numerals by the tagger: "un soldat", "une frappe" count nothing.
_ARTICLES = frozenset({"un", "une", "l'un", "l'une"})
# Big-number words that belong to the numeral: "2,5 millions", "deux milliards".
_NUMBER_WORDS = frozenset({"million", "millions", "milliard", "milliards"})
_DIGIT_GROUP = re.compile(r"\d{3}")
_LEAD_GROUP = re.compile(r"\d{1,3}")


def date_ranges(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of the calendar expressions of ``doc``, ranges first, not overlapping."""
    cached = doc.user_data.get(_DATES_KEY)
    if cached is not None:
        return cached
    text = doc.text
    out = [m.span("v") for m in _RANGE.finditer(text)]
    for m in _SINGLE.finditer(text):
        if not any(m.start() < e and s < m.end() for s, e in out):
            out.append(m.span())
    out.sort()
    doc.user_data[_DATES_KEY] = out
    return out


def _date_at(tok: Token) -> tuple[int, int] | None:
    for s, e in date_ranges(tok.doc):
        if s <= tok.idx < e:
            return s, e
    return None


def is_time(tok: Token) -> bool:
    """True when ``tok`` heads a calendar expression (weekday, month, dated period…)."""
    if tok.pos_ in ("VERB", "AUX", "ADP", "DET", "CCONJ", "PUNCT"):
        return False  # "annoncée en juillet" is a clause, not a date
    if tok.pos_ == "PRON" and not tok.like_num:
        return False  # but "du 4 au 18 août" tags the 4 as a pronoun
    if _date_at(tok) is not None:
        return True
    if tok.pos_ == "PRON":
        return False
    low = tok.lower_
    if low in _TIME_WORDS or (low.startswith("mi-") and low[3:] in MONTHS):
        return True
    if low == "week" and tok.i + 2 < len(tok.doc) and tok.doc[tok.i + 2].lower_ == "end":
        return True  # the tokenizer splits "week-end"
    if tok.lemma_.lower() in _PERIODS and any(c.lower_ in _ANCHORS for c in tok.children):
        return True
    # "le 17" whose month the parser hung below: a numeral heading a date, not a noun with one.
    return tok.like_num and any(t.lower_ in MONTHS for t in tok.subtree if abs(t.i - tok.i) <= 4)


def misplaced_time(tok: Token) -> list[Token]:
    """Dates the parser hung on a complement instead of its verb.

    "a attaqué la base en janvier", "ont frappé les positions fin juin": a noun rarely takes a
    bare or "en" date as its own modifier; the date is the event's.
    """
    out = []
    for c in tok.children:
        if c.dep_ in ("nmod", "amod", "obl", "obl:mod") and is_time(c) and _date_at(c) is not None:
            case = [g.lower_ for g in c.children if g.dep_ == "case"]
            if not case or case[0] in ("en", "dès", "depuis", "entre", "du", "début", "fin"):
                out.append(c)
    return out


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


def _extent(tok: Token) -> tuple[int, int]:
    surface = _date_at(tok)
    if surface is not None:
        return surface
    first, last = _run(tok)
    return first.idx, last.idx + len(last.text)


def time_extent(tok: Token) -> tuple[int, int]:
    """Character extent of the time expression headed by ``tok``, ranges included."""
    start, end = _extent(tok)
    for c in tok.children:
        cc = [g.lower_ for g in c.children if g.dep_ == "cc"]
        if c.dep_ == "conj" and c.idx >= end and is_time(c) and cc and cc[0] in _RANGE_CC:
            end = max(end, _extent(c)[1])
    return start, end


def is_article(tok: Token) -> bool:
    """True for "un"/"une" used as an indefinite article, not as a count."""
    return tok.lower_ in _ARTICLES


def number_extent(tok: Token) -> tuple[int, int] | None:
    """Character extent of a numeral, thousands groups included ("5 000", "12 500").

    Digit groups are joined on the surface (one space, no-break or not, between a number and a
    three-digit group) whatever the parse made of them; ``None`` for an indefinite article.
    """
    if is_article(tok):
        return None
    doc = tok.doc
    first = last = tok
    # "12 500": a 1-3 digit number, one space, then three-digit groups (U+00A0 and U+202F are
    # spaces after normalisation).
    while first.i > 0 and _DIGIT_GROUP.fullmatch(first.text) and _LEAD_GROUP.fullmatch(doc[first.i - 1].text) \
            and len(doc[first.i - 1].whitespace_) == 1:
        first = doc[first.i - 1]
    while (last.i + 1 < len(doc) and len(last.whitespace_) == 1 and _LEAD_GROUP.fullmatch(last.text)
           and _DIGIT_GROUP.fullmatch(doc[last.i + 1].text)):
        last = doc[last.i + 1]
    if last.i + 1 < len(doc) and doc[last.i + 1].lower_ in _NUMBER_WORDS and last.whitespace_:
        last = doc[last.i + 1]
    return first.idx, last.idx + len(last.text)

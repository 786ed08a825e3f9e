"""Post-model filters for entity spans, one rule per mistake measured on the seeds.

Every function works on the *normalised* text (see ``normalise``) and on character
offsets, so the rules can be tested on plain strings. ``clean_entity`` chains them:
it returns a corrected ``(start, end, label)`` or ``None`` when the span must go.
The conventions come from the annotation guidelines (ANNOTATION.md §1–2).
"""

from __future__ import annotations

import re

from annotate.suggest import words

Span = tuple[int, int, str]

# Apostrophes are not edge junk: a trailing one marks an elided word (see strip_elisions).
_EDGE_JUNK = " \t\n\"«»“”.,;:!?()[]{}-–—…/*|"
_ELIDED_LEAD = re.compile(r"(?:l|d|qu|s|n|j|m|t|c|jusqu|lorsqu|puisqu)'", re.I)
_ELIDED_TAIL = re.compile(r"\s+(?:l|d|qu|s|n|j|m|t|c|jusqu|lorsqu)'?$", re.I)
_DETERMINER = re.compile(r"(?:le|la|les|du|des|de|un|une|en|au|aux|à|a|dans|ce|cette|ces)\s+", re.I)
_WORD = re.compile(r"[^\s]+")


def _trim_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` past whitespace and punctuation on both sides."""
    while start < end and text[start] in _EDGE_JUNK:
        start += 1
    while end > start and text[end - 1] in _EDGE_JUNK:
        end -= 1
    return start, end


def split_on_line_break(text: str, start: int, end: int) -> tuple[int, int]:
    """Keep the longest line of a span that crosses a line or paragraph break."""
    piece = text[start:end]
    if "\n" not in piece:
        return start, end
    best, pos = (start, start), start
    for line in piece.split("\n"):
        s, e = _trim_edges(text, pos, pos + len(line))
        if e - s > best[1] - best[0]:
            best = (s, e)
        pos += len(line) + 1
    return best


def strip_elisions(text: str, start: int, end: int) -> tuple[int, int]:
    """Remove elided articles/pronouns at either end (``L'Irak`` → ``Irak``, ``Baghdad n'`` → ``Baghdad``)."""
    changed = True
    while changed and start < end:
        changed = False
        m = _ELIDED_LEAD.match(text, start, end)
        if m:
            start, changed = m.end(), True
        m = _ELIDED_TAIL.search(text[start:end])
        if m and text[start + m.start():end].strip().endswith("'"):
            end, changed = start + m.start(), True
        elif text[start:end].endswith("'"):
            # A span ending in an apostrophe ("L'", "s'") is a token piece, never a name.
            return start, start
        start, end = _trim_edges(text, start, end)
    return start, end


def strip_determiners(text: str, start: int, end: int) -> tuple[int, int]:
    """Remove leading determiners and prepositions, except in names that keep them (``Le Caire``)."""
    while start < end:
        if text[start:end].lower() in words.KEEP_DETERMINER:
            break
        m = _DETERMINER.match(text, start, end)
        if not m:
            break
        start = m.end()
    return start, end


def strip_title(text: str, start: int, end: int, label: str) -> Span | None:
    """Remove a leading title or function; a span that is only a function is dropped.

    ``Premier ministre irakien Mustafa Al-Kadhimi`` → ``Mustafa Al-Kadhimi`` (PER),
    ``Premier ministre d'Irak`` → ``Irak`` (LOC), ``ministre des Affaires étrangères`` → None.
    """
    m = words.TITLE_RE.match(text, start, end)
    if not m:
        # The model may start inside a title: "secrétaire d'" + "État Blinken".
        for w in re.finditer(r"\S+", text[max(0, start - 30):start]):
            inner = words.TITLE_RE.match(text, max(0, start - 30) + w.start(), end)
            if inner and start < inner.end() < end and inner.group().strip()[-1:].isalpha():
                m = inner
                break
        if not m:
            return start, end, label
    pos = m.end()
    # Nationality adjectives right after the title belong to it ("ministre irakien").
    while True:
        w = _WORD.match(text, pos, end)
        if not w or w.group().lower().strip(",") not in words.NATIONALITY_FORMS:
            break
        pos = w.end()
        while pos < end and text[pos] in " ,":
            pos += 1
    rest_start, rest_end = _trim_edges(text, pos, end)
    if rest_start >= rest_end:
        return None
    rest = text[rest_start:rest_end]
    prep = re.match(r"^(?:d'|de |du |des )", rest, re.I)
    if prep:
        tail = rest[prep.end():]
        # "Premier ministre d'Irak": the country is a name; "des Affaires étrangères" is a function.
        if re.fullmatch(r"[A-ZÉÈÀÂÎ][\w-]*", tail):
            return rest_start + prep.end(), rest_end, "LOC"
        return None
    if not rest[0].isupper():
        return None
    return rest_start, rest_end, "PER"


def strip_generic_head(text: str, start: int, end: int, label: str) -> Span | None:
    """Handle spans that start with a lowercase word.

    Name particles (``al-Soudani``) and official lowercase names (``mer Rouge``,
    ``ministère de …``) are kept; a generic head before ``de`` + name is removed
    (``province de Wasit`` → ``Wasit``), and so is a kind noun before the name, which gives its
    label (``parti Taqaddum`` → ``Taqaddum``, ORG); anything else lowercase is dropped.
    """
    piece = text[start:end]
    if not piece or not piece[0].islower():
        return start, end, label
    low = piece.lower()
    if low.startswith(words.LOWERCASE_NAME_STARTS):
        return start, end, label
    m = re.search(r"(?:\s(?:de|du|des)\s|\sd')(?=[A-ZÉÈÀÂÎ])", piece)
    if m and all(w.islower() or w.startswith("d'") for w in piece[: m.start()].split()):
        new_label = "LOC" if label == "MISC" else label
        return start + m.end(), end, new_label
    # A kind noun, maybe with its adjectives, then the name: "parti Taqaddum", "groupe armé X",
    # "opération Bouclier du désert" — the noun goes and says the name's kind.
    kind = words.kind_of_noun(piece.split()[0])
    if kind:
        for w in re.finditer(r"\S+", piece):
            if w.start() == 0 or w.group().lower() in words.KIND_ADJECTIVES | words.NATIONALITY_FORMS:
                continue
            if w.group()[0].isupper():
                return start + w.start(), end, kind
            break
    return None


def strip_trailing_nationality(text: str, start: int, end: int) -> tuple[int, int]:
    """Remove trailing nationality adjectives (``Parlement irakien`` → ``Parlement``)."""
    if text[start:end] in words.KEEP_NATIONALITY:
        return start, end
    while True:
        piece = text[start:end]
        cut = piece.rfind(" ")
        if cut <= 0 or piece[cut + 1:].lower() not in words.NATIONALITY_FORMS:
            return start, end
        if not piece[cut + 1].islower():
            return start, end
        end = start + cut
        start, end = _trim_edges(text, start, end)


def is_junk(piece: str) -> bool:
    """True for spans that are never names: weekdays, months, common words, boilerplate, demonyms."""
    low = piece.lower()
    if low in words.STOP_SPANS or any(b in low for b in words.BOILERPLATE):
        return True
    if re.fullmatch(r"[\d\s.,/:-]*", piece):
        return True
    if low.startswith(("pro-", "anti-", "ex-", "néo-", "post-")):
        return True
    return all(w.lower() in words.NATIONALITY_FORMS for w in piece.split())


_FUNCTION_BEFORE = re.compile(
    r"\b(?:ministre|secrétaire|responsable|chef|directeur|directrice|conseiller|conseillère|"
    r"porte-parole)\b[^.\n]{0,30}?\b(?:de la|à la|de l'|à l'|des|aux|du|de)\s*$",
    re.I,
)


def is_function_portfolio(text: str, start: int, end: int) -> bool:
    """True for a ministry portfolio inside a job title (``secrétaire à la Défense``)."""
    if text[start:end].lower() not in words.PORTFOLIOS:
        return False
    return bool(_FUNCTION_BEFORE.search(text[max(0, start - 60):start]))


def alone_on_line(text: str, start: int, end: int) -> bool:
    """True when the span fills its line: a stand-alone header, byline or sub-heading."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return not text[line_start:start].strip() and not text[end:line_end].strip()


def clean_entity(text: str, start: int, end: int, label: str) -> Span | None:
    """Apply every entity filter in order; return the corrected span or ``None`` to drop it."""
    start, end = split_on_line_break(text, start, end)
    start, end = _trim_edges(text, start, end)
    for _ in range(3):  # titles, determiners and elisions can nest ("l'ex-Premier ministre")
        before = (start, end, label)
        start, end = strip_elisions(text, start, end)
        start, end = strip_determiners(text, start, end)
        result = strip_title(text, start, end, label)
        if result is None:
            return None
        start, end, label = result
        result = strip_generic_head(text, start, end, label)
        if result is None:
            return None
        start, end, label = result
        start, end = strip_trailing_nationality(text, start, end)
        start, end = _trim_edges(text, start, end)
        if (start, end, label) == before:
            break
    if start >= end or is_junk(text[start:end]) or alone_on_line(text, start, end):
        return None
    if is_function_portfolio(text, start, end):
        return None
    return start, end, label

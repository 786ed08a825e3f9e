"""Finding metadata, boilerplate, title and date in raw article text.

Nothing here rewrites text: results are offsets (regions) into the verbatim text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.models import Region

BOILERPLATE = "boilerplate"
METADATA = "metadata"

_DATE_MARKER = re.compile(r"\A[ \t]*date[ \t]+(\d{4})-(\d{2})(?:-(\d{2}))?[ \t]*")
_BYLINE_DATE = re.compile(r"^\s*(\d{2})/(\d{2})/(\d{4})\b.*$")
_COUNTER = re.compile(r"^\s*\d{1,7}\s*$")
_NAV = {
    "rechercher", "menu", "accueil", "se connecter", "connexion", "s'abonner", "abonnez-vous",
    "partager", "facebook", "x", "twitter", "whatsapp", "telegram", "linkedin", "email", "imprimer",
    "afp", "agence france-presse", "reuters", "ap", "lire aussi", "publicité",
    "bouton retour en haut de la page", "retour en haut de la page",
}
_TAIL_MARKERS = ("articles similaires", "articles liés", "sur le même sujet", "à lire aussi")
_SHOW_MORE = ("afficher plus", "voir plus", "lire la suite")
_COPYRIGHT = re.compile(r"(?i)(copyright|©|all rights reserved|tous droits réservés)")
_SENTENCE_END = re.compile(r"[.!?»\"]\s*$")


@dataclass(frozen=True)
class Cleaned:
    """What cleaning found in one text."""

    title: str
    date: str | None
    regions: tuple[Region, ...]
    flags: tuple[str, ...]


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, end excluding the line break."""
    out, pos = [], 0
    if "\r" not in text:  # the common case, without a regular expression: the same lines
        for line in text.split("\n"):
            out.append((pos, pos + len(line)))
            pos += len(line) + 1
        return out
    for match in re.finditer(r"\r\n|\n|\r", text):
        out.append((pos, match.start()))
        pos = match.end()
    out.append((pos, len(text)))
    return out


def _key(line: str) -> str:
    return " ".join(line.replace("’", "'").split()).lower().strip(" :.")


_KEYED_WORDS = max(len(k.split()) for k in (*_NAV, *_TAIL_MARKERS, *_SHOW_MORE))


def _line_key(line: str) -> str | None:
    """``_key(line)`` when the line could be a navigation, tail or "show more" line; None when it
    cannot, found without reading a long paragraph whole (cleaning is most of an ingest's CPU)."""
    words = line.split(None, _KEYED_WORDS + 1)
    # Only words made of ':' and '.' alone can be stripped away whole: with more words than the
    # longest keyed line and none such among the first ones, the key has too many words.
    if len(words) > _KEYED_WORDS + 1 and all(w.strip(":.") for w in words[:_KEYED_WORDS + 1]):
        return None
    return _key(line)


def _copyright(line: str) -> bool:
    """Whether ``_COPYRIGHT`` finds a notice in ``line``. Its case-insensitive search is slow
    (a third of an import's regular-expression time, most of it on lines that hold no notice),
    so it runs only on lines holding "ht", "dr" or "©" in any case: each of its words holds one
    of them, and no character but the ASCII letters matches h, t, d or r case-insensitively, so
    a line without one cannot match (tests/annotate/test_cleaning_copyright.py checks both)."""
    low = line.lower()
    return ("ht" in low or "dr" in low or "©" in line) and _COPYRIGHT.search(line) is not None


def clean(text: str) -> Cleaned:
    """Find regions, title, date and flags of a raw article."""
    regions: list[Region] = []
    date: str | None = None
    lines = _lines(text)
    title_line: tuple[int, int] | None = None
    tail_from: int | None = None

    marker = _DATE_MARKER.match(text)
    if marker:
        year, month, day = marker.groups()
        date = f"{year}-{month}" + (f"-{day}" if day else "")
        regions.append(Region(marker.start(), marker.end(), METADATA))

    for start, end in lines:
        if marker and start == 0:
            start = marker.end()
        raw = text[start:end]
        if not raw.strip():
            continue
        key = _line_key(raw)
        byline = _BYLINE_DATE.match(raw)
        if tail_from is None and key in _TAIL_MARKERS:
            tail_from = start
            break
        if byline:
            if date is None:
                day, month, year = byline.groups()
                date = f"{year}-{month}-{day}"
            regions.append(Region(start, end, METADATA))
        elif _COUNTER.match(raw):
            regions.append(Region(start, end, METADATA))
        # The length first: the copyright search is the slowest test, and paragraphs are long.
        elif key in _NAV or key in _SHOW_MORE or len(raw) < 200 and _copyright(raw):
            regions.append(Region(start, end, BOILERPLATE))
        elif title_line is None:
            if _is_section_label(raw):
                regions.append(Region(start, end, BOILERPLATE))
            else:
                title_line = (start, end)

    if tail_from is not None:
        regions.append(Region(tail_from, len(text), BOILERPLATE))
    title = _title(text, title_line)
    return Cleaned(title=title, date=date, regions=_merge(regions), flags=_flags(text, lines, regions))


_SECTION_WORDS = {
    "actualité", "actualités", "infos", "info", "dernières", "monde", "international", "moyen-orient",
    "proche-orient", "sécurité", "politique", "économie", "société", "défense", "diplomatie", "afrique",
    "europe", "asie", "amériques", "maghreb", "culture", "sport", "opinions", "analyse", "dépêches",
}


def _is_section_label(line: str) -> bool:
    """A short header such as "Moyen-Orient" or "Dernières Infos - Sécurité" before the headline.

    A short line alone is not enough (a one-word headline exists): it must use a
    section separator or a section word.
    """
    words = line.split()
    if len(words) > 4 or _SENTENCE_END.search(line):
        return False
    lowered = {w.strip(" -|>»").lower() for w in words}
    return " - " in line or " | " in line or " > " in line or bool(lowered & _SECTION_WORDS)


def _title(text: str, line: tuple[int, int] | None) -> str:
    if line is None:
        return ""
    title = " ".join(text[line[0]:line[1]].split())
    if len(title) > 160:
        cut = re.search(r"[.!?](\s|$)", title[40:200])
        title = title[: 40 + cut.start() + 1] if cut else title[:160].rsplit(" ", 1)[0] + " …"
    return title


def _merge(regions: list[Region]) -> tuple[Region, ...]:
    out: list[Region] = []
    for region in sorted(regions, key=lambda r: (r.start, r.end)):
        if out and region.start <= out[-1].end and region.kind == out[-1].kind:
            out[-1] = Region(out[-1].start, max(out[-1].end, region.end), region.kind)
        else:
            out.append(region)
    return tuple(out)


def _flags(text: str, lines: list[tuple[int, int]], regions: list[Region]) -> tuple[str, ...]:
    """``repeated_lead`` when the first real paragraph (≥ 80 chars) appears again later."""
    def region_end(pos: int) -> int | None:
        return next((r.end for r in regions if r.start <= pos < r.end), None)

    for start, end in lines:
        skip = region_end(start)
        if skip is not None:
            if skip >= end:
                continue
            start = skip
        para = text[start:end].strip()
        if len(para) >= 80:
            probe = para[:80]
            if text.find(probe, end) != -1:
                return ("repeated_lead",)
            return ()
    return ()


_WORD = re.compile(r"[^\W_]+")
_KEY_WORDS = 400


def near_duplicate_key(text: str) -> str:
    """A key equal for texts that differ only in case, spacing and punctuation: the first 400 words."""
    # The same words as splitting on [\W_]+ (no whitespace is a word character), read from a prefix
    # only (ingest computes this for every article). The prefix ends on a space: no word spans it,
    # and lowercasing stops looking ahead there (a final sigma), so its words are the text's.
    size = 10 * _KEY_WORDS
    while True:
        cut = text.find(" ", size)
        words = []
        for token in (text if cut < 0 else text[:cut + 1]).lower().split():
            # No whitespace is a word character, so the words of the prefix are those of its tokens;
            # most tokens are one word whole (isalnum is what [^\W_] tests, character by character).
            if token.isalnum():
                words.append(token)
            else:
                words.extend(_WORD.findall(token))
        if cut < 0 or len(words) >= _KEY_WORDS:
            return " ".join(words[:_KEY_WORDS])
        size *= 2

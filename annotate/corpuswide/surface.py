"""How two surfaces are compared across the corpus, and where a surface occurs in a verbatim text.

:func:`fold` maps every character to one character (so offsets into the folded text are offsets
into the verbatim text): case and accents folded, curly apostrophes straight, every space
(U+00A0, U+202F, tabs, newlines) a plain space. A surface occurs where its folded words appear
in the folded text in order, separated by whitespace where the surface has some and by nothing
where it has none (``l'Irak``), and never inside a word: "Irak" is not found in "Irakien".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

APOSTROPHES = "\u2019\u2018\u02bc\u00b4`\u2032"
_PIECE = re.compile(r"\w+|[^\w\s]")


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on first sight of each character (one C call per text)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in APOSTROPHES:
            out = "'"
        elif char.isspace():
            out = " "
        else:
            base = unicodedata.normalize("NFD", char)[0]
            low = base.lower()
            out = low if len(low) == 1 else base  # "İ".lower() is two characters: keep one for one
        self[code] = out
        return out


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """``text`` folded one character for one (case, accents, apostrophes, spaces)."""
    return text.translate(_TABLE)


def surface_key(text: str) -> str:
    """The comparison key of a surface: folded, whitespace collapsed ("" for none)."""
    return " ".join(fold(text).split())


def _variants() -> dict[str, str]:
    """Folded character → every character of Latin scripts (and the apostrophes and spaces) that
    folds to it, as the inside of a regex class."""
    out: dict[str, set[str]] = {}
    for code in (*range(0x250), *range(0x1E00, 0x1F00), *map(ord, APOSTROPHES), 0x202F):
        char = chr(code)
        out.setdefault(fold(char), set()).add(char)
    return {k: "".join(re.escape(c) for c in sorted(v)) for k, v in out.items() if len(v) > 1}


_VARIANTS = _variants()


def _char_class(folded: str) -> str:
    """A regex matching every character that folds to ``folded`` (itself and its capital beyond
    Latin scripts)."""
    found = _VARIANTS.get(folded)
    if found is None:
        upper = folded.upper()
        return re.escape(folded) if len(upper) != 1 or upper == folded else f"[{re.escape(folded)}{re.escape(upper)}]"
    return f"[{found}]"


def pattern(surface: str) -> re.Pattern[str] | None:
    """A regex over the verbatim text that finds ``surface`` as :func:`fold` compares it, on token
    boundaries (None: nothing to find). Built of character classes (``e`` is ``[eEéÉèÈ…]``), so
    that a text is searched as it is, without folding it first."""
    folded = fold(surface).strip()
    pieces = list(_PIECE.finditer(folded))
    if not pieces:
        return None
    parts = []
    for n, piece in enumerate(pieces):
        if n:
            gap = folded[pieces[n - 1].end():piece.start()]
            parts.append(r"\s+" if gap else "")
        parts.append("".join(_char_class(c) for c in piece.group()))
    head = r"(?<!\w)" if re.match(r"\w", pieces[0].group()) else ""
    tail = r"(?!\w)" if re.search(r"\w$", pieces[-1].group()) else ""
    return re.compile(head + "".join(parts) + tail)


def find_all(text: str, surface: str, found: re.Pattern[str] | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of every occurrence of ``surface`` in the verbatim ``text`` (``found``: its
    :func:`pattern`, when the caller searches many texts)."""
    found = found or pattern(surface)
    if found is None:
        return
    for match in found.finditer(text):
        yield match.start(), match.end()


def fts_phrase(surface: str) -> str | None:
    """An FTS5 phrase query matching the surface's words in order (the index folds case and
    accents and splits on apostrophes and spaces, as :func:`fold` does); None: no word."""
    words = re.findall(r"[^\W_]+", surface)  # unicode61 splits on "_" too
    if not words:
        return None
    return '"' + " ".join(words).replace('"', '""') + '"'


def context(text: str, start: int, end: int, width: int = 40) -> tuple[str, str]:
    """Up to ``width`` characters left and right of ``start``–``end``, on one line."""
    left = " ".join(text[max(0, start - width * 2):start].split())[-width:]
    right = " ".join(text[end:end + width * 2].split())[:width]
    if text[max(0, start - 1):start].isspace():
        left += " "
    if text[end:end + 1].isspace():
        right = " " + right
    return left, right

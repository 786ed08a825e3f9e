"""Data shown literally: the one place that turns strings from data into safe display text.

Strings from data (article text, titles, entity names, aliases, labels, annotators, file
names) may hold Rich/Textual markup (``[bold]``, ``[/]``, ``[link=…]``) and terminal control
characters (ANSI CSI and OSC sequences start with ESC or a C1 control). Neither may reach the
screen as code:

- in the app, ``literal`` builds a :class:`rich.text.Text` (never parsed as markup) from
  ``displayable`` text, where every control character is replaced one for one by a visible
  stand-in (``␛`` for ESC …), so offsets into the text stay valid;
- on the command line, ``escaped`` writes control characters as ``\\x1b``-style escapes and
  ``json_text`` writes the ones JSON leaves raw as ``\\u009b``-style escapes (same value).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.text import Text

# Zero-width and bidi controls: they would hide or reorder the text around them.
_INVISIBLE = (0x200B, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF)


def _display_table() -> dict[int, str]:
    table: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20)}  # C0 → control pictures (␛ …)
    table[0x09] = " "  # tab: one cell, so offsets and cells stay aligned
    table[0x0D] = " "  # carriage return (CRLF files)
    table[0x7F] = "\u2421"  # DEL → ␡
    for c in range(0x80, 0xA0):  # C1 controls (CSI, OSC …)
        table[c] = "\ufffd"
    for c in _INVISIBLE:
        table[c] = "\u00a4"
    del table[0x0A]
    return table


DISPLAY = _display_table()
_ONE_LINE = {**DISPLAY, 0x0A: " "}
_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_ESCAPES.update({c: f"\\u{c:04x}" for c in _INVISIBLE})
del _ESCAPES[0x09], _ESCAPES[0x0A]
_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in (0x7F, *range(0x80, 0xA0), *_INVISIBLE)}


def displayable(text: str) -> str:
    """``text`` with control characters made visible, one character for one (offsets unchanged).

    Newlines stay; tabs and carriage returns become spaces.
    """
    return text.translate(DISPLAY)


def one_line(text: str) -> str:
    """``displayable`` text on one line: newlines become spaces too (table cells, titles)."""
    return text.translate(_ONE_LINE)


def literal(text: str, style: str = "", *, multiline: bool = True, **kwargs: Any) -> Text:
    """A Rich ``Text`` showing ``text`` exactly: no markup parsed, control characters visible.

    ``multiline=False`` turns newlines into spaces; other keyword arguments go to ``Text``.
    """
    from rich.text import Text  # here: the command line imports this module, and needs no Rich at start

    return Text(displayable(text) if multiline else one_line(text), style=style, **kwargs)


def escaped(text: str) -> str:
    """``text`` for a terminal: control characters as ``\\x1b``-style escapes (newline and tab kept)."""
    return text.translate(_ESCAPES)


def json_text(value: Any, indent: int | None = None) -> str:
    """JSON of ``value`` (UTF-8 kept) with DEL, C1 and bidi controls escaped as ``\\u…`` (same value)."""
    # json.dumps escapes C0 controls itself; the rest can only occur inside strings, where \\u is valid.
    return json.dumps(value, ensure_ascii=False, indent=indent).translate(_JSON_ESCAPES)

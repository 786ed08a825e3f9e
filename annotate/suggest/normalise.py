"""Offset-preserving text normalisation applied before the spaCy model.

The model tokenises curly apostrophes and non-breaking spaces badly (``L’``, ``Baghdad n’``,
names cut at a U+00A0). Every replacement here maps one character to one character, so
the normalised string has the same length as the verbatim text and any offset computed
on it is valid in the original.
"""

from __future__ import annotations

# One character in, one character out: offsets must survive.
_MAP = {
    "\u2019": "'",  # right single quotation mark (the usual French apostrophe)
    "\u2018": "'",  # left single quotation mark
    "\u02bc": "'",  # modifier letter apostrophe
    "\u00b4": "'",  # acute accent used as apostrophe
    "\u2032": "'",  # prime
    "\u00a0": " ",  # no-break space (inside names: "Al\u00a0Maliki")
    "\u202f": " ",  # narrow no-break space (before ; : ! ? and inside «  »)
    "\u2007": " ",  # figure space (digit groups: "2\u2007500")
    "\u2009": " ",  # thin space
    "\u200a": " ",  # hair space
    "\u2002": " ",
    "\u2003": " ",
    "\u2011": "-",  # non-breaking hyphen
    "\u2010": "-",  # hyphen
    "\t": " ",
}
_TABLE = str.maketrans(_MAP)


def normalise(text: str) -> str:
    """Return ``text`` with apostrophes, spaces and hyphens unified, same length."""
    out = text.translate(_TABLE)
    # str.translate with 1:1 mappings cannot change the length; guard anyway because
    # every downstream offset depends on it.
    if len(out) != len(text):  # pragma: no cover - defensive
        raise AssertionError("normalisation changed the text length")
    return out

"""Where on the page a mention sits: the shape of its line, learnt as "annotated or not".

Reviewers skip site furniture (a site's name, section labels, "Par <byline>") by the guidelines,
and the model keeps proposing names there on every new site. The words change from site to site;
the shape does not: a short line with no sentence punctuation, and the word that opens it. The
label memory counts, per line shape, the gold spans and the base suggester's mistakes found there,
and drops model spans, taught and known names on a shape reviewers never annotate.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

SHORT_WORDS = 5  # a line of at most this many words, with no sentence punctuation, is "short"
_SENTENCE = re.compile(r"[.:;!?…«»\"“”()]")
_WORD = re.compile(r"\w+")
GENERIC = "short"  # the back-off shape: any short line
MIN_VOTES, MIN_SHARE = 3, 0.8  # a shape drops spans only on this much agreement


def line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) of the line holding ``text[start:end]``."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    return a, len(text) if b < 0 else b


def line_shape(text: str, start: int, end: int) -> str | None:
    """``short\\t<lead>`` for a mention on a short line (lead: ``^`` when the mention opens the
    line, else the line's first word, lower-cased), None on a prose line."""
    a, b = line_bounds(text, start, end)
    line = text[a:b]
    if len(line.split()) > SHORT_WORDS or _SENTENCE.search(line):
        return None
    before = _WORD.findall(text[a:start])
    return f"{GENERIC}\t{before[0].lower() if before else '^'}"


def is_skipped(shapes: Mapping[str, Mapping[str, int]], text: str, start: int, end: int, skip: str) -> bool:
    """Whether reviewers leave mentions on this line shape unannotated (``skip`` votes dominate):
    the shape with its lead word when it has enough votes, else any short line."""
    shape = line_shape(text, start, end)
    if shape is None:
        return False
    for key in (shape, GENERIC):
        votes = shapes.get(key)
        n = sum(votes.values()) if votes else 0
        if n >= MIN_VOTES:
            return votes.get(skip, 0) / n >= MIN_SHARE
    return False

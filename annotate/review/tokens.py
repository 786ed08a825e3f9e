"""A light tokeniser for cursor movement and span boundaries in the app.

It needs no spaCy (opening the app must never load a model): words with inner
hyphens, French elisions (l’, d’, qu’) as their own token, punctuation alone.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_TOKEN = re.compile(r"(?:[^\W\d_]{1,2}|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu)['’](?=\w)|\w+(?:[-'’.]\w+)*|[^\w\s]")


def tokenize(text: str) -> list[tuple[int, int]]:
    """(start, end) of every token of ``text``."""
    return [m.span() for m in _TOKEN.finditer(text)]


class TokenIndex:
    """Token boundaries of one text, for snapping and stepping."""

    def __init__(self, text: str) -> None:
        self.spans = tokenize(text)
        self.starts = [s for s, _ in self.spans]
        self.ends = [e for _, e in self.spans]

    def __len__(self) -> int:
        return len(self.spans)

    def at(self, offset: int) -> int:
        """Index of the token containing or following ``offset`` (clamped)."""
        i = bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.ends[i]:
            return i
        return min(max(i + 1, 0), len(self.spans) - 1)

    def snap(self, start: int, end: int) -> tuple[int, int]:
        """Expand a character range to whole tokens."""
        if not self.spans or end <= start:
            return start, end
        first = self.at(start)
        last = max(first, bisect_left(self.ends, end))
        last = min(last, len(self.spans) - 1)
        return self.starts[first], self.ends[last]

    def grow(self, start: int, end: int, side: str, delta: int) -> tuple[int, int] | None:
        """Move one side of a span by ``delta`` tokens; None when impossible (empty or off the text)."""
        first, last = self.at(start), bisect_left(self.ends, end)
        last = min(last, len(self.spans) - 1)
        if side == "left":
            first -= delta
        else:
            last += delta
        if first < 0 or last >= len(self.spans) or first > last:
            return None
        return self.starts[first], self.ends[last]

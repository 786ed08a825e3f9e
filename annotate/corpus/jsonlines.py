"""Reading JSONL input safely: lines streamed from disk (a multi-GiB file never sits in memory
whole), and every way a line can fail as one message instead of a traceback: invalid JSON, nesting
too deep, an integer of more than 4,300 digits, a lone surrogate (``"\\ud800"``) that no UTF-8 file
or SQLite text can hold."""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotate.errors import InputError


class BadLine(ValueError):
    """One JSONL line that cannot be read; the message says why (the caller adds file and line)."""


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def loads_line(raw: str, utf8: bool = False) -> Any:
    """``json.loads`` of one line; BadLine for anything that is not valid, storable JSON text.

    ``utf8``: ``raw`` was decoded from UTF-8 bytes (as :func:`iter_lines` does), so it cannot hold
    a lone surrogate itself and only its escapes need a look (encoding a long line again costs)."""
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BadLine(f"invalid JSON ({exc.msg})") from exc
    except RecursionError as exc:  # "[[[[…" thousands deep: the decoder gives up
        raise BadLine("invalid JSON (nested too deeply)") from exc
    except ValueError as exc:  # Python refuses to convert integers of more than 4,300 digits
        raise BadLine("invalid JSON (a number has too many digits)") from exc
    # A lone surrogate comes from the line itself or from a \uD800-\uDFFF escape: only then is
    # the (slow) walk over every string needed.
    # (A substring test first: most lines hold no escape at all, and the regex scans them slower.)
    suspect = ("\\u" in raw and _SURROGATE_ESCAPE.search(raw)) or (not utf8 and _has_surrogate(raw))
    where = surrogate_in(obj) if suspect else None
    if where is not None:
        raise BadLine(f"{where} holds a lone surrogate (an escape like \\ud800 that is no character); "
                      "not valid Unicode text")
    return obj


def surrogate_in(obj: Any, path: str = "") -> str | None:
    """Where (``meta.title``, ``spans[2].label`` …) the first string holding a lone surrogate is,
    keys included; None when there is none."""
    stack: list[tuple[str, Any]] = [(path, obj)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if _has_surrogate(value):
                return where or "the value"
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                name = f"{where}.{key}" if where else str(key)
                if _has_surrogate(key):
                    return f"a key of {where or 'the object'}"
                stack.append((name, item))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", item) for i, item in reversed(list(enumerate(value))))
    return None


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check_input_file(path: Path) -> None:
    """InputError unless ``path`` is a regular file: checked before opening it, since a FIFO would
    make the read wait forever and /dev/zero never ends."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a FIFO or device)"
        raise InputError(f"{path}: is {kind}; give a regular file")


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of each non-blank line, read from disk one line at a time.

    Only ``\\n`` ends a line (not U+2028, U+0085 …, which JSON strings carry raw). The file must be
    UTF-8 (a BOM is dropped) without NUL bytes: InputError naming the file and line otherwise, as
    :func:`annotate.corpus.ingest.decode` does for a whole file."""
    for n, line, _offset in iter_lines_at(path):
        yield n, line


def iter_lines_at(path: Path) -> Iterator[tuple[int, str, int]]:
    """As :func:`iter_lines`, with the number of bytes read so far (for a progress bar)."""
    check_input_file(path)
    offset, seen, n = 0, False, 0
    try:
        with open(path, "rb") as stream:
            while True:
                n += 1
                try:
                    data = stream.readline()
                except MemoryError:  # one line larger than the memory allowed: say which
                    raise InputError(f"{path}, line {n}: line too long to read (out of memory), "
                                     "skipped") from None
                if not data:
                    break
                if b"\x00" in data:
                    raise InputError(f"{path}: binary file (contains NUL bytes), skipped")
                try:
                    line = data.decode("utf-8-sig" if n == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    raise InputError(f"{path}, line {n}: not valid UTF-8 (byte {offset + exc.start}), "
                                     "skipped") from exc
                offset += len(data)
                if line.strip():
                    seen = True
                    yield n, line.rstrip("\n"), offset
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    if not seen:
        raise InputError(f"{path}: empty file, skipped")

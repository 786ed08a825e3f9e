"""Pausing Python's cycle collector around work that builds many acyclic objects."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """The cyclic garbage collector paused, then as it was before.

    Work that holds millions of objects until it ends (an import's decoded lines, records, rows and
    log text; a name index's keys) would otherwise have every full collection walk them all again:
    a fifth of a 2,000-record import's CPU, ~40 % of building 100k entities. What is freed meanwhile
    has no reference cycles, so reference counting frees it. Usable as a decorator too."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def keep_long_lived() -> None:
    """Move every object alive now out of the cycle collector's reach (``gc.freeze``) until :func:`release`.

    For what stays alive while a screen is open (an article's review state, the widgets' caches, the
    app): on a 10,000-word article a full collection walking them took 70–80 ms, once in a while in
    the middle of a key (``benchmarks/tui_latency.py --only pty``). Reference counting still frees
    what dies meanwhile; only cycles among the frozen objects wait for :func:`release`."""
    gc.freeze()


def release() -> None:
    """Hand the objects :func:`keep_long_lived` froze back to the collector (their cycles are freed at
    the next full collection)."""
    gc.unfreeze()

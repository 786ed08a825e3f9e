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


def keep_for_good() -> None:
    """Move every object alive now out of the cycle collector's reach for the rest of the process (a
    large entity index: a full collection over its millions of objects stalls for seconds); a later
    :func:`release` keeps them out."""
    global _kept_for_good
    _kept_for_good = True
    gc.freeze()


_kept_for_good = False


def release() -> None:
    """Hand the objects :func:`keep_long_lived` froze back to the collector (their cycles are freed at
    the next full collection). ``gc.unfreeze`` is all or nothing: after a :func:`keep_for_good`, what is
    alive is frozen again, so an index kept for good stays out (and so do cycles of what is released)."""
    gc.unfreeze()
    if _kept_for_good:
        gc.freeze()

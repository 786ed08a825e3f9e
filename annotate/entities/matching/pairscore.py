"""Scores of candidate pairs for duplicate detection, each distinct comparison made once.

``compare`` reads a name's words, capitals, genitive marks and all-caps flag; its text only
goes into the evidence. So the millions of candidate pairs of a large KB reduce to far fewer
comparisons: pairs with the same normalised words score directly (exact), pairs proven to be
acronym/expansion during blocking score directly too, and the rest are computed once per
distinct (signature, signature, type). Evidence is rebuilt later, from the real names, for
the few links that end up in a cluster. The distinct comparisons are spread over forked
worker processes when there are many; results are put back by position, so the outcome is
the same whatever the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from typing import Callable, Sequence

import numpy as np

from annotate.entities.matching.candidates import member
from annotate.entities.matching.normalise import NameForm
from annotate.entities.matching.scoring import (
    ACRONYM,
    CONFLICT,
    CONTAINED,
    EXACT,
    FULL,
    KNOWN_SCORE,
    PARTIAL,
    compare,
    known_relation,
)

KINDS = (EXACT, FULL, CONTAINED, ACRONYM, PARTIAL, CONFLICT)  # kind codes are indexes here
KIND_CODE = {k: i for i, k in enumerate(KINDS)}
PARALLEL_MIN = 20_000   # fewer distinct comparisons than this are not worth a process pool
MAX_WORKERS = 4
CHUNK = 4_000           # comparisons per task: small enough for a smooth progress bar

# What forked workers compare: set just before the pool is created, so children inherit it
# (copy-on-write) instead of receiving pickled NameForms.
_JOB: tuple[Sequence[NameForm], list[int], list[int], list[str]] | None = None


def default_workers() -> int:
    """Processes to use: the CPUs this process may run on, at most ``MAX_WORKERS``.

    One when the process already runs other threads (the review app): forking a
    multi-threaded process can copy a lock held by another thread and hang the child.
    """
    if threading.active_count() > 1:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, cpus))


def _signature_ids(forms: Sequence[NameForm]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: an id of everything ``compare`` reads, an id of its words, and an id of
    (norm, stripped text), which tells an exact alias (100) from a normalised one (99)."""
    sigs: dict[tuple, int] = {}
    words: dict[tuple[str, ...], int] = {}
    exact: dict[tuple[str, str], int] = {}
    sig_id, word_id, exact_id = [], [], []
    for f in forms:
        sig_id.append(sigs.setdefault(
            (f.tokens, f.raw, f.caps, f.after_genitive, f.single_upper), len(sigs)))
        word_id.append(words.setdefault(f.tokens, len(words)))
        exact_id.append(exact.setdefault((f.norm, f.text.strip()), len(exact)))
    return (np.asarray(sig_id, dtype=np.int64), np.asarray(word_id, dtype=np.int64),
            np.asarray(exact_id, dtype=np.int64))


def _compare_range(bounds: tuple[int, int]) -> list[tuple[float, int, bool]]:
    """Score comparisons ``start:stop`` of the current job (in a worker or in-process)."""
    assert _JOB is not None
    forms, left, right, etypes = _JOB
    out = []
    for k in range(*bounds):
        cmp = compare(forms[left[k]], forms[right[k]], etypes[k], explain=False)
        out.append((cmp.score, KIND_CODE[cmp.kind], cmp.conflict))
    return out


def _run(n: int, workers: int, progress: Callable[[int, int], None] | None):
    """Every comparison of the current job, in order, on ``workers`` processes."""
    tasks = [(s, min(n, s + CHUNK)) for s in range(0, n, CHUNK)]
    parallel = (workers > 1 and n >= PARALLEL_MIN and sys.platform.startswith("linux"))
    results: list[tuple[float, int, bool]] = []
    if parallel:
        try:
            # fork: workers inherit the job and every warm cache; the children only compute
            # (no I/O, no locks), which is what makes forking a threaded app safe enough
            pool = multiprocessing.get_context("fork").Pool(workers)
        except OSError:
            parallel = False
    if not parallel:
        for done, task in enumerate(tasks, 1):
            results += _compare_range(task)
            if progress is not None:
                progress(done, len(tasks))
        return results
    with pool:
        for done, part in enumerate(pool.imap(_compare_range, tasks), 1):
            results += part
            if progress is not None:
                progress(done, len(tasks))
    return results


def score_pairs(forms: Sequence[NameForm], owner: np.ndarray, etypes: Sequence[str],
                pairs: np.ndarray, acronym: np.ndarray, workers: int = 1,
                progress: Callable[[int, int], None] | None = None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Score, kind code and conflict flag of every pair code ``a * len(forms) + b``.

    ``owner`` maps rows to entities, ``etypes`` entities to types; ``acronym`` holds the pair
    codes already known to be acronym/expansion pairs.
    """
    global _JOB
    n = len(forms)
    a, b = pairs // n, pairs % n
    score = np.zeros(len(pairs), dtype=np.float64)
    kind = np.full(len(pairs), KIND_CODE[PARTIAL], dtype=np.int8)
    conflict = np.zeros(len(pairs), dtype=bool)
    if not len(pairs):
        return score, kind, conflict
    sig, words, exact = _signature_ids(forms)

    same = words[a] == words[b]  # same words: compare's first rule, 100 or 99
    score[same] = np.where(exact[a[same]] == exact[b[same]], 100.0, 99.0)
    kind[same] = KIND_CODE[EXACT]

    acro = member(pairs, acronym) & ~same
    ntok = np.fromiter((len(f.tokens) for f in forms), dtype=np.int64, count=n)
    sure = np.fromiter((f.single_upper or len(f.raw[0]) <= 5 for f in forms), dtype=bool,
                       count=n)
    short = np.where(ntok[a] == 1, a, b)  # the acronym side
    score[acro] = np.where(sure[short[acro]], 90.0, 85.0)
    kind[acro] = KIND_CODE[ACRONYM]
    # as compare: the starter KB overrides an acronym (two names of different known entities
    # never merge; two names of one known entity score as such)
    for k in np.nonzero(acro)[0].tolist():
        relation = known_relation(forms[int(a[k])], forms[int(b[k])])
        if relation == "different":
            score[k], kind[k], conflict[k] = 0.0, KIND_CODE[CONFLICT], True
        elif relation == "same":
            score[k], kind[k] = KNOWN_SCORE, KIND_CODE[FULL]

    rest = np.nonzero(~same & ~acro)[0]
    type_ids = {t: i for i, t in enumerate(sorted(set(etypes)))}
    type_names = sorted(type_ids)
    row_type = np.asarray([type_ids[t] for t in etypes], dtype=np.int64)[owner]
    ra, rb = a[rest], b[rest]
    n_sig = int(sig.max()) + 1
    keys = (sig[ra] * n_sig + sig[rb]) * len(type_ids) + row_type[ra]
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    reps = rest[first]
    _JOB = (forms, a[reps].tolist(), b[reps].tolist(),
            [type_names[t] for t in row_type[a[reps]].tolist()])
    try:
        results = _run(len(reps), workers, progress)
    finally:
        _JOB = None
    if results:
        s, k, c = zip(*results)
        score[rest] = np.asarray(s, dtype=np.float64)[inverse]
        kind[rest] = np.asarray(k, dtype=np.int8)[inverse]
        conflict[rest] = np.asarray(c, dtype=bool)[inverse]
    return score, kind, conflict

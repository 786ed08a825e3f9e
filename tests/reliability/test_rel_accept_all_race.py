"""Two processes of one annotator pressing `A` at the same time accept every suggestion once.

The old accept-all read the pending suggestions before its write transaction: both processes
read them, then each inserted them all (every span duplicated, 20 runs of 20). The test makes
the race certain rather than likely: a third connection holds the write lock while both
processes start their accept-all, so both have read the article before either may write.
"""

from __future__ import annotations

import select
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from annotate.service import Service
from store.models import DocSuggestions, SpanSuggestion
from tests.reliability.support import ROOT, env, integrity, query

PRESS_A = (
    "import sys\n"
    "from annotate.service import Service\n"
    "svc = Service.open(sys.argv[1], annotator='alice')\n"
    "print('ready', flush=True)\n"
    "print('accepted', svc.review.accept_all(sys.argv[2]), flush=True)\n"
)


def suggest_some(db: Path) -> tuple[str, int]:
    """Six non-overlapping suggestions on the first article; returns (article id, count)."""
    svc = Service.open(db, annotator="setup")
    try:
        article_id = svc.store.article_ids()[0]
        text = svc.data.article(article_id).text
        starts = [text.index(word) for word in ("Irak", "Maliki", "AFP", "Alina", "Baghdad", "ambassadrice")]
        spans = tuple(SpanSuggestion(s, s + 4, "LOC", "entity") for s in sorted(starts))
        svc.store.replace_suggestions([(article_id, DocSuggestions(spans=spans))], "fp", "test")
        return article_id, len(spans)
    finally:
        svc.close()


def wait_for_line(proc: subprocess.Popen, expected: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            if line.strip() == expected:
                return
    raise AssertionError(f"no {expected!r} from the worker")


def test_two_processes_accepting_all_at_once_accept_each_suggestion_once(seeded_db: Path) -> None:
    article_id, count = suggest_some(seeded_db)
    blocker = sqlite3.connect(seeded_db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # every writer waits (busy timeout 10 s) until it ends
    procs = [subprocess.Popen([sys.executable, "-c", PRESS_A, str(seeded_db), article_id], cwd=ROOT, env=env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        for proc in procs:
            wait_for_line(proc, "ready")
        time.sleep(1.0)  # both are now inside accept_all, waiting for the write lock
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    answers = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0 and "Traceback" not in err, err
        answers.append(int(out.split()[-1]))
    assert sorted(answers) == [0, count]
    rows = query(seeded_db, 'SELECT start, "end", label FROM spans WHERE article_id = ? AND annotator = ?',
                 (article_id, "alice"))
    assert len(rows) == len(set(rows)) == count
    assert query(seeded_db, "SELECT count(*) FROM actions WHERE kind = 'accept_all'")[0][0] == 1
    assert integrity(seeded_db) == "ok"

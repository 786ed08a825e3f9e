"""A reviewer in a separate process, for the crash and concurrency tests.

    python tests/reliability/worker.py DB ANNOTATOR SEED N

Applies N random reviewer actions (add, resize, relabel, delete, link to a new
canonical entity, undo, redo) through
:class:`annotate.service.core.Service` on the articles already in DB, and prints one line
per committed action, *after* the commit returned::

    ack <action id> <kind> <digest of this annotator's gold>

An ack is the promise under test: whatever was acknowledged must survive a SIGKILL
and must not be lost to another process writing at the same time. A StoreError (for
example "database is busy") is printed as ``storeerror <message>`` with exit code 3,
so that the concurrency tests can tell a lock failure from a crash.
"""

from __future__ import annotations

import hashlib
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from annotate.service import ReviewError, Service, StoreError  # noqa: E402

LABELS = ("PER", "ORG", "LOC", "MISC")


def gold_digest(service: Service, annotator: str) -> str:
    """A short hash of every gold span of one annotator (what the tests compare)."""
    rows = service.store.db.execute(
        'SELECT id, article_id, start, "end", label, kb_id FROM spans WHERE annotator = ? ORDER BY id', [annotator]
    ).fetchall()
    return hashlib.sha1(repr(rows).encode()).hexdigest()[:16]


def last_action_id(service: Service, annotator: str) -> int:
    """Id of this annotator's latest log entry (each worker has its own annotator)."""
    return service.store.db.execute("SELECT max(id) FROM actions WHERE annotator = ?", [annotator]).fetchone()[0]


def one_action(service: Service, rnd: random.Random, article_ids: list[str]) -> str | None:
    """Try one random action; returns its kind, or None when nothing was done."""
    article_id = rnd.choice(article_ids)
    text = service.data.article(article_id).text
    mine = service.store.spans(article_id, service.annotator)
    choice = rnd.random()
    if choice < 0.45 or not mine:
        start = rnd.randrange(0, len(text) - 1)
        end = min(len(text), start + rnd.randint(1, 25))
        service.review.add_span(article_id, start, end, rnd.choice(LABELS))
        return "add"
    span = rnd.choice(mine)
    if choice < 0.55:
        service.review.relabel(span.id, rnd.choice(LABELS))
        return "relabel"
    if choice < 0.65:
        service.review.resize(span.id, span.start, min(len(text), span.end + rnd.randint(-2, 3)))
        return "resize"
    if choice < 0.72:
        service.review.delete_span(span.id)
        return "delete"
    if choice < 0.75:
        service.entities.link_new(span.id)
        return "link_new"
    if choice < 0.9:
        return "undo" if service.review.undo(article_id) else None
    return "redo" if service.review.redo(article_id) else None


def main() -> int:
    db, annotator, seed, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    rnd = random.Random(seed)
    service = Service.open(db, annotator=annotator)
    article_ids = [a["id"] for a in service.data.articles()]
    try:
        last = last_action_id(service, annotator)
        for _ in range(count):
            try:
                kind = one_action(service, rnd, article_ids)
            except ReviewError:
                continue  # overlap, whitespace-only span …: refused, nothing written
            action_id = last_action_id(service, annotator)
            if kind is None or action_id == last:
                continue  # nothing to undo, or a no-op (relabel to the same label): nothing logged
            last = action_id
            print(f"ack {action_id} {kind} {gold_digest(service, annotator)}", flush=True)
    except StoreError as exc:
        print(f"storeerror {exc}", flush=True)
        return 3
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

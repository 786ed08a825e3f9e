"""ServiceContext.apart: a read for a worker thread, on its own read-only connection."""

import sqlite3
import threading

import pytest

from annotate.service.context import ServiceContext


def test_a_read_apart_runs_on_its_own_read_only_connection_in_another_thread(seeded):
    ctx = seeded.ctx
    seen = {}

    def read(other: ServiceContext) -> list[str]:
        seen["ctx"] = other
        with pytest.raises(sqlite3.OperationalError):  # read-only: a worker never writes
            other.store.db.execute("DELETE FROM articles")
        return other.store.article_ids()

    job = ctx.apart(read)
    result = []
    worker = threading.Thread(target=lambda: result.append(job()))
    worker.start()
    worker.join()
    assert result == [seeded.store.article_ids()]
    other = seen["ctx"]
    assert other is not ctx and other.store is not ctx.store
    assert (other.annotator, other.config) == (ctx.annotator, ctx.config)
    assert seeded.store.article_ids()  # nothing was deleted

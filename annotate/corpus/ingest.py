"""Reading articles from .txt files, folders and .jsonl files into the store, as streams.

Memory stays flat whatever the corpus size: files are read one line (JSONL) or one article
(.txt) at a time, articles are written in batches of at most :data:`BATCH` articles and
:data:`BATCH_CHARS` characters, and exact and near duplicates are found through indexed hashes in
the database, never through sets of the corpus. Workers get the texts to clean and send back
everything but the texts, which the writer still holds.

What a batch means (and what a re-run does):

- A bad input file is reported by name (and line) and nothing of it is written: a JSONL file
  is checked whole, streamed, before its first article is written.
- Each batch is one short write transaction (a reviewer waits at most one batch). An
  interrupted ingest (Ctrl-C, a crash) keeps the batches committed before it, each article
  whole; running the same command again skips those as duplicates and adds the rest.
- Ids are content hashes, so re-ingesting a file adds nothing.
- The full-text index's merges wait for the end of the ingest (store/fts_merge.py: each entry is
  written again about once instead of once per level), then run a step per transaction; the bar
  counts them after the input's bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from annotate.corpus.cleaning import clean, near_duplicate_key
from annotate.errors import InputError
from store import corpus as rows
from store import fts_merge, search
from store.actions import now
from store.models import Article
from store.repo import Store

Progress = Callable[[int, int], None]  # (bytes read, bytes to read) of every input file

BATCH = 2_000  # articles per write transaction at most …
BATCH_CHARS = 10_000_000  # … and characters of text (long articles: a reviewer's wait stays short)
KEEP = 10_000  # ids, sources and messages a report lists; counts cover everything
PARALLEL_BYTES = 50_000_000  # inputs this large are cleaned in worker processes
BACKFILL = 2_000  # near-duplicate keys computed per transaction for articles lacking one
PAGE_BYTES = 4_050  # FTS5's default page size: an index page merged moves the bar that much


@dataclass
class IngestReport:
    """What one ingest did. The lists hold the first :data:`KEEP` entries; the counts all of them."""

    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # messages naming file (and line)
    flagged: list[str] = field(default_factory=list)
    added_count: int = 0
    duplicate_count: int = 0
    flagged_count: int = 0

    def note(self, kind: str, value: str) -> None:
        """Count one added id, duplicate source or flag message; keep it if the list has room."""
        target: list[str] = getattr(self, kind)
        setattr(self, _COUNTS[kind], getattr(self, _COUNTS[kind]) + 1)
        if len(target) < KEEP:
            target.append(value)

    def summary(self) -> str:
        """One line for the terminal."""
        return (
            f"{self.added_count} added, {self.duplicate_count} skipped as duplicate, "
            f"{len(self.failures)} failed"
            + (f", {self.flagged_count} flagged" if self.flagged_count else "")
        )


_COUNTS = {"added": "added_count", "duplicates": "duplicate_count", "flagged": "flagged_count"}


def article_id(text: str) -> str:
    """Content hash: the same text always gets the same id."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def near_key(text: str) -> str:
    """Hash of :func:`near_duplicate_key`, stored and indexed with each article."""
    return hashlib.sha1(near_duplicate_key(text).encode("utf-8")).hexdigest()[:16]


def expand_paths(paths: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """Files to read (folders searched recursively for .txt and .jsonl) and path errors."""
    files: list[Path] = []
    errors: list[str] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in {".txt", ".jsonl"})
            if not found:
                errors.append(f"{path}: no .txt or .jsonl files in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif not path.exists():
            errors.append(f"{path}: no such file or folder")
        else:
            errors.append(f"{path}: not a regular file")
    return files, errors


def decode(path: Path, data: bytes) -> str:
    """UTF-8 (a BOM is dropped); anything else is an InputError naming the file."""
    if b"\x00" in data:
        raise InputError(f"{path}: binary file (contains NUL bytes), skipped")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}, line {line}: not valid UTF-8 (byte {exc.start}), skipped") from exc
    if not text.strip():
        raise InputError(f"{path}: empty file, skipped")
    return text


Record = tuple[str, dict, str, int]  # text, meta, source, bytes of the file read once it is yielded


def read_file(path: Path) -> Iterator[Record]:
    """Records of one file, streamed. A bad file raises InputError before yielding anything: a
    JSONL file is read twice, once to check every line, then to yield them."""
    from annotate.corpus.jsonlines import check_input_file

    check_input_file(path)
    if path.suffix.lower() == ".jsonl":
        _check_jsonl(path)
        for _n, text, meta, source, offset in _jsonl_records(path):
            yield text, meta, source, offset
        return
    try:
        data = path.read_bytes()  # one article: it is stored whole anyway
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    yield decode(path, data), {}, path.name, len(data)


def _jsonl_records(path: Path) -> Iterator[tuple[int, str, dict, str, int]]:
    """(line, text, meta, source, offset) of each line; InputError at the first bad one."""
    for n, text, meta, source, offset, error in _jsonl_lines(path):
        if error:
            raise InputError(f"{path}, line {n}: {error} (the file changed while it was read?)")
        yield n, text, meta, source, offset


def _check_jsonl(path: Path) -> None:
    errors, count = [], 0
    for n, *_rest, error in _jsonl_lines(path):
        if error:
            count += 1
            if len(errors) < 5:
                errors.append(f"{path}, line {n}: {error}")
    if errors:
        more = f" (and {count - 5} more)" if count > 5 else ""
        raise InputError("; ".join(errors) + more + "; nothing ingested from this file")


def _jsonl_lines(path: Path) -> Iterator[tuple[int, str, dict, str, int, str | None]]:
    from annotate.corpus.jsonlines import BadLine, iter_lines_at, loads_line

    for n, line, offset in iter_lines_at(path):
        try:
            obj = loads_line(line, utf8=True)  # invalid JSON, too deep, too many digits, lone surrogates
        except BadLine as exc:
            yield n, "", {}, "", offset, str(exc)
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            yield n, "", {}, "", offset, "expected an object with a \"text\" string"
            continue
        meta = obj.get("meta", {})
        if not isinstance(meta, dict):
            yield n, "", {}, "", offset, "\"meta\" must be an object"
            continue
        if not obj["text"].strip():
            yield n, "", {}, "", offset, "empty text"
            continue
        yield n, obj["text"], meta, str(meta.get("source") or f"{path.name}:{n}"), offset, None


def build_article(text: str, meta: dict, source: str, known_id: str | None = None) -> Article:
    """An Article with metadata and regions found by cleaning; meta keys override. ``known_id``:
    :func:`article_id` of ``text`` when the caller has it already (hashing a text costs)."""
    cleaned = clean(text)
    stamp = now()
    return Article(
        id=article_id(text) if known_id is None else known_id,
        source=source,
        title=str(meta.get("title") or cleaned.title),
        date=str(meta["date"]) if meta.get("date") else cleaned.date,
        text=text,
        meta=dict(meta),
        regions=cleaned.regions,
        flags=cleaned.flags,
        created_at=stamp,
        updated_at=stamp,
    )


def ingest(store: Store, paths: Sequence[Path], progress: Progress | None = None,
           workers: int | None = None) -> IngestReport:
    """Ingest files and folders in batches (see the module docstring for what a batch commits);
    bad files are reported, not fatal. ``progress`` gets (bytes read, bytes in all files).

    ``workers``: processes that clean articles while this one parses and writes (default: one
    per core for inputs over :data:`PARALLEL_BYTES` on a machine with several; 0: none)."""
    report = IngestReport()
    files, report.failures = expand_paths(paths)
    total = sum(_size(p) for p in files)
    if workers is None:
        cores = os.cpu_count() or 1
        workers = cores if total >= PARALLEL_BYTES and cores > 1 else 0
    writer = _Writer(store, report, workers)
    before = 0
    end = total  # of the bar: the input's bytes, then the merges' too
    try:
        with rows.large_cache(store.db):
            for path in files:
                try:
                    for text, meta, source, offset in read_file(path):
                        if writer.add(text, meta, source) and progress:
                            progress(before + offset, total)
                except InputError as exc:
                    report.failures.append(str(exc))
                before += _size(path)
            writer.finish()
            if writer.batches:
                # The merges the ingest put off (store/fts_merge.py), counted on the bar as the
                # bytes of index pages they read, after the bytes of input.
                def merged(done: int, to_do: int) -> None:
                    nonlocal end
                    end = total + to_do * PAGE_BYTES
                    if progress:
                        progress(total + done * PAGE_BYTES, end)

                fts_merge.finish(store.db, merged)
    finally:
        writer.close()
    if progress:
        progress(end, end)
    return report


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _build_batch(records: list[tuple[str, str, dict, str]], keep_text: bool = True) -> list[tuple[str, Article, str]]:
    """(id, article, near-duplicate key) of new records: the CPU-bound part, run in a worker
    process on large inputs. ``keep_text=False``: the articles come back with an empty text (the
    caller holds it; pickling every text back doubles what crosses the pipe)."""
    built = [(aid, build_article(text, meta, source), near_key(text)) for aid, text, meta, source in records]
    return built if keep_text else [(aid, replace(article, text=""), key) for aid, article, key in built]


class _Writer:
    """Collects records and writes them a batch at a time; cleaning runs in ``workers`` processes
    (0: in this one), a few batches ahead of the writes, which stay here and in order."""

    def __init__(self, store: Store, report: IngestReport, workers: int = 0) -> None:
        self.store = store
        self.report = report
        self.pending: list[tuple[str, dict, str]] = []
        self.chars = 0  # of the pending texts
        self.backfilled = False
        self.batches = 0
        self.deferred = contextlib.ExitStack()  # the index's merges put off from the first batch on
        self.pool: Any = None
        self.inflight: deque[tuple[Any, dict[str, str]]] = deque()  # (future, id → text)
        if workers > 0:
            # Imported here: multiprocessing is ~10 ms of every command line's start (import too).
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor
            from concurrent.futures.process import BrokenProcessPool

            # spawn: forking a process that holds a SQLite connection (and, in the app, threads) is unsafe.
            self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
            self.ahead = workers  # one batch each being cleaned while this one writes (more: memory, no speed)
            try:
                self.pool.submit(_build_batch, []).result()
            except BrokenProcessPool:  # a __main__ a worker cannot import (stdin …): clean here
                self.close()

    def add(self, text: str, meta: dict, source: str) -> bool:
        """Queue one record; True when that wrote a batch."""
        self.pending.append((text, meta, source))
        self.chars += len(text)
        if len(self.pending) < BATCH and self.chars < BATCH_CHARS:
            return False
        return self.flush()

    def flush(self) -> bool:
        """Send the queued records to be cleaned and written; True when a batch was written."""
        pending, self.pending, self.chars = self.pending, [], 0
        if not pending:
            return False
        ids = [article_id(text) for text, _meta, _source in pending]
        # Cleaning is the costly part: done outside the write lock, and only for texts not stored
        # yet (a re-run of the same files, as `make run` does at every launch, cleans nothing).
        stored = rows.existing_ids(self.store.db, ids)
        todo: dict[str, tuple[str, str, dict, str]] = {}
        for aid, (text, meta, source) in zip(ids, pending):
            if aid in stored or aid in todo:
                self.report.note("duplicates", source)
            else:
                todo[aid] = (aid, text, meta, source)
        if not todo:
            return False
        if self.pool is None:
            self._write(_build_batch(list(todo.values())))
            return True
        texts = {aid: text for aid, text, _meta, _source in todo.values()}
        self.inflight.append((self.pool.submit(_build_batch, list(todo.values()), False), texts))
        wrote = False
        while len(self.inflight) > self.ahead:
            self._write_built()
            wrote = True
        return wrote

    def _write_built(self) -> None:
        """Write the oldest batch sent to a worker, its texts put back."""
        future, texts = self.inflight.popleft()
        self._write([(aid, replace(article, text=texts[aid]), key) for aid, article, key in future.result()])

    def finish(self) -> None:
        """Write everything still queued or being cleaned; stop the workers."""
        try:
            self.flush()
            while self.inflight:
                self._write_built()
        finally:
            self.close()

    def close(self) -> None:
        """Stop the workers (what is not written yet is dropped: a re-run adds it) and put the
        index's automatic merging back."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        self.deferred.close()

    def _write(self, fresh: list[tuple[str, Article, str]]) -> None:
        db = self.store.db
        if not self.backfilled:
            self._backfill()
            self.deferred.enter_context(fts_merge.deferred_merges(db))
        with db.atomic():
            # Checked again under the write lock: another process (or an earlier batch still being
            # cleaned when this one was sent) may have written them meanwhile.
            again = rows.existing_ids(db, [aid for aid, _a, _k in fresh])
            owners = rows.near_key_owners(db, [key for _i, _a, key in fresh])
            batch: list[tuple[Article, str]] = []
            for aid, article, key in fresh:
                if aid in again:
                    self.report.note("duplicates", article.source)
                    continue
                if key in owners:
                    article = replace(article, flags=(*article.flags, f"duplicate_of:{owners[key]}"))
                owners.setdefault(key, aid)
                batch.append((article, key))
            with search.bulk_index(db):
                rows.insert_articles(db, batch)
        for article, _key in batch:
            self.report.note("added", article.id)
            if article.flags:
                self.report.note("flagged", f"{article.source}: {', '.join(article.flags)}")
        self.batches += 1
        fts_merge.between_batches(db)
        if self.batches % 20 == 0:
            rows.checkpoint(db)

    def _backfill(self) -> None:
        """Near-duplicate keys for stored articles that lack one (written by an import, a merge,
        or before the key existed), a few thousand per transaction."""
        self.backfilled = True
        db = self.store.db
        while True:
            todo = rows.missing_near_keys(db, BACKFILL)
            if not todo:
                return
            keys = [(rowid, near_key(text)) for rowid, text in todo]
            with db.atomic():
                rows.set_near_keys(db, keys)

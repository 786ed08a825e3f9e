"""Reading articles from .txt files, folders and .jsonl files into the store."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotate.corpus.cleaning import clean, near_duplicate_key
from store.actions import now
from store.models import Article
from store.repo import Store

Progress = Callable[[int, int], None]


@dataclass
class IngestReport:
    """What one ingest did."""

    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # messages naming file (and line)
    flagged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the terminal."""
        return (
            f"{len(self.added)} added, {len(self.duplicates)} skipped as duplicate, "
            f"{len(self.failures)} failed"
            + (f", {len(self.flagged)} flagged" if self.flagged else "")
        )


class InputError(Exception):
    """A file that cannot be ingested; the message names it (and the line)."""


def article_id(text: str) -> str:
    """Content hash: the same text always gets the same id."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


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


def read_file(path: Path) -> Iterator[tuple[str, dict, str]]:
    """(text, meta, source) records of one file; InputError before yielding anything if it is bad."""
    from annotate.corpus.jsonlines import check_input_file  # jsonlines imports this module

    check_input_file(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    if path.suffix.lower() == ".jsonl":
        records = list(_jsonl_records(path, decode(path, data)))
        yield from records
    else:
        yield decode(path, data), {}, path.name


def _jsonl_records(path: Path, content: str) -> Iterator[tuple[str, dict, str]]:
    from annotate.corpus.jsonlines import BadLine, loads_line  # jsonlines imports this module

    errors = []
    out = []
    # Only "\n" ends a JSONL line (not U+2028, U+0085 … as with str.splitlines()).
    for n, line in enumerate(content.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = loads_line(line)  # invalid JSON, too deep, too many digits, lone surrogates
        except BadLine as exc:
            errors.append(f"{path}, line {n}: {exc}")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            errors.append(f"{path}, line {n}: expected an object with a \"text\" string")
            continue
        meta = obj.get("meta", {})
        if not isinstance(meta, dict):
            errors.append(f"{path}, line {n}: \"meta\" must be an object")
            continue
        if not obj["text"].strip():
            errors.append(f"{path}, line {n}: empty text")
            continue
        source = str(meta.get("source") or f"{path.name}:{n}")
        out.append((obj["text"], meta, source))
    if errors:
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise InputError("; ".join(errors[:5]) + more + "; nothing ingested from this file")
    return iter(out)


def build_article(text: str, meta: dict, source: str) -> Article:
    """An Article with metadata and regions found by cleaning; meta keys override."""
    cleaned = clean(text)
    stamp = now()
    return Article(
        id=article_id(text),
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


def ingest(store: Store, paths: Sequence[Path], progress: Progress | None = None) -> IngestReport:
    """Ingest files and folders; each file is all-or-nothing, bad files are reported, not fatal."""
    report = IngestReport()
    files, report.failures = expand_paths(paths)
    known: dict[str, str] | None = None  # near-duplicate keys of the corpus, read at the first new article
    for done, path in enumerate(files, 1):
        try:
            records = list(read_file(path))
        except InputError as exc:
            report.failures.append(str(exc))
            continue
        built = [build_article(text, meta, source) for text, meta, source in records]
        batch: list[Article] = []
        seen: set[str] = set()
        # The existence check and the insert share one write transaction: another process
        # ingesting the same file at the same time waits, then finds the articles there.
        with store.db.atomic():
            for article in built:
                if article.id in seen or store.has_article(article.id):
                    report.duplicates.append(article.source)
                    continue
                seen.add(article.id)
                if known is None:
                    # Reading every text is the costly part; re-ingesting known files (make run
                    # at every launch) never gets here.
                    known = {near_duplicate_key(a.text): a.id for a in store.iter_articles()}
                key = near_duplicate_key(article.text)
                if key in known:
                    article = _with_flag(article, f"duplicate_of:{known[key]}")
                known.setdefault(key, article.id)
                if article.flags:
                    report.flagged.append(f"{article.source}: {', '.join(article.flags)}")
                batch.append(article)
            store.add_articles(batch)
        report.added.extend(a.id for a in batch)
        if progress:
            progress(done, len(files))
    return report


def _with_flag(article: Article, flag: str) -> Article:
    from dataclasses import replace

    return replace(article, flags=(*article.flags, flag))

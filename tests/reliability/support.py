"""Helpers shared by the reliability tests: real processes, corpora, checks."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.paths import ROOT, SEEDS

WORKER = Path(__file__).resolve().parent / "worker.py"

# The CLI as a user runs it.
_CLI = "from cli.main import main\nmain()\n"
GLOSSATOR = [sys.executable, "-c", _CLI]


def env(**extra: str) -> dict[str, str]:
    """The environment of a child process: repo importable, fixed annotator, no stray DB."""
    out = {**os.environ, "PYTHONPATH": str(ROOT), "GLOSSATOR_ANNOTATOR": "alice", **extra}
    out.pop("GLOSSATOR_DB", None)
    return out


def run_cli(*args: str, timeout: float = 120, check: int | None = 0) -> subprocess.CompletedProcess:
    """Run ``glossator ARGS`` to the end; never a traceback."""
    proc = subprocess.run([*GLOSSATOR, *args], cwd=ROOT, env=env(), capture_output=True, text=True, timeout=timeout)
    assert "Traceback" not in proc.stderr, proc.stderr
    if check is not None:
        assert proc.returncode == check, (proc.stdout, proc.stderr)
    return proc


def start_cli(*args: str) -> subprocess.Popen:
    """Start ``glossator ARGS`` without waiting."""
    return subprocess.Popen([*GLOSSATOR, *args], cwd=ROOT, env=env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def start_worker(db: Path, annotator: str, seed: int, count: int) -> subprocess.Popen:
    """Start a reviewer process (tests/reliability/worker.py)."""
    return subprocess.Popen([sys.executable, str(WORKER), str(db), annotator, str(seed), str(count)],
                            cwd=ROOT, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def integrity(db: Path) -> str:
    """``PRAGMA integrity_check`` of a database file, opened without our code."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def query(db: Path, sql: str, args: tuple = ()) -> list[tuple]:
    """Rows of one query on a database file (a fresh connection: what another process sees)."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def article_text(i: int) -> str:
    """A distinct, article-like French text (numbered so that no two share a hash)."""
    seeds = sorted(SEEDS.glob("*.txt"))
    body = seeds[i % len(seeds)].read_text(encoding="utf-8")
    return f"Dépêche n°{i} : Bagdad, le {1 + i % 28} mars.\n\n{body}"


def write_corpus(folder: Path, n: int) -> list[Path]:
    """``n`` .txt articles in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"art_{i:04d}.txt"
        path.write_text(article_text(i), encoding="utf-8")
        paths.append(path)
    return paths


def gold_jsonl(path: Path, n: int, annotator: str = "importer") -> int:
    """A JSONL file of ``n`` gold articles (two PER/LOC spans each); returns the span count."""
    spans = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            text = article_text(i)
            start = text.index("Bagdad")
            rec_spans = [{"start": start, "end": start + 6, "label": "LOC"}]
            rec_spans.append({"start": 0, "end": 7, "label": "MISC"})  # "Dépêche"
            spans += len(rec_spans)
            out.write(json.dumps({"text": text, "meta": {"source": f"imp_{i}", "annotator": annotator},
                                  "spans": rec_spans}, ensure_ascii=False) + "\n")
    return spans

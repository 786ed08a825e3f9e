"""How long ``glossator import`` takes, and how long it makes a reviewer wait.

Usage: ``python benchmarks/import_lock.py [--records 2000 10000] [--keep DIR] [--baseline DIR] [--runs N]``

For each size, the seed gold (tests/data/seeds_gold.jsonl: ~57 spans and ~20 events per
article) is repeated with a numbered line appended to each text (so every record is a new
article) into a JSONL file, and imported by ``glossator import`` in a subprocess into a database
holding the seed articles. Meanwhile this process plays a reviewer on one seed article: it adds
and deletes a span (two logged actions) every 50 ms and times each one. It prints the import's
wall time and the reviewer's longest and median action time (target: longest under 1 s). It
asserts nothing.

``--baseline DIR`` (a checkout of another revision, e.g. ``git worktree add /tmp/base REV``) runs
the same import with DIR's code right after ours, ``--runs`` times each, alternating. The import's
process runs in DIR with only DIR on its path (``python -c`` puts the working folder first on
``sys.path``, so running it from here would import this tree's code), and checks that the
``cli`` it imported is DIR's. The reviewer and the database set-up are this tree's code in both.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def write_records(path: Path, n: int) -> None:
    """``n`` gold records made from the seed gold, each on a text of its own."""
    seeds = [json.loads(line) for line in (ROOT / "tests/data/seeds_gold.jsonl").read_text(encoding="utf-8").splitlines()]
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            rec = dict(seeds[i % len(seeds)])
            rec["text"] = rec["text"] + f"\n\nCopie {i}."
            rec["meta"] = {"source": f"copy_{i}.txt"}
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")


def reviewer(db: Path, stop: threading.Event, times: list[float]) -> None:
    """Add and delete one span on a seed article until ``stop``, timing each action."""
    from annotate.service import Service

    svc = Service.open(db, annotator="reviewer")
    article = svc.data.articles()[0]["id"]
    while not stop.is_set():
        t0 = time.perf_counter()
        span = svc.review.add_span(article, 0, 4, "LOC")
        times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        svc.review.delete_span(span)
        times.append(time.perf_counter() - t0)
        time.sleep(0.05)
    svc.close()


# Run in the import's process: fail unless the code imported is the tree's it was meant to be.
_CHILD = ("import sys; from pathlib import Path; import cli.main; "
          "code = Path(cli.main.__file__).resolve(); "
          "code.is_relative_to(Path(sys.argv[1]).resolve()) or sys.exit(f'ran {code}, not ' + sys.argv[1]); "
          "del sys.argv[1]; cli.main.main()")


def run(n: int, folder: Path, code: Path = ROOT, name: str = "ours") -> tuple[float, float, float]:
    """One import of ``n`` records by ``code``'s CLI; prints and returns (wall, CPU, longest wait)."""
    from annotate.service import Service

    db, data = folder / f"bench_{n}.db", folder / f"gold_{n}.jsonl"
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    write_records(data, n)
    svc = Service.open(db, annotator="reviewer")
    svc.data.ingest([ROOT / "seeds"])
    svc.close()
    env = {**os.environ, "PYTHONPATH": str(code)}
    cmd = [sys.executable, "-c", _CHILD, str(code), "import", str(data), "--db", str(db), "--annotator", "importer"]
    stop, times = threading.Event(), []
    thread = threading.Thread(target=reviewer, args=(db, stop, times))
    thread.start()
    time.sleep(0.3)
    t0, used = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=code)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - used.ru_utime) + (after.ru_stime - used.ru_stime)
    stop.set()
    thread.join()
    status = proc.stdout.strip() or proc.stderr.strip().splitlines()[-1]
    # CPU time beside wall time: on a shared machine the wall time mostly measures the others.
    print(f"{name}: {n} records: import {elapsed:.2f} s wall, {cpu:.2f} s CPU (exit {proc.returncode}: {status})")
    print(f"  reviewer: {len(times)} actions, longest {max(times):.3f} s, median {statistics.median(times):.3f} s")
    return elapsed, cpu, max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--keep", type=Path, help="Folder for the databases (default: a temp folder).")
    parser.add_argument("--baseline", type=Path, help="A checkout whose code imports too, after ours, each run.")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    trees = [("ours", ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        for n in args.records:
            got: dict[str, list[tuple[float, float, float]]] = {name: [] for name, _ in trees}
            for _ in range(args.runs):
                for name, code in trees:
                    got[name].append(run(n, folder, code, name))
            if args.runs > 1 or args.baseline:
                for name, figures in got.items():
                    wall, cpu, wait = (sorted(f[k] for f in figures) for k in range(3))
                    print(f"{n} records, {name}: wall {' / '.join(f'{w:.2f}' for w in wall)} s, "
                          f"CPU {' / '.join(f'{c:.2f}' for c in cpu)} s, longest wait "
                          f"{' / '.join(f'{x:.3f}' for x in wait)} s (sorted)")
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

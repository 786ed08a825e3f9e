"""CPU instructions (valgrind's callgrind, which the machine's load does not change) of an import.

Usage: ``python benchmarks/import_instructions.py [--records 800] [--baseline DIR]``

Prints, for this tree and for DIR's code (another checkout) beside it: the instructions of
``import cli.main`` (every command's start-up), and of an in-process import of ``--records`` gold
records (import_lock.py's, each on a text of its own) into a database holding the seed articles,
less a one-record run (start-up, the seeds' ingest). Batches are fixed at ``MAX_BATCH`` records
(under valgrind the import would measure itself 50 times slower and cut tiny batches) and hash
randomisation is off, so two runs give the same count within 0.1 %. Needs ``valgrind``; takes
about a minute per tree. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Run in the child, in the tree measured, with only that tree on its path.
_IMPORT = """
import sys
from pathlib import Path
folder, data, seeds = map(Path, sys.argv[1:4])
from annotate.service import Service
import annotate.formats.import_write as iw
iw.WRITE_SECONDS, iw.PAUSE_SECONDS = 1e9, 0.0
db = folder / "i.db"
svc = Service.open(db, annotator="reviewer"); svc.data.ingest([seeds]); svc.close()
svc = Service.open(db, annotator="importer")
print(svc.data.import_data(data).summary())
"""


def instructions(code: Path, *args: str) -> int:
    """Instructions callgrind counts for ``python -c CODE ARGS`` run in ``code``'s tree."""
    env = {**os.environ, "PYTHONPATH": str(code), "PYTHONHASHSEED": "0"}
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
                           "-c", *args], cwd=code, env=env, capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode or not found:
        sys.exit(f"{code}: {proc.stderr[-2000:]}")
    return int(found[1])


def measure(code: Path, n: int, folder: Path) -> tuple[int, int]:
    """(instructions of importing cli.main, of importing ``n`` records less one) for ``code``."""
    from benchmarks.import_lock import write_records

    counts = []
    for size in (n, 1):
        data = folder / f"gold_{size}.jsonl"
        write_records(data, size)
        for p in folder.glob("i.db*"):
            p.unlink()
        counts.append(instructions(code, _IMPORT, str(folder), str(data), str(ROOT / "seeds")))
    return instructions(code, "import cli.main"), counts[0] - counts[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=800)
    parser.add_argument("--baseline", type=Path, help="A checkout whose code is measured too.")
    args = parser.parse_args()
    trees = [("ours", ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    got = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, code in trees:
            got[name] = measure(code, args.records, Path(tmp))
            start, work = got[name]
            print(f"{name}: import cli.main {start / 1e6:,.0f} M instructions; "
                  f"importing {args.records} records {work / 1e6:,.0f} M")
    if args.baseline:
        (s1, w1), (s0, w0) = got["ours"], got["baseline"]
        print(f"ours / baseline: start-up {s1 / s0:.3f}, import {w1 / w0:.3f}")


if __name__ == "__main__":
    main()

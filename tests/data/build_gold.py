"""Build ``seeds_gold.jsonl`` from the human-readable gold sources in ``gold_src/``.

Each ``gold_src/<seed stem>.tsv`` holds one span per line, in text order::

    layer<TAB>label<TAB>surface<TAB>occurrence<TAB>kb_id<TAB>note

``layer`` is ``ent`` or ``evt``; ``surface`` is the exact substring of the seed text (NBSP, ’ and
so on included); ``occurrence`` is which occurrence (1-based) of ``surface`` in the text, counting
with ``str.find`` non-overlapping from left to right; ``kb_id`` is a lowercase slug for entities
and empty for events; ``note`` is optional free text.

Usage::

    python3 tests/data/build_gold.py            # write tests/data/seeds_gold.jsonl
    python3 tests/data/build_gold.py --check    # exit 1 if the jsonl is stale

Any problem ends the run with a non-zero status and a message naming the .tsv file and line.
Only the standard library is used.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import NoReturn

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_SRC = HERE / "gold_src"
DEFAULT_SEEDS = ROOT / "seeds"
DEFAULT_OUT = HERE / "seeds_gold.jsonl"

ENTITY_LABELS = frozenset({"PER", "ORG", "LOC", "MISC"})
EVENT_LABELS = frozenset(
    {"ATTACK", "MEETING", "NEGOTIATION", "WITHDRAWAL", "DEPLOYMENT", "ARREST", "CASUALTY"}
)
LABELS = {"ent": ENTITY_LABELS, "evt": EVENT_LABELS}
SLUG = re.compile(r"[a-z0-9_]+")


class GoldError(Exception):
    """A problem in a gold source, already formatted with its file and line."""


def read_text(path: Path) -> str:
    """The exact decoded content of a seed file (``\\r`` kept)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def find_occurrence(text: str, surface: str, occurrence: int) -> int | None:
    """Start of the ``occurrence``-th (1-based) non-overlapping match of ``surface``, or None."""
    pos = 0
    for _ in range(occurrence):
        idx = text.find(surface, pos)
        if idx < 0:
            return None
        start, pos = idx, idx + len(surface)
    return start


def tsv_lines(tsv: Path) -> list[str]:
    """The lines of a source file, split on LF only (a stray CR stays visible to the checks)."""
    with open(tsv, encoding="utf-8", newline="") as fh:
        lines = fh.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def parse_tsv(tsv: Path, text: str) -> tuple[list[dict], list[dict]]:
    """Resolve one source file against its seed text; return (spans, events)."""
    spans: list[dict] = []
    events: list[dict] = []
    last_start = -1
    lines = tsv_lines(tsv)
    for lineno, line in enumerate(lines, 1):
        where = f"{tsv}:{lineno}"

        def fail(msg: str) -> NoReturn:
            raise GoldError(f"{where}: {msg}")

        if line.endswith("\r"):
            fail("CR line ending")
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) not in (5, 6):
            fail(f"expected 5 or 6 tab-separated fields, got {len(fields)}")
        layer, label, surface, occ, kb_id = fields[:5]
        if layer not in LABELS:
            fail(f"layer must be 'ent' or 'evt', got {layer!r}")
        if label not in LABELS[layer]:
            fail(f"label {label!r} is not valid for layer {layer!r}")
        if not surface:
            fail("empty surface")
        if surface != surface.strip() or not surface[0].isalnum() or not surface[-1].isalnum():
            fail(f"surface {surface!r} starts or ends on whitespace or punctuation")
        if not occ.isdigit() or int(occ) < 1:
            fail(f"occurrence must be a positive integer, got {occ!r}")
        if layer == "ent":
            if not kb_id:
                fail(f"entity {surface!r} has no kb_id")
            if not SLUG.fullmatch(kb_id):
                fail(f"kb_id {kb_id!r} is not a lowercase slug [a-z0-9_]+")
        elif kb_id:
            fail(f"event {surface!r} must have an empty kb_id, got {kb_id!r}")
        if surface not in text:
            fail(f"surface {surface!r} not found in the seed text")
        start = find_occurrence(text, surface, int(occ))
        if start is None:
            fail(f"surface {surface!r} has fewer than {occ} occurrences")
        if start < last_start:
            fail(f"{surface!r} (occurrence {occ}) at {start} is out of order (lines must follow the text)")
        last_start = start
        end = start + len(surface)
        item = {"start": start, "end": end, "label": label, "text": surface}
        if layer == "ent":
            item["kb_id"] = kb_id
            target = spans
        else:
            target = events
        for other in target:
            if other["start"] < end and start < other["end"]:
                fail(
                    f"{surface!r} [{start}:{end}] overlaps {other['text']!r} "
                    f"[{other['start']}:{other['end']}] in layer {layer!r}"
                )
        target.append(item)
    spans.sort(key=lambda s: (s["start"], s["end"]))
    events.sort(key=lambda s: (s["start"], s["end"]))
    return spans, events


def build(src: Path = DEFAULT_SRC, seeds: Path = DEFAULT_SEEDS) -> list[dict]:
    """All gold records, one per seed file in file-name order."""
    seed_files = sorted(seeds.glob("*.txt"))
    if not seed_files:
        raise GoldError(f"{seeds}: no seed files")
    tsvs = {p.stem: p for p in src.glob("*.tsv")}
    orphans = sorted(set(tsvs) - {p.stem for p in seed_files})
    if orphans:
        raise GoldError(f"{tsvs[orphans[0]]}:1: no seed file {orphans[0]}.txt in {seeds}")
    records = []
    for seed in seed_files:
        tsv = tsvs.get(seed.stem)
        if tsv is None:
            raise GoldError(f"{src / (seed.stem + '.tsv')}:0: missing gold source for {seed.name}")
        text = read_text(seed)
        spans, events = parse_tsv(tsv, text)
        records.append(
            {"text": text, "meta": {"source": seed.name}, "spans": spans, "events": events}
        )
    return records


def dumps(records: list[dict]) -> str:
    """The jsonl content for ``records`` (UTF-8 text, one record per line)."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=DEFAULT_SRC, help="folder of .tsv sources")
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of seed .txt files")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="jsonl file to write")
    parser.add_argument("--check", action="store_true", help="only check that --out is up to date")
    args = parser.parse_args(argv)
    try:
        content = dumps(build(args.src, args.seeds))
    except GoldError as exc:
        print(f"build_gold: {exc}", file=sys.stderr)
        return 1
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else None
        if current != content:
            print(f"build_gold: {args.out} is stale; run tests/data/build_gold.py", file=sys.stderr)
            return 1
        return 0
    with open(args.out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(content)
    records = json.loads("[" + ",".join(content.splitlines()) + "]")
    n_spans = sum(len(r["spans"]) for r in records)
    n_events = sum(len(r["events"]) for r in records)
    print(f"wrote {args.out}: {len(records)} articles, {n_spans} entity spans, {n_events} events")
    return 0


if __name__ == "__main__":
    sys.exit(main())

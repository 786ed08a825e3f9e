"""Build ``seeds_gold_args.jsonl`` (gold event arguments) from ``gold_src/args/*.tsv``.

The arguments live apart from ``seeds_gold.jsonl`` so that the entity / event gold does not
change. Each ``gold_src/args/<seed stem>.tsv`` holds one argument per line, triggers in text
order::

    trigger<TAB>occurrence<TAB>role<TAB>filler<TAB>occurrence<TAB>label<TAB>note

``trigger`` / ``filler`` are exact substrings of the seed text and ``occurrence`` says which
one (1-based, ``str.find`` matches, non-overlapping, left to right, case-sensitive), as in
``gold_src/*.tsv``. The trigger must be a gold event of ``seeds_gold.jsonl``; ``role`` must be
one of that event type's roles in ``annotate/data/event_lexicon.toml``; ``label`` is the filler's
label: an entity label (PER ORG LOC MISC), and then the filler must be a gold entity span with
the same offsets and label, or ``DATE`` / ``QUANTITY`` for a value span, which must not overlap a
gold entity. ``time`` takes DATE fillers, ``quantity`` QUANTITY fillers, every other role an
entity. Trigger and filler lie in the same paragraph (no line break between them). ``note`` is
optional free text.

Output: one line per seed, in file-name order::

    {"source": "000_….txt",
     "values": [{"start", "end", "label", "text"}, …],
     "args": [{"event": [start, end, LABEL], "role": ROLE, "filler": [start, end, LABEL]}, …]}

Usage::

    python3 tests/data/build_gold_args.py            # write tests/data/seeds_gold_args.jsonl
    python3 tests/data/build_gold_args.py --check    # exit 1 if the jsonl is stale

Any problem ends the run with a non-zero status and a message naming the .tsv file and line.
Only the standard library is used.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path
from typing import NoReturn

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_SRC = HERE / "gold_src" / "args"
DEFAULT_GOLD = HERE / "seeds_gold.jsonl"
DEFAULT_LEXICON = ROOT / "annotate" / "data" / "event_lexicon.toml"
DEFAULT_OUT = HERE / "seeds_gold_args.jsonl"

# The entity gold's builder, beside this file, owns how sources are read and surfaces located.
sys.path.insert(0, str(HERE))
from build_gold import ENTITY_LABELS, find_occurrence, tsv_lines  # noqa: E402

VALUE_LABELS = frozenset({"DATE", "QUANTITY"})
VALUE_ROLE = {"time": "DATE", "quantity": "QUANTITY"}


class GoldArgsError(Exception):
    """A problem in an argument source, already formatted with its file and line."""


def load_roles(lexicon: Path = DEFAULT_LEXICON) -> dict[str, tuple[str, ...]]:
    """Event type -> its roles, in lexicon order."""
    with open(lexicon, "rb") as fh:
        data = tomllib.load(fh)
    return {label: tuple(table.get("roles", ())) for label, table in data.get("events", {}).items()}


def load_gold(path: Path = DEFAULT_GOLD) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _check_surface(surface: str, what: str, fail) -> None:
    if not surface:
        fail(f"empty {what}")
    if surface != surface.strip() or not surface[0].isalnum() or not surface[-1].isalnum():
        fail(f"{what} {surface!r} starts or ends on whitespace or punctuation")


def _resolve(text: str, surface: str, occ: str, what: str, fail) -> tuple[int, int]:
    _check_surface(surface, what, fail)
    if not occ.isdigit() or int(occ) < 1:
        fail(f"{what} occurrence must be a positive integer, got {occ!r}")
    start = find_occurrence(text, surface, int(occ))
    if start is None:
        if surface not in text:
            fail(f"{what} {surface!r} not found in the seed text")
        fail(f"{what} {surface!r} has fewer than {occ} occurrences")
    return start, start + len(surface)


def parse_tsv(tsv: Path, record: dict, roles: dict[str, tuple[str, ...]]) -> dict:
    """Resolve one argument source against its gold record; return the output record."""
    text = record["text"]
    events = {(e["start"], e["end"]): e["label"] for e in record["events"]}
    entities = {(s["start"], s["end"]): s["label"] for s in record["spans"]}
    values: dict[tuple[int, int], str] = {}
    args: list[tuple] = []
    seen: set[tuple] = set()
    last_start = -1
    lines = tsv_lines(tsv)
    for lineno, line in enumerate(lines, 1):
        where = f"{tsv}:{lineno}"

        def fail(msg: str) -> NoReturn:
            raise GoldArgsError(f"{where}: {msg}")

        if line.endswith("\r"):
            fail("CR line ending")
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) not in (6, 7):
            fail(f"expected 6 or 7 tab-separated fields, got {len(fields)}")
        trigger, t_occ, role, filler, f_occ, label = fields[:6]

        t_start, t_end = _resolve(text, trigger, t_occ, "trigger", fail)
        ev_label = events.get((t_start, t_end))
        if ev_label is None:
            fail(f"trigger {trigger!r} (occurrence {t_occ}) at [{t_start}:{t_end}] is not a gold event")
        if t_start < last_start:
            fail(f"trigger {trigger!r} (occurrence {t_occ}) at {t_start} is out of order "
                 "(lines must follow the text order of their triggers)")
        last_start = t_start
        allowed = roles.get(ev_label, ())
        if role not in allowed:
            fail(f"role {role!r} is not a role of {ev_label} (allowed: {', '.join(allowed) or 'none'})")

        if label not in ENTITY_LABELS | VALUE_LABELS:
            fail(f"filler label {label!r} must be one of {', '.join(sorted(ENTITY_LABELS | VALUE_LABELS))}")
        f_start, f_end = _resolve(text, filler, f_occ, "filler", fail)
        expected = VALUE_ROLE.get(role)
        if expected is not None and label != expected:
            fail(f"role {role!r} takes a {expected} filler, got {label}")
        if expected is None and label in VALUE_LABELS:
            fail(f"role {role!r} takes an entity filler, got {label}")
        if label in ENTITY_LABELS:
            gold_label = entities.get((f_start, f_end))
            if gold_label is None:
                fail(f"filler {filler!r} (occurrence {f_occ}) at [{f_start}:{f_end}] is not a gold entity span")
            if gold_label != label:
                fail(f"filler {filler!r} is a gold {gold_label} span, not {label}")
        else:
            for (s, e), ent_label in entities.items():
                if s < f_end and f_start < e:
                    fail(f"value {filler!r} [{f_start}:{f_end}] overlaps gold entity "
                         f"{text[s:e]!r} [{s}:{e}] ({ent_label})")
            for (s, e), v_label in values.items():
                if (s, e) == (f_start, f_end):
                    if v_label != label:
                        fail(f"value {filler!r} [{f_start}:{f_end}] is already labelled {v_label}")
                elif s < f_end and f_start < e:
                    fail(f"value {filler!r} [{f_start}:{f_end}] overlaps value {text[s:e]!r} [{s}:{e}]")
            values[(f_start, f_end)] = label
        if "\n" in text[min(t_start, f_start):max(t_end, f_end)]:
            fail(f"filler {filler!r} is not in the paragraph of trigger {trigger!r}")

        key = ((t_start, t_end, ev_label), role, (f_start, f_end, label))
        if key in seen:
            fail(f"duplicate argument {trigger!r} {role} {filler!r}")
        seen.add(key)
        args.append(key)

    def order(arg):
        (s, e, lab), role, filler = arg
        return (s, e, roles[lab].index(role), filler)

    return {
        "source": record["meta"]["source"],
        "values": [
            {"start": s, "end": e, "label": lab, "text": text[s:e]}
            for (s, e), lab in sorted(values.items())
        ],
        "args": [
            {"event": list(ev), "role": role, "filler": list(filler)}
            for ev, role, filler in sorted(args, key=order)
        ],
    }


def build(src: Path = DEFAULT_SRC, gold: Path = DEFAULT_GOLD, lexicon: Path = DEFAULT_LEXICON) -> list[dict]:
    """All argument records, one per gold record (file-name order of the seeds)."""
    records = sorted(load_gold(gold), key=lambda r: r["meta"]["source"])
    if not records:
        raise GoldArgsError(f"{gold}:1: no gold records")
    roles = load_roles(lexicon)
    stems = {Path(r["meta"]["source"]).stem: r for r in records}
    tsvs = {p.stem: p for p in src.glob("*.tsv")}
    orphans = sorted(set(tsvs) - set(stems))
    if orphans:
        raise GoldArgsError(f"{tsvs[orphans[0]]}:1: no gold record for seed {orphans[0]} in {gold}")
    out = []
    for stem, record in stems.items():
        tsv = tsvs.get(stem)
        if tsv is None:
            raise GoldArgsError(f"{src / (stem + '.tsv')}:0: missing argument source for {record['meta']['source']}")
        out.append(parse_tsv(tsv, record, roles))
    return out


def dumps(records: list[dict]) -> str:
    """The jsonl content for ``records`` (UTF-8 text, one record per line)."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=DEFAULT_SRC, help="folder of argument .tsv sources")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="seeds_gold.jsonl to resolve against")
    parser.add_argument("--lexicon", type=Path, default=DEFAULT_LEXICON, help="event lexicon (roles per type)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="jsonl file to write")
    parser.add_argument("--check", action="store_true", help="only check that --out is up to date")
    args = parser.parse_args(argv)
    try:
        content = dumps(build(args.src, args.gold, args.lexicon))
    except GoldArgsError as exc:
        print(f"build_gold_args: {exc}", file=sys.stderr)
        return 1
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else None
        if current != content:
            print(f"build_gold_args: {args.out} is stale; run tests/data/build_gold_args.py", file=sys.stderr)
            return 1
        return 0
    with open(args.out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(content)
    records = [json.loads(line) for line in content.splitlines()]
    n_args = sum(len(r["args"]) for r in records)
    n_values = sum(len(r["values"]) for r in records)
    print(f"wrote {args.out}: {len(records)} articles, {n_args} arguments, {n_values} value spans")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Build a set of marked articles (``benchmarks/data/unseen/``, ``benchmarks/data/dev/``) from its annotated
sources (``SET/src/SET_NN.txt``).

Each source is the article text with inline gold marks (everything else is the text verbatim,
``~`` standing for U+00A0)::

    [[surface|LABEL|kb_id]]          entity span (PER ORG LOC MISC), optional ``#tag`` after kb_id
    {{surface|EVENT}}                event trigger; ``{{surface|EVENT|role=tag,role=tag}}`` adds
                                     arguments whose fillers are tagged entities or values
    <<surface|DATE#tag>>             value span (DATE / QUANTITY), written only as argument fillers

Offsets are computed here from the marks (never by hand). Writes ``texts/SET_NN.txt``,
``articles.jsonl`` (the import shape of ``tests/data/seeds_gold.jsonl``) and ``args.jsonl`` (the
shape of ``tests/data/seeds_gold_args.jsonl``), then cross-checks both files with the seeds'
own builders (``tests/data/build_gold.py`` / ``build_gold_args.py``) run on generated .tsv sources.

Usage: ``python3 benchmarks/data/build_marked.py unseen|dev``
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parent
ROOT = DATA.parents[1]
HERE = DATA  # the set's folder, set by main()
MARK = re.compile(r"\[\[(.+?)\]\]|\{\{(.+?)\}\}|<<(.+?)>>")
ENT = {"PER", "ORG", "LOC", "MISC"}
EVT = {"ATTACK", "MEETING", "NEGOTIATION", "WITHDRAWAL", "DEPLOYMENT", "ARREST", "CASUALTY"}


def parse(src: str, name: str):
    """Plain text, entity spans, events (with raw role refs), values by tag, tags."""
    src = src.replace("~", "\u00a0")
    out, pos, cur = [], 0, 0
    spans, events, tags = [], [], {}
    for m in MARK.finditer(src):
        out.append(src[pos:m.start()])
        cur += m.start() - pos
        pos = m.end()
        ent, evt, val = m.groups()
        body = ent or evt or val
        parts = body.split("|")
        surface = parts[0]
        start, end = cur, cur + len(surface)
        out.append(surface)
        cur = end
        if not (surface[0].isalnum() and surface[-1].isalnum()):
            sys.exit(f"{name}: surface {surface!r} starts or ends on punctuation")
        if ent is not None:
            label, kb = parts[1], parts[2]
            tag = None
            if "#" in kb:
                kb, tag = kb.split("#")
            assert label in ENT and re.fullmatch(r"[a-z0-9_]+", kb), (name, body)
            spans.append({"start": start, "end": end, "label": label, "text": surface, "kb_id": kb})
            if tag:
                assert tag not in tags, (name, tag)
                tags[tag] = ("ent", len(spans) - 1)
        elif evt is not None:
            label = parts[1]
            assert label in EVT, (name, body)
            refs = []
            if len(parts) > 2 and parts[2]:
                refs = [r.split("=") for r in parts[2].split(",")]
            events.append(({"start": start, "end": end, "label": label, "text": surface}, refs))
        else:
            label, tag = parts[1].split("#")
            assert label in {"DATE", "QUANTITY"}, (name, body)
            assert tag not in tags, (name, tag)
            tags[tag] = ("val", (start, end, label, surface))
    out.append(src[pos:])
    text = "".join(out)
    for s in spans:
        assert text[s["start"]:s["end"]] == s["text"]
    return text, spans, events, tags


def build():
    records, arg_records = [], []
    for path in sorted((HERE / "src").glob(f"{HERE.name}_*.txt")):
        name = path.stem + ".txt"
        text, spans, events, tags = parse(path.read_text(encoding="utf-8"), name)
        (HERE / "texts" / name).write_bytes(text.encode("utf-8"))
        values, args = {}, []
        for ev, refs in events:
            for role, tag in refs:
                if tag not in tags:
                    sys.exit(f"{name}: unknown tag {tag!r} on {ev['text']!r}")
                kind, ref = tags[tag]
                if kind == "ent":
                    s = spans[ref]
                    filler = [s["start"], s["end"], s["label"]]
                else:
                    filler = list(ref[:3])
                    values[(ref[0], ref[1])] = ref
                args.append((ev, role, filler))
        records.append({"text": text, "meta": {"source": name},
                        "spans": sorted(spans, key=lambda s: (s["start"], s["end"])),
                        "events": sorted([e for e, _ in events], key=lambda s: (s["start"], s["end"]))})
        arg_records.append((name, text, spans, [e for e, _ in events], values, args))
    with open(HERE / "articles.jsonl", "w", encoding="utf-8", newline="\n") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return records, arg_records


def occurrence(text: str, start: int, surface: str) -> int:
    """1-based str.find occurrence index of the match at ``start`` (the builders' convention)."""
    pos, n = 0, 0
    while True:
        idx = text.find(surface, pos)
        if idx < 0:
            raise AssertionError((surface, start))
        n += 1
        if idx == start:
            return n
        if idx > start:
            raise AssertionError(f"{surface!r} at {start} is not a str.find match (overlapping)")
        pos = idx + len(surface)


def cross_check(records, arg_records) -> None:
    """Regenerate both files with the seeds' builders from .tsv sources and compare."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "src" / "args").mkdir(parents=True)
        for r in records:
            text = r["text"]
            rows = [(s["start"], "ent", s) for s in r["spans"]] + [(e["start"], "evt", e) for e in r["events"]]
            lines = []
            for _, layer, s in sorted(rows, key=lambda x: x[0]):
                lines.append("\t".join([layer, s["label"], s["text"], str(occurrence(text, s["start"], s["text"])),
                                        s.get("kb_id", ""), ""]))
            (tmp / "src" / (Path(r["meta"]["source"]).stem + ".tsv")).write_text("\n".join(lines) + "\n", encoding="utf-8")
        subprocess.run([sys.executable, str(ROOT / "tests/data/build_gold.py"), "--src", str(tmp / "src"),
                        "--seeds", str(HERE / "texts"), "--out", str(tmp / "a.jsonl")], check=True)
        assert (tmp / "a.jsonl").read_text(encoding="utf-8") == (HERE / "articles.jsonl").read_text(encoding="utf-8"), \
            "articles.jsonl differs from build_gold.py's output"
        for name, text, spans, events, values, args in arg_records:
            lines = []
            for ev, role, filler in sorted(args, key=lambda a: a[0]["start"]):
                fs, fe, fl = filler
                lines.append("\t".join([ev["text"], str(occurrence(text, ev["start"], ev["text"])), role,
                                        text[fs:fe], str(occurrence(text, fs, text[fs:fe])), fl, ""]))
            (tmp / "src" / "args" / (Path(name).stem + ".tsv")).write_text("\n".join(lines) + "\n", encoding="utf-8")
        subprocess.run([sys.executable, str(ROOT / "tests/data/build_gold_args.py"), "--src", str(tmp / "src" / "args"),
                        "--gold", str(HERE / "articles.jsonl"), "--out", str(HERE / "args.jsonl")], check=True)


if __name__ == "__main__":
    if len(sys.argv) != 2 or not (DATA / sys.argv[1] / "src").is_dir():
        sys.exit("usage: build_marked.py SET (a folder of benchmarks/data/ holding src/)")
    HERE = DATA / sys.argv[1]
    recs, arecs = build()
    cross_check(recs, arecs)
    for r in recs:
        words = len(r["text"].split())
        print(f"{r['meta']['source']}: {words} words, {len(r['spans'])} entities, {len(r['events'])} events")

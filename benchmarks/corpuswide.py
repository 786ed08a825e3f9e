"""Corpus-wide review at scale (issue 14, items 2 and 3): time to open the occurrences list and
the consistency queue on a generated corpus.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/corpuswide.py --articles 100000 [--keep DB]

Generates N seed-sized articles (``benchmarks/scale.py``'s generator) and ingests them, or reads
``--db`` as it is. Then, for a common surface ("Irak", in every article), a rarer one and an absent
one: the first page of occurrences (:data:`annotate.service.corpuswide.PAGE` rows) through the
FTS5 index, beside the baseline of scanning every text for the surface without the index; the
app's time from ``o`` to the list on screen; then the occurrences applied to one page and the
consistency queue read over the articles worked on. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# A word of every article, a phrase of every fifth, the number of one article (set from the corpus
# size, "n°N" opens each generated text) and an absent word.
SURFACES = ("Irak", "Premier ministre irakien", "n°{middle}", "zzzabsent")


def build(db: Path, n: int) -> None:
    """Generate and ingest ``n`` articles into ``db``."""
    from annotate.service import Service
    from benchmarks.scale import generate

    with tempfile.TemporaryDirectory(prefix="glossator-cw-") as tmp:
        source = Path(tmp) / "corpus.jsonl"
        t0 = time.perf_counter()
        generate(source, n)
        svc = Service.open(db, annotator="bench")
        svc.data.ingest([source])
        svc.close()
        print(f"{n:,} articles generated and ingested in {time.perf_counter() - t0:.0f} s")


def source_for(svc, surface: str):
    """``surface`` as a Source in the first of the first 50 articles holding it, else in the first article."""
    from annotate.review.state import Item

    for aid in svc.store.article_ids()[:50]:
        text = svc.data.article(aid).text
        at = text.find(surface)
        if at >= 0:
            return svc.corpuswide.source(aid, Item(at, at + len(surface), "LOC", "entity", "gold", surface))
    aid = svc.store.article_ids()[0]
    return svc.corpuswide.source(aid, Item(0, len(surface), "LOC", "entity", "gold", surface))


def scan_all(svc, surface: str, limit: int) -> int:
    """Baseline: every text read and searched in ingest order (no index), up to ``limit`` hits."""
    from annotate.corpuswide.surface import find_all

    found = 0
    for article in svc.store.iter_articles():
        found += len(list(find_all(article.text, surface)))
        if found >= limit:
            break
    return found


def in_process(db: Path) -> None:
    from annotate.service import Service
    from annotate.service.corpuswide import PAGE

    svc = Service.open(db, annotator="bench")
    total = len(svc.store.article_ids())
    print(f"  {total:,} articles (wall times; CPU of the process in brackets)")
    for surface in (s.format(middle=total // 2) for s in SURFACES):
        source = source_for(svc, surface)
        t0, cpu = time.perf_counter(), time.process_time()
        page = svc.corpuswide.occurrences(source)
        ours = (time.perf_counter() - t0) * 1000
        ours_cpu = (time.process_time() - cpu) * 1000
        t0 = time.perf_counter()
        svc.corpuswide.occurrences(source, after=page.after or 0) if page.after else None
        second = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        scanned = scan_all(svc, surface, PAGE)
        baseline = (time.perf_counter() - t0) * 1000
        print(f"  “{surface}”: first page {len(page.items)} occurrences ({page.scanned} articles read) in "
              f"{ours:.0f} ms [{ours_cpu:.0f}], next page {second:.0f} ms; baseline scan of the texts without the index "
              f"(to {PAGE} hits or the end, {scanned} found): {baseline:.0f} ms")
    source = source_for(svc, "Irak")
    from annotate.corpuswide.occurrences import OccurrenceList

    occ = OccurrenceList(source)
    occ.add_page(svc.corpuswide.occurrences(source))
    occ.mark_all()
    t0 = time.perf_counter()
    changed, _ = svc.corpuswide.apply_occurrences(source, occ.marked())
    applied = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    undone = svc.review.undo(source.article_id)
    undo_ms = (time.perf_counter() - t0) * 1000
    svc.corpuswide.apply_occurrences(source, occ.marked())
    t0 = time.perf_counter()
    rows = svc.corpuswide.consistency()
    queue = (time.perf_counter() - t0) * 1000
    print(f"  apply {changed} occurrences in one action: {applied:.0f} ms; one undo ({undone}): {undo_ms:.0f} ms; "
          f"consistency queue over the {len({o.article_id for o in occ.items}) + 1} articles worked on: "
          f"{len(rows)} rows in {queue:.0f} ms")
    svc.review.undo(source.article_id)
    svc.close()


def in_app(db: Path) -> None:
    from annotate.service import Service
    from tui.app import GlossatorApp
    from tui.screens.article.screen import ArticleScreen
    from tui.screens.occurrences import OccurrencesScreen

    async def run() -> None:
        svc = Service.open(db, annotator="bench")
        source = source_for(svc, "Irak")
        span_id = svc.review.add_span(source.article_id, source.start, source.end, "LOC")
        app = GlossatorApp(svc)
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            app.jump_to_article(source.article_id)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ArticleScreen)
            screen.session.go(screen.state.find(f"s{span_id}"))
            t0, cpu = time.perf_counter(), time.process_time()
            await pilot.press("o")
            while not isinstance(app.screen, OccurrencesScreen) or not app.screen.occurrences.items:
                await pilot.pause()
            await pilot.pause()
            opened = ((time.perf_counter() - t0) * 1000, (time.process_time() - cpu) * 1000)
            t0, cpu = time.perf_counter(), time.process_time()
            await pilot.press("A")
            await pilot.pause()
            mark_all = ((time.perf_counter() - t0) * 1000, (time.process_time() - cpu) * 1000)
            rows = len(app.screen.occurrences.items)
            await pilot.press("escape")
        svc.review.undo(source.article_id)
        svc.close()
        print(f"  app: o to the list of {rows} rows on screen {opened[0]:.0f} ms [{opened[1]:.0f}]; "
              f"A (mark all) {mark_all[0]:.0f} ms [{mark_all[1]:.0f}]")

    asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--db", type=Path, default=None, help="An existing database (nothing generated).")
    parser.add_argument("--keep", type=Path, default=None, help="Keep the generated database at this path.")
    args = parser.parse_args()
    if args.db:
        in_process(args.db)
        in_app(args.db)
        return
    with tempfile.TemporaryDirectory(prefix="glossator-cw-db-") as tmp:
        db = args.keep or Path(tmp) / "g.db"
        build(db, args.articles)
        in_process(db)
        in_app(db)


if __name__ == "__main__":
    main()

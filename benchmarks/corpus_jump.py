"""Jumps into the middle of a sorted corpus list and positions of an article (issue 15.2), with
and without the keyset anchors, on one database, in one run.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/corpus_jump.py --db BIG.db [--repeat 3]

BIG.db: a corpus ingested by ``benchmarks/scale.py --articles 100000 --keep BIG.db``. A jump is
the window of 64 rows the list reads when the cursor lands far from any row read (End, a click
on the scrollbar, a position restored); the baseline is the same view without anchors (OFFSET
from the nearer end of the view), the position baseline a count of every row before the article.
Figures are printed (median of ``--repeat`` runs, per view), never asserted. ``--app``: the app
itself, the cursor at row 50,000, then ``s``'s action (sort by title, the article kept in view): time
the UI thread is held by it, and until the cursor is back on the article (rendering included), with the anchors
(built in a worker) and without (``ANCHORS_FROM`` out of reach: the position counted at the key).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from annotate.corpus.listing import CorpusView, View
from annotate.service import Service

VIEWS = (View(sort="title"), View(sort="title", reverse=True), View(sort="confidence"),
         View(sort="source", reverse=True), View(status="todo", sort="date"))
PLACES = (0.1, 0.33, 0.5, 0.77, 0.95)  # where the jumps land, as a share of the list


def timed(call, repeat: int) -> tuple[float, object]:
    """Median milliseconds of ``call`` over ``repeat`` runs, and its last result."""
    times, out = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        out = call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), out


def app_figures(db: Path, annotator: str) -> None:
    """``s`` in the app with the cursor in the middle, with and without anchors."""
    import asyncio

    from annotate.corpus import listing
    from tui.app import GlossatorApp
    from tui.screens.corpus import CorpusScreen

    async def run(anchored: bool) -> tuple[float, float, bool]:
        listing.ANCHORS_FROM = 20_000 if anchored else 10**12
        svc = Service.open(db, annotator=annotator)
        try:
            app = GlossatorApp(svc)
            async with app.run_test(size=(120, 40)) as pilot:
                while not isinstance(app.screen, CorpusScreen):
                    await pilot.pause()
                screen = app.screen
                screen.list.move_to(screen.list.total // 2)
                await pilot.pause()
                kept = screen.current_id()
                started = time.perf_counter()
                screen.action_cycle_sort()  # what s runs: the time the UI thread is held by the key
                key = (time.perf_counter() - started) * 1000
                await app.workers.wait_for_complete()
                await pilot.pause()
                back = (time.perf_counter() - started) * 1000
                return key, back, screen.current_id() == kept
        finally:
            svc.close()

    for anchored, label in ((False, "without anchors (before)"), (True, "with anchors (after)")):
        key, back, kept = asyncio.run(run(anchored))
        print(f"  app, s at row 50,000 {label:25}: UI thread held {key:6.1f} ms, article back under the cursor "
              f"{back:6.0f} ms ({'kept' if kept else 'NOT kept'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--annotator", default="bench")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--app", action="store_true", help="also time s in the app, with and without anchors")
    args = parser.parse_args()
    svc = Service.open(args.db, annotator=args.annotator, readonly=True)
    try:
        for view in VIEWS:
            plain, anchored = CorpusView(svc, view), CorpusView(svc, view)
            total = plain.count()
            build, anchors = timed(lambda v=anchored: v.anchor_job(svc.store), 1)
            anchored.adopt(anchors)
            name = f"{view.status or 'all'}, by {view.sort}{' ↓' if view.reverse else ''}"
            print(f"{name}: {total:,} rows, {len(anchors):,} anchors built in {build:.0f} ms (a worker)")
            jumps: dict[str, list[float]] = {"OFFSET (before)": [], "anchors (after)": []}
            for cv, label in ((plain, "OFFSET (before)"), (anchored, "anchors (after)")):
                for place in PLACES:
                    offset = int(total * place)

                    def jump(cv=cv, offset=offset):
                        cv._edges.clear()  # far from any row read: a jump, not a page next to one
                        return cv.rows(offset, 64)
                    ms, _ = timed(jump, args.repeat)
                    jumps[label].append(ms)
            same = all([r["id"] for r in plain.rows(int(total * p), 64)] == [r["id"] for r in anchored.rows(int(total * p), 64)]
                       for p in PLACES)
            print(f"  (both read the same {len(anchored.rows(total // 2, 64))} rows at each place: {'yes' if same else 'NO'})")
            for label, values in jumps.items():
                print(f"  jump   {label:16} median {statistics.median(values):7.1f} ms  max {max(values):7.1f} ms")
            middle = plain.ids(total // 2, 1)[0]
            for cv, label in ((plain, "count (before)"), (anchored, "anchors (after)")):
                ms, at = timed(lambda cv=cv: cv.position(middle), args.repeat)
                print(f"  position of row {at:,} {label:16} {ms:7.1f} ms")
    finally:
        svc.close()
    if args.app:
        app_figures(args.db, args.annotator)


if __name__ == "__main__":
    main()

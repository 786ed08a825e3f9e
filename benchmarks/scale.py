"""Scale figures (issue 15.1–15.3): ingest time and peak memory, first corpus window, search latency.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/scale.py --articles 100000

Generates N seed-sized articles (the five seeds with varied words, so that every text and every
near-duplicate key differs) as one JSONL file, then ingests it in a subprocess with
``glossator ingest`` and prints wall time and the subprocess's peak RSS (``os.wait4``) beside
the baselines measured in the same run:

- ``previous``: the ingest of the commit before streaming (``--base``, default the merge base
  with main; extracted with ``git archive`` into a temp folder), on the same file;
- ``insert_all``: plain sqlite-utils ``insert_all`` of the same rows (no cleaning, no index),
  the floor of what writing the rows costs.

Then, on the ingested database: the first corpus window (count + 60 rows, what the screen asks
for first), moving through it, and search latency (p50/p95 over a few queries, 20 hits each).
With ``--only-figures DB`` (a database kept by ``--keep``), only those figures; ``--app-only
--against COMMIT`` prints the app's figures of that commit's tree beside ours (list keys, Enter in a search's rows, and
typing a search at a key every 30 and every 200 ms: the event loop's CPU per key, its longest
stall, the last key to its rows shown), and ours with the search read at each key.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
PYTHON = sys.executable


def generate(path: Path, n: int, seed: int = 15) -> int:
    """Write n articles as JSONL; returns the size in bytes."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    vocab = sorted({w for t in texts for w in re.findall(r"\w{4,}", t)})
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            base = texts[i % len(texts)]
            words = base.split(" ")
            # A few words swapped for others of the vocabulary: every text (and its first 400
            # words, the near-duplicate key) differs, with the seeds' length and shape.
            for _ in range(12):
                words[rng.randrange(len(words))] = rng.choice(vocab)
            lead = " ".join(rng.choice(vocab) for _ in range(8))
            text = f"{lead} n°{i}\n\n" + " ".join(words)
            out.write(json.dumps({"text": text, "meta": {"source": f"gen:{i}"}}, ensure_ascii=False) + "\n")
    return path.stat().st_size


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, last line of stdout) of a subprocess; the last line ends with the
    CPU seconds of the subprocess and its worker processes (on a shared machine the wall time
    mostly measures the others)."""
    started = time.perf_counter()
    # cwd: `python -c` puts the working directory first on sys.path, before PYTHONPATH's tree.
    proc = subprocess.Popen(cmd, env=env, cwd=env.get("PYTHONPATH") or None, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{cmd[:4]} failed ({proc.returncode}): {out[-500:]}")
    lines = out.strip().splitlines()
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, usage.ru_maxrss / 1024, (lines[-1] if lines else "") + f"; {cpu:.0f} s CPU"


def ingest_cmd(tree: Path, source: Path, db: Path) -> tuple[list[str], dict[str, str]]:
    code = "import sys; from cli.main import main; sys.argv[0] = 'glossator'; main()"
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return [PYTHON, "-c", code, "ingest", str(source), "--db", str(db)], env


INSERT_ALL = """
import json, sys, sqlite_utils
db = sqlite_utils.Database(sys.argv[2])
def rows():
    with open(sys.argv[1], encoding="utf-8") as f:
        for n, line in enumerate(f):
            obj = json.loads(line)
            yield {"id": str(n), "source": obj["meta"]["source"], "title": "", "text": obj["text"]}
db["articles"].insert_all(rows(), pk="id", batch_size=500)
print(db["articles"].count, "rows")
"""


def previous_tree(base: str, into: Path) -> Path:
    """The project at commit ``base``, extracted (no worktree is added to the repository)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", base], capture_output=True, check=True)
    into.mkdir()
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def in_process_figures(db_path: Path) -> None:
    """First corpus window, paging, search latency on the ingested database."""
    sys.path.insert(0, str(ROOT))
    from annotate.corpus.listing import CorpusView, View
    from annotate.service import Service

    started = time.perf_counter()
    svc = Service.open(db_path, annotator="bench")
    opened = time.perf_counter() - started
    view = CorpusView(svc, View())
    t0 = time.perf_counter()
    total = view.count()
    first = view.rows(0, 60)
    first_ms = (time.perf_counter() - t0) * 1000
    print(f"  open service {opened * 1000:.0f} ms; first corpus window ({len(first)} rows of {total:,}): {first_ms:.1f} ms")
    for label, v in (("sorted by title", View(sort="title")), ("status filter todo", View(status="todo")),
                     ("filter 'soudani'", View(text="soudani"))):
        cv = CorpusView(svc, v)
        t0 = time.perf_counter()
        n = cv.count()
        cv.rows(0, 60)
        print(f"  {label}: count {n:,} + 60 rows {(time.perf_counter() - t0) * 1000:.1f} ms")
    t0 = time.perf_counter()
    for offset in range(0, 60 * 50, 60):
        view.rows(offset, 60)
    print(f"  paging: 50 windows of 60 rows, {(time.perf_counter() - t0) * 1000 / 50:.2f} ms each")
    t0 = time.perf_counter()
    view.rows(max(total - 60, 0), 60)
    print(f"  last window (OFFSET {max(total - 60, 0):,}): {(time.perf_counter() - t0) * 1000:.1f} ms")
    from store import listing as sql

    middle = total // 2
    for label, v in (("ingest order", View()), ("sorted by title", View(sort="title"))):
        cv = CorpusView(svc, v)
        t0 = time.perf_counter()
        cv.rows(middle, 60)
        jump = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        for k in range(1, 11):
            cv.rows(middle + 60 * k, 60)
        step = (time.perf_counter() - t0) * 100
        t0 = time.perf_counter()
        sql.window(svc.store.db, "bench", sort=v.sort, offset=middle + 60, limit=60)
        plain = (time.perf_counter() - t0) * 1000
        print(f"  {label}, row {middle:,}: a jump there {jump:.1f} ms; each next window {step:.2f} ms "
              f"(from the previous window's last row), beside OFFSET {plain:.1f} ms")
    t0 = time.perf_counter()
    n = len(view.ids())
    print(f"  every id of the view in order (what Enter hands the article screen): {n:,} in "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms")
    search_figures(svc)
    svc.close()


def search_figures(svc) -> None:
    """Search latency: p50/p95 of a few queries, 20 hits with snippets each, three times over."""
    from annotate.corpus.listing import search

    queries = ["soudani", "Soudâni", "coalition militaire", "Maliki", "Washington soldats", "Irak", "retrait",
               "zzzabsent", "iran*", "premier ministre irakien"]
    times = []
    for q in queries * 3:
        t0 = time.perf_counter()
        search(svc, q, 20)
        times.append((time.perf_counter() - t0) * 1000)
    print(f"  search (20 hits, snippets; {len(times)} queries): p50 {percentile(times, 0.5):.1f} ms, "
          f"p95 {percentile(times, 0.95):.1f} ms, max {max(times):.1f} ms")


def tui_figures(db_path: Path, label: str = "ours") -> None:
    """The app on the ingested database: time to the first corpus screen, time per key in the list,
    typing a search. Imports the app from ``sys.path``: under ``--against`` another tree's."""
    import asyncio

    from annotate.service import Service
    from tui.app import GlossatorApp
    from tui.screens.corpus import CorpusScreen

    async def typing(pilot, app, word: str, gap: float) -> tuple[float, float, float]:
        """(event-loop thread CPU per key, longest stall of the event loop, last key to the final
        rows shown), in ms. The keys go into the search box as a typist's would, every ``gap``
        seconds, without the pilot's wait for an idle process after each (it waits for the
        worker's CPU too). A probe task on the loop measures how late it wakes: the longest time
        the screen could not answer a key."""
        from textual.widgets import Input

        screen = app.screen
        await pilot.press("slash")
        box = screen.query_one("#filter", Input)
        stalls, typing_on = [0.0], True

        async def probe() -> None:
            while typing_on:
                t0 = time.perf_counter()
                await asyncio.sleep(0.002)
                stalls.append(time.perf_counter() - t0 - 0.002)

        probing = asyncio.create_task(probe())
        cpu = time.thread_time()  # the event loop's thread only: a worker's reads are apart
        for n, char in enumerate(word, start=1):
            box.insert_text_at_cursor(char)
            if n < len(word):
                await asyncio.sleep(gap)
        last = time.perf_counter()
        while screen.text_filter != word:
            await asyncio.sleep(0.001)
        shown = (time.perf_counter() - last) * 1000
        typing_on = False
        await probing
        cpu = (time.thread_time() - cpu) * 1000 / len(word)
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        while screen.text_filter:
            await pilot.pause()
        await app.workers.wait_for_complete()
        return cpu, max(stalls) * 1000, shown

    async def enter(pilot, app) -> tuple[float, float, float]:
        """Enter on the cursor row, up to the article screen shown: (event-loop thread CPU, its
        longest stall, wall) in ms; then back to the list."""
        corpus, stalls, waiting = app.screen, [0.0], True

        async def probe() -> None:
            while waiting:
                t0 = time.perf_counter()
                await asyncio.sleep(0.002)
                stalls.append(time.perf_counter() - t0 - 0.002)

        probing = asyncio.create_task(probe())
        started, loop = time.perf_counter(), time.thread_time()
        await pilot.press("enter")
        while app.screen is corpus:
            await asyncio.sleep(0.001)
        await pilot.pause()
        wall, cpu = (time.perf_counter() - started) * 1000, (time.thread_time() - loop) * 1000
        waiting = False
        await probing
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        return cpu, max(stalls) * 1000, wall

    async def run(apart: bool) -> None:
        svc = Service.open(db_path, annotator="bench")
        started = time.perf_counter()
        app = GlossatorApp(svc)
        async with app.run_test(size=(120, 40)) as pilot:
            while not isinstance(app.screen, CorpusScreen):
                await pilot.pause()
            await pilot.pause()
            first = time.perf_counter() - started
            running = [w.name for w in app.workers if w.is_running]
            keys = {}

            async def press(key: str, n: int) -> tuple[float, float, float]:
                """(median wall of a pilot press, CPU of the process, CPU of the event loop's thread) in ms."""
                times, cpu, loop = [], time.process_time(), time.thread_time()
                for _ in range(n):
                    t0 = time.perf_counter()
                    await pilot.press(key)
                    times.append((time.perf_counter() - t0) * 1000)
                return (percentile(times, 0.5), (time.process_time() - cpu) * 1000 / n,
                        (time.thread_time() - loop) * 1000 / n)

            # Typing first: the keys below leave the app repainting for a while, which slows a
            # worker's query several times.
            typed = {gap: await typing(pilot, app, "soudani", gap) for gap in (0.03, 0.2)}
            # x: unbound, the cost of any key; z: the sort by confidence and back (16: ingest order after).
            for key in ("x", "z", "j", "k", "pagedown", "pageup", "end", "home"):
                keys[key] = await press(key, 3 if key in ("end", "home") else 16 if key == "z" else 15)
            await app.workers.wait_for_complete()  # the anchors of the last confidence view
            await pilot.press("home")
            await pilot.press("slash", *"irak", "enter")  # 2,000 rows with snippets
            while app.screen.text_filter != "irak":
                await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            in_search = {key: await press(key, 15) for key in ("pagedown", "pageup")}
            opening = [await enter(pilot, app) for _ in range(3)]
            await pilot.press("s")  # the search sorted by title: its ids cost 4 times more to read
            await app.workers.wait_for_complete()
            await pilot.pause()
            opening_sorted = [await enter(pilot, app) for _ in range(3)]
        svc.close()
        how = "read in a worker" if apart else "read at each key (as before)"
        print(f"  [{label}] app: first corpus screen {first:.2f} s (service open included); "
              f"running after it: {running or 'nothing'}")
        print(f"  [{label}] keys in the list, wall (pilot press to idle, median) / CPU of the process / of the event "
              "loop's thread, per key: " + ", ".join(f"{k} {wall:.1f}/{cpu:.1f}/{loop:.1f} ms"
                                                      for k, (wall, cpu, loop) in keys.items()))
        print(f"  [{label}] in a search's rows ('irak', {how}): " + ", ".join(
            f"{k} {wall:.1f}/{cpu:.1f}/{loop:.1f} ms" for k, (wall, cpu, loop) in in_search.items()))
        for what, runs in (("those rows", opening), ("them sorted by title", opening_sorted)):
            print(f"  [{label}] Enter in {what} to the article shown (its ids read {'in a worker' if apart else 'at once'}), "
                  "median of 3: event loop CPU {:.0f} ms, longest stall of the event loop {:.0f} ms, wall {:.0f} ms".format(
                      *(percentile([o[i] for o in runs], 0.5) for i in range(3))))
        for gap, (cpu, longest, shown) in typed.items():
            print(f"  [{label}] typing 'soudani', a key every {gap * 1000:.0f} ms, search {how}: event loop CPU "
                  f"{cpu:.1f} ms per key, longest stall of the event loop {longest:.0f} ms, last key to its rows "
                  f"shown {shown:.0f} ms")

    try:  # our tree: the search read in a worker, and the same app reading it at each key (the baseline)
        from annotate.corpus import listing_search
    except ImportError:
        asyncio.run(run(False))
        return
    asyncio.run(run(True))
    saved, listing_search.SEARCH_APART_FROM = listing_search.SEARCH_APART_FROM, 10**15
    try:
        asyncio.run(run(False))
    finally:
        listing_search.SEARCH_APART_FROM = saved


def against(commit: str, db_path: Path) -> None:
    """The app figures of the tree at ``commit`` (extracted), on the same database, same run."""
    with tempfile.TemporaryDirectory(prefix="glossator-app-") as tmp:
        tree = previous_tree(commit, Path(tmp) / "tree")
        env = {**os.environ, "PYTHONPATH": str(tree)}
        cmd = [PYTHON, str(Path(__file__).resolve()), "--only-figures", str(db_path), "--app-only",
               "--label", commit[:7]]
        subprocess.run(cmd, env=env, cwd=tree, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--base", default=None, help="Commit of the previous ingest (default: merge base with main).")
    parser.add_argument("--no-previous", action="store_true", help="Skip the previous ingest (3+ GB at 100k).")
    parser.add_argument("--input", type=Path, default=None, metavar="FILE",
                        help="Ingest this JSONL file instead of generating one (kept as it is).")
    parser.add_argument("--ingest-only", action="store_true", help="Only the ingest figures (no corpus, search, app).")
    parser.add_argument("--keep", type=Path, default=None, help="Keep the ingested database at this path.")
    parser.add_argument("--only-figures", type=Path, default=None, metavar="DB",
                        help="Skip generating and ingesting: only the corpus, search and app figures of DB.")
    parser.add_argument("--app-only", action="store_true", help="With --only-figures: only the app's figures.")
    parser.add_argument("--search-only", action="store_true",
                        help="With --only-figures: only the search latency (of a database ingested by any tree).")
    parser.add_argument("--against", default=None, metavar="COMMIT",
                        help="With --only-figures: the app's figures of this commit's tree too, same run.")
    parser.add_argument("--label", default="ours", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only_figures and args.search_only:
        sys.path.insert(0, str(ROOT))
        from annotate.service import Service

        svc = Service.open(args.only_figures, annotator="bench")
        search_figures(svc)
        svc.close()
        return
    if args.only_figures:
        if not args.app_only:
            in_process_figures(args.only_figures)
        if args.against:
            against(args.against, args.only_figures)
        tui_figures(args.only_figures, args.label)
        return
    with tempfile.TemporaryDirectory(prefix="glossator-scale-") as tmp:
        work = Path(tmp)
        source = args.input or work / "corpus.jsonl"
        t0 = time.perf_counter()
        if args.input:
            with open(source, "rb") as lines:
                args.articles = sum(1 for line in lines if line.strip())
            size = source.stat().st_size
        else:
            size = generate(source, args.articles)
        print(f"{args.articles:,} articles, {size / 1e6:.0f} MB of JSONL "
              f"({'read' if args.input else 'generated'} in {time.perf_counter() - t0:.0f} s)")
        db = args.keep or work / "ours.db"
        seconds, rss, line = measure(*ingest_cmd(ROOT, source, db))
        print(f"  ours (streaming):     {seconds:7.1f} s  peak {rss:7.0f} MB  {args.articles / seconds:7.0f} articles/s  [{line}]")
        seconds, rss, line = measure(*ingest_cmd(ROOT, source, db))
        print(f"  ours, re-run:         {seconds:7.1f} s  peak {rss:7.0f} MB  [{line}]")
        if not args.no_previous:
            base = args.base or subprocess.run(["git", "-C", str(ROOT), "merge-base", "HEAD", "main"],
                                               capture_output=True, text=True, check=True).stdout.strip()
            tree = previous_tree(base, work / "previous")
            seconds, rss, line = measure(*ingest_cmd(tree, source, work / "previous.db"))
            print(f"  previous ({base[:7]}):    {seconds:7.1f} s  peak {rss:7.0f} MB  {args.articles / seconds:7.0f} articles/s  [{line}]")
            (work / "previous.db").unlink()
        seconds, rss, line = measure([PYTHON, "-c", INSERT_ALL, str(source), str(work / "plain.db")],
                                     {**os.environ, "PYTHONPATH": str(work)})
        print(f"  plain insert_all:     {seconds:7.1f} s  peak {rss:7.0f} MB  (no cleaning, no FTS)  [{line}]")
        (work / "plain.db").unlink()
        if not args.input:
            source.unlink()
        print(f"database {db.stat().st_size / 1e6:.0f} MB")
        if args.ingest_only:
            return
        in_process_figures(db)
        tui_figures(db)


if __name__ == "__main__":
    main()

"""Key-press latency and launch time of the review app, beside a minimal Textual app.

A database of 10,000 articles and an open article of 10,000 words. For each key we time
``pilot.press(key)`` plus the repaint (``pilot.pause()``), take the median, and subtract the
median of a key bound to nothing in the same harness: what remains is the work the key
causes. The minimal app shows the same article in one ``Static`` and re-renders it on each
key. Prints figures and ratios; targets from issue 4:

- our extra time per key ≤ 0.3 × the minimal app's, and < 30 ms;
- launch to first screen ≤ 1.5 × the minimal app's; no spaCy imported to open the app.

"First screen": ``run_test`` entered, pending messages processed and one frame painted
(``pilot.pause(0)``), the same for both apps. Our corpus table shows its first rows then;
the others are added in chunks after it (the benchmark waits for them before timing keys).

Through a real terminal (``--only pty``, issue 14.11): ``glossator review`` is spawned in a
pseudo-terminal of 120×40 (TERM=xterm-256color), the first screen awaited, the first article opened;
then each key is written and the output read with timestamps until the terminal has been quiet for
150 ms. For each key: the median time to the first and to the last byte, the number of frames
(the pty says it supports synchronized output, as modern terminals do, so each frame is delimited), and
the app's CPU time in that while (all its threads, from Linux ``/proc/PID/task/*/schedstat``: unlike the
times it hardly depends on the machine's load). Target: one frame per key, its last byte
≤ 16.7 ms after the key. The keys (:data:`PTY_KEYS`): word and span moves, a move onto the third span
(an event trigger: its frame is drawn in the side panel) and back off it, accept / reject / undo,
and ``r`` away from an event (refused). Baseline in the same run: a naive Textual app that shows
the article in one ``Static`` and re-renders the whole text on each key. Done on a seed article and on
a 10,000-word one. ``--before DIR``: the same keys also through the app of another checkout (the
commit before a change), printed beside ours.

Run: ``.venv/bin/python benchmarks/tui_latency.py [--only pilot|pty] [--articles 10000] [--words 10000]
[--presses 40] [--before DIR] [--article seed|long|both]``
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import json
import os
import pty
import re
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rich.text import Text  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.containers import VerticalScroll  # noqa: E402
from textual.widgets import Static  # noqa: E402

from annotate.labels import EVENT_ROLES  # noqa: E402
from annotate.service import Service  # noqa: E402
from store.models import EVENT, DocSuggestions, SpanSuggestion  # noqa: E402
from tui.app import GlossatorApp  # noqa: E402

SIZE = (120, 40)
NOOP = "f12"
NAME = re.compile(r"\b[A-ZÉ][\w’'-]+(?: [A-ZÉ][\w’'-]+)*")
TRIGGER = 2  # the third suggested span is an event trigger, so that j / k move onto and off one


def suggested(text: str) -> DocSuggestions:
    """Name-shaped spans (no spaCy) with labels in turn; the :data:`TRIGGER`-th one an event trigger."""
    labels = ("PER", "ORG", "LOC", "MISC")
    event = next(iter(EVENT_ROLES))
    return DocSuggestions(spans=tuple(
        SpanSuggestion(m.start(), m.end(), event, kind=EVENT) if n == TRIGGER else
        SpanSuggestion(m.start(), m.end(), labels[n % 4]) for n, m in enumerate(NAME.finditer(text))))


def build(folder: Path, n_articles: int, n_words: int) -> tuple[Service, str, str]:
    """A database of ``n_articles`` (one of ``n_words`` words, with suggestions); returns it and the big text."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    body = "\n\n".join(seeds).split()
    words: list[str] = []
    while len(words) < n_words:
        words.extend(body)
    paragraphs = [" ".join(words[i:i + 80]) for i in range(0, n_words, 80)]
    big = "Un très long article de test\n\n" + "\n\n".join(paragraphs) + "\n"
    feed = folder / "corpus.jsonl"
    with feed.open("w", encoding="utf-8") as out:
        out.write(json.dumps({"text": big, "meta": {"title": "Un très long article de test"}}) + "\n")
        for i in range(n_articles - 1):
            seed = seeds[i % len(seeds)]
            out.write(json.dumps({"text": f"Dépêche n° {i}\n\n{seed}", "meta": {"title": f"Dépêche n° {i}"}}) + "\n")
    svc = Service.open(folder / "bench.db", annotator="bench")
    svc.data.ingest([feed])
    big_id = next(r["id"] for r in svc.data.articles() if r["title"] == "Un très long article de test")
    svc.store.replace_suggestions([(big_id, suggested(big))], "bench", "bench")
    return svc, big_id, big


# (row, key), pressed in turn from the first span, which each round comes back to.
PTY_KEYS = (("w", "w"), ("b", "b"), ("j", "j"), ("j onto event", "j"), ("k off event", "k"), ("k", "k"),
            ("a", "a"), ("u", "u"), ("x", "x"), ("u", "u"), ("r refused", "r"))
QUIET = 0.15  # seconds without output: the key's output is complete


class MinimalApp(App[None]):
    """The same text in one Static, re-rendered on every bound key."""

    BINDINGS = [(key, "rerender", "re-render") for key in sorted({key for _, key in PTY_KEYS})]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.count = 0

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text(self.text), id="body")

    def action_rerender(self) -> None:
        self.count += 1
        text = Text(self.text)
        text.stylize("bold", self.count % 1000, self.count % 1000 + 5)  # a change, as a review would make
        self.query_one("#body", Static).update(text)


async def timed_presses(pilot, key: str, n: int) -> list[float]:
    """Seconds from each key press to the repainted screen."""
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        await pilot.press(key)
        await pilot.pause()
        out.append(time.perf_counter() - t0)
    return out


async def measure(make_app, keys: list[str], presses: int, prepare=None) -> dict[str, float]:
    """Launch time and median latency of each key (and of the no-op key) in ms."""
    app = make_app()
    t0 = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0)  # pending messages processed and the first frame painted
        result = {"launch": (time.perf_counter() - t0) * 1000}
        await pilot.pause()
        if prepare:
            await prepare(app, pilot)
        await timed_presses(pilot, NOOP, 3)  # warm up
        for key in [NOOP, *keys]:
            result[key] = statistics.median(await timed_presses(pilot, key, presses)) * 1000
    return result


# -- through a pseudo-terminal -------------------------------------------------


def seeds_db(folder: Path) -> Path:
    """The five seed articles with name-shaped suggestions (no spaCy), as a database file."""
    svc = Service.open(folder / "seeds.db", annotator="bench")
    svc.data.ingest([ROOT / "seeds"])
    batch = [(row["id"], suggested(svc.data.article(row["id"]).text)) for row in svc.data.articles()]
    svc.store.replace_suggestions(batch, "bench", "bench")
    svc.close()
    return folder / "seeds.db"


SYNC_QUERY, SYNC_REPLY, SYNC_END = b"\x1b[?2026$p", b"\x1b[?2026;2$y", b"\x1b[?2026l"


def _read_until_quiet(fd: int, quiet: float, first: float | None = None) -> list[tuple[float, bytes]]:
    """(time, data) of each read from ``fd`` until nothing came for ``quiet`` seconds
    (``first``: how long to wait for the first byte, default ``quiet``).

    The pty answers Textual's query for synchronized output as a modern terminal does, so that
    each frame ends with ``SYNC_END`` and frames can be counted exactly."""
    chunks: list[tuple[float, bytes]] = []
    while True:
        ready, _, _ = select.select([fd], [], [], first if first is not None and not chunks else quiet)
        if not ready:
            break
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append((time.perf_counter(), data))
        if SYNC_QUERY in data:
            os.write(fd, SYNC_REPLY)
    return chunks


def _frames(chunks: list[tuple[float, bytes]]) -> tuple[int, float | None]:
    """Frames written (synchronized updates ended) and the time of the last one's end."""
    ends = [t for t, data in chunks for _ in range(data.count(SYNC_END))]
    return len(ends), (ends[-1] if ends else None)


def cpu_ms(pid: int) -> float:
    """CPU time so far of process ``pid``, all its threads, in ms (Linux ``schedstat``; NaN elsewhere).

    Unlike the time to the last byte it hardly depends on the machine's load."""
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return sum(int((task / "schedstat").read_text().split()[0]) for task in tasks) / 1e6
    except (OSError, ValueError, IndexError):
        return float("nan")


def pty_run(argv: list[str], presses: int, open_keys: bytes = b"\r", root: Path = ROOT) -> dict[str, dict[str, float]]:
    """Spawn ``argv`` (importing from ``root``) in a 120×40 pty, open the first article, time each key
    of :data:`PTY_KEYS` (and the app's CPU time until its output is complete)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the app, in a terminal
        os.environ.update(TERM="xterm-256color", COLORTERM="truecolor", COLUMNS=str(SIZE[0]), LINES=str(SIZE[1]),
                          PYTHONPATH=str(root), TEXTUAL_ANIMATIONS="none")
        os.chdir(root)  # ``python -c`` puts the working directory first on sys.path: import from ``root``
        os.environ.pop("TEXTUAL", None)
        os.execv(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    try:
        _read_until_quiet(fd, 1.5, first=60)  # the first screen, then quiet
        if open_keys:
            os.write(fd, open_keys)
            _read_until_quiet(fd, 1.5, first=30)
        result: dict[str, dict[str, list[float]]] = {}
        for _ in range(presses):
            for name, key in PTY_KEYS:
                cpu0 = cpu_ms(pid)
                t0 = time.perf_counter()
                os.write(fd, key.encode())
                chunks = _read_until_quiet(fd, QUIET, first=3.0)
                cpu = cpu_ms(pid) - cpu0
                frames, frame_end = _frames(chunks)
                row = result.setdefault(name, {"first": [], "last": [], "frames": [], "cpu": []})
                row["cpu"].append(cpu)
                row["first"].append((chunks[0][0] - t0) * 1000 if chunks else float("nan"))
                row["last"].append((chunks[-1][0] - t0) * 1000 if chunks else float("nan"))
                row["frames"].append(frames)
        return {key: {name: statistics.median(values) for name, values in row.items()} | {
            "max_frames": max(row["frames"])} for key, row in result.items()}
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)


def pty_report(title: str, ours: dict, naive: dict, before: dict | None = None) -> bool:
    """Print one table; True when every key of ours ends in one frame within 16.7 ms."""
    print(f"\n{title}: ms from the key to the first / last byte (median), frames written (median, max), "
          "the app's CPU ms (median)")
    print(f"{'key':>13}{'ours first':>12}{'last':>8}{'frames':>8}{'max':>5}{'cpu':>7}"
          + (f"   {'before last':>12}{'frames':>8}{'max':>5}{'cpu':>7}" if before else "")
          + f"   {'naive first':>12}{'last':>8}{'frames':>8}")
    ok = True
    for name in dict.fromkeys(name for name, _ in PTY_KEYS):
        o, b = ours[name], naive[name]
        good = o["last"] <= 16.7 and o["max_frames"] <= 1
        ok &= good
        was = ""
        if before:
            p = before[name]
            was = f"   {p['last']:>10.1f}ms{p['frames']:>8.0f}{p['max_frames']:>5.0f}{p['cpu']:>7.1f}"
        print(f"{name:>13}{o['first']:>10.1f}ms{o['last']:>6.1f}ms{o['frames']:>8.0f}{o['max_frames']:>5.0f}"
              f"{o['cpu']:>7.1f}{was}   "
              f"{b['first']:>10.1f}ms{b['last']:>6.1f}ms{b['frames']:>8.0f}   {'ok' if good else 'MISSED'}")
    return ok


def pty_main(words: int, presses: int, before: Path | None = None, which: str = "both") -> None:
    """The pty measurement on a seed article and on a ``words``-word article (``which``: one of them),
    beside the naive app (and the app of the checkout ``before``, if given)."""
    python = sys.executable
    review = [python, "-c", "import sys; from cli.main import main; sys.argv[0] = 'glossator'; sys.exit(main())",
              "review", "--annotator", "bench", "--db"]
    naive = [python, str(Path(__file__).resolve()), "--naive"]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if which != "long":
            db = seeds_db(folder)
            svc = Service.open(db, annotator="bench")
            first = svc.data.articles()[0]["id"]
            seed_text = folder / "seed.txt"
            seed_text.write_text(svc.data.article(first).text, encoding="utf-8")
            words_seed = len(svc.data.article(first).text.split())
            svc.close()
            ok &= pty_report(f"seed article ({words_seed:,} words)", pty_run([*review, str(db)], presses),
                             pty_run([*naive, str(seed_text)], presses, open_keys=b""),
                             pty_run([*review, str(_copy(db, folder / "before"))], presses, root=before)
                             if before else None)
        if which != "seed":
            big_dir = folder / "big"
            big_dir.mkdir()
            svc, big_id, big = build(big_dir, 1, words)
            svc.close()
            big_text = folder / "big.txt"
            big_text.write_text(big, encoding="utf-8")
            ok &= pty_report(f"long article ({len(big.split()):,} words)",
                             pty_run([*review, str(big_dir / "bench.db")], presses),
                             pty_run([*naive, str(big_text)], presses, open_keys=b""),
                             pty_run([*review, str(_copy(big_dir / "bench.db", big_dir / "before"))], presses,
                                     root=before) if before else None)
    print("\none frame per key within 16.7 ms: " + ("met" if ok else "MISSED"))


def _copy(db: Path, folder: Path) -> Path:
    """A copy of the database ``db`` in ``folder`` (each app starts from the same state)."""
    folder.mkdir(exist_ok=True)
    svc = Service.open(db, annotator="bench")
    try:
        svc.data.backup(folder / db.name)
    finally:
        svc.close()
    return folder / db.name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--only", choices=("pilot", "pty"), help="run one measurement (default: both)")
    parser.add_argument("--before", type=Path, help="also time the pty keys with the app of this checkout")
    parser.add_argument("--article", choices=("seed", "long", "both"), default="both",
                        help="the pty measurement on the seed article, the long one or both (default)")
    parser.add_argument("--naive", type=Path, help=argparse.SUPPRESS)  # the baseline app, run in the pty
    args = parser.parse_args()
    if args.naive:
        MinimalApp(args.naive.read_text(encoding="utf-8")).run()
        return
    if args.only != "pilot":
        pty_main(args.words, min(args.presses, 15), args.before.resolve() if args.before else None, args.article)
    if args.only == "pty":
        return
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        svc, big_id, big = build(Path(tmp), args.articles, args.words)
        state = svc.review.state(big_id)
        print(f"database: {len(svc.data.articles()):,} articles; open article {len(big.split()):,} words, "
              f"{len(state.items):,} suggestions (built in {time.perf_counter() - t0:.1f}s)")

        async def open_big(app, pilot) -> None:
            assert "spacy" not in sys.modules, "opening the app must not load spaCy"
            from tui.widgets.corpus_list import CorpusList

            rows = app.screen.query_one(CorpusList)
            while rows.total < args.articles:  # the list's count arrives with its first window of rows
                await pilot.pause(0.05)
            app.jump_to_article(big_id)
            await pilot.pause()

        ours = asyncio.run(measure(lambda: GlossatorApp(svc), ["a", "j"], args.presses, open_big))
        mini = asyncio.run(measure(lambda: MinimalApp(big), ["a", "j"], args.presses))
        svc.close()

    print(f"{'':24}{'glossator':>12}{'minimal':>12}")
    print(f"{'launch → first screen':24}{ours['launch']:>10.1f}ms{mini['launch']:>10.1f}ms"
          f"   ratio {ours['launch'] / mini['launch']:.2f} (target ≤ 1.5)")
    print(f"{'no-op key':24}{ours[NOOP]:>10.1f}ms{mini[NOOP]:>10.1f}ms")
    ok = True
    for key, what in (("a", "accept"), ("j", "next span")):
        extra, base = ours[key] - ours[NOOP], mini[key] - mini[NOOP]
        ratio = extra / base if base > 0 else float("inf")
        good = ratio <= 0.3 and extra < 30
        ok &= good
        print(f"{what + ' (' + key + ')':24}{ours[key]:>10.1f}ms{mini[key]:>10.1f}ms"
              f"   extra {extra:.1f}ms vs {base:.1f}ms: ratio {ratio:.2f} (target ≤ 0.3, < 30ms) {'ok' if good else 'MISSED'}")
    launch_ok = ours["launch"] <= 1.5 * mini["launch"]
    print("targets met" if ok and launch_ok else "some targets missed")


if __name__ == "__main__":
    main()

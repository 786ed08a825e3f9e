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

Run: ``.venv/bin/python benchmarks/tui_latency.py [--articles 10000] [--words 10000] [--presses 40]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rich.text import Text  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.containers import VerticalScroll  # noqa: E402
from textual.widgets import Static  # noqa: E402

from annotate.service import Service  # noqa: E402
from store.models import DocSuggestions, SpanSuggestion  # noqa: E402
from tui.app import GlossatorApp  # noqa: E402

SIZE = (120, 40)
NOOP = "f12"
NAME = re.compile(r"\b[A-ZÉ][\w’'-]+(?: [A-ZÉ][\w’'-]+)*")


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
    labels = ("PER", "ORG", "LOC", "MISC")
    spans = tuple(SpanSuggestion(m.start(), m.end(), labels[n % 4]) for n, m in enumerate(NAME.finditer(big)))
    svc.store.replace_suggestions([(big_id, DocSuggestions(spans=spans))], "bench", "bench")
    return svc, big_id, big


class MinimalApp(App[None]):
    """The same text in one Static, re-rendered on every bound key."""

    BINDINGS = [("a", "rerender", "re-render"), ("j", "rerender", "re-render")]

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--presses", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        svc, big_id, big = build(Path(tmp), args.articles, args.words)
        state = svc.review.state(big_id)
        print(f"database: {len(svc.data.articles()):,} articles; open article {len(big.split()):,} words, "
              f"{len(state.items):,} suggestions (built in {time.perf_counter() - t0:.1f}s)")

        async def open_big(app, pilot) -> None:
            assert "spacy" not in sys.modules, "opening the app must not load spaCy"
            rows = app.screen.query_one("DataTable")
            while rows.row_count < args.articles:  # the corpus table fills in chunks after the first screen
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

"""Speed of canonical-entity matching at scale, beside a plain rapidfuzz scan.

Generates (deterministically) 100,000 synthetic entities with 300,000 aliases — multi-word
Arabic/Persian/Western person names with transliteration variants, militia/ministry/party
names, places — then prints index build time, median and p95 of ``EntityIndex.match`` and of
``process.extract(..., scorer=WRatio)`` over the same names, and ``find_duplicates`` time.
Prints figures and ratios only (and the load average, since other jobs skew them); asserts
nothing.

Run: .venv/bin/python benchmarks/entity_match.py [--entities N] [--queries Q] [--workers W]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz, process, utils  # noqa: E402

from annotate.entities.matching import EntityIndex, find_duplicates  # noqa: E402
from annotate.entities.matching.pairscore import default_workers  # noqa: E402
from store.models import Alias, Entity  # noqa: E402

GIVEN = ("Mohammed Mohamed Ahmed Ali Hassan Hussein Hossein Abbas Qassem Kassem Mustafa "
         "Moustafa Nouri Nuri Hadi Haidar Karim Jawad Jaafar Mahdi Mehdi Ibrahim Ebrahim "
         "Youssef Yusuf Omar Khaled Khalid Saad Fouad Fuad Salah Abdallah Abdullah Hamid "
         "Majid Falih Faleh Qais Kais Akram Massoud Masoud Ismail Esmail Reza Javad Ammar "
         "Osama Tariq Tarek Ziad Walid Nabil Samir Adel Adil John Michael David Robert "
         "James Mary Linda Susan Karen Alina Victoria Lloyd Antony Joseph Donald Mike").split()
TITLES = ("M.", "Mme", "le général", "le Premier ministre", "cheikh", "l'ayatollah", "")
ORG_HEADS = ("Brigades", "Mouvement", "Forces", "Parti", "Ligue", "Front", "Conseil",
             "Organisation", "Alliance", "Bataillon", "Comité", "Agence", "Commandement")
ORG_LINKS = ("du", "de la", "des", "", "")
PLACE_HEADS = ("province de", "base d'", "district de", "", "", "")
SYLLABLES = ("ba ka ma sa da ra la na ha ta za ja fa qa sha kha dha ou u i a e o bi ki mi "
             "si di ri li ni hi ti zi ji mo so do ro lo no ho bou kou mou sou dou rou "
             "lou nou").split()
SWAPS = (("ou", "u"), ("u", "ou"), ("ch", "sh"), ("sh", "ch"), ("dh", "z"), ("q", "k"),
         ("k", "q"), ("e", "a"), ("ss", "s"), ("i", "y"))


def word(rng: random.Random, lo: int = 2, hi: int = 4) -> str:
    """A pronounceable name word."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(lo, hi))).capitalize()


def variant(rng: random.Random, text: str) -> str:
    """A transliteration swap or a typo of ``text``."""
    for _ in range(3):
        a, b = rng.choice(SWAPS)
        if a in text:
            return text.replace(a, b, 1)
    i = rng.randrange(1, max(2, len(text) - 1))
    return text[:i] + text[i + 1:]


def synth(n: int, seed: int = 7) -> list[Entity]:
    """``n`` entities with three aliases each (60% PER, 25% ORG, 15% LOC)."""
    rng = random.Random(seed)
    surnames = [word(rng, 2, 4) for _ in range(max(200, n // 5))]
    out = []
    for k in range(n):
        roll = rng.random()
        if roll < 0.6:
            given = rng.choice(GIVEN)
            sur = rng.choice(surnames)
            particle = rng.choice(("al-", "al-", "", "Abou ", "el-"))
            middle = rng.choice(GIVEN) + " " if rng.random() < 0.3 else ""
            name = f"{given} {middle}{particle}{sur}"
            aliases = [variant(rng, name), f"{rng.choice(TITLES)} {sur}".strip(),
                       f"{variant(rng, given)} {sur}"]
            etype = "PER"
        elif roll < 0.85:
            core = word(rng) + (" " + word(rng) if rng.random() < 0.5 else "")
            name = f"{rng.choice(ORG_HEADS)} {rng.choice(ORG_LINKS)} {core}".replace("  ", " ")
            initials = "".join(w[0] for w in name.split() if w[0].isupper()).upper()
            aliases = [variant(rng, name), core, initials]
            etype = "ORG"
        else:
            core = word(rng, 2, 5)
            name = core
            aliases = [variant(rng, core), f"{rng.choice(PLACE_HEADS)} {core}".strip(),
                       "al-" + core]
            etype = "LOC"
        out.append(Entity(id=f"e{k}", name=name, type=etype,
                          aliases=tuple(Alias(a) for a in aliases)))
    return out


def queries(rng: random.Random, ents: list[Entity], q: int) -> list[tuple[str, str]]:
    """Realistic lookups: perturbed aliases, surnames alone, acronyms, prefixes."""
    out = []
    for _ in range(q):
        e = rng.choice(ents)
        text = rng.choice([e.name, *(a.text for a in e.aliases)])
        kind = rng.random()
        if kind < 0.4:
            text = variant(rng, text)
        elif kind < 0.55:
            text = text.split()[-1]
        elif kind < 0.65:
            text = text[: max(3, len(text) - 3)]
        out.append((text, e.type))
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entities", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--plain-queries", type=int, default=40)
    ap.add_argument("--no-duplicates", action="store_true")
    ap.add_argument("--workers", type=int, default=None,
                    help="processes for find_duplicates (default: CPUs available, at most 4)")
    args = ap.parse_args()

    print(f"load average: {_loadavg()}")
    t = time.perf_counter()
    ents = synth(args.entities)
    n_alias = sum(len(e.aliases) for e in ents)
    print(f"generated {len(ents):,} entities / {n_alias:,} aliases "
          f"in {time.perf_counter() - t:.1f}s")

    t = time.perf_counter()
    idx = EntityIndex(ents)
    print(f"EntityIndex build: {time.perf_counter() - t:.1f}s")

    rng = random.Random(11)
    qs = queries(rng, ents, args.queries)
    for text, etype in qs[:20]:  # warm caches the way a session would
        idx.match(text, type=etype)
    ours = []
    for text, etype in qs:
        t = time.perf_counter()
        idx.match(text, type=etype, limit=5)
        ours.append((time.perf_counter() - t) * 1000)

    choices = [x for e in ents for x in (e.name, *(a.text for a in e.aliases))]
    processed = [utils.default_process(c) for c in choices]
    plain = []
    for text, _ in qs[: args.plain_queries]:
        t = time.perf_counter()
        process.extract(utils.default_process(text), processed, scorer=fuzz.WRatio,
                        processor=None, limit=5)
        plain.append((time.perf_counter() - t) * 1000)

    om, op = statistics.median(ours), pct(ours, 0.95)
    pm, pp = statistics.median(plain), pct(plain, 0.95)
    print(f"\nlookup over {len(choices):,} names ({len(ours)} queries ours, "
          f"{len(plain)} plain)")
    print(f"{'':<40}{'median ms':>10}{'p95 ms':>10}")
    print(f"{'EntityIndex.match (blocking)':<40}{om:>10.2f}{op:>10.2f}")
    print(f"{'process.extract WRatio (pre-processed)':<40}{pm:>10.2f}{pp:>10.2f}")
    print(f"speed-up: median ×{pm / om:.0f}, p95 ×{pp / op:.0f}")

    if not args.no_duplicates:
        last = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.perf_counter()
            if now - last[0] > 5 or done == total:
                print(f"  find_duplicates: {done}/{total}", flush=True)
                last[0] = now

        workers = default_workers() if args.workers is None else args.workers
        t = time.perf_counter()
        clusters = find_duplicates(ents, progress=progress, workers=workers)
        print(f"find_duplicates on {len(ents):,} entities: {time.perf_counter() - t:.1f}s, "
              f"{len(clusters):,} clusters ({workers} worker process(es))")
    # other jobs on the machine skew every figure above: show how busy it was
    print(f"load average: {_loadavg()}")


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


if __name__ == "__main__":
    main()

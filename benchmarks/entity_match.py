"""Speed of canonical-entity matching at scale, beside a plain rapidfuzz scan.

Generates (deterministically) 100,000 synthetic entities with 300,000 aliases — multi-word
Arabic/Persian/Western person names with transliteration variants, militia/ministry/party
names, places — then prints index build time and memory, median and p95 of
``EntityIndex.match`` and of ``process.extract(..., scorer=WRatio)`` over the same names (wall
time, and the CPU time of the process, which other jobs on a shared machine do not inflate),
how often the entity a query was made from is first / in the top five, and ``find_duplicates``
time. Prints figures and ratios only (and the load average, since other jobs skew them);
asserts nothing.

Run: .venv/bin/python benchmarks/entity_match.py [--entities N] [--queries Q] [--workers W]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
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


def queries(rng: random.Random, ents: list[Entity], q: int) -> list[tuple[str, str, str]]:
    """Realistic lookups (text, type, id of the entity it was made from): perturbed aliases,
    surnames alone, acronyms, prefixes."""
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
        out.append((text, e.type, e.id))
    return out


def rss_mb() -> float:
    """Resident memory of this process now (Linux), in MB."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


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

    before = rss_mb()
    t = time.perf_counter()
    idx = EntityIndex(ents)
    print(f"EntityIndex build: {time.perf_counter() - t:.1f}s, "
          f"+{rss_mb() - before:,.0f} MB resident (the entities themselves: {before:,.0f} MB "
          f"with the interpreter)")

    rng = random.Random(11)
    qs = queries(rng, ents, args.queries)
    for text, etype, _ in qs[:20]:  # warm caches the way a session would
        idx.match(text, type=etype)
    ours, ours_cpu, hits = [], [], [0, 0]
    for text, etype, eid in qs:
        t, c = time.perf_counter(), time.process_time()
        found = [x.id for x in idx.match(text, type=etype, limit=5)]
        ours.append((time.perf_counter() - t) * 1000)
        ours_cpu.append((time.process_time() - c) * 1000)
        hits[0] += found[:1] == [eid]
        hits[1] += eid in found

    choices = [x for e in ents for x in (e.name, *(a.text for a in e.aliases))]
    owners = [e.id for e in ents for _ in (e.name, *e.aliases)]
    processed = [utils.default_process(c) for c in choices]
    plain, plain_cpu, plain_hits = [], [], [0, 0]
    for text, _, eid in qs[: args.plain_queries]:
        t, c = time.perf_counter(), time.process_time()
        found = process.extract(utils.default_process(text), processed, scorer=fuzz.WRatio,
                                processor=None, limit=5)
        plain.append((time.perf_counter() - t) * 1000)
        plain_cpu.append((time.process_time() - c) * 1000)
        ids = [owners[i] for _, _, i in found]
        plain_hits[0] += ids[:1] == [eid]
        plain_hits[1] += eid in ids

    om, op = statistics.median(ours), pct(ours, 0.95)
    pm, pp = statistics.median(plain), pct(plain, 0.95)
    print(f"\nlookup over {len(choices):,} names ({len(ours)} queries ours, "
          f"{len(plain)} plain)")
    print(f"{'':<40}{'median ms':>10}{'p95 ms':>10}{'CPU med':>9}{'CPU p95':>9}"
          f"{'top-1':>7}{'top-5':>7}")
    for label, wall, cpu, hit, n in (
            ("EntityIndex.match (blocking)", ours, ours_cpu, hits, len(ours)),
            ("process.extract WRatio (pre-processed)", plain, plain_cpu, plain_hits, len(plain))):
        print(f"{label:<40}{statistics.median(wall):>10.2f}{pct(wall, 0.95):>10.2f}"
              f"{statistics.median(cpu):>9.2f}{pct(cpu, 0.95):>9.2f}"
              f"{hit[0] / n:>7.3f}{hit[1] / n:>7.3f}")
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
    print(f"peak RSS of the whole run: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB"
          f" (entities, index, the plain scan's names, duplicate detection)")
    print(f"load average: {_loadavg()}")


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


if __name__ == "__main__":
    main()

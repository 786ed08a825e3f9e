"""Quality of canonical-entity matching on a variant set, beside plain rapidfuzz.

Prints pairwise precision / recall / F1 of ``find_duplicates`` clustering and top-1 / top-5
accuracy of ``EntityIndex.match``, next to rapidfuzz ``WRatio`` with ``default_process``
(single-link clustering within type at its best threshold; ``process.extract`` for ranking).

Two sets: ``tests/data/entity_variants`` (the project's own, which the tests check) and
``benchmarks/data/variants_heldout.jsonl`` (held out: no test reads it, no rule was tuned on
it; see benchmarks/data/README.md), and ``benchmarks/data/variants_fresh.jsonl`` (a second
held-out set of names in neither of the others nor in the starter KB, written before the
string rules were tuned on failures of the first), then ``variants_late``, ``variants_fresh2``
and ``variants_fresh3``, each written before a round of rules (benchmarks/data/README.md says how
each was then looked at).

Run: .venv/bin/python benchmarks/entity_quality.py [--set own|heldout|fresh|late|fresh2|fresh3|both|all]
[--misses]
"""

from __future__ import annotations

import argparse
import json
import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process, utils  # noqa: E402

from annotate.entities.matching import (  # noqa: E402
    EntityIndex,
    find_duplicates,
    knowledge,  # noqa: E402
)
from store.models import Alias, Entity  # noqa: E402

DATA = ROOT / "tests" / "data" / "entity_variants"
SETS = {
    "own": (DATA / "entities.jsonl", DATA / "hard_negatives.tsv"),
    "heldout": (ROOT / "benchmarks" / "data" / "variants_heldout.jsonl",
                ROOT / "benchmarks" / "data" / "heldout_negatives.tsv"),
    "fresh": (ROOT / "benchmarks" / "data" / "variants_fresh.jsonl",
              ROOT / "benchmarks" / "data" / "fresh_negatives.tsv"),
    "late": (ROOT / "benchmarks" / "data" / "variants_late.jsonl",
             ROOT / "benchmarks" / "data" / "late_negatives.tsv"),
    "fresh2": (ROOT / "benchmarks" / "data" / "variants_fresh2.jsonl",
               ROOT / "benchmarks" / "data" / "fresh2_negatives.tsv"),
    "fresh3": (ROOT / "benchmarks" / "data" / "variants_fresh3.jsonl",
               ROOT / "benchmarks" / "data" / "fresh3_negatives.tsv"),
}


def load(name: str = "own") -> list[dict]:
    """The gold entities of a variant set: id, type, name, variants."""
    with open(SETS[name][0], encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def hard_negatives(name: str = "own") -> list[tuple[str, str]]:
    """Entity id pairs that must never be clustered together."""
    out = []
    for line in SETS[name][1].read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            a, b, _ = line.split("\t", 2)
            out.append((a, b))
    return out


def records(gold: list[dict]) -> tuple[list[Entity], dict[str, str]]:
    """One entity record per distinct surface form, as if each had been created separately."""
    ents, truth = [], {}
    for g in gold:
        for k, text in enumerate(dict.fromkeys([g["name"], *g["variants"]])):
            rid = f"{g['id']}#{k}"
            ents.append(Entity(id=rid, name=text, type=g["type"]))
            truth[rid] = g["id"]
    return ents, truth


def pairwise(labels: dict[str, object], truth: dict[str, str]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of a clustering (record id → cluster label)."""
    tp = fp = fn = 0
    for a, b in combinations(sorted(truth), 2):
        same_pred = labels[a] == labels[b]
        same_gold = truth[a] == truth[b]
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ours_labels(ents: list[Entity], threshold: float | None = None) -> dict[str, object]:
    labels: dict[str, object] = {e.id: e.id for e in ents}
    for n, cluster in enumerate(find_duplicates(ents, threshold=threshold)):
        for rid in cluster.entity_ids:
            labels[rid] = n
    return labels


def baseline_labels(ents: list[Entity], threshold: float, matrices) -> dict[str, object]:
    parent = {e.id: e.id for e in ents}

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for ids, matrix in matrices:
        for i, j in zip(*(matrix >= threshold).nonzero()):
            if i < j:
                ra, rb = find(ids[i]), find(ids[j])
                if ra != rb:
                    parent[rb] = ra
    return {e.id: find(e.id) for e in ents}


def baseline_matrices(ents: list[Entity]):
    by_type: dict[str, list[Entity]] = {}
    for e in ents:
        by_type.setdefault(e.type, []).append(e)
    out = []
    for group in by_type.values():
        names = [e.name for e in group]
        out.append(([e.id for e in group], process.cdist(
            names, names, scorer=fuzz.WRatio, processor=utils.default_process, workers=-1)))
    return out


def broken_negatives(labels, truth, negatives) -> int:
    by_gold: dict[str, set] = {}
    for rid, gid in truth.items():
        by_gold.setdefault(gid, set()).add(labels[rid])
    return sum(bool(by_gold[a] & by_gold[b]) for a, b in negatives)


def ranking(gold: list[dict], cold: bool) -> tuple[tuple[float, float], tuple[float, float]]:
    """Top-1/top-5 accuracy of ours and of plain process.extract, for every variant as query.

    cold: the KB holds canonical names only. Otherwise leave-one-out: the KB holds every other
    known surface form of each entity as aliases (how the KB looks once annotation is under
    way) and the query's own surface form is removed from its entity.
    """
    def entity(g, drop=None):
        aliases = () if cold else tuple(Alias(v) for v in g["variants"] if v != drop)
        return Entity(id=g["id"], name=g["name"], type=g["type"], aliases=aliases)

    idx = EntityIndex(entity(g) for g in gold)
    hits = {"ours": [0, 0], "plain": [0, 0]}
    total = 0
    for g in gold:
        for v in g["variants"]:
            if v == g["name"]:
                continue
            total += 1
            if not cold:
                idx.add(entity(g, drop=v))
            ids = [c.id for c in idx.match(v, type=g["type"], limit=5)]
            hits["ours"][0] += ids[:1] == [g["id"]]
            hits["ours"][1] += g["id"] in ids
            choices, owners = [], []
            for h in gold:
                if h["type"] != g["type"]:
                    continue
                for text in dict.fromkeys([h["name"], *([] if cold else h["variants"])]):
                    if h is g and text == v and not cold:
                        continue
                    choices.append(text)
                    owners.append(h["id"])
            found = process.extract(v, choices, scorer=fuzz.WRatio,
                                    processor=utils.default_process, limit=None)
            ranked = list(dict.fromkeys(owners[i] for _, _, i in found))[:5]
            hits["plain"][0] += ranked[:1] == [g["id"]]
            hits["plain"][1] += g["id"] in ranked
            if not cold:
                idx.add(entity(g))
    return tuple((h[0] / total, h[1] / total) for h in hits.values())  # type: ignore


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", choices=(*SETS, "both", "all"), default="all")
    ap.add_argument("--misses", action="store_true",
                    help="list what the string rules alone miss (cold ranking, duplicates)")
    args = ap.parse_args()
    names = {"both": ("own", "heldout"), "all": tuple(SETS)}.get(
        args.set, (args.set,))
    for name in names:
        print(f"=== {name} variant set: {SETS[name][0].relative_to(ROOT)}")
        if args.misses:
            misses(name)
        else:
            report(name)
        print()


def misses(name: str) -> None:
    """Print, with knowledge off, the cold-ranking queries whose entity is not first and the
    same-entity record pairs duplicates leaves apart (diagnosis, not a figure)."""
    gold = load(name)
    with knowledge.disabled():
        idx = EntityIndex(Entity(id=g["id"], name=g["name"], type=g["type"]) for g in gold)
        for g in gold:
            for v in g["variants"]:
                found = idx.match(v, type=g["type"], limit=5)
                if [c.id for c in found[:1]] != [g["id"]]:
                    top = ", ".join(f"{c.id} {c.score:.0f}" for c in found[:3])
                    print(f"match  {v!r} -> {g['id']}: got [{top}]")
        ents, truth = records(gold)
        labels = ours_labels(ents)
    by_gold: dict[str, dict[object, list[str]]] = {}
    text = {e.id: e.name for e in ents}
    for rid, gid in truth.items():
        by_gold.setdefault(gid, {}).setdefault(labels[rid], []).append(text[rid])
    for gid, parts in by_gold.items():
        if len(parts) > 1:
            print(f"dups   {gid}: " + " | ".join(map(repr, parts.values())))
    for a, b in hard_negatives(name):
        if {labels[r] for r, g in truth.items() if g == a} & \
                {labels[r] for r, g in truth.items() if g == b}:
            print(f"NEG    {a} ~ {b} merged")


def report(name: str) -> None:
    """Print the duplicate and ranking figures of one variant set."""
    gold = load(name)
    ents, truth = records(gold)
    negatives = hard_negatives(name)
    n_mentions = sum(len(g["variants"]) for g in gold)
    print(f"test set: {len(gold)} entities, {n_mentions} variant mentions, "
          f"{len(ents)} distinct surface records, {len(negatives)} hard-negative pairs\n")

    print("duplicates (pairwise over surface records, clustering within type)")
    print(f"{'method':<34}{'thr':>6}{'P':>8}{'R':>8}{'F1':>8}{'neg broken':>12}")
    for thr in (80.0, 85.0, 90.0):
        labels = ours_labels(ents, thr)
        p, r, f = pairwise(labels, truth)
        tag = "ours (default)" if thr == 85.0 else "ours"
        print(f"{tag:<34}{thr:>6.0f}{p:>8.3f}{r:>8.3f}{f:>8.3f}"
              f"{broken_negatives(labels, truth, negatives):>12}")
    with knowledge.disabled():
        labels = ours_labels(ents)
    p, r, f = pairwise(labels, truth)
    print(f"{'ours, string rules only (no KB)':<34}{85:>6}{p:>8.3f}{r:>8.3f}{f:>8.3f}"
          f"{broken_negatives(labels, truth, negatives):>12}")
    matrices = baseline_matrices(ents)
    best = max(((pairwise(baseline_labels(ents, t, matrices), truth), t)
                for t in range(50, 101)), key=lambda x: x[0][2])
    (p, r, f), t = best
    blabels = baseline_labels(ents, t, matrices)
    print(f"{'plain WRatio+default_process':<34}{t:>6}{p:>8.3f}{r:>8.3f}{f:>8.3f}"
          f"{broken_negatives(blabels, truth, negatives):>12}   (best threshold)")

    print("\nmatch ranking (every variant as a query, typed)")
    print(f"{'protocol':<16}{'method':<18}{'top-1':>8}{'top-5':>8}")
    for cold in (False, True):
        ours, plain = ranking(gold, cold)
        name = "cold (names)" if cold else "leave-one-out"
        print(f"{name:<16}{'ours':<18}{ours[0]:>8.3f}{ours[1]:>8.3f}")
        with knowledge.disabled():
            bare, _ = ranking(gold, cold)
        print(f"{'':<16}{'ours, no KB':<18}{bare[0]:>8.3f}{bare[1]:>8.3f}")
        print(f"{'':<16}{'plain extract':<18}{plain[0]:>8.3f}{plain[1]:>8.3f}")


if __name__ == "__main__":
    main()

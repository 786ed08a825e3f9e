"""The variant test set: well-formed, and the engine meets the issue's quality targets."""

import json
import sys

from tests.paths import DATA, ROOT

VARIANTS = DATA / "entity_variants"


def test_test_set_shape():
    gold = [json.loads(line) for line in (VARIANTS / "entities.jsonl").read_text().splitlines()
            if line.strip()]
    assert len(gold) >= 40
    assert sum(len(g["variants"]) for g in gold) >= 150
    assert len({g["id"] for g in gold}) == len(gold)
    assert {g["type"] for g in gold} <= {"PER", "ORG", "LOC", "MISC"}


def test_quality_targets():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import entity_quality as q

    gold = q.load()
    ents, truth = q.records(gold)
    labels = q.ours_labels(ents)
    p, r, f = q.pairwise(labels, truth)
    assert p >= 0.95 and f >= 0.9, (p, r, f)
    assert q.broken_negatives(labels, truth, q.hard_negatives()) == 0
    (top1, top5), _ = q.ranking(gold, cold=False)
    assert top5 >= 0.97, top5

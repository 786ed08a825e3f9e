"""Agreement figures, checked against a small fixture computed by hand, and on the two seed annotators."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.service import Service
from annotate.team.agreement import align, exact_pairs, kappa, overlap_pairs
from store.models import Span
from tests.team_support import annotator_copy, gold, perturbed, write_jsonl

TEXT = "Paul Martin a vu Marie à Paris."
# Tokens: Paul | Martin | a | vu | Marie | à | Paris | .   (8 tokens)
A = {"spans": [{"start": 0, "end": 11, "label": "PER", "kb_id": "paul_martin"},   # Paul Martin
               {"start": 17, "end": 22, "label": "PER", "kb_id": "marie"},        # Marie
               {"start": 25, "end": 30, "label": "LOC", "kb_id": "paris"}],       # Paris
     "events": [{"start": 14, "end": 16, "label": "MEETING"}]}                    # vu
B = {"spans": [{"start": 5, "end": 11, "label": "PER", "kb_id": "paul_martin"},   # Martin: boundary differs
               {"start": 17, "end": 22, "label": "PER", "kb_id": "marie_curie"},  # Marie: link differs
               {"start": 25, "end": 30, "label": "ORG"}],                         # Paris: label differs
     "events": [{"start": 14, "end": 16, "label": "MEETING"}]}


@pytest.fixture
def hand(tmp_path: Path) -> Service:
    """One article annotated by ann (A) and bob (B), both done."""
    lines = [json.dumps({"text": TEXT, "meta": {"source": "hand.txt", "annotator": who}, **doc})
             for who, doc in (("ann", A), ("bob", B))]
    path = tmp_path / "hand.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    svc = Service.open(tmp_path / "g.db", annotator="lead")
    svc.data.import_jsonl(path)
    yield svc
    svc.close()


def test_figures_match_the_hand_computation(hand: Service) -> None:
    report = hand.team.agreement()
    [pair] = report.pairs
    assert (pair.a, pair.b, pair.articles) == ("ann", "bob", 1)
    per, loc, org, meeting = (pair.labels[k] for k in ("PER", "LOC", "ORG", "MEETING"))

    # PER: ann 2, bob 2; exact: Marie → F1 = 2·1/(2+2) = 0.5; overlap: +Paul Martin~Martin → 2·2/4 = 1.0
    assert (per.a, per.b, per.exact, per.overlap) == (2, 2, 1, 2)
    assert per.exact_f1 == 0.5 and per.overlap_f1 == 1.0
    # LOC 1 vs 0 and ORG 0 vs 1: F1 = 2·0/1 = 0.0; MEETING: 2·1/2 = 1.0
    assert loc.exact_f1 == 0.0 and org.overlap_f1 == 0.0 and meeting.exact_f1 == 1.0
    # overall: ann 4, bob 4; exact 2 (Marie, vu) → 4/8 = 0.5; overlap 3 → 6/8 = 0.75
    assert (pair.overall.a, pair.overall.b) == (4, 4)
    assert pair.overall.exact_f1 == 0.5 and pair.overall.overlap_f1 == 0.75

    # Links: exact matches with a kb_id on either side: Marie only, marie ≠ marie_curie → 0/1
    assert (per.links_equal, per.links_total) == (0, 1) and pair.overall.links == 0.0

    # Token kappa, overall: 8 entity-layer + 8 event-layer items.
    #   entity  ann: PER PER O O PER O LOC O     bob: O PER O O PER O ORG O  → 6 agree (Paul, Paris differ)
    #   event   ann: O O O MEETING O O O O       bob: the same                → 8 agree
    #   po = 14/16 = 0.875
    #   marginals ann: E-PER 3, E-O 4, E-LOC 1, V-MEETING 1, V-O 7; bob: E-PER 2, E-O 5, E-ORG 1, V-MEETING 1, V-O 7
    #   pe = (3·2 + 4·5 + 1·0 + 0·1 + 1·1 + 7·7) / 16² = 76/256 = 0.296875
    #   kappa = (0.875 − 0.296875) / (1 − 0.296875) = 0.578125 / 0.703125 = 37/45
    assert pair.overall.kappa == pytest.approx(37 / 45)
    # PER, binary over the 8 entity tokens: ann yes 3 / no 5, bob yes 2 / no 6, agree 7 (Paul differs)
    #   po = 7/8, pe = (3·2 + 5·6)/64 = 36/64, kappa = (56/64 − 36/64)/(28/64) = 20/28 = 5/7
    assert per.kappa == pytest.approx(5 / 7)
    # LOC: ann yes 1, bob yes 0: po = 7/8, pe = (1·0 + 7·8)/64 = 56/64 → kappa = 0
    assert loc.kappa == pytest.approx(0.0) and org.kappa == pytest.approx(0.0)
    # MEETING: identical → po = 1, pe = (1·1 + 7·7)/64 → kappa = 1
    assert meeting.kappa == pytest.approx(1.0)


def test_the_table_and_the_json_carry_the_figures(hand: Service) -> None:
    report = hand.team.agreement()
    table = report.table()
    assert "ann × bob: 1 articles" in table
    assert any(line.split()[:7] == ["PER", "2", "2", "0.500", "1.000", "0.714", "0/1"] for line in table.splitlines())
    assert any(line.startswith("overall") and "0.750" in line and "0.822" in line for line in table.splitlines())
    data = json.loads(json.dumps(report.to_dict()))
    assert data["pairs"][0]["overall"]["exact_f1"] == 0.5


def test_only_articles_both_marked_done_count(hand: Service) -> None:
    aid = hand.store.article_ids()[0]
    bob = Service.open(hand.store.path, annotator="bob")
    bob.review.set_status(aid, "in_progress")
    bob.close()
    assert hand.team.agreement().pairs == []
    assert "nothing to compare" in hand.team.agreement().table()


def test_matching_is_one_to_one_and_kappa_edge_cases() -> None:
    def s(start: int, end: int, label: str = "PER") -> Span:
        return Span(0, "a", start, end, label, "entity", "x")

    # one long span over two short ones: a single overlap match, the larger shared stretch
    a, b = [s(0, 10)], [s(0, 3), s(4, 10)]
    assert overlap_pairs(a, b) == [(a[0], b[1])]
    assert exact_pairs(a, b) == []
    assert kappa({}) is None
    assert kappa({("O", "O"): 5}) is None  # one category only: chance agreement is 1


def test_two_seed_annotators(tmp_path: Path) -> None:
    """alice has the hand gold, bob a perturbed copy: figures below 1 where bob changed things."""
    db = annotator_copy(tmp_path, "alice", gold())
    svc = Service.open(db, annotator="lead")
    svc.data.import_jsonl(write_jsonl(tmp_path / "bob.jsonl", perturbed(gold()), "bob"))
    [pair] = svc.team.agreement().pairs
    assert pair.articles == 5
    assert pair.overall.exact_f1 < pair.overall.overlap_f1 < 1  # the moved boundary matches by overlap
    assert pair.labels["MEETING"].exact_f1 == 1.0  # events untouched
    assert 0 < pair.overall.kappa < 1
    # alice's syria vs bob's syrie: different entities until someone merges them
    assert pair.overall.links < 1
    svc.close()


def test_align_groups_overlapping_spans_per_layer() -> None:
    def s(start: int, end: int, label: str, kind: str = "entity", kb: str | None = None) -> Span:
        return Span(0, "a", start, end, label, kind, "x", kb)

    rows = align({"ann": [s(0, 11, "PER"), s(14, 16, "MEETING", "event"), s(25, 30, "LOC")],
                  "bob": [s(5, 11, "PER"), s(14, 16, "MEETING", "event"), s(25, 30, "LOC")]})
    assert [(r.start, r.end, r.agreed) for r in rows] == [(0, 11, False), (14, 16, True), (25, 30, True)]
    assert rows[0].version("bob")[0].start == 5

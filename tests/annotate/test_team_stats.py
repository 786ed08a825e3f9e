"""Project figures: throughput from a hand-made action log, progress and labels on merged copies."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.service import Service
from annotate.team.stats import active_seconds, throughput
from store.models import Action
from tests.team_support import annotator_copy, gold, perturbed

SPAN_INSERT = ({"table": "spans", "pk": 1, "before": None, "after": {"id": 1}},)


def at(clock: str) -> str:
    return f"2024-05-02T{clock}.000+00:00"


def test_throughput_counts_active_time_and_what_was_not_undone() -> None:
    log = [
        Action(1, at("09:00:00"), "alice", "a1", "import", SPAN_INSERT * 50),  # not hand work: ignored
        Action(2, at("10:00:00"), "alice", "a1", "add", SPAN_INSERT),
        Action(3, at("10:02:00"), "alice", "a1", "add", SPAN_INSERT),
        Action(4, at("10:05:00"), "alice", "a1", "status:done"),
        Action(5, at("10:30:00"), "alice", "a2", "add", SPAN_INSERT),  # after a 25 min pause
        Action(6, at("10:31:00"), "alice", "a2", "undo", (), undoes=5),
        Action(7, at("10:00:00"), "bob", "a1", "add", SPAN_INSERT),
    ]
    t = throughput(log)
    alice, bob = t["alice"], t["bob"]
    # active: 10:00→10:02 (120 s) + 10:02→10:05 (180 s) + [10:05→10:30 is a pause] + 10:30→10:31 (60 s) = 360 s
    assert alice.seconds == pytest.approx(360)
    assert alice.hours == pytest.approx(0.1)
    # spans: 3 inserted, one undone → 2; articles done: 1
    assert (alice.spans, alice.articles, alice.actions) == (2, 1, 5)
    assert alice.spans_per_hour == pytest.approx(20)  # 2 / 0.1 h
    assert alice.articles_per_hour == pytest.approx(10)  # 1 / 0.1 h
    # one action: no active time, no rate
    assert bob.seconds == 0 and bob.spans_per_hour is None
    assert active_seconds([at("10:00:00"), at("10:09:59"), at("10:20:00")]) == pytest.approx(599)


def test_stats_of_two_merged_annotators(tmp_path: Path) -> None:
    alice_db = annotator_copy(tmp_path, "alice", gold())
    bob_db = annotator_copy(tmp_path, "bob", perturbed(gold()))
    lead = Service.open(tmp_path / "lead.db", annotator="lead")
    lead.team.merge_copy(alice_db)
    lead.team.merge_copy(bob_db)
    aid = lead.store.article_ids()[0]
    lead.review.add_span(aid, 0, 4, "LOC")  # the lead starts one article: in progress for them
    stats = lead.team.stats()
    assert stats.articles == 5 and stats.progress == {"todo": 0, "in_progress": 0, "done": 5}
    assert stats.by_annotator["alice"]["done"] == 5 and stats.by_annotator["bob"]["done"] == 5
    assert stats.by_annotator["lead"] == {"todo": 4, "in_progress": 1, "done": 0, "skipped": 0}
    n_spans = lead.store.db.execute("SELECT count(*) FROM spans").fetchone()[0]
    assert sum(stats.labels.values()) == n_spans
    assert stats.merged_entities == 1  # syrie → syria
    assert stats.duplicate_clusters >= 1  # alina_romanowski / romanowski, at least
    assert "alice" not in stats.throughput  # imports are not hand work
    data = stats.to_dict()
    assert data["entities"]["merged"] == 1 and data["progress"]["done"] == 5
    text = "\n".join(stats.lines())
    assert "articles: 5: 5 done, 0 in progress, 0 todo" in text and "duplicate clusters left" in text
    lead.close()

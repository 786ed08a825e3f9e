"""Adjudication through the Service: pre-accepted agreement, picks, arguments, undo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.service import ReviewError, Service

TEXT = "Paul Martin a vu Marie à Paris."
MARIE = {"start": 17, "end": 22, "label": "PER", "kb_id": "marie"}
MEETING = {"start": 14, "end": 16, "label": "MEETING", "args": [{"role": "participants", "span": 0}]}
DOCS = {
    "ann": {"spans": [MARIE, {"start": 25, "end": 30, "label": "LOC"}], "events": [MEETING]},
    "bob": {"spans": [MARIE, {"start": 25, "end": 30, "label": "ORG"}], "events": [MEETING]},
}


@pytest.fixture
def reviewer(tmp_path: Path):
    path = tmp_path / "two.jsonl"
    path.write_text("".join(json.dumps({"text": TEXT, "meta": {"source": "t.txt", "annotator": who}, **doc}) + "\n"
                            for who, doc in DOCS.items()), encoding="utf-8")
    svc = Service.open(tmp_path / "g.db", annotator="rev")
    svc.data.import_jsonl(path)
    yield svc
    svc.close()


def test_agreed_spans_and_arguments_are_pre_accepted_then_a_pick_settles_the_rest(reviewer: Service) -> None:
    svc = reviewer
    aid = svc.store.article_ids()[0]
    adj = svc.team.adjudication(aid)
    assert adj.annotators == ("ann", "bob")
    assert [(r.start, r.agreed) for r in adj.rows] == [(14, True), (17, True), (25, False)]
    assert svc.team.adjudication_articles() == [aid]

    assert svc.team.adjudicate_start(aid) == 2  # vu and Marie
    [arg] = svc.store.event_args(aid, "rev")  # the argument both annotators gave
    assert (arg.role, svc.store.span(arg.span_id).start, arg.annotator) == ("participants", 17, "rev")
    assert svc.review.status(aid) == "in_progress"

    assert svc.team.adjudicate_pick(aid, 2, "ann") == 1
    adj = svc.team.adjudication(aid)
    assert adj.choice(adj.rows[2]) == "ann"
    assert {(s.start, s.label) for s in svc.store.spans(aid, "rev")} == {(14, "MEETING"), (17, "PER"), (25, "LOC")}
    assert svc.store.rejections(aid, "rev") == {(25, 30, "ORG", "entity")}  # bob's version, rejected

    assert svc.team.adjudicate_pick(aid, 2, "bob") == 1  # changing one's mind replaces the row
    assert {(s.start, s.label) for s in svc.store.spans(aid, "rev") if s.start == 25} == {(25, "ORG")}
    assert svc.review.undo(aid) == "adjudicate"
    assert svc.team.adjudication(aid).choice(svc.team.adjudication(aid).rows[2]) == "ann"

    assert svc.team.adjudicate_pick(aid, 2, None) == 0
    adj = svc.team.adjudication(aid)
    assert adj.choice(adj.rows[2]) == "nothing" and not adj.decided(adj.rows[2])


def test_refusals(reviewer: Service, tmp_path: Path) -> None:
    aid = reviewer.store.article_ids()[0]
    with pytest.raises(ReviewError, match="no longer exists"):
        reviewer.team.adjudicate_pick(aid, 99, "ann")
    with pytest.raises(ReviewError, match="has no gold"):
        reviewer.team.adjudicate_pick(aid, 0, "zoe")
    ann = Service.open(reviewer.store.path, annotator="ann")  # ann sees only bob besides herself
    try:
        with pytest.raises(ReviewError, match="at least two"):
            ann.team.adjudicate_start(aid)
    finally:
        ann.close()

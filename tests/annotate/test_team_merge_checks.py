"""``glossator merge`` checks what it copies like ``import`` does (issue 12, item 10): a damaged
copy (offsets outside the text, reversed, unknown labels, bad event arguments) merges nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.labels import EVENT_ROLES
from annotate.service import Service
from tests.reliability.support import run_cli
from tests.team_support import annotator_copy, counts, gold


@pytest.fixture
def alice_db(tmp_path: Path) -> Path:
    """alice's copy of the gold, with one event argument (the gold has none)."""
    db = annotator_copy(tmp_path, "alice", gold())
    svc = Service.open(db, annotator="alice")
    article_id = svc.store.article_ids()[0]
    spans = svc.store.spans(article_id, "alice")
    events = [s for s in spans if s.kind == "event"]
    filler = next(s for s in spans if s.kind == "entity" and not any(e.start < s.end and s.start < e.end for e in events))
    label, roles = next(iter(EVENT_ROLES.items()))
    trigger = svc.review.add_span(article_id, filler.start, filler.end, label)
    svc.events.add_arg(trigger, roles[0], filler.id)
    svc.close()
    return db


@pytest.fixture
def lead(tmp_path: Path):
    svc = Service.open(tmp_path / "lead.db", annotator="lead")
    svc.team.merge_copy(annotator_copy(tmp_path, "carol", gold()[:2]))  # the lead already holds some work
    yield svc
    svc.close()


def damage(db: Path, sql: str) -> int:
    """Run one UPDATE on the copy's first entity span of alice's; returns that span's id."""
    conn = sqlite3.connect(db)
    span_id = conn.execute("SELECT min(id) FROM spans WHERE kind = 'entity'").fetchone()[0]
    conn.execute(sql.replace(":id", str(span_id)))
    conn.commit()
    conn.close()
    return span_id


@pytest.mark.parametrize("sql, message", [
    ('UPDATE spans SET start = -5 WHERE id = :id', r"offsets -5-\d+ are outside the text"),
    ('UPDATE spans SET "end" = 10000000 WHERE id = :id', r"offsets \d+-10000000 are outside the text"),
    ('UPDATE spans SET start = "end" + 3 WHERE id = :id', r"offsets \d+-\d+ are outside the text"),
    ("UPDATE spans SET label = '[/]' WHERE id = :id", r"unknown label '\[/\]'"),
    ("UPDATE spans SET label = 'ATTACK' WHERE id = :id", r"label ATTACK belongs to the event layer, the span says 'entity'"),
    ("UPDATE spans SET start = 'x' WHERE id = :id", r"offsets 'x'-\d+ are not whole numbers"),
    ("UPDATE spans SET kb_id = '' WHERE id = :id", r"kb_id '' is not a non-empty string"),
    ("UPDATE spans SET kb_id = 'ghost' WHERE id = :id", r"kb_id 'ghost' is not an entity of the copy"),
    ("UPDATE event_args SET role = 'victim_of_typo' WHERE id = (SELECT min(id) FROM event_args)", r"has no role"),
    ("UPDATE event_args SET span_id = event_id WHERE id = (SELECT min(id) FROM event_args)",
     r"is not a valid entity or value span"),
    ("INSERT INTO spans (article_id, start, \"end\", label, kind, annotator) SELECT article_id, start, \"end\", "
     "'ORG', kind, annotator FROM spans WHERE id = :id", r"overlap"),
], ids=["negative", "past-end", "reversed", "markup-label", "wrong-layer", "not-int", "empty-kb", "ghost-kb", "role",
        "arg-is-event", "overlap"])
def test_a_damaged_copy_merges_nothing(alice_db: Path, lead: Service, sql: str, message: str):
    damage(alice_db, sql)
    before = counts(lead)
    with pytest.raises(InputError, match=message) as caught:
        lead.team.merge_copy(alice_db)
    assert str(caught.value).startswith(f"{alice_db}: ") and str(caught.value).endswith("nothing was merged")
    assert counts(lead) == before


def test_a_sound_copy_still_merges(alice_db: Path, lead: Service):
    before = counts(lead)
    report = lead.team.merge_copy(alice_db)
    assert report.spans > 0 and counts(lead)["spans"] > before["spans"]


def test_through_the_cli_the_error_names_the_copy_and_the_span(alice_db: Path, lead: Service):
    span_id = damage(alice_db, "UPDATE spans SET start = -5 WHERE id = :id")
    lead_db = lead.store.path
    lead.close()
    proc = run_cli("merge", str(alice_db), "--db", str(lead_db), check=1)
    first = proc.stderr.strip().splitlines()[0]
    assert first.startswith(f"error: {alice_db}: span {span_id} of 'alice' in article ")
    assert "offsets -5-" in first
    conn = sqlite3.connect(lead_db)
    assert conn.execute("SELECT count(*) FROM spans WHERE annotator = 'alice'").fetchone()[0] == 0
    conn.close()

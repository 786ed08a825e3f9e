"""Gold rows keep their identity (issue 12, items 1, 4 and 8): ids never reused, undo and redo
refused over someone else's change, no exact duplicate span, no alias left behind by a wrong link."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from annotate.service import ReviewError, Service
from store.db import open_db
from store.models import DocSuggestions, SpanSuggestion
from tests.paths import ROOT


def snapshot(svc: Service) -> tuple:
    """Every gold table and the log size (what a refusal must leave alone)."""
    db = svc.store.db
    return tuple(tuple(db.execute(f"SELECT * FROM [{t}] ORDER BY rowid").fetchall())  # noqa: S608 - fixed names
                 for t in ("spans", "event_args", "rejections", "entities", "aliases", "reviews", "actions"))


def at(svc: Service, article_id: str, surface: str, occurrence: int = 0) -> tuple[int, int]:
    text, start = svc.data.article(article_id).text, -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    return start, start + len(surface)


def test_a_freed_id_is_never_given_again_not_even_after_reopening(seeded: Service) -> None:
    first, second = seeded.store.article_ids()[:2]
    span = seeded.review.add_span(first, *at(seeded, first, "Irak"), "LOC")
    seeded.review.undo(first)  # the row with the highest id is gone
    other = seeded.review.add_span(second, *at(seeded, second, "Irak"), "LOC")
    assert other > span
    seeded.review.delete_span(other)
    path = seeded.store.path
    seeded.close()
    again = Service.open(path, annotator="alice")
    try:
        assert again.review.add_span(second, *at(again, second, "Irak"), "LOC") > other
        assert again.review.redo(first) == "add"  # article 1's span back, article 2's untouched
        assert {(s.id, s.article_id) for s in again.store.spans(first)} == {(span, first)}
        assert len(again.store.spans(second)) == 1
    finally:
        again.close()


def test_undo_across_annotators_and_articles_touches_only_its_own_rows(seeded: Service) -> None:
    first = seeded.store.article_ids()[0]
    bob = Service(seeded.store, replace(seeded.config, annotator="bob"))
    mine = seeded.review.add_span(first, *at(seeded, first, "Irak"), "LOC")
    seeded.review.undo(first)
    theirs = bob.review.add_span(first, *at(seeded, first, "Irak"), "LOC")
    assert theirs != mine
    assert seeded.review.redo(first) == "add"
    assert bob.review.undo(first) == "add"  # removes bob's span only
    assert [(s.annotator, s.id) for s in seeded.store.spans(first)] == [("alice", mine)]


def test_undo_of_a_row_someone_else_changed_since_is_refused_and_changes_nothing(seeded: Service) -> None:
    first = seeded.store.article_ids()[0]
    bob = Service(seeded.store, replace(seeded.config, annotator="bob"))
    span = seeded.review.add_span(first, *at(seeded, first, "Irak"), "LOC")
    wrong = seeded.entities.create("Iran", "LOC")
    right = seeded.entities.create("Irak", "LOC")
    seeded.entities.link(span, wrong)
    bob.entities.merge(right, [wrong])  # bob's merge moves alice's mention to "irak"
    before = snapshot(seeded)
    with pytest.raises(ReviewError, match=r"^cannot undo link: a span it changed was changed since by bob \(merge"):
        seeded.review.undo(first)
    assert snapshot(seeded) == before
    assert seeded.store.span(span).kb_id == right


def test_redo_of_an_entity_an_undo_removed_never_overwrites_a_new_one(seeded: Service) -> None:
    first = seeded.store.article_ids()[0]
    span = seeded.review.add_span(first, *at(seeded, first, "Irak"), "LOC")
    created = seeded.entities.link_new(span)
    seeded.review.undo(first)  # the entity goes (nothing else uses it)
    assert seeded.entities.get(created) is None
    other = seeded.entities.create("Irak", "LOC")  # elsewhere, a new entity of that name
    assert other != created
    assert seeded.review.redo(first) == "link_new"
    assert seeded.entities.get(created) is not None and seeded.entities.get(other) is not None
    assert seeded.store.span(span).kb_id == created


def test_an_exact_duplicate_span_cannot_be_stored(seeded: Service) -> None:
    first = seeded.store.article_ids()[0]
    span = seeded.store.span(seeded.review.add_span(first, *at(seeded, first, "Irak"), "LOC"))
    with pytest.raises(sqlite3.IntegrityError):
        seeded.store.db.execute(
            'INSERT INTO spans (article_id, start, "end", label, kind, annotator) VALUES (?, ?, ?, ?, ?, ?)',
            [first, span.start, span.end, span.label, span.kind, span.annotator])


def test_accept_all_leaves_out_suggestions_overlapping_one_it_accepted(seeded: Service) -> None:
    first = seeded.store.article_ids()[0]
    start, end = at(seeded, first, "Irak")
    spans = (SpanSuggestion(start, end, "LOC", "entity"), SpanSuggestion(start, end, "ORG", "entity"),
             SpanSuggestion(start, end + 2, "LOC", "entity"))
    seeded.store.replace_suggestions([(first, DocSuggestions(spans=spans))], "fp", "test")
    assert seeded.review.accept_all(first) == 1
    assert seeded.review.accept_all(first) == 0
    assert len(seeded.store.spans(first)) == 1


def test_relinking_takes_the_alias_the_wrong_link_made_with_it(seeded: Service) -> None:
    first = seeded.store.article_ids()[0]
    wrong = seeded.entities.create("Bagdadi", "PER")
    right = seeded.entities.create("Baghdad", "LOC")
    span = seeded.review.add_span(first, *at(seeded, first, "Baghdad"), "LOC")
    seeded.entities.link(span, wrong)
    assert "Baghdad" in {a.text for a in seeded.entities.get(wrong).aliases}
    seeded.entities.link(span, right)
    assert [a.text for a in seeded.entities.get(wrong).aliases] == ["Bagdadi"]
    hits = [c for c in seeded.entities.match("Baghdad", limit=5) if c.score >= 100]
    assert [c.id for c in hits] == [right]
    seeded.review.undo(first)  # the wrong link, and its alias, come back
    assert seeded.store.span(span).kb_id == wrong
    assert "Baghdad" in {a.text for a in seeded.entities.get(wrong).aliases}


def test_relinking_keeps_an_alias_other_mentions_or_a_name_still_justify(seeded: Service) -> None:
    first, second = seeded.store.article_ids()[:2]
    city = seeded.entities.create("Irak", "LOC")  # its name "Irak" is an alias of source "name"
    country = seeded.entities.create("République d'Irak", "LOC")
    one = seeded.review.add_span(first, *at(seeded, first, "Irak"), "LOC")
    two = seeded.review.add_span(second, *at(seeded, second, "Irak"), "LOC")
    seeded.entities.link(one, country)
    seeded.entities.link(two, country)
    seeded.entities.link(one, city)  # "two" still reads "Irak" and is linked to country
    assert "Irak" in {a.text for a in seeded.entities.get(country).aliases}
    seeded.entities.link(two, city)  # now no mention of country reads so: the link-made alias goes
    assert "Irak" not in {a.text for a in seeded.entities.get(country).aliases}
    seeded.entities.link(one, None)
    assert "Irak" in {a.text for a in seeded.entities.get(city).aliases}  # the name stays an alias


def test_migration_m003_collapses_duplicates_and_seeds_the_id_marks_from_the_log(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    svc = Service.open(path, annotator="alice")
    svc.data.ingest([ROOT / "seeds"])
    first = svc.store.article_ids()[0]
    start, end = at(svc, first, "rencontre")
    trigger = svc.review.add_span(first, start, end, "MEETING")
    filler = svc.review.add_span(first, *at(svc, first, "Alina Romanowski"), "PER")
    svc.events.add_arg(trigger, "participants", filler)
    svc.close()
    # Back to a database as m002 left it, with what the old code could write: an exact duplicate of
    # both spans (one linked), an argument on the duplicates, and a log naming a since-deleted id 50.
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP INDEX spans_exact")
        conn.execute("DROP TABLE id_sequences")
        conn.execute("DROP TABLE entity_ids")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm003_gold_ids'")
        conn.execute("INSERT INTO entities (id, name, type) VALUES ('romanowski', 'Alina Romanowski', 'PER')")
        for old in (trigger, filler):
            conn.execute("""INSERT INTO spans (article_id, start, "end", label, kind, annotator, kb_id)
                            SELECT article_id, start, "end", label, kind, annotator, ? FROM spans WHERE id = ?""",
                         ["romanowski" if old == filler else None, old])
        dup_trigger, dup_filler = trigger + 2, filler + 2
        conn.execute("INSERT INTO event_args (event_id, role, span_id, annotator) VALUES (?, 'participants', ?, 'alice')",
                     [dup_trigger, dup_filler])
        conn.execute("""INSERT INTO actions (at, annotator, article_id, kind, ops) VALUES ('2020', 'alice', ?, 'add',
                        '[{"table": "spans", "pk": 50, "before": null, "after": null}]')""", [first])
    conn.close()

    db = open_db(path)
    spans = db.execute('SELECT id, kb_id FROM spans ORDER BY id').fetchall()
    assert spans == [(trigger, None), (filler, "romanowski")]  # the oldest kept, the link moved onto it
    assert db.execute("SELECT event_id, role, span_id FROM event_args").fetchall() == [
        (trigger, "participants", filler)]  # the duplicate argument folded into the kept one
    logged = db.execute("SELECT annotator, kind, ops FROM actions WHERE kind = 'dedupe_spans'").fetchall()
    assert len(logged) == 1 and logged[0][0] == "glossator" and f'"pk": {dup_filler}' in logged[0][2]
    assert db.execute("SELECT high FROM id_sequences WHERE name = 'spans'").fetchone()[0] >= 50
    assert db.execute("SELECT 1 FROM entity_ids WHERE id = 'romanowski'").fetchone()
    db.close()
    svc = Service.open(path, annotator="alice")
    try:
        assert svc.review.add_span(first, *at(svc, first, "Irak"), "LOC") > 50
    finally:
        svc.close()

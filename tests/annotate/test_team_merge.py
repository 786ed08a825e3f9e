"""Two simulated annotators on the seeds, each in their own copy, merged into one database."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.service import Service
from store.models import DocSuggestions, SpanSuggestion
from tests.team_support import annotator_copy, counts, gold, perturbed


def suggest(svc: Service, article_id: str, spans: list[SpanSuggestion]) -> None:
    """Store suggestions directly (no model needed)."""
    svc.store.replace_suggestions([(article_id, DocSuggestions(spans=tuple(spans)))], "fp-test", "test")


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path]:
    """alice.db (the hand gold) and bob.db (the perturbed gold)."""
    return annotator_copy(tmp_path, "alice", gold()), annotator_copy(tmp_path, "bob", perturbed(gold()))


@pytest.fixture
def lead(tmp_path: Path):
    """The lead's database, empty: everything comes from the copies."""
    svc = Service.open(tmp_path / "lead.db", annotator="lead")
    yield svc
    svc.close()


def units(db: Path, who: str) -> set[tuple]:
    """(article, start, end, label) of one annotator's gold in a database."""
    svc = Service.open(db, annotator=who, readonly=True)
    try:
        return {(a, s.start, s.end, s.label) for a in svc.store.article_ids() for s in svc.store.spans(a, who)}
    finally:
        svc.close()


def test_merging_two_copies_brings_everything_and_a_second_merge_adds_nothing(copies, lead) -> None:
    alice_db, bob_db = copies
    first = lead.team.merge_copy(alice_db)
    assert (first.articles, first.units, first.reviews, first.kept) == (5, 5, 5, 0)
    second = lead.team.merge_copy(bob_db)
    assert (second.articles, second.units, second.reviews) == (0, 5, 5)
    assert "0 articles added, 5 annotations copied" in second.summary()

    for who, db in (("alice", alice_db), ("bob", bob_db)):
        assert units(lead.store.path, who) == units(db, who)
    assert lead.data.counts()["done"] == 0  # the lead's own status
    assert {r["status"] for r in lead.data.articles()} == {"todo"}
    assert {r["overall"] for r in lead.data.articles()} == {"done"}

    # The log keeps who and when.
    def log(db: Path) -> set[tuple]:
        svc = Service.open(db, readonly=True)
        try:
            return {(a.at, a.annotator, a.kind) for a in svc.store.history(limit=-1) if a.kind == "import"}
        finally:
            svc.close()

    assert log(lead.store.path) == log(alice_db) | log(bob_db)

    before = counts(lead)
    again = [lead.team.merge_copy(alice_db), lead.team.merge_copy(bob_db)]
    assert counts(lead) == before
    for report in again:
        assert (report.articles, report.units, report.spans, report.actions, report.entities, report.aliases,
                len(report.merged), len(report.clusters)) == (0, 0, 0, 0, 0, 0, 0, 0)


def test_entity_conflicts_go_through_the_duplicates_machinery(copies, lead) -> None:
    alice_db, bob_db = copies
    lead.team.merge_copy(alice_db)
    report = lead.team.merge_copy(bob_db)
    assert ("syrie", "syria") in report.merged  # same normalised name and type: merged
    assert lead.entities.get("syrie").merged_into == "syria"
    assert not lead.store.db.execute("SELECT count(*) FROM spans WHERE kb_id = 'syrie'").fetchone()[0]
    listed = [set(c.entity_ids) for c in report.clusters]
    assert {"alina_romanowski", "romanowski"} in listed  # likely, not obvious: listed only
    assert lead.entities.get("romanowski").merged_into is None
    # The obvious merge is one logged action of the lead, undoable like any merge.
    assert lead.review.undo(None) == "merge_copy"
    assert lead.entities.get("syrie").merged_into is None


def test_newer_work_in_a_copy_replaces_the_older_version_and_stays_undoable(copies, lead) -> None:
    alice_db, _ = copies
    lead.team.merge_copy(alice_db)
    alice = Service.open(alice_db, annotator="alice")
    aid = alice.store.article_ids()[0]
    text = alice.data.article(aid).text
    start = text.index("ambassadrice")
    removed = alice.store.spans(aid, "alice")[0]
    alice.review.delete_span(removed.id)
    added = alice.review.add_span(aid, start, start + len("ambassadrice"), "MISC")
    meeting = next(s for s in alice.store.spans(aid, "alice") if s.label == "MEETING")
    maliki = next(s for s in alice.store.spans(aid, "alice") if text[s.start:s.end] == "Nouri Al Maliki")
    alice.events.add_arg(meeting.id, "participants", maliki.id)
    suggest(alice, aid, [SpanSuggestion(0, 4, "ORG")])
    alice.review.reject(aid, alice.store.suggestions(aid)[0].id)
    alice.close()

    report = lead.team.merge_copy(alice_db)
    assert (report.units, report.actions, report.event_args, report.rejections) == (1, 4, 1, 1)
    assert units(lead.store.path, "alice") == units(alice_db, "alice")
    [arg] = lead.store.event_args(aid, "alice")
    assert (lead.store.span(arg.event_id).label, lead.store.span(arg.span_id).start) == ("MEETING", maliki.start)
    assert lead.store.rejections(aid, "alice") == {(0, 4, "ORG", "entity")}

    # alice continues in the merged database: her undo reverts her latest action there.
    as_alice = Service.open(lead.store.path, annotator="alice")
    try:
        assert as_alice.review.undo(aid) == "reject"
        assert as_alice.review.undo(aid) == "add_arg"
        assert not as_alice.store.event_args(aid, "alice")
        assert as_alice.review.undo(aid) == "add"
        spans = {(s.start, s.end) for s in as_alice.store.spans(aid, "alice")}
        assert (start, start + len("ambassadrice")) not in spans
        assert as_alice.review.undo(aid) == "delete"
        assert (removed.start, removed.end) in {(s.start, s.end) for s in as_alice.store.spans(aid, "alice")}
    finally:
        as_alice.close()
    del added


def test_a_unit_newer_in_the_target_is_kept(copies, lead) -> None:
    alice_db, bob_db = copies
    lead.team.merge_copy(bob_db)
    as_bob = Service.open(lead.store.path, annotator="bob")
    aid = as_bob.store.article_ids()[1]
    span = as_bob.store.spans(aid, "bob")[0]
    as_bob.review.delete_span(span.id)  # bob went on working in the merged database
    as_bob.close()
    report = lead.team.merge_copy(bob_db)
    assert (report.units, report.kept) == (0, 1)
    assert span.id not in {s.id for s in lead.store.spans(aid, "bob")}
    del alice_db


def test_bad_sources_are_one_clear_error(tmp_path: Path, lead) -> None:
    with pytest.raises(InputError, match="no such database"):
        lead.team.merge_copy(tmp_path / "nope.db")
    with pytest.raises(InputError, match="into itself"):
        lead.team.merge_copy(lead.store.path)
    empty = tmp_path / "empty.db"
    import sqlite3

    sqlite3.connect(empty).execute("CREATE TABLE x (a)").connection.commit()
    with pytest.raises(InputError, match="not a glossator database"):
        lead.team.merge_copy(empty)


def test_a_copy_with_an_older_schema_is_upgraded_in_a_temporary_copy(copies, lead) -> None:
    alice_db, _ = copies
    import sqlite3

    conn = sqlite3.connect(alice_db)  # make it look like a copy from before migration m002
    conn.execute("DROP TABLE reviews")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name IN ('m002_reviews', 'm008_browsable_schema')")
    conn.commit()
    conn.close()
    report = lead.team.merge_copy(alice_db)
    assert (report.articles, report.units, report.reviews) == (5, 5, 5)  # m002 credits the done status
    conn = sqlite3.connect(alice_db)
    assert not conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'reviews'").fetchone()[0]
    conn.close()


def passed_over(db: Path, annotator: str, surface: str, top: str, chosen: str) -> None:
    """Log, in a copy, a link made to ``chosen`` while ``top`` was the matcher's first candidate."""
    from annotate.entities import kb

    svc = Service.open(db, annotator=annotator)
    with svc.store.action("link", annotator, None) as uow:
        kb.record_passed_over(uow, surface, top, chosen, annotator)
    svc.close()


def test_merge_copies_link_rejections_once_and_checks_them(copies, lead, tmp_path) -> None:
    # Issue 18: the matcher's evidence (m007) travels with the copy like the gold does.
    alice_db, bob_db = copies
    passed_over(alice_db, "alice", "bagdad", "iraq", "baghdad")
    first = lead.team.merge_copy(alice_db)
    assert first.link_rejections == 1
    assert lead.store.link_rejections() == {("bagdad", "iraq"): 1}
    again = lead.team.merge_copy(alice_db)
    assert again.link_rejections == 0 and lead.store.link_rejections() == {("bagdad", "iraq"): 1}
    # bob's entity "syrie" is merged into alice's "syria" as an obvious duplicate: his evidence
    # about it counts for the entity it became.
    passed_over(bob_db, "bob", "damas", "syrie", "iraq")
    assert lead.team.merge_copy(bob_db).link_rejections == 1
    assert lead.store.link_rejections()[("damas", "syria")] == 1
    # A rejection naming an entity the copy does not have merges nothing.
    import sqlite3

    conn = sqlite3.connect(alice_db)
    conn.execute("UPDATE link_rejections SET entity_id = 'ghost'")
    conn.commit()
    conn.close()
    before = counts(lead)
    with pytest.raises(InputError, match=r"link rejection \d+: entity_id 'ghost' is not an entity of the copy"):
        lead.team.merge_copy(alice_db)
    assert counts(lead) == before

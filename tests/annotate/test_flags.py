"""Flags and skips (issue 14.8): the service, the action log and the corpus filters."""

import pytest

from annotate.service import ReviewError
from store import listing
from store.flags import FLAGGED
from store.models import DocSuggestions, SpanSuggestion
from store.repo import Store

TEXT = "Nouri Al Maliki a reçu Mme Romanowski à Bagdad. Les attaques ont repris."


@pytest.fixture
def arts(service, tmp_path):
    for i in range(3):
        path = tmp_path / f"a{i}.txt"
        path.write_text(f"{TEXT} Numéro {i}.", encoding="utf-8")
    service.data.ingest(sorted(tmp_path.glob("a*.txt")))
    ids = [a["id"] for a in service.data.articles()]
    doc = DocSuggestions((SpanSuggestion(0, 15, "PER"),))
    service.store.replace_suggestions([(ids[0], doc)], "fp", "test")
    return ids


def flag_rows(service):
    return [dict(r) for r in service.store.db.query("SELECT article_id, span_id, annotator, note FROM flags")]


def test_flag_a_span_and_the_article_with_notes_then_unflag(service, arts):
    span = service.review.add_span(arts[0], 0, 15, "PER")
    service.flags.flag(arts[0], span, "  maybe   ORG? ")
    service.flags.flag(arts[0])
    assert flag_rows(service) == [
        {"article_id": arts[0], "span_id": span, "annotator": service.annotator, "note": "maybe ORG?"},
        {"article_id": arts[0], "span_id": None, "annotator": service.annotator, "note": ""}]
    assert [f.span_id for f in service.flags.flags(arts[0])] == [None, span]  # the article's own first
    service.flags.flag(arts[0], span, "sure now")  # again: the note changes, still one flag
    assert service.flags.flag_on(arts[0], span).note == "sure now"
    assert len(flag_rows(service)) == 2
    assert service.flags.unflag(arts[0], span) is True
    assert service.flags.unflag(arts[0], span) is False
    assert [f.span_id for f in service.flags.flags(arts[0])] == [None]


def test_flag_unflag_and_skip_are_one_logged_action_each_and_undo(service, arts):
    span = service.review.add_span(arts[0], 0, 15, "PER")
    service.flags.flag(arts[0], span, "why")
    kinds = [a.kind for a in service.store.history(arts[0])]
    assert kinds[0] == "flag"
    assert service.review.undo(arts[0]) == "flag"
    assert flag_rows(service) == []
    assert service.review.redo(arts[0]) == "flag"
    assert service.flags.flag_on(arts[0], span).note == "why"
    service.flags.unflag(arts[0], span)
    assert service.review.undo(arts[0]) == "unflag"
    assert service.flags.flag_on(arts[0], span) is not None
    service.flags.skip(arts[0])
    assert service.review.status(arts[0]) == "skipped"
    assert service.review.undo(arts[0]) == "skip"
    assert service.review.status(arts[0]) == "in_progress"


def test_a_flag_on_a_deleted_span_is_gone_until_the_deletion_is_undone(service, arts):
    span = service.review.add_span(arts[0], 0, 15, "PER")
    service.flags.flag(arts[0], span)
    service.review.delete_span(span)
    assert service.flags.flags(arts[0]) == []
    service.review.undo(arts[0])
    assert [f.span_id for f in service.flags.flags(arts[0])] == [span]


def test_only_own_gold_spans_of_the_article_can_be_flagged(service, arts):
    span = service.review.add_span(arts[0], 0, 15, "PER")
    with pytest.raises(ReviewError):
        service.flags.flag(arts[1], span)
    service.annotator = "bob"
    with pytest.raises(ReviewError):
        service.flags.flag(arts[0], span)
    assert flag_rows(service) == []


def test_a_skipped_article_is_not_done_nor_started_overall_and_filters_apart(service, arts):
    service.flags.skip(arts[1])
    assert service.flags.skipped(arts[1])
    assert service.data.article(arts[1]).status == "todo"  # a skip is no start
    db, who = service.store.db, service.annotator
    assert listing.ids(db, who, status="skipped") == [arts[1]]
    assert arts[1] not in listing.ids(db, who, status="todo")
    assert listing.count(db, who, status="todo") == 2
    assert listing.status_counts(db, who)["skipped"] == 1


def test_the_flagged_filter_lists_articles_with_a_flag_of_this_annotator(service, arts):
    span = service.review.add_span(arts[0], 0, 15, "PER")
    service.flags.flag(arts[0], span)
    service.flags.flag(arts[2])
    db, who = service.store.db, service.annotator
    assert listing.ids(db, who, status=FLAGGED) == [arts[0], arts[2]]
    assert listing.count(db, who, status=FLAGGED) == 2
    assert [r["id"] for r in listing.window(db, who, status=FLAGGED)] == [arts[0], arts[2]]
    assert listing.position(db, who, arts[2], status=FLAGGED) == 1
    assert listing.ids(db, "bob", status=FLAGGED) == []
    plan = " ".join(r[3] for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT a.id FROM articles a WHERE " + listing.FLAGGED_CONDITION,
        {"who": who}).fetchall())
    assert "flags_by_annotator" in plan


def test_existing_databases_get_the_flags_table_in_place(tmp_path):
    path = tmp_path / "old.db"
    store = Store.open(path)
    store.db.execute("DROP TABLE flags")
    store.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm013_flags'")
    store.db.conn.commit()
    store.close()
    store = Store.open(path)
    assert "flags" in store.db.table_names()
    assert {"flags_by_annotator", "flags_by_span"} <= {i.name for i in store.db["flags"].indexes}


def test_a_copy_with_a_skipped_article_passes_the_merge_checks(tmp_path):
    from annotate.service import Service
    from annotate.team.checks import check_source

    svc = Service.open(tmp_path / "copy.db", annotator="bob")
    path = tmp_path / "s.txt"
    path.write_text(TEXT, encoding="utf-8")
    svc.data.ingest([path])
    svc.flags.skip(svc.data.articles()[0]["id"])
    check_source(svc.store, tmp_path / "copy.db", svc.config.entity_labels)  # raised "unknown status" before
    svc.close()


def test_team_merge_copies_flags_with_their_spans_and_skips(tmp_path):
    from annotate.service import Service
    from tests.paths import SEEDS
    from tests.team_support import annotator_copy, gold

    copy = annotator_copy(tmp_path, "alice", gold())
    alice = Service.open(copy, annotator="alice")
    ids = alice.store.article_ids()
    span = alice.store.spans(ids[0], "alice")[3]
    alice.flags.flag(ids[0], span.id, "sûr ?")
    alice.flags.flag(ids[0], None, "à revoir")
    alice.flags.skip(ids[1])
    alice.close()
    target = Service.open(tmp_path / "team.db", annotator="lead")
    target.data.ingest([SEEDS])
    target.review.add_span(ids[0], 0, 1, "MISC")  # the target's ids differ from the copy's
    target.team.merge_copy(copy)
    target.annotator = "alice"
    flags = target.flags.flags(ids[0])
    assert [(f.span_id is None, f.note) for f in flags] == [(True, "à revoir"), (False, "sûr ?")]
    moved = target.store.span(flags[1].span_id)
    assert (moved.start, moved.end, moved.label, moved.annotator) == (span.start, span.end, span.label, "alice")
    assert target.review.status(ids[1]) == "skipped"
    assert target.review.undo(ids[0]) == "flag"  # the copied log names the target's rows
    assert [f.span_id is None for f in target.flags.flags(ids[0])] == [False]
    target.close()

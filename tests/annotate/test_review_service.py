import pytest

from annotate.review.state import GOLD, PENDING
from annotate.service import ReviewError, Service
from store.db import StoreError
from store.models import DocSuggestions, SpanSuggestion

TEXT = "Nouri Al Maliki a reçu Mme Romanowski à Bagdad. Les attaques ont repris."


@pytest.fixture
def art(service, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    service.data.ingest([path])
    aid = service.data.articles()[0]["id"]
    doc = DocSuggestions((
        SpanSuggestion(0, 15, "PER"),          # right
        SpanSuggestion(23, 37, "ORG"),         # wrong label: Romanowski is PER
        SpanSuggestion(38, 46, "LOC"),         # boundary wrong: "à Bagdad"
        SpanSuggestion(52, 60, "ATTACK", kind="event"),
    ))
    service.store.replace_suggestions([(aid, doc)], "fp", "test")
    return aid


def span_tuples(service, aid):
    return [(i.text, i.label, i.state) for i in service.review.state(aid).items]


def test_pending_suggestions_and_gold_are_listed_in_text_order(service, art):
    state = service.review.state(art)
    assert state.pending == 4
    assert [i.text for i in state.items] == ["Nouri Al Maliki", "Mme Romanowski", "à Bagdad", "attaques"]


def test_accept_reject_relabel_and_boundaries(service, art):
    sugs = {s.label: s.id for s in service.store.suggestions(art)}
    service.review.accept(art, sugs["PER"])
    service.review.accept(art, sugs["ORG"], label="PER", bounds=(27, 37))
    service.review.reject(art, sugs["LOC"])
    service.review.accept(art, sugs["ATTACK"])
    assert span_tuples(service, art) == [
        ("Nouri Al Maliki", "PER", GOLD), ("Romanowski", "PER", GOLD), ("attaques", "ATTACK", GOLD)]
    bagdad = service.review.add_span(art, 40, 46, "LOC")
    service.review.resize(bagdad, 38, 46)
    assert service.store.span(bagdad).start == 38
    service.review.relabel(bagdad, "ORG")
    assert service.store.span(bagdad).label == "ORG"
    assert service.data.article(art).status == "in_progress"


def test_undo_and_redo_walk_back_through_every_action(service, art):
    sugs = {s.label: s.id for s in service.store.suggestions(art)}
    service.review.accept(art, sugs["PER"])
    service.review.reject(art, sugs["LOC"])
    snapshot = span_tuples(service, art)
    service.review.mark_done(art)
    assert service.review.undo(art) == "status:done"
    assert service.data.article(art).status == "in_progress"
    assert service.review.undo(art) == "reject"
    assert ("à Bagdad", "LOC", PENDING) in span_tuples(service, art)
    assert service.review.undo(art) == "accept"
    assert span_tuples(service, art)[0] == ("Nouri Al Maliki", "PER", PENDING)
    assert service.data.article(art).status == "todo"
    assert service.review.undo(art) is None
    service.review.redo(art)
    service.review.redo(art)
    assert span_tuples(service, art) == snapshot


def test_overlapping_entity_spans_are_refused_and_nothing_changes(service, art):
    service.review.add_span(art, 0, 15, "PER")
    before = service.store.history()
    with pytest.raises(ReviewError, match="overlaps the PER span “Nouri Al Maliki”"):
        service.review.add_span(art, 6, 20, "ORG")
    assert service.store.history() == before
    # an event may overlap an entity: separate layers
    service.review.add_span(art, 0, 5, "ATTACK")


def test_bad_spans_are_refused(service, art):
    with pytest.raises(ReviewError, match="outside the text"):
        service.review.add_span(art, 60, 500, "PER")
    with pytest.raises(ReviewError, match="outside the text"):
        service.review.add_span(art, 10, 5, "PER")
    with pytest.raises(ReviewError, match="whitespace"):
        service.review.add_span(art, 15, 16, "PER")
    with pytest.raises(ReviewError, match="unknown label"):
        service.review.add_span(art, 0, 5, "PERSON")


def test_spans_are_trimmed(service, art):
    sid = service.review.add_span(art, 37, 46, "LOC")  # " à Bagdad": the leading space goes
    assert (service.store.span(sid).start, service.store.span(sid).end) == (38, 46)


def test_event_arguments_and_delete_cascade_through_the_log(service, art):
    per = service.review.add_span(art, 0, 15, "PER")
    event = service.review.add_span(art, 18, 22, "MEETING")
    service.events.add_arg(event, "participants", per)
    with pytest.raises(ReviewError, match="no role 'victim'"):
        service.events.add_arg(event, "victim", per)
    service.review.delete_span(per)
    assert service.store.event_args(art) == []
    service.review.undo(art)
    assert [(a.role, a.span_id) for a in service.store.event_args(art)] == [("participants", per)]


def test_link_merge_split_keep_every_mention(service, art, tmp_path):
    path = tmp_path / "b.txt"
    path.write_text("Le Premier ministre Al-Maliki et M. Maliki.", encoding="utf-8")
    service.data.ingest([path])
    other = [a["id"] for a in service.data.articles() if a["id"] != art][0]
    s1 = service.review.add_span(art, 0, 15, "PER")
    s2 = service.review.add_span(other, 20, 29, "PER")
    s3 = service.review.add_span(other, 36, 42, "PER")
    a = service.entities.link_new(s1, "Nouri Al Maliki")  # named: not the starter KB's entry
    b = service.entities.link_new(s2, "Al-Maliki")
    service.entities.link(s3, b)
    assert service.store.mention_counts() == {a: 1, b: 2}
    moved = service.entities.merge(a, [b])
    assert moved == 2 and service.store.mention_counts() == {a: 3}
    assert {al.text for al in service.entities.get(a).aliases} == {"Nouri Al Maliki", "Al-Maliki", "Maliki"}
    assert [e.id for e in service.entities.list()] == [a]
    service.review.undo(None)
    assert service.store.mention_counts() == {a: 1, b: 2}
    service.review.redo(None)
    new = service.entities.split(a, "Maliki")
    assert service.store.mention_counts() == {a: 2, new: 1}
    service.entities.rename(a, "Nouri al-Maliki")
    assert service.entities.get(a).name == "Nouri al-Maliki"


def test_read_only_database_says_nothing_was_saved(tmp_path, art, service):
    ro = Service.open(service.store.path, annotator="alice", readonly=True)
    with pytest.raises(StoreError, match=r"not saved \(add span\): the database is read-only"):
        ro.review.add_span(art, 0, 15, "PER")
    assert ro.review.state(art).pending == 4  # still usable for reading


def test_each_annotator_has_a_status_and_overall_needs_enough_of_them(service, art, tmp_path):
    from dataclasses import replace

    bob = Service(service.store, replace(service.config, annotator="bob", annotations_per_article=2))
    service.config = replace(service.config, annotations_per_article=2)
    service.review.add_span(art, 0, 15, "PER")
    assert (service.review.status(art), bob.review.status(art)) == ("in_progress", "todo")
    service.review.mark_done(art)
    assert service.data.article(art).status == "in_progress"  # one of two
    assert service.data.counts()["done"] == 1 and bob.data.counts()["done"] == 0
    bob.review.mark_done(art)
    assert service.data.article(art).status == "done"
    bob.review.undo(art)
    assert service.data.article(art).status == "in_progress"


def test_undoing_the_creation_of_an_entity_used_elsewhere_keeps_it(service, art, tmp_path):
    path = tmp_path / "b.txt"
    path.write_text("M. Maliki a parlé. Nouri Al Maliki aussi.", encoding="utf-8")
    service.data.ingest([path])
    other = [a["id"] for a in service.data.articles() if a["id"] != art][0]
    first = service.review.add_span(art, 0, 15, "PER")
    entity = service.entities.link_new(first)
    same_surface = service.review.add_span(other, 19, 34, "PER")   # "Nouri Al Maliki": no new alias
    new_surface = service.review.add_span(other, 3, 9, "PER")      # "Maliki": a new alias
    service.entities.link(same_surface, entity)
    service.entities.link(new_surface, entity)
    assert service.review.undo(art) == "link_new"
    assert service.store.span(first).kb_id is None
    assert service.entities.get(entity) is not None               # still used by the other article
    assert service.store.mention_counts() == {entity: 2}
    assert service.review.redo(art) == "link_new"
    assert service.store.mention_counts() == {entity: 3}


def test_undoing_an_import_article_by_article_works(service, tmp_path):
    from tests.paths import GOLD

    service.data.import_jsonl(GOLD)
    for row in service.data.articles():
        assert service.review.undo(row["id"]) == "import"
        assert service.store.spans(row["id"]) == []
        assert service.review.status(row["id"]) == "todo"
    assert service.store.db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_pending_sweep_agrees_with_the_plain_definition():
    import random

    from annotate.review.state import layer_of, overlaps, pending_suggestions
    from store.models import Span, Suggestion

    rng = random.Random(7)
    for _ in range(200):
        gold, pos = [], 0
        for i in range(rng.randint(0, 8)):  # non-overlapping gold per layer, as the service guarantees
            pos += rng.randint(0, 6)
            end = pos + rng.randint(1, 5)
            gold.append(Span(i, "a", pos, end, "PER", rng.choice(["entity", "value"]), "x"))
            pos = end
        gold += [Span(100 + i, "a", s, s + 3, "ATTACK", "event", "x") for i, s in enumerate(range(0, pos, 9))]
        sugs = [Suggestion(i, "a", s, s + rng.randint(1, 6), "PER", rng.choice(["entity", "event", "value"]), "m")
                for i, s in enumerate(rng.sample(range(0, pos + 10), min(12, pos + 10)))]
        rejected = {(s.start, s.end, s.label, s.kind) for s in sugs[:2]}
        expected = [s for s in sugs if (s.start, s.end, s.label, s.kind) not in rejected and not any(
            layer_of(g.kind) == layer_of(s.kind) and overlaps(g.start, g.end, s.start, s.end) for g in gold)]
        assert pending_suggestions(sugs, gold, rejected) == expected


def test_corpus_rows_count_pending_suggestions_per_annotator(service, art):
    sugs = {s.label: s.id for s in service.store.suggestions(art)}
    row = service.data.articles()[0]
    assert (row["pending"], row["suggestions"], row["gold"], row["status"]) == (4, 4, 0, "todo")
    service.review.accept(art, sugs["PER"])
    service.review.reject(art, sugs["LOC"])
    row = service.data.articles()[0]
    assert (row["pending"], row["gold"], row["status"]) == (2, 1, "in_progress")

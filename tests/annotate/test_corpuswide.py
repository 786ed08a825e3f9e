"""Corpus-wide review without the app (issue 14, items 2 and 3): how surfaces are compared and
found, the marks of the occurrence list, paging, the consistency rows, and undo across articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.corpuswide.consistency import build_queue, find_keys
from annotate.corpuswide.occurrences import OTHER, PENDING, SAME, UNLABELLED, OccurrenceList, Source
from annotate.corpuswide.surface import find_all, fold, fts_phrase, surface_key
from annotate.errors import ReviewError
from annotate.service import Service
from store.models import Article, Span


def test_fold_is_one_character_for_one_and_ignores_case_accents_apostrophes_and_spaces():
    text = "L’ÉTAT\u00a0Islamique İ"
    assert len(fold(text)) == len(text)
    assert fold(text) == "l'etat islamique i"
    assert surface_key("  Hachd\u00a0 al-Chaabi ") == surface_key("hachd al-chaabi") == "hachd al-chaabi"


def test_find_all_matches_whole_words_in_the_verbatim_text():
    text = "L’Irak, l'irak et l' Irak ; les Irakiens. IRAK\u00a0Nord, Irak\nNord"
    assert [text[s:e] for s, e in find_all(text, "l'Irak")] == ["L’Irak", "l'irak"]
    assert [text[s:e] for s, e in find_all(text, "Irak")] == ["Irak", "irak", "Irak", "IRAK", "Irak"]
    assert [text[s:e] for s, e in find_all(text, "Irak Nord")] == ["IRAK\u00a0Nord", "Irak\nNord"]
    assert list(find_all(text, "  ")) == [] and fts_phrase("«»") is None
    assert fts_phrase('l\'Irak "x"') == '"l Irak x"'


def test_find_keys_takes_the_longest_match_and_never_inside_a_word():
    text = "Le Hachd al-Chaabi et le Hachd. Hachdi"
    found = [(text[s:e], k) for s, e, k in find_keys(text, ["hachd", "hachd al-chaabi"])]
    assert found == [("Hachd al-Chaabi", "hachd al-chaabi"), ("Hachd", "hachd")]


def _occ_list(states: list[str], label: str = "ORG") -> OccurrenceList:
    from annotate.corpuswide.occurrences import Occurrence

    items = [Occurrence(f"a{n}", "t", 0, 4, "Irak", "", "", s, label=label if s == OTHER else None)
             for n, s in enumerate(states)]
    occ = OccurrenceList(Source("src", 0, 4, "Irak", "LOC", "entity", "iraq"))
    occ.items = items
    return occ


def test_marks_accept_skip_and_mark_all_leave_decisions_to_the_reviewer():
    occ = _occ_list([PENDING, UNLABELLED, OTHER, SAME, UNLABELLED])
    assert occ.accept() is None and occ.cursor == 1
    occ.skip()
    assert occ.mark_all() == 1  # the last one: skipped stays skipped, OTHER and SAME left
    assert [o.article_id for o in occ.marked()] == ["a0", "a4"]
    occ.cursor = 3
    assert "already" in occ.accept()
    occ.cursor = 2
    assert occ.accept() is None  # a relabel, marked explicitly
    assert [o.article_id for o in occ.marked()] == ["a0", "a2", "a4"]


@pytest.fixture
def svc(tmp_path: Path):
    svc = Service.open(tmp_path / "g.db", annotator="alice")
    texts = [f"Article {n}: l’Irak et l'Irak,\u00a0IRAK. Les Irakiens. Irak" for n in range(12)]
    svc.store.add_articles([Article(id=f"id{n:02}", source=f"{n}.txt", title=f"t{n}", date=None, text=t)
                            for n, t in enumerate(texts)])
    yield svc
    svc.close()


def _source(svc: Service, aid: str = "id00") -> Source:
    text = svc.data.article(aid).text
    start = text.index("Irak")
    span_id = svc.review.add_span(aid, start, start + 4, "LOC")
    svc.entities.link_new(span_id, "Irak", entity_id="iraq")
    item = svc.review.state(aid).find(f"s{span_id}")
    return svc.corpuswide.source(aid, item)


def test_occurrences_come_in_pages_that_end_at_an_article_and_exclude_the_source(svc: Service):
    source = _source(svc)
    first = svc.corpuswide.occurrences(source, limit=10)
    assert {o.article_id for o in first.items} == {"id01", "id02", "id03"}  # 4 each: 12 ≥ 10
    assert [o.text for o in first.items[:4]] == ["Irak", "Irak", "IRAK", "Irak"]
    rest = svc.corpuswide.occurrences(source, after=first.after, limit=1000)
    assert rest.after is None and len(first.items) + len(rest.items) == 44
    assert "id00" not in {o.article_id for o in first.items + rest.items}


def test_apply_is_one_action_in_the_source_article_and_undo_restores_every_article_status(svc: Service):
    source = _source(svc)
    page = svc.corpuswide.occurrences(source, limit=1000)
    occ = OccurrenceList(source)
    occ.add_page(page)
    occ.mark_all()
    assert svc.corpuswide.apply_occurrences(source, occ.marked()) == (44, 0)
    assert svc.review.status("id05") == "in_progress"
    assert {(s.label, s.kb_id) for s in svc.store.spans("id05", "alice")} == {("LOC", "iraq")}
    assert svc.review.undo("id00") == "apply_occurrences"
    assert svc.store.spans("id05", "alice") == [] and svc.review.status("id05") == "todo"
    assert dict(svc.store.count_articles()) == {"in_progress": 1, "todo": 11}
    with pytest.raises(ReviewError):
        svc.corpuswide.apply_occurrences(source, [])


def test_consistency_rows_count_variants_and_fix_applies_the_majority(svc: Service):
    text = svc.data.article("id01").text
    at = [i for i in range(len(text)) if text.startswith("Irak", i)]
    svc.review.add_span("id01", at[0], at[0] + 4, "LOC")
    svc.review.add_span("id02", at[0], at[0] + 4, "LOC")
    svc.review.add_span("id03", at[0], at[0] + 4, "ORG")
    rows = svc.corpuswide.consistency()
    (row,) = [r for r in rows if r.key == "irak"]
    assert dict(row.labels) == {"LOC": 2, "ORG": 1} and row.majority_label == "LOC"
    assert dict(row.variants())["unlabelled"] == 3 * 3  # the other three of each worked-on article
    assert row.first_disagreeing().article_id == "id03"
    assert svc.corpuswide.fix(row) == 10
    assert not [r for r in svc.corpuswide.consistency() if r.key == "irak"]
    assert {s.label for a in ("id01", "id02", "id03") for s in svc.store.spans(a, "alice")} == {"LOC"}
    assert svc.review.undo(None) == "fix_consistency"
    assert [r.key for r in svc.corpuswide.consistency()] == ["irak"]


def test_a_tie_has_no_majority_and_the_fix_is_refused():
    spans = [(Span(1, "a", 0, 4, "LOC", "entity", "alice"), "Irak"), (Span(2, "b", 0, 4, "ORG", "entity", "alice"), "Irak")]
    (row,) = build_queue(spans, [("a", "", "Irak"), ("b", "", "Irak")], {})
    assert row.majority_label is None and row.minority() == []


def test_undoing_an_action_over_several_articles_keeps_another_annotators_progress(svc: Service):
    # The overall status of every article the action touched is derived again, not restored:
    # before, only the action's own article was, and bob's "done" on id05 was lost.
    source = _source(svc)
    occ = OccurrenceList(source)
    occ.add_page(svc.corpuswide.occurrences(source, limit=1000))
    occ.mark_all()
    svc.corpuswide.apply_occurrences(source, occ.marked())
    bob = Service(svc.store, svc.config)
    bob.annotator = "bob"
    bob.review.mark_done("id05")
    svc.review.undo("id00")
    assert svc.data.article("id05").status == "done"


def test_the_queue_keeps_its_cursor_on_the_surface_when_read_again():
    from annotate.corpuswide.consistency import Queue

    def rows(*surfaces: str):
        spans = []
        for n, surface in enumerate(surfaces):
            spans += [(Span(10 * n + 1, "a", 0, 4, "LOC", "entity", "alice"), surface),
                      (Span(10 * n + 2, "b", 0, 4, "ORG", "entity", "alice"), surface),
                      (Span(10 * n + 3, "c", 0, 4, "ORG", "entity", "alice"), surface)]
        return build_queue(spans, [], {})

    queue = Queue(rows("Irak", "Hachd", "Kazimi"))  # as many mentions each: by surface
    queue.move(1)
    assert queue.current.surface == "Irak"
    queue.replace(rows("Kazimi", "Irak"))
    assert queue.current.surface == "Irak" and queue.cursor == 0
    queue.move(1)
    queue.replace(rows("Kazimi"))
    assert queue.current.surface == "Kazimi"
    queue.move(5)
    assert queue.cursor == 0 and queue.current.majority_label == "ORG"

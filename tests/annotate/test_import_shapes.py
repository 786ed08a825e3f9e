"""Import reads doccano's two shapes and Prodigy's db-out lines; unknown annotation keys are errors."""

import json

import pytest

from annotate.errors import InputError
from annotate.labels import EVENT_ROLES
from annotate.service import Service

TEXT = "Nouri Al Maliki a rencontré Alina Romanowski à Bagdad."


def write_lines(path, *objs):
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs), encoding="utf-8")
    return path


def gold(service):
    (article,) = [a["id"] for a in service.data.articles()]
    return sorted((s.start, s.end, s.label, s.kb_id) for s in service.store.spans(article, service.annotator))


@pytest.fixture
def gold_with_args(gold_records, tmp_path):
    """The seed gold with one argument per event (its first role, filled by the first span)."""
    records = [dict(r, events=[dict(e, args=[{"role": EVENT_ROLES[e["label"]][0], "span": 0}]) for e in r["events"]])
               for r in gold_records]
    return write_lines(tmp_path / "gold_args.jsonl", *records)


def test_our_doccano_export_imports_with_kb_ids_and_events_and_exports_identically(service, gold_with_args, tmp_path):
    gold_records = [json.loads(line) for line in gold_with_args.read_text(encoding="utf-8").splitlines()]
    service.data.import_jsonl(gold_with_args)
    first = service.data.export_data(tmp_path / "first.jsonl", fmt="doccano")
    other = Service.open(tmp_path / "other.db", annotator="bob")
    report = other.data.import_jsonl(tmp_path / "first.jsonl")
    assert report.spans == sum(len(r["spans"]) for r in gold_records) > 0
    assert report.events == sum(len(r["events"]) for r in gold_records)
    args = sum(len(e["args"]) for r in gold_records for e in r["events"])
    # The line's meta names its annotator, which wins over the importing user.
    assert sum(len(other.store.event_args(a["id"], "alice")) for a in other.data.articles()) == args > 0
    second = other.data.export_data(tmp_path / "second.jsonl", fmt="doccano")
    assert first.lines == second.lines == 5
    assert (tmp_path / "second.jsonl").read_bytes() == (tmp_path / "first.jsonl").read_bytes()
    other.close()


def test_doccanos_own_sequence_labelling_export(service, tmp_path):
    path = write_lines(tmp_path / "d.jsonl", {"id": 7, "text": TEXT, "label": [[0, 15, "PER"], [47, 53, "LOC"]],
                                              "Comments": []})
    report = service.data.import_jsonl(path)
    assert (report.articles, report.spans) == (1, 2)
    assert gold(service) == [(0, 15, "PER", None), (47, 53, "LOC", None)]


def test_doccanos_relation_export_gives_events_with_arguments(service, tmp_path):
    entities = [{"id": 1, "label": "PER", "start_offset": 0, "end_offset": 15},
                {"id": 2, "label": "MEETING", "start_offset": 18, "end_offset": 27},
                {"id": 3, "label": "PER", "start_offset": 28, "end_offset": 44}]
    relations = [{"id": 9, "from_id": 2, "to_id": 1, "type": "participants"},
                 {"id": 10, "from_id": 2, "to_id": 3, "type": "participants"}]
    path = write_lines(tmp_path / "r.jsonl", {"id": 1, "text": TEXT, "entities": entities, "relations": relations})
    report = service.data.import_jsonl(path)
    assert (report.spans, report.events) == (2, 1)
    (article,) = [a["id"] for a in service.data.articles()]
    args = service.store.event_args(article, "alice")
    assert sorted((a.role, service.store.span(a.span_id).start) for a in args) == \
        [("participants", 0), ("participants", 28)]


def test_a_relation_that_starts_at_an_entity_is_refused(service, tmp_path):
    entities = [{"id": 1, "label": "PER", "start_offset": 0, "end_offset": 15},
                {"id": 3, "label": "PER", "start_offset": 28, "end_offset": 44}]
    path = write_lines(tmp_path / "r.jsonl", {"text": TEXT, "entities": entities,
                                              "relations": [{"from_id": 1, "to_id": 3, "type": "knows"}]})
    with pytest.raises(InputError, match=r"r.jsonl, line 1: relations\[0\]: a relation must go from an event"):
        service.data.import_jsonl(path)


@pytest.mark.parametrize("line", [
    {"text": TEXT, "labels": [[0, 15, "PER"]]},
    {"text": TEXT, "spans": [], "relations": [{"head": 0, "child": 1, "label": "X"}]},
    {"text": TEXT, "options": [{"id": "A"}], "accept": ["A"], "answer": "accept"},
    {"text": TEXT, "annotations": [{"result": []}]},
])
def test_annotations_under_keys_we_do_not_read_are_an_error_naming_the_line(service, tmp_path, line):
    path = write_lines(tmp_path / "x.jsonl", {"text": "Une autre phrase à Paris.", "spans": []}, line)
    with pytest.raises(InputError, match=r"x.jsonl, line 2: annotations under '\w+' are not read"):
        service.data.import_jsonl(path)
    assert service.data.articles() == []


def test_prodigy_db_out_skips_reject_and_ignore_and_maps_annotators(service, tmp_path):
    def task(text, answer, who):
        return {"text": text, "spans": [{"start": 0, "end": 5, "label": "LOC"}], "answer": answer,
                "_annotator_id": f"news-{who}", "_session_id": f"news-{who}", "_view_id": "ner_manual"}

    path = write_lines(tmp_path / "p.jsonl", task("Paris est loin.", "accept", "alice"),
                       task("Lyon. Ce n'est pas Paris.", "reject", "bob"),
                       task("Rome est loin.", "accept", "carol"), task("Oslo est loin.", "ignore", "bob"),
                       {"text": "Bonn est loin.", "spans": [{"start": 0, "end": 4, "label": "LOC"}],
                        "_session_id": "news-dave"})
    report = service.data.import_jsonl(path)
    assert (report.articles, report.spans) == (3, 3)
    assert report.answers_skipped == {"reject": 1, "ignore": 1}
    assert "2 lines not accepted skipped (1 ignore, 1 reject)" in report.summary()
    assert sorted(service.store.annotators()) == ["news-alice", "news-carol", "news-dave"]


def test_an_unknown_answer_is_still_an_error(service, tmp_path):
    path = write_lines(tmp_path / "p.jsonl", {"text": TEXT, "spans": [], "answer": "maybe"})
    with pytest.raises(InputError, match="line 1: only accepted answers are gold"):
        service.data.import_jsonl(path)


def test_spans_on_whitespace_are_trimmed_with_a_warning_and_blank_ones_refused(service, tmp_path):
    text = "Vu à Paris\r\nhier, Nouri Al Maliki parle."
    path = write_lines(tmp_path / "w.jsonl", {"text": text, "spans": [{"start": 5, "end": 11, "label": "LOC"},
                                                                      {"start": 17, "end": 33, "label": "PER"}]})
    report = service.data.import_jsonl(path)
    assert gold(service) == [(5, 10, "LOC", None), (18, 33, "PER", None)]
    assert len(report.warnings) == 2 and "w.jsonl, line 1, spans[0]: span 5-11 'Paris\\r' trimmed" in report.warnings[0]
    blank = write_lines(tmp_path / "b.jsonl", {"text": text, "spans": [{"start": 10, "end": 12, "label": "LOC"}]})
    with pytest.raises(InputError, match=r"b.jsonl, line 1, spans\[0\]: span 10-12 .* is only whitespace"):
        service.data.import_jsonl(blank)

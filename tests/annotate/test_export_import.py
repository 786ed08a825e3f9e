import json
from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.formats import records
from annotate.formats.jsonl import import_jsonl
from annotate.service import Service
from tests.paths import GOLD


def import_gold(service: Service, path: Path = GOLD):
    return import_jsonl(service.store, path, service.annotator, service.config.entity_labels)


def test_gold_import_then_export_matches_the_hand_gold(service, gold_records, tmp_path):
    report = import_gold(service)
    assert report.articles == 5 and report.new_articles == 5
    assert report.spans == sum(len(r["spans"]) for r in gold_records)
    assert report.events == sum(len(r["events"]) for r in gold_records)
    out = tmp_path / "out.jsonl"
    service.data.export_data(out)
    exported = {json.loads(l)["text"]: json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()}
    for record in gold_records:
        got = exported[record["text"]]
        assert [(s["start"], s["end"], s["label"], s["text"], s["kb_id"]) for s in got["spans"]] == \
               [(s["start"], s["end"], s["label"], s["text"], s["kb_id"]) for s in record["spans"]]
        assert [(e["start"], e["end"], e["label"]) for e in got["events"]] == \
               [(e["start"], e["end"], e["label"]) for e in record["events"]]
        assert got["meta"]["source"] == record["meta"]["source"]
        assert got["meta"]["annotator"] == "alice"


def test_export_is_prodigy_shaped(service, tmp_path):
    import_gold(service)
    out = tmp_path / "out.jsonl"
    service.data.export_data(out)
    record = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert set(record) == {"text", "meta", "tokens", "spans", "events", "answer", "_input_hash", "_task_hash", "_view_id"}
    assert set(record["meta"]) == {"source", "article_id", "title", "date", "annotator"}
    assert record["answer"] == "accept" and record["_view_id"] == "ner_manual"
    assert isinstance(record["_input_hash"], int) and isinstance(record["_task_hash"], int)
    text, tokens = record["text"], record["tokens"]
    for i, tok in enumerate(tokens):
        assert tok["id"] == i and text[tok["start"]:tok["end"]] == tok["text"]
    for span in record["spans"]:
        # token_end is inclusive, end is exclusive
        assert tokens[span["token_start"]]["start"] <= span["start"]
        assert tokens[span["token_end"]]["end"] >= span["end"]
        assert text[span["start"]:span["end"]] == span["text"]


def test_export_import_export_is_identical(service, tmp_path):
    import_gold(service)
    first = tmp_path / "first.jsonl"
    service.data.export_data(first)
    other = Service.open(tmp_path / "other.db", annotator="someone-else")
    import_jsonl(other.store, first, other.annotator, other.config.entity_labels)
    second = tmp_path / "second.jsonl"
    other.data.export_data(second)
    assert second.read_bytes() == first.read_bytes()


def test_only_reviewed_articles_are_gold(seeded, tmp_path):
    article = seeded.data.articles()[0]["id"]
    seeded.review.add_span(article, 0, 4, "LOC")
    out = tmp_path / "gold.jsonl"
    assert seeded.data.export_data(out).lines == 0
    seeded.review.mark_done(article)
    assert seeded.data.export_data(out).lines == 1


def test_suggestions_export_covers_every_article(seeded, tmp_path):
    from store.models import DocSuggestions, SpanSuggestion

    article = seeded.data.articles()[0]["id"]
    seeded.store.replace_suggestions([(article, DocSuggestions((SpanSuggestion(0, 4, "LOC"),)))], "fp", "m-1")
    out = tmp_path / "s.jsonl"
    report = seeded.data.export_data(out, what="suggestions")
    lines = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert report.lines == 5 and len(lines) == 5
    assert lines[0]["spans"][0]["label"] == "LOC" and lines[0]["meta"]["annotator"] == "m-1"


def test_failed_export_leaves_no_file_under_its_name(seeded, tmp_path, monkeypatch):
    for row in seeded.data.articles():
        seeded.review.mark_done(row["id"])
    target = tmp_path / "out.jsonl"
    target.write_text("previous export\n")
    calls = {"n": 0}
    real = records.task

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(records, "task", flaky)
    with pytest.raises(OSError):
        seeded.data.export_data(target)
    assert target.read_text() == "previous export\n"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".part"] == []


def bad_file(tmp_path, records):
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


TEXT = "Nouri Al Maliki a reçu Mme Romanowski à Bagdad."


@pytest.mark.parametrize(
    "record, message",
    [
        ({"text": TEXT, "spans": [{"start": 40, "end": 99, "label": "LOC"}]}, "line 2, spans[0]: offsets 40-99 are outside"),
        ({"text": TEXT, "spans": [{"start": 0, "end": 5, "label": "PER", "text": "Nour"}]}, "does not match the article"),
        ({"text": TEXT, "spans": [{"start": 0, "end": 15, "label": "PER"}, {"start": 6, "end": 15, "label": "ORG"}]},
         "line 2: spans 0-15 (PER) and 6-15 (ORG) overlap"),
        ({"text": TEXT, "spans": [{"start": "0", "end": 5, "label": "PER"}]}, "\"start\" must be an integer"),
        ({"text": TEXT, "spans": [{"start": 0, "end": 5, "label": "PERSON"}]}, "unknown label 'PERSON'"),
        ({"spans": []}, "line 2: expected an object with a non-empty \"text\""),
        ("{oops", "line 2: invalid JSON"),
        ({"text": TEXT, "spans": [], "events": [{"start": 16, "end": 22, "label": "MEETING",
                                                  "args": [{"role": "participants", "span": 3}]}]}, "span index 3"),
    ],
)
def test_bad_import_lines_are_named_and_nothing_is_written(service, tmp_path, record, message):
    good = {"text": "Un autre article, sur Bagdad.", "spans": [{"start": 22, "end": 28, "label": "LOC"}]}
    path = bad_file(tmp_path, [good, record])
    with pytest.raises(InputError) as err:
        import_gold(service, path)
    assert str(path) in str(err.value) and message in str(err.value)
    assert sum(service.data.counts().values()) == 0
    assert service.store.history() == []


def test_plain_text_and_spans_lines_from_other_tools_import(service, tmp_path):
    path = bad_file(tmp_path, [{"text": TEXT, "spans": [{"start": 0, "end": 15, "label": "PER"},
                                                        {"start": 40, "end": 46, "label": "LOC", "kb_id": "baghdad"}]}])
    report = import_gold(service, path)
    assert (report.articles, report.spans, report.entities_created) == (1, 2, 1)
    article = next(service.store.iter_articles())
    assert article.status == "done"
    assert service.entities.get("baghdad").name == "Bagdad"


def test_duplicate_spans_collapse_and_arguments_still_point_at_the_right_span(service, tmp_path):
    record = {"text": TEXT, "spans": [
        {"start": 0, "end": 15, "label": "PER"}, {"start": 0, "end": 15, "label": "PER"},
        {"start": 23, "end": 37, "label": "PER"}],
        "events": [{"start": 18, "end": 22, "label": "MEETING",
                    "args": [{"role": "participants", "span": 0}, {"role": "participants", "span": 2}]}]}
    path = bad_file(tmp_path, [record])
    report = import_gold(service, path)
    assert report.spans == 2
    article = next(service.store.iter_articles())
    spans = {s.id: TEXT[s.start:s.end] for s in service.store.spans(article.id)}
    args = sorted(spans[a.span_id] for a in service.store.event_args(article.id))
    assert args == ["Mme Romanowski", "Nouri Al Maliki"]


def test_temp_files_left_by_a_killed_writer_are_swept_later(seeded, tmp_path):
    import os
    import time

    target = tmp_path / "out.jsonl"
    stale = tmp_path / ".out.jsonl.abc123.part"
    fresh = tmp_path / ".out.jsonl.def456.part"  # maybe another writer's, right now: kept
    other = tmp_path / ".notes.txt.abc.part"     # another target's: not ours
    for path in (stale, fresh, other):
        path.write_text("half")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    seeded.data.export_data(target)
    assert not stale.exists() and fresh.exists() and other.exists() and target.exists()

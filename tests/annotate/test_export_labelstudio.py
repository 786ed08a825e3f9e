"""Label Studio: tasks JSON out, its labelling config, and its JSON / JSON-MIN exports back in."""

import json
import xml.etree.ElementTree as ET

import pytest

from annotate.errors import InputError
from annotate.service import Service
from tests.paths import GOLD

TEXT = "Nouri Al Maliki 🇮🇶 a reçu Alina Romanowski à Bagdad samedi."


def at(word, text=TEXT):
    start = text.index(word)
    return start, start + len(word)


def one_article(tmp_path):
    """A JSONL line with entities (one linked), a value and an event with three arguments; an emoji
    (two code points, four UTF-16 units) before most spans checks the offsets are code points."""
    spans = [{"start": s, "end": e, "label": label, **({"kb_id": kb} if kb else {})}
             for (s, e), label, kb in ((at("Nouri Al Maliki"), "PER", "nouri_al_maliki"),
                                       (at("Alina Romanowski"), "PER", None), (at("Bagdad"), "LOC", "baghdad"),
                                       (at("samedi"), "DATE", None))]
    trigger = at("a reçu")
    events = [{"start": trigger[0], "end": trigger[1], "label": "MEETING",
               "args": [{"role": "participants", "span": 0}, {"role": "participants", "span": 1},
                        {"role": "time", "span": 3}]}]
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"text": TEXT, "meta": {"source": "one.txt"}, "spans": spans, "events": events},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def snapshot(service):
    """Per article text: spans with kb ids, events with their args as offsets (not ids)."""
    out = {}
    for article in service.store.iter_articles():
        spans = service.store.spans(article.id)
        by_id = {s.id: s for s in spans}
        args = {}
        for a in service.store.event_args(article.id):
            filler = by_id[a.span_id]
            args.setdefault(a.event_id, []).append((a.role, filler.start, filler.end))
        out[article.text] = (sorted((s.start, s.end, s.label, s.kind, s.kb_id) for s in spans),
                             sorted((s.start, s.end, s.label, tuple(sorted(args.get(s.id, []))))
                                    for s in spans if s.kind == "event"))
    return out


def test_tasks_hold_regions_kb_ids_and_relations(service, tmp_path):
    service.data.import_jsonl(one_article(tmp_path))
    out = tmp_path / "ls.json"
    report = service.data.export_data(out, fmt="labelstudio")
    assert report.lines == 1 and report.losses == {} and "1 tasks from 1 articles" in report.summary()
    (task,) = json.loads(out.read_text(encoding="utf-8"))
    assert task["data"]["text"] == TEXT and task["data"]["annotator"] == "alice"
    (annotation,) = task["annotations"]
    result = annotation["result"]
    regions = {r["id"]: r for r in result if r["type"] == "labels"}
    for region in regions.values():
        assert (region["from_name"], region["to_name"]) == ("label", "text")
        value = region["value"]
        assert TEXT[value["start"]:value["end"]] == value["text"]  # code points, as Label Studio stores them
    by_text = {r["value"]["text"]: r for r in regions.values()}
    assert by_text["Bagdad"]["value"] == {"start": at("Bagdad")[0], "end": at("Bagdad")[1], "text": "Bagdad",
                                          "labels": ["LOC"]}
    kb = [r for r in result if r["type"] == "textarea"]
    assert {(r["id"], r["value"]["text"][0]) for r in kb} == {(by_text["Nouri Al Maliki"]["id"], "nouri_al_maliki"),
                                                             (by_text["Bagdad"]["id"], "baghdad")}
    relations = [(r["from_id"], r["to_id"], r["labels"]) for r in result if r["type"] == "relation"]
    trigger = by_text["a reçu"]["id"]
    assert relations == [(trigger, by_text["Nouri Al Maliki"]["id"], ["participants"]),
                         (trigger, by_text["Alina Romanowski"]["id"], ["participants"]),
                         (trigger, by_text["samedi"]["id"], ["time"])]


def test_round_trip_through_label_studio_json(service, tmp_path):
    service.data.import_jsonl(GOLD)
    service.data.import_jsonl(one_article(tmp_path))
    first = tmp_path / "first.json"
    service.data.export_data(first, fmt="labelstudio")
    other = Service.open(tmp_path / "other.db", annotator="bob")
    report = other.data.import_data(first, "labelstudio")
    assert (report.articles, report.new_articles) == (6, 6) and report.skipped == []
    assert snapshot(other) == snapshot(service)
    second = tmp_path / "second.json"
    other.data.export_data(second, fmt="labelstudio")
    assert second.read_bytes() == first.read_bytes()  # annotators too: data.annotator is read back
    other.close()


def test_suggestions_are_predictions(seeded, tmp_path):
    from store.models import DocSuggestions, SpanSuggestion

    article = seeded.data.articles()[0]["id"]
    seeded.store.replace_suggestions(
        [(article, DocSuggestions((SpanSuggestion(0, 4, "LOC", score=0.9), SpanSuggestion(5, 9, "ORG", score=0.5))))],
        "fp", "m-1")
    out = tmp_path / "s.json"
    seeded.data.export_data(out, fmt="labelstudio", what="suggestions")
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert len(tasks) == 5 and all("annotations" not in t for t in tasks)
    with_one = next(t for t in tasks if t["data"]["article_id"] == article)
    (prediction,) = with_one["predictions"]
    assert prediction["model_version"] == "m-1"
    assert [(r["value"]["labels"], r["score"]) for r in prediction["result"]] == [(["LOC"], 0.9), (["ORG"], 0.5)]
    assert prediction["score"] == 0.7  # the mean confidence: Label Studio sorts tasks by it


def test_labelling_config_matches_the_tasks(service, tmp_path):
    out = tmp_path / "config.xml"
    report = service.data.export_data(out, fmt="labelstudio-config")
    assert "1 labelling configs" in report.summary()
    view = ET.fromstring(out.read_text(encoding="utf-8"))
    assert view.tag == "View"
    labels = view.find("Labels")
    assert labels.get("name") == "label" and labels.get("toName") == "text"
    values = [label.get("value") for label in labels.findall("Label")]
    assert values == [*service.config.entity_labels, "DATE", "QUANTITY", *service.config.event_roles]
    assert all(label.get("background", "").startswith("#") for label in labels.findall("Label"))
    text = view.find("Text")
    assert (text.get("name"), text.get("value")) == ("text", "$text")
    roles = {r.get("value") for r in view.find("Relations").findall("Relation")}
    assert roles == {role for roles in service.config.event_roles.values() for role in roles}
    area = view.find("TextArea")
    assert (area.get("name"), area.get("toName"), area.get("perRegion")) == ("kb_id", "text", "true")


# What Label Studio itself writes (its documented export shapes): integer ids, completed_by as a user id,
# region ids of its own, a relation drawn right to left, a cancelled annotation, a choices result.
LS_EXPORT = [{
    "id": 7, "data": {"text": TEXT}, "meta": {}, "created_at": "2024-01-01T00:00:00Z",
    "annotations": [
        {"id": 11, "completed_by": 3, "was_cancelled": False, "ground_truth": False, "lead_time": 12.5,
         "result": [
             {"id": "aX1", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
              "value": {"start": 0, "end": 15, "text": "Nouri Al Maliki", "labels": ["PER"]}},
             {"id": "aX2", "from_name": "label", "to_name": "text", "type": "labels",
              "value": {"start": at("a reçu")[0], "end": at("a reçu")[1], "text": "a reçu", "labels": ["MEETING"]}},
             {"from_id": "aX1", "to_id": "aX2", "type": "relation", "direction": "left", "labels": ["participants"]},
             {"id": "c1", "from_name": "sentiment", "to_name": "text", "type": "choices",
              "value": {"choices": ["neutral"]}}]},
        {"id": 12, "completed_by": 4, "was_cancelled": True, "result": []}],
    "predictions": [{"model_version": "x", "score": 0.4, "result": []}]},
    {"id": 8, "data": {"text": "Rien à signaler."}, "annotations": [], "predictions": []}]


def test_label_studios_own_json_export_imports(service, tmp_path):
    path = tmp_path / "project-1-at-2024.json"
    path.write_text(json.dumps(LS_EXPORT, ensure_ascii=False), encoding="utf-8")
    report = service.data.import_data(path)  # a .json file is read as Label Studio's export
    assert (report.articles, report.spans, report.events) == (1, 1, 1)
    assert report.answers_skipped == {"cancelled": 1, "tasks without annotations": 1}
    assert len(report.skipped) == 1 and "'choices'" in report.skipped[0]
    (article,) = service.store.iter_articles()
    assert article.text == TEXT and service.store.done_by(article.id) == ["labelstudio-3"]
    (arg,) = service.store.event_args(article.id, "labelstudio-3")
    assert arg.role == "participants"


def test_label_studios_json_min_export_imports(service, tmp_path):
    path = tmp_path / "min.json"
    path.write_text(json.dumps([{"id": 7, "text": TEXT, "annotator": "ann@example.org", "annotation_id": 11,
                                 "label": [{"start": 0, "end": 15, "text": "Nouri Al Maliki", "labels": ["PER"]},
                                           {"start": at("Bagdad")[0], "end": at("Bagdad")[1], "text": "Bagdad",
                                            "labels": ["LOC"]}],
                                 "lead_time": 3.0}], ensure_ascii=False), encoding="utf-8")
    report = service.data.import_data(path, "labelstudio")
    assert (report.articles, report.spans) == (1, 2)
    (article,) = service.store.iter_articles()
    assert service.store.done_by(article.id) == ["ann@example.org"]


@pytest.mark.parametrize("result, message", [
    ([{"id": "a", "type": "labels", "value": {"start": 0, "end": 5, "text": "Nouri", "labels": ["NOPE"]}}],
     "unknown label 'NOPE'"),
    ([{"id": "a", "type": "labels", "value": {"start": 0, "end": 4, "text": "Nour", "labels": ["PER"]}},
      {"from_id": "a", "to_id": "zz", "type": "relation", "labels": ["time"]}], "is not the id of a region"),
    ([{"id": "a", "type": "labels", "value": {"start": 0, "end": 5, "text": "Paris", "labels": ["PER"]}}],
     "does not match the article"),
])
def test_a_bad_task_is_named_and_imports_nothing(service, tmp_path, result, message):
    path = tmp_path / "bad.json"
    good = {"data": {"text": TEXT}, "annotations": [{"result": []}]}
    path.write_text(json.dumps([good, {"data": {"text": TEXT}, "annotations": [{"result": result}]}],
                               ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as err:
        service.data.import_data(path)
    assert message in str(err.value) and "task 1, annotations[0]" in str(err.value)
    assert list(service.store.iter_articles()) == []


def test_a_file_that_is_not_a_label_studio_export_is_one_clear_error(service, tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not a Label Studio JSON export"):
        service.data.import_data(path)

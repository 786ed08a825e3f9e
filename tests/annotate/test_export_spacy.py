"""spaCy training corpora: what the DocBins hold, the split, snapping of unaligned spans, the config."""

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from annotate.errors import InputError
from tests.paths import GOLD

ENTITY_LABELS = {"PER", "ORG", "LOC", "MISC"}


def read_docs(path: Path):
    return list(DocBin().from_disk(path).get_docs(spacy.blank("fr").vocab))


def export(service, target, **kwargs):
    return service.data.export_data(target, fmt="spacy", **kwargs)


def test_docbins_hold_the_gold_entities_with_kb_ids_and_the_events(service, gold_records, tmp_path):
    service.data.import_jsonl(GOLD)
    report = export(service, tmp_path / "corpus")
    assert sorted(p.name for p in (tmp_path / "corpus").iterdir()) == \
        ["config.cfg", "dev.spacy", "glossator-export.json", "train.spacy"]
    docs = read_docs(tmp_path / "corpus" / "train.spacy") + read_docs(tmp_path / "corpus" / "dev.spacy")
    assert len(docs) == 5 and (report.train, report.dev) == (4, 1)
    by_text = {doc.text: doc for doc in docs}
    for record in gold_records:
        doc = by_text[record["text"]]
        assert [(e.start_char, e.end_char, e.label_, e.kb_id_) for e in doc.ents] == \
               [(s["start"], s["end"], s["label"], s["kb_id"]) for s in record["spans"] if s["label"] in ENTITY_LABELS]
        assert [(e.start_char, e.end_char, e.label_) for e in doc.spans["events"]] == \
               [(e["start"], e["end"], e["label"]) for e in record["events"]]
        assert doc.user_data["glossator"]["source"] == record["meta"]["source"]
        assert doc.user_data["glossator"]["annotator"] == "alice"
    assert report.warnings == []
    assert report.events == sum(len(r["events"]) for r in gold_records)


def test_value_spans_and_event_arguments_survive(service, tmp_path):
    service.data.import_jsonl(GOLD)
    article = next(a for a in service.store.iter_articles() if a.source.startswith("000"))
    text = article.text
    spans = service.store.spans(article.id, "alice")
    meeting = next(s for s in spans if text[s.start:s.end] == "s’est entretenue")
    romanowski = next(s for s in spans if text[s.start:s.end] == "Alina Romanowski" and s.start > meeting.start - 40)
    hier = text.index("hier", meeting.end)
    when = service.review.add_span(article.id, hier, hier + 4, "DATE")
    service.events.add_arg(meeting.id, "participants", romanowski.id)
    service.events.add_arg(meeting.id, "time", when)
    export(service, tmp_path / "c", eval_split=0)
    doc = next(d for d in read_docs(tmp_path / "c" / "train.spacy") if d.text == text)
    assert [(v.start_char, v.end_char, v.label_) for v in doc.spans["values"]] == [(hier, hier + 4, "DATE")]
    assert "DATE" not in {e.label_ for e in doc.ents}
    assert sorted(map(tuple, doc.user_data["glossator"]["args"])) == sorted([
        (meeting.start, meeting.end, "participants", romanowski.start, romanowski.end),
        (meeting.start, meeting.end, "time", hier, hier + 4),
    ])


def test_split_is_by_article_and_reproducible(service, tmp_path):
    service.data.import_jsonl(GOLD)
    ids = sorted(a.id for a in service.store.iter_articles())

    def split(seed, name):
        export(service, tmp_path / name, seed=seed)
        manifest = json.loads((tmp_path / name / "glossator-export.json").read_text())
        return tuple(manifest["train"]), tuple(manifest["dev"])

    first = split(7, "a")
    assert split(7, "b") == first
    train, dev = first
    assert len(dev) == 1 and sorted(train + dev) == ids
    assert len({split(seed, f"s{seed}")[1] for seed in range(8)}) > 1  # the seed matters


def test_unaligned_spans_are_snapped_or_reported_never_dropped_silently(service, tmp_path):
    text = "Les Irakiens de Bagdad ont reçu Nouri Al Maliki."
    line = {"text": text, "meta": {"source": "odd.txt"}, "spans": [
        {"start": 4, "end": 8, "label": "LOC"},       # "Irak" inside "Irakiens": expands to the token
        {"start": 16, "end": 19, "label": "LOC"},     # "Bag" and "dad" both expand to "Bagdad"
        {"start": 19, "end": 22, "label": "ORG"},
        {"start": 32, "end": 47, "label": "PER"},     # aligned
    ]}
    path = tmp_path / "odd.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    service.data.import_jsonl(path)
    report = export(service, tmp_path / "c", eval_split=0)
    (doc,) = read_docs(tmp_path / "c" / "train.spacy")
    assert [(e.text, e.label_) for e in doc.ents] == [("Irakiens", "LOC"), ("Bagdad", "LOC"), ("Nouri Al Maliki", "PER")]
    snapped = [w for w in report.warnings if "snapped to tokens" in w]
    assert len(snapped) == 3 and all(w.startswith("odd.txt: ") for w in snapped)
    assert any("ORG span 19-22 'dad' overlaps LOC 'Bagdad'" in w for w in report.warnings)
    assert any("dev.spacy is empty" in w for w in report.warnings)


def test_config_is_spacys_french_efficiency_ner(service, tmp_path):
    from spacy.util import load_config

    service.data.import_jsonl(GOLD)
    export(service, tmp_path / "c")
    config = load_config(tmp_path / "c" / "config.cfg")
    assert config["nlp"]["lang"] == "fr"
    assert config["nlp"]["pipeline"] == ["tok2vec", "ner"]
    assert config["components"]["tok2vec"]["model"]["embed"]["include_static_vectors"] is False
    assert config["paths"]["vectors"] is None and config["system"]["gpu_allocator"] is None


def test_bad_split_and_folder_targets_are_refused(service, tmp_path):
    service.data.import_jsonl(GOLD)
    with pytest.raises(InputError, match="--eval-split must be"):
        export(service, tmp_path / "c", eval_split=1.0)
    with pytest.raises(InputError, match="give it with -o DIR"):
        export(service, "-")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="holds no earlier glossator export"):
        export(service, busy)
    assert [p.name for p in busy.iterdir()] == ["notes.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_a_previous_export_is_replaced_whole(service, tmp_path):
    service.data.import_jsonl(GOLD)
    export(service, tmp_path / "c")
    (tmp_path / "c" / "stale.spacy").write_text("old")
    export(service, tmp_path / "c", eval_split=0.4)
    assert not (tmp_path / "c" / "stale.spacy").exists()
    assert len(read_docs(tmp_path / "c" / "dev.spacy")) == 2
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".c.")] == []  # no temp or old folder left


def test_a_failed_folder_export_leaves_the_previous_one_and_no_temp_folder(service, tmp_path, monkeypatch):
    from annotate.service import StoreError

    service.data.import_jsonl(GOLD)
    export(service, tmp_path / "c")
    before = (tmp_path / "c" / "train.spacy").read_bytes()

    def full_disk(self, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(DocBin, "to_disk", full_disk)
    with pytest.raises(StoreError, match="c: cannot write \\(No space left on device\\); nothing written"):
        export(service, tmp_path / "c", seed=5)
    assert (tmp_path / "c" / "train.spacy").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".c.")] == []

"""doccano and CoNLL read back by independent parsers; the filters every format shares."""

import json

import pytest
from spacy.training.converters import conll_ner_to_docs

from annotate.errors import InputError
from annotate.formats.filters import in_range
from tests.paths import GOLD

ENTITY_LABELS = {"PER", "ORG", "LOC", "MISC"}


def squeeze(text):
    return "".join(text.split())


def test_doccano_lines_hold_every_span_with_kb_ids_and_events_in_meta(service, gold_records, tmp_path):
    service.data.import_jsonl(GOLD)
    out = tmp_path / "d.jsonl"
    report = service.data.export_data(out, fmt="doccano")
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert report.lines == len(lines) == 5
    by_text = {line["text"]: line for line in lines}
    for record in gold_records:
        line = by_text[record["text"]]
        gold = sorted([s["start"], s["end"], s["label"]] for s in record["spans"] + record["events"])
        assert line["label"] == gold
        for start, end, label in line["label"]:
            assert isinstance(start, int) and record["text"][start:end]
        assert line["meta"]["kb_id"] == [[s["start"], s["end"], s["kb_id"]] for s in record["spans"]]
        assert [e["trigger"] for e in line["meta"]["events"]] == \
               [[e["start"], e["end"], e["label"]] for e in record["events"]]
        assert line["meta"]["source"] == record["meta"]["source"]


def test_conll_spacy_reads_back_with_spacys_converter(service, gold_records, tmp_path):
    service.data.import_jsonl(GOLD)
    out = tmp_path / "g.conll"
    service.data.export_data(out, fmt="conll-spacy")
    content = out.read_text(encoding="utf-8")
    assert content.startswith("-DOCSTART- -X- O O\n\n")
    docs = list(conll_ner_to_docs(content, n_sents=0, no_print=True))
    assert len(docs) == len(gold_records) == content.count("-DOCSTART-")
    for doc, record in zip(docs, gold_records):  # same (ingest) order
        got = [(squeeze("".join(t.text for t in ent)), ent.label_) for ent in doc.ents]
        want = [(squeeze(s["text"]), s["label"]) for s in record["spans"] if s["label"] in ENTITY_LABELS]
        assert got == want
        # every non-blank character of the article is there, in order (only whitespace is left out)
        assert squeeze("".join(t.text for t in doc)) == squeeze(record["text"])


def test_conll_tags_are_bio_per_token(service, tmp_path):
    path = tmp_path / "one.jsonl"
    text = "Nouri Al Maliki a reçu Mme Romanowski à Bagdad. Il est parti."
    path.write_text(json.dumps({"text": text, "spans": [
        {"start": 0, "end": 15, "label": "PER"}, {"start": 27, "end": 37, "label": "PER"},
        {"start": 40, "end": 46, "label": "LOC"}]}, ensure_ascii=False) + "\n", encoding="utf-8")
    service.data.import_jsonl(path)
    out = tmp_path / "o.conll"
    service.data.export_data(out, fmt="conll")
    rows = out.read_text(encoding="utf-8").split("\n")
    aid = service.data.articles()[0]["id"]
    assert rows[:16] == ["-DOCSTART- -X- -X- O", f"# article_id = {aid}", f"# annotator = {service.annotator}", "",
                         "Nouri -X- _ B-PER", "Al -X- _ I-PER", "Maliki -X- _ I-PER", "a -X- _ O", "reçu -X- _ O",
                         "Mme -X- _ O", "Romanowski -X- _ B-PER", "à -X- _ O", "Bagdad -X- _ B-LOC", ". -X- _ O",
                         "", "Il -X- _ O"]


def test_jsonl_through_export_data_is_byte_identical_to_the_jsonl_export(service, tmp_path):
    service.data.import_jsonl(GOLD)
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    service.data.export_jsonl(a)
    service.data.export_data(b)
    assert a.read_bytes() == b.read_bytes()


def records(service, tmp_path, **filters):
    out = tmp_path / "f.jsonl"
    service.data.export_data(out, **filters)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_label_filter_keeps_only_those_labels(service, gold_records, tmp_path):
    service.data.import_jsonl(GOLD)
    got = records(service, tmp_path, labels=["PER", "ATTACK"])
    assert {s["label"] for r in got for s in r["spans"]} == {"PER"}
    assert {e["label"] for r in got for e in r["events"]} == {"ATTACK"}
    assert sum(len(r["spans"]) for r in got) == sum(s["label"] == "PER" for r in gold_records for s in r["spans"])


def test_date_filters_use_the_article_dates(service, tmp_path):
    service.data.import_jsonl(GOLD)
    # seed dates (from cleaning): 000 2024-01-22, 002 2020-08, 004 2023-12; 001 and 003 undated
    def sources(**kw):
        return sorted(r["meta"]["source"][:3] for r in records(service, tmp_path, **kw))

    assert sources(since="2023") == ["000", "004"]
    assert sources(until="2021-12-31") == ["002"]
    assert sources(since="2023-12-15", until="2024-01") == ["000", "004"]
    assert sources() == ["000", "001", "002", "003", "004"]


def test_in_range_compares_at_the_coarser_precision():
    assert in_range("2023-12", "2023-12-15", None)
    assert not in_range("2023-12", None, "2023-11-30")
    assert in_range("2024-01-22", "2024", "2024")
    assert not in_range(None, "2000", None)
    assert in_range(None, None, None)


def test_status_and_annotator_filters(service, tmp_path):
    service.data.import_jsonl(GOLD)
    first = next(service.store.iter_articles())
    service.review.set_status(first.id, "in_progress")
    assert len(records(service, tmp_path)) == 4  # only reviewed by default
    assert [r["meta"]["article_id"] for r in records(service, tmp_path, statuses=["in_progress"])] == [first.id]
    assert len(records(service, tmp_path, statuses=["in_progress", "done"])) == 5
    assert records(service, tmp_path, annotator="bob") == []
    assert len(records(service, tmp_path, annotator="alice")) == 4


@pytest.mark.parametrize("kwargs, message", [
    ({"since": "22/01/2024"}, "--since '22/01/2024' is not a date"),
    ({"since": "2024", "until": "2023"}, "--since 2024 is after --until 2023"),
    ({"labels": ["PERSON"]}, "unknown label PERSON"),
    ({"statuses": ["finished"]}, "unknown status 'finished'"),
    ({"what": "suggestions", "annotator": "alice"}, "suggestions have no annotator"),
    ({"what": "everything"}, "--what must be gold or suggestions"),
    ({"fmt": "xml"}, "unknown format 'xml'"),
])
def test_bad_filters_are_one_clear_error_and_write_nothing(service, tmp_path, kwargs, message):
    service.data.import_jsonl(GOLD)
    with pytest.raises(InputError, match=message):
        service.data.export_data(tmp_path / "x.jsonl", **kwargs)
    assert not (tmp_path / "x.jsonl").exists()



@pytest.fixture
def custom(tmp_path):
    """A project whose lexicon has only attacks and arrests, with one gold attack."""
    import re

    from annotate.service import Service
    from annotate.suggest.lexicon import DEFAULT_LEXICON

    # Drop every [events.X] table but ATTACK and ARREST (the [rules] table stays).
    tables = re.split(r"(?m)^(?=\[)", DEFAULT_LEXICON.read_text(encoding="utf-8"))
    kept = [t for t in tables if not t.startswith("[events.") or t.startswith(("[events.ATTACK]", "[events.ARREST]"))]
    (tmp_path / "events.toml").write_text("".join(kept), encoding="utf-8")
    (tmp_path / "glossator.toml").write_text('[project]\nevent_lexicon = "events.toml"\n', encoding="utf-8")
    svc = Service.open(tmp_path / "g.db", annotator="alice")
    text = tmp_path / "a.txt"
    text.write_text("Des drones ont frappé la base.", encoding="utf-8")
    svc.data.ingest([text])
    article = svc.data.articles()[0]["id"]
    event = svc.review.add_span(article, 15, 22, "ATTACK")
    svc.events.add_arg(event, "instrument", svc.review.add_span(article, 4, 10, "MISC"))
    svc.review.mark_done(article)
    yield svc
    svc.close()


def test_labels_filter_knows_the_project_lexicons_event_types(custom, tmp_path):
    assert set(custom.config.event_roles) == {"ATTACK", "ARREST"}
    out = tmp_path / "attacks.jsonl"
    custom.data.export_data(out, labels=["ATTACK", "ARREST"])
    record = json.loads(out.read_text(encoding="utf-8"))
    assert [e["label"] for e in record["events"]] == ["ATTACK"] and record["spans"] == []
    # The built-in lexicon's MEETING is not an event of this project.
    with pytest.raises(InputError, match="unknown label MEETING"):
        custom.data.export_data(out, labels=["MEETING"])


def test_imports_know_only_the_project_lexicons_event_types(custom, tmp_path):
    line = {"text": "Ils se sont rencontrés hier.", "spans": [],
            "events": [{"start": 12, "end": 22, "label": "MEETING", "args": []}]}
    path = tmp_path / "meeting.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown label 'MEETING'"):
        custom.data.import_jsonl(path)
    out = tmp_path / "g.jsonl"
    custom.data.export_data(out)
    assert custom.data.import_jsonl(out).events == 1


def test_the_two_conll_dialects_open_documents_as_their_readers_expect(service, gold_records, tmp_path):
    """``conll``: CoNLL-2003's ``-DOCSTART- -X- -X- O`` and the ids in comments; ``conll-spacy``:
    the line spaCy's converter splits on (with the other form it reads one document and a
    "-DOCSTART-" token), no comments; both split by a first-column reader (Hugging Face's script)."""
    service.data.import_jsonl(GOLD)
    plain, spacy_form = tmp_path / "g.conll", tmp_path / "s.conll"
    service.data.export_data(plain, fmt="conll")
    service.data.export_data(spacy_form, fmt="conll-spacy")
    content, spacy_content = plain.read_text(encoding="utf-8"), spacy_form.read_text(encoding="utf-8")
    ids = [line.split(" = ", 1)[1] for line in content.split("\n") if line.startswith("# article_id = ")]
    assert ids == [a["id"] for a in service.data.articles()] and len(ids) == len(gold_records)
    assert content.count("-DOCSTART- -X- -X- O\n# article_id = ") == len(gold_records)
    assert "#" not in {line[:1] for line in spacy_content.split("\n")} and "-X- -X-" not in spacy_content
    # Without its comment lines, the conll dialect is the spaCy one but for the document line.
    stripped = "\n".join(line for line in content.split("\n") if not line.startswith("# "))
    assert stripped.replace("-DOCSTART- -X- -X- O", "-DOCSTART- -X- O O") == spacy_content
    assert len(list(conll_ner_to_docs(stripped, n_sents=0, no_print=True))) == 1
    assert len(list(conll_ner_to_docs(spacy_content, n_sents=0, no_print=True))) == len(gold_records)
    # A first-column reader, as Hugging Face's conll2003 script: documents start at "-DOCSTART-".
    documents, tokens = [], None
    for line in spacy_content.split("\n"):
        if line.startswith("-DOCSTART-"):
            tokens = []
            documents.append(tokens)
        elif line.strip():
            tokens.append(line.split(" ")[0])
    assert len(documents) == len(gold_records) and all(documents)
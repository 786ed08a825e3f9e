"""Scoring a pipeline against the gold: figures computed by hand on a ruler-made pipeline."""

import json

import pytest
import spacy

from annotate.errors import InputError

GOLD_LINES = [
    {"text": "Nouri Al Maliki a reçu Alina Romanowski à Bagdad.", "meta": {"source": "a.txt"},
     "spans": [{"start": 0, "end": 15, "label": "PER"}, {"start": 23, "end": 39, "label": "PER"},
               {"start": 42, "end": 48, "label": "LOC"}],
     "events": [{"start": 16, "end": 22, "label": "MEETING"}]},
    {"text": "Washington et Téhéran discutent depuis 2020.", "meta": {"source": "b.txt"},
     "spans": [{"start": 0, "end": 10, "label": "LOC"}, {"start": 14, "end": 21, "label": "LOC"},
               {"start": 39, "end": 43, "label": "DATE"}]},
]
PATTERNS = [
    {"label": "LOC", "pattern": "Bagdad"},                                         # right
    {"label": "PER", "pattern": [{"TEXT": "Alina"}, {"TEXT": "Romanowski"}]},      # right
    {"label": "LOC", "pattern": "Téhéran"},                                        # right
    {"label": "ORG", "pattern": "Washington"},                                     # wrong label: ORG fp, LOC fn
    {"label": "PER", "pattern": "Nouri"},                                          # wrong bounds: PER fp, PER fn
]


@pytest.fixture
def ruler_model(tmp_path):
    nlp = spacy.blank("fr")
    nlp.add_pipe("entity_ruler").add_patterns(PATTERNS)
    nlp.to_disk(tmp_path / "ruler")
    return str(tmp_path / "ruler")


@pytest.fixture
def small_gold(service, tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in GOLD_LINES), encoding="utf-8")
    service.data.import_jsonl(path)
    return service


def test_scores_match_the_hand_count(small_gold, ruler_model):
    report = small_gold.learn.evaluate(ruler_model)
    rows = {s.label: (s.tp, s.fp, s.fn) for s in report.labels}
    # DATE is a value, MEETING a trigger: neither is scored
    assert rows == {"LOC": (2, 0, 1), "ORG": (0, 1, 0), "PER": (1, 1, 1)}
    scores = {s.label: (s.precision, s.recall, s.f1) for s in (*report.labels, report.total)}
    assert scores["PER"] == pytest.approx((0.5, 0.5, 0.5))
    assert scores["LOC"] == pytest.approx((1.0, 2 / 3, 0.8))
    assert scores["ORG"] == (0.0, 0.0, 0.0)
    assert scores["ALL"] == pytest.approx((0.6, 0.6, 0.6))
    assert report.documents == 2


def test_table_and_json_forms(small_gold, ruler_model):
    report = small_gold.learn.evaluate(ruler_model)
    table = report.table().splitlines()
    assert table[1].split() == ["label", "gold", "pred", "tp", "fp", "fn", "P", "R", "F1"]
    assert table[3].split() == ["LOC", "3", "2", "2", "0", "1", "100.0", "66.7", "80.0"]
    assert table[-1].split() == ["ALL", "5", "5", "3", "2", "2", "60.0", "60.0", "60.0"]
    data = json.loads(json.dumps(report.as_dict()))
    assert data["total"]["f1"] == pytest.approx(0.6) and [d["label"] for d in data["labels"]] == ["LOC", "ORG", "PER"]


def test_a_missing_model_is_one_clear_error(small_gold):
    with pytest.raises(InputError, match="cannot load spaCy pipeline 'no_such_pipeline'"):
        small_gold.learn.evaluate("no_such_pipeline")


def test_no_gold_is_an_error(service, ruler_model):
    with pytest.raises(InputError, match="no gold to evaluate against"):
        service.learn.evaluate(ruler_model)

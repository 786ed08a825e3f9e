"""Each export says what its format drops; --strict refuses any loss; Prodigy spans agree with their tokens."""

import json

import pytest

from annotate.errors import InputError
from annotate.formats.losses import ARGS_IN_META, CROSS_LAYER, KB_IN_META, MISALIGNED, SNAP_OVERLAP
from annotate.service import Service
from tests.paths import GOLD

TEXT = "Les Irakiens de Bagdad ont rencontré Nouri Al Maliki."


def one_line(tmp_path, spans, events=()):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": TEXT, "spans": spans, "events": list(events)}) + "\n", encoding="utf-8")
    return path


def test_conll_counts_events_arguments_values_and_kb_ids_it_drops(service, gold_records, tmp_path):
    service.data.import_jsonl(GOLD)
    report = service.data.export_data(tmp_path / "g.conll", fmt="conll")
    assert report.losses["event triggers"] == sum(len(r["events"]) for r in gold_records) > 0
    assert report.losses["kb ids"] == sum(1 for r in gold_records for s in r["spans"] if s.get("kb_id")) > 0
    assert report.losses["DATE/QUANTITY values"] == sum(1 for r in gold_records for s in r["spans"]
                                                       if s["label"] in ("DATE", "QUANTITY"))
    assert f"drops: {report.losses['event triggers']} event triggers" in report.summary()


def test_strict_refuses_a_lossy_export_and_writes_nothing(service, tmp_path):
    service.data.import_jsonl(GOLD)
    with pytest.raises(InputError, match="--strict: the conll export drops: .* event triggers.*nothing written"):
        service.data.export_data(tmp_path / "g.conll", fmt="conll", strict=True)
    assert not (tmp_path / "g.conll").exists()
    with pytest.raises(InputError, match="--strict: the doccano export drops"):
        service.data.export_data(tmp_path / "g.doccano", fmt="doccano", strict=True)
    assert not (tmp_path / "g.doccano").exists()


def test_brat_and_jsonl_of_aligned_gold_drop_nothing(service, tmp_path):
    service.data.import_jsonl(GOLD)
    for fmt, target in (("brat", tmp_path / "brat"), ("jsonl", tmp_path / "g.jsonl")):
        report = service.data.export_data(target, fmt=fmt, strict=True)
        assert report.losses == {} and "nothing dropped" in report.summary()


def test_doccano_says_what_rides_in_meta_and_that_layers_overlap(service, tmp_path):
    spans = [{"start": 37, "end": 52, "label": "PER", "kb_id": "nouri_al_maliki"}]
    events = [{"start": 26, "end": 36, "label": "MEETING", "args": [{"role": "participants", "span": 0}]},
              {"start": 37, "end": 42, "label": "MEETING", "args": []}]  # crosses the PER span's layer
    service.data.import_jsonl(one_line(tmp_path, spans, events))
    report = service.data.export_data(tmp_path / "d.jsonl", fmt="doccano")
    assert dict(report.losses) == {ARGS_IN_META: 1, KB_IN_META: 1, CROSS_LAYER: 1}
    assert "Allow overlapping entity" in report.summary()


def test_jsonl_snaps_a_span_that_cuts_a_token_so_offsets_and_token_indices_agree(service, tmp_path):
    service.data.import_jsonl(one_line(tmp_path, [{"start": 4, "end": 8, "label": "LOC"},  # "Irak" of "Irakiens"
                                             {"start": 16, "end": 22, "label": "LOC"}]))
    out = tmp_path / "out.jsonl"
    report = service.data.export_data(out, fmt="jsonl")
    record = json.loads(out.read_text(encoding="utf-8"))
    tokens = record["tokens"]
    for span in record["spans"]:
        assert (tokens[span["token_start"]]["start"], tokens[span["token_end"]]["end"]) == (span["start"], span["end"])
        assert span["text"] == TEXT[span["start"]:span["end"]]
    assert [s["text"] for s in record["spans"]] == ["Irakiens", "Bagdad"]
    assert report.losses == {MISALIGNED: 1}
    assert any("span 4-8 'Irak' does not align with tokens; exported as 4-12 'Irakiens'" in w for w in report.warnings)
    with pytest.raises(InputError, match="--strict: the jsonl export drops: 1 spans not on token boundaries"):
        service.data.export_data(tmp_path / "strict.jsonl", fmt="jsonl", strict=True)
    # The snapped file is what the format can hold: it round-trips byte for byte.
    other = Service.open(tmp_path / "other.db", annotator="bob")
    other.data.import_jsonl(out)
    assert other.data.export_data(tmp_path / "again.jsonl", fmt="jsonl").losses == {}
    assert (tmp_path / "again.jsonl").read_bytes() == out.read_bytes()
    other.close()


def test_a_span_that_overlaps_another_once_snapped_is_left_out_with_its_arguments(service, tmp_path):
    spans = [{"start": 4, "end": 8, "label": "LOC"}, {"start": 8, "end": 12, "label": "MISC"}]
    events = [{"start": 26, "end": 36, "label": "MEETING", "args": [{"role": "place", "span": 1}]}]
    service.data.import_jsonl(one_line(tmp_path, spans, events))
    out = tmp_path / "out.jsonl"
    report = service.data.export_data(out, fmt="jsonl")
    record = json.loads(out.read_text(encoding="utf-8"))
    assert [(s["start"], s["end"], s["label"]) for s in record["spans"]] == [(4, 12, "LOC")]
    assert record["events"][0]["args"] == []
    assert report.losses == {MISALIGNED: 2, SNAP_OVERLAP: 1}

"""A pipeline without a parser (a blank or NER-only model) suggests triggers the label memory
taught, without arguments; walking the dependencies of such a doc crashed the process."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.learn import train as training
from annotate.service import Service
from annotate.suggest.run import compute
from tests.paths import GOLD, SEEDS


def test_taught_triggers_on_a_pipeline_without_parser_get_no_arguments(tmp_path: Path, blank_pipeline: str) -> None:
    (tmp_path / "glossator.toml").write_text(f'[project]\nmodel = "{blank_pipeline}"\n', encoding="utf-8")
    svc = Service.open(tmp_path / "g.db", annotator="alice")
    record = json.loads(GOLD.read_text(encoding="utf-8").splitlines()[4])  # done, with event triggers
    assert record["events"]
    (tmp_path / "gold.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    svc.data.import_jsonl(tmp_path / "gold.jsonl")
    svc.data.ingest([SEEDS / "000_e36bfcae08118a28.txt"])
    training.train(svc.store, blank_pipeline, ner=False)
    plan = svc.learn.suggest_plan()
    for batch in compute(plan):
        svc.learn.save_suggestions(plan, batch)
    suggested = [s for a in svc.store.article_ids() for s in svc.store.suggestions(a)]
    assert any(s.kind == "event" for s in suggested)  # the memory's triggers
    assert any(s.kind == "entity" for s in suggested)
    svc.close()

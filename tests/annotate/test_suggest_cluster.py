"""``glossator suggest --cluster``: the compute runs on Dask workers, the driver alone writes SQLite.

A ``LocalCluster`` with one in-process worker and a blank French pipeline (+ a ruler) on disk
keep this short.
"""

from __future__ import annotations

import pytest

from annotate.service import Service
from annotate.suggest import ModelNotFound
from annotate.suggest.run import ClusterUnavailable, compute
from tests.paths import SEEDS

distributed = pytest.importorskip("distributed")
from annotate.suggest import cluster  # noqa: E402 - needs the extra


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> str:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("fr")
    nlp.add_pipe("entity_ruler").add_patterns(
        [{"label": "LOC", "pattern": name} for name in ("Irak", "Washington", "Bagdad")])
    path = tmp_path_factory.mktemp("pipeline") / "blank_fr"
    nlp.to_disk(path)
    return str(path)


@pytest.fixture(scope="module")
def local_cluster():
    with distributed.LocalCluster(n_workers=1, processes=False, threads_per_worker=1,
                                  dashboard_address=None) as lc:
        yield lc


def spans(service: Service) -> dict[str, list[tuple]]:
    return {r["id"]: [(s.start, s.end, s.label, s.kind) for s in service.store.suggestions(r["id"])]
            for r in service.data.articles()}


def test_cluster_suggestions_equal_local_ones_and_are_saved_batch_by_batch(seeded: Service, model: str,
                                                                          local_cluster, tmp_path):
    plan = seeded.learn.suggest_plan(model=model)
    seen = []
    for batch in cluster.compute(plan, local_cluster, batch_size=2):
        seen.append(len(batch))
        seeded.learn.save_suggestions(plan, batch)
    assert sorted(seen) == [1, 2, 2]
    remote = spans(seeded)
    local = Service.open(tmp_path / "local.db", annotator="alice")
    try:
        local.data.ingest([SEEDS])
        local_plan = local.learn.suggest_plan(model=model)
        for batch in compute(local_plan, batch_size=2):
            local.learn.save_suggestions(local_plan, batch)
        assert spans(local) == remote and any(remote.values())
    finally:
        local.close()
    assert seeded.learn.suggest_plan(model=model).items == []  # recorded like a local run


def test_stopping_keeps_the_batches_saved_before(seeded: Service, model: str, local_cluster):
    plan = seeded.learn.suggest_plan(model=model)
    saved = 0
    for batch in cluster.compute(plan, local_cluster, batch_size=2, cancelled=lambda: True):
        seeded.learn.save_suggestions(plan, batch)
        saved += len(batch)
    assert saved == 2
    assert len(seeded.learn.suggest_plan(model=model).items) == 3


def test_a_model_missing_on_the_workers_is_the_usual_error(seeded: Service, local_cluster):
    plan = seeded.learn.suggest_plan(model="fr_core_news_zz")
    with pytest.raises(ModelNotFound, match="fr_core_news_zz"):
        list(cluster.compute(plan, local_cluster))
    assert seeded.store.fingerprints() == {}


def test_an_unreachable_scheduler_is_a_clear_error(seeded: Service, model: str):
    plan = seeded.learn.suggest_plan(model=model)
    with pytest.raises(ClusterUnavailable, match="tcp://127.0.0.1:9"):
        list(cluster.compute(plan, "tcp://127.0.0.1:9", connect_timeout="1s"))


def test_the_cli_drives_a_cluster(seeded: Service, model: str, local_cluster):
    from typer.testing import CliRunner

    from cli.main import app

    db = str(seeded.store.path)
    result = CliRunner().invoke(app, ["suggest", "--db", db, "--model", model, "--batch-size", "2",
                                      "--cluster", local_cluster.scheduler_address],
                                env={"GLOSSATOR_ANNOTATOR": "alice"})
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].startswith("5 articles suggested: new articles; ")
    assert seeded.learn.suggest_plan(model=model).items == []


def test_the_plugin_travels_without_the_loaded_pipeline(seeded: Service, model: str):
    import pickle

    plan = seeded.learn.suggest_plan(model=model)
    plan.suggester.load()  # even a loaded suggester is sent without its pipeline
    copy = pickle.loads(pickle.dumps(cluster.SuggesterPlugin(plan.suggester, plan.fingerprint)))
    assert copy.suggester._nlp is None and copy.fingerprint == plan.fingerprint
    key, text, regions = plan.items[0]
    assert copy.loaded().suggest_chunk([(key, text, regions)]) == [(key, plan.suggester.suggest_text(text, regions))]


def test_workers_keep_the_suggester_of_the_current_settings_only(seeded: Service, model: str, local_cluster,
                                                                 monkeypatch):
    from annotate.suggest import pipeline

    first = seeded.learn.suggest_plan(model=model)
    list(cluster.compute(first, local_cluster, batch_size=5))
    monkeypatch.setattr(pipeline, "RULES_VERSION", "suggest-rules-test")
    second = seeded.learn.suggest_plan(model=model)
    list(cluster.compute(second, local_cluster, batch_size=5))
    with distributed.Client(local_cluster) as client:
        names = [n for n in client.run_on_scheduler(cluster._plugin_names) if n.startswith(cluster.PLUGIN)]
    assert names == [cluster.plugin_name(second.fingerprint)] != [cluster.plugin_name(first.fingerprint)]

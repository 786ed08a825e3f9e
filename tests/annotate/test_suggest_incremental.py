"""Incremental suggestions: a change of known names re-suggests only the articles that hold a changed surface.

The pipeline is a blank French one with an entity ruler, saved to disk and given as the model
path, so the tests run in a second and need no trained model.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.service import Service
from annotate.suggest.run import changed_surfaces, compute
from store import suggestions as suggestions_store


@pytest.fixture(scope="session")
def model(tmp_path_factory) -> str:
    """A small pipeline on disk: blank French + a ruler that finds a few place names."""
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("fr")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "LOC", "pattern": name} for name in ("Irak", "Washington", "Bagdad", "Baghdad")])
    path = tmp_path_factory.mktemp("pipeline") / "blank_fr"
    nlp.to_disk(path)
    return str(path)


def run(service: Service, model: str, **kwargs):
    plan = service.learn.suggest_plan(model=model, **kwargs)
    for batch in compute(plan, batch_size=2):
        service.learn.save_suggestions(plan, batch)
    return plan


def holding(service: Service, surface: str) -> set[str]:
    return {r["id"] for r in service.data.articles() if surface in service.data.article(r["id"]).text}


def suggestion_ids(service: Service) -> dict[str, list[int]]:
    return {r["id"]: [s.id for s in service.store.suggestions(r["id"])] for r in service.data.articles()}


def link_surface(service: Service, surface: str, label: str = "PER") -> str:
    """Gold span on the first occurrence of ``surface``, linked to a new entity (adds the alias)."""
    article_id = sorted(holding(service, surface))[0]
    start = service.data.article(article_id).text.index(surface)
    span = service.review.add_span(article_id, start, start + len(surface), label)
    return service.entities.link_new(span)


def test_a_link_re_suggests_only_the_articles_holding_the_surface(seeded: Service, model: str):
    first = run(seeded, model)
    assert len(first.items) == 5 and first.reasons == {"new": 5}
    before = suggestion_ids(seeded)
    assert all(before.values()), "the ruler suggests something in every seed"
    link_surface(seeded, "Soudani")
    soudani = holding(seeded, "Soudani")
    assert 0 < len(soudani) < 5

    again = run(seeded, model)

    assert {key for key, _t, _r in again.items} == soudani
    assert again.reasons == {"known": len(soudani)} and again.surfaces == ("Soudani",)
    assert again.up_to_date == 5 - len(soudani) and again.restamped == 5 - len(soudani)
    after = suggestion_ids(seeded)
    for article_id in before:
        if article_id in soudani:
            assert set(after[article_id]).isdisjoint(before[article_id])  # recomputed
        else:
            assert after[article_id] == before[article_id]  # kept, ids and all
    assert again.summary(len(again.items)).startswith(
        f"{len(soudani)} articles re-suggested: known names changed (Soudani); ")
    # The known name is now suggested where it occurs.
    some = sorted(soudani)[0]
    text = seeded.data.article(some).text
    assert any(text[s.start:s.end] == "Soudani" and s.label == "PER" for s in seeded.store.suggestions(some))
    assert run(seeded, model).items == []


def test_new_entity_then_rename_re_suggest_the_articles_of_each_surface(seeded: Service, model: str):
    run(seeded, model)
    entity = seeded.entities.create("Nouri Al Maliki", "PER")
    plan = run(seeded, model)
    assert {k for k, _t, _r in plan.items} == holding(seeded, "Nouri Al Maliki")
    assert plan.surfaces == ("Nouri Al Maliki",)
    # A rename adds the new name (the old one stays an alias): the articles that hold it, only.
    seeded.entities.rename(entity, "Soudani")
    plan = run(seeded, model)
    assert {k for k, _t, _r in plan.items} == holding(seeded, "Soudani") and plan.surfaces == ("Soudani",)


def test_merge_that_only_moves_aliases_re_suggests_nothing(seeded: Service, model: str):
    a = seeded.entities.create("Irak", "LOC")
    b = seeded.entities.create("Bagdad", "LOC")
    run(seeded, model)
    ids = suggestion_ids(seeded)
    seeded.entities.merge(a, [b])  # "Bagdad" is now an alias of "Irak", a LOC still: no suggestion can change
    plan = run(seeded, model)
    assert plan.items == [] and plan.restamped == 5 and plan.up_to_date == 5
    assert suggestion_ids(seeded) == ids


def test_merge_into_another_type_re_suggests_the_moved_names(seeded: Service, model: str):
    a = seeded.entities.create("Nouri Al Maliki", "PER")
    b = seeded.entities.create("Soudani", "ORG")
    run(seeded, model)
    seeded.entities.merge(a, [b])
    plan = run(seeded, model)
    assert {k for k, _t, _r in plan.items} == holding(seeded, "Soudani") and plan.surfaces == ("Soudani",)


def test_nothing_changed_says_zero_first(seeded: Service, model: str):
    run(seeded, model)
    plan = seeded.learn.suggest_plan(model=model)
    assert plan.items == [] and plan.summary(0).startswith("0 articles suggested: nothing changed; 5 were up to date")


def test_other_rules_and_force_re_suggest_everything(seeded: Service, model: str, monkeypatch):
    from annotate.suggest import pipeline

    run(seeded, model)
    monkeypatch.setattr(pipeline, "RULES_VERSION", "suggest-rules-test")
    plan = seeded.learn.suggest_plan(model=model)
    assert len(plan.items) == 5 and plan.reasons == {"settings": 5}
    forced = seeded.learn.suggest_plan(model=model, force=True)
    assert len(forced.items) == 5 and forced.reasons == {"forced": 5}


def test_runs_recorded_before_the_bookkeeping_are_adopted(seeded: Service, model: str):
    first = run(seeded, model)
    seeded.store.db.execute("UPDATE suggest_runs SET base = NULL, known_names = NULL")
    assert seeded.learn.suggest_plan(model=model).items == []  # same full fingerprint: up to date
    link_surface(seeded, "Soudani")
    plan = seeded.learn.suggest_plan(model=model)
    assert {k for k, _t, _r in plan.items} == holding(seeded, "Soudani")
    assert first.fingerprint != plan.fingerprint


def test_a_lost_known_name_table_re_suggests_its_articles(seeded: Service, model: str):
    run(seeded, model)
    seeded.store.db.execute("DELETE FROM known_name_sets")
    link_surface(seeded, "Soudani")
    plan = seeded.learn.suggest_plan(model=model)
    assert len(plan.items) == 5 and plan.reasons == {"known": 5}


def test_changed_surfaces_ignore_kb_ids_but_not_labels():
    old = [("Hachd", "ORG", "q1"), ("Bagdad", "LOC", "q2")]
    assert changed_surfaces(old, [("Hachd", "ORG", "q9"), ("Bagdad", "LOC", "q2")]) == []
    assert changed_surfaces(old, [("Hachd", "PER", "q1"), ("Bagdad", "LOC", "q2")]) == ["Hachd"]
    assert changed_surfaces(old, [("Bagdad", "LOC", "q2"), ("Soudani", "PER", None)]) == ["Hachd", "Soudani"]


def drop_the_index(service: Service) -> None:
    """A database without the full-text index of m010 (as if it had been dropped): the scan path."""
    for trigger in ("articles_fts_ai", "articles_fts_ad", "articles_fts_au"):
        service.store.db.execute(f"DROP TRIGGER {trigger}")
    service.store.db.execute("DROP TABLE articles_fts")


@pytest.mark.parametrize("with_fts", [False, True])
def test_articles_containing_through_the_index_or_a_scan(service: Service, tmp_path: Path, with_fts: bool):
    texts = {
        "a.txt": "Le Premier ministre irakien Mohammed Chia al-Soudani a parlé.",
        "b.txt": "L’Etat islamique a revendiqué l’attaque.",  # curly apostrophe, normalised by the suggester
        "c.txt": "LE HACHD AL-CHAABI DÉMENT.",
        "d.txt": "Rien à voir : une réunion à Genève.",
        "e.txt": "Les soudanais ne sont pas concernés; Soudan non plus.",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    service.data.ingest([tmp_path / n for n in texts])
    ids = {service.data.article(r["id"]).text: r["id"] for r in service.data.articles()}
    by_file = {name: ids[text] for name, text in texts.items()}
    if not with_fts:
        drop_the_index(service)
    assert (suggestions_store._fts_shape(service.store) is not None) == with_fts  # the path under test

    def find(*surfaces):
        found = suggestions_store.articles_containing(service.store, surfaces)
        return {name for name, i in by_file.items() if i in found}

    assert find("Soudani") == {"a.txt"}
    assert find("l'Etat") == {"b.txt"}
    assert find("Hachd al-Chaabi") == {"c.txt"}
    assert find("Genève", "Soudani") == {"a.txt", "d.txt"}
    assert find("Bagdad") == set() and find() == set()


def test_too_many_surfaces_without_the_index_means_unknown(service: Service):
    drop_the_index(service)
    many = [f"Nom{i}" for i in range(suggestions_store.SCAN_LIMIT + 1)]
    assert suggestions_store.articles_containing(service.store, many) is None


def test_a_forced_run_still_records_the_names_to_diff_against(seeded: Service, model: str):
    run(seeded, model, force=True)
    link_surface(seeded, "Soudani")
    plan = seeded.learn.suggest_plan(model=model)
    assert {k for k, _t, _r in plan.items} == holding(seeded, "Soudani")

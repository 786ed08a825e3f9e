"""Issue 18: the starter KB import, links that teach the matcher, and duplicates that read the
annotators' links (shared mentions, articles in common)."""

from pathlib import Path

import pytest

from annotate.entities.matching import find_duplicates
from annotate.entities.matching.context import Context
from annotate.errors import ReviewError
from annotate.service import Service
from store.models import Entity
from tests.cli_support import run


def article(service: Service, tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    service.data.ingest([path])
    row = service.store.db.execute("SELECT id FROM articles WHERE text = ?", [text]).fetchone()
    return row[0]


def span(service: Service, article_id: str, words: str, label: str, nth: int = 0) -> int:
    text = service.data.article(article_id).text
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return service.review.add_span(article_id, start, start + len(words), label)


# ---- the starter knowledge base ----------------------------------------------------------

def test_builtin_starter_kb_imports_with_stable_slugs_once(service):
    created, updated, skipped = service.entities.import_builtin("starter")
    assert created > 300 and updated == 0 and skipped == 0
    for slug, name in (("usa", "États-Unis"), ("iraq", "Irak"), ("baghdad", "Bagdad"),
                       ("pmf", "Forces de mobilisation populaire"),
                       ("islamic_state", "État islamique"), ("centcom", "Commandement central")):
        assert service.entities.get(slug).name == name
    assert service.entities.get("iraq").external_id == "ISO 3166-1:IQ/IRQ"
    assert service.entities.match("Daech", "ORG")[0].id == "islamic_state"
    assert service.entities.import_builtin("starter") == (0, created, 0)  # idempotent
    assert service.entities.duplicates() == []  # the KB holds no twins of its own


def test_builtin_import_completes_an_entity_the_project_already_has(service):
    mine = service.entities.create("Irak", "LOC")
    service.entities.import_builtin("starter")
    assert mine != "iraq" and service.entities.get("iraq") is None  # no twin of the existing one
    assert "Republic of Iraq" in {a.text for a in service.entities.get(mine).aliases}


def test_unknown_builtin_kb_is_one_clear_error(service):
    with pytest.raises(ReviewError, match="no built-in knowledge base 'world'"):
        service.entities.import_builtin("world")


def test_cli_imports_the_builtin_kb(tmp_path):
    db = str(tmp_path / "g.db")
    out = run("entities", "import", "--builtin", "starter", "--db", db, check=0)
    assert "starter (pycountry 26.2.16, domain 2):" in out.stdout and "entities created" in out.stdout
    assert "baghdad" in run("entities", "match", "Baghdad", "--db", db, check=0).stdout
    bad = run("entities", "import", "--builtin", "nope", "--db", db, check=1)
    assert "no built-in knowledge base 'nope'" in bad.stderr
    assert "either a FILE or --builtin" in run("entities", "import", "--db", db, check=1).stderr


# ---- links teach the matcher ---------------------------------------------------------------

def test_linking_against_the_top_candidate_lowers_it_for_that_surface(service, tmp_path):
    city = service.entities.create("Washington", "LOC")
    usa = service.entities.create("États-Unis", "LOC")
    art = article(service, tmp_path, "a", "Washington a recensé les frappes. Washington insiste.")
    first = service.entities.match("Washington", "LOC")
    assert first[0].id == city and first[0].confident
    service.entities.link(span(service, art, "Washington", "LOC"), usa)  # metonymy: the country
    ranked = service.entities.match("Washington", "LOC")
    assert ranked[0].id == usa  # its new alias, and the city passed over
    demoted = next(c for c in ranked if c.id == city)
    assert demoted.score < first[0].score and not demoted.confident
    assert "linked elsewhere 1×" in demoted.evidence
    other = next(c for c in service.entities.match("Washington D.C.", "LOC") if c.id == city)
    assert "linked elsewhere" not in other.evidence  # other surfaces are untouched
    service.review.undo(art)  # the evidence goes with the link
    assert all("linked elsewhere" not in c.evidence for c in service.entities.match("Washington", "LOC"))


def test_a_link_to_the_top_candidate_records_nothing(service, tmp_path):
    city = service.entities.create("Washington", "LOC")
    art = article(service, tmp_path, "a", "Washington a recensé les frappes.")
    service.entities.match("Washington", "LOC")
    service.entities.link(span(service, art, "Washington", "LOC"), city)
    assert service.store.link_rejections() == {}


# ---- duplicates read the links ---------------------------------------------------------------

def test_shared_mentions_of_two_annotators_make_a_duplicate(tmp_path):
    alice = Service.open(tmp_path / "g.db", annotator="alice")
    bob = Service.open(tmp_path / "g.db", annotator="bob")
    try:
        one = alice.entities.create("Tanzim Hurras al-Din", "ORG")
        other = alice.entities.create("Gardiens de la religion", "ORG")  # same group, translated
        assert alice.entities.duplicates() == []
        texts = ["Tanzim Hurras al-Din a revendiqué.", "Le Tanzim Hurras al-Din menace."]
        for k, text in enumerate(texts):
            art = article(alice, tmp_path, f"t{k}", text)
            alice.entities.link(span(alice, art, "Tanzim Hurras al-Din", "ORG"), one)
            bob.entities.link(span(bob, art, "Tanzim Hurras al-Din", "ORG"), other)
        clusters = alice.entities.duplicates()
        assert [set(c.entity_ids) for c in clusters] == [{one, other}]
        assert "2 mention(s) linked to each by different annotators" in clusters[0].evidence
    finally:
        alice.close()
        bob.close()


def test_an_ambiguous_short_form_goes_to_the_name_it_appears_beside():
    ents = [Entity(id="saddam", name="Saddam Hussein", type="PER"),
            Entity(id="fouad", name="Fouad Hussein", type="PER"),
            Entity(id="hussein", name="Hussein", type="PER")]
    assert find_duplicates(ents, workers=1) == []  # fits two people: joins neither
    context = Context(together={("hussein", "saddam"): 3, ("fouad", "hussein"): 0})
    clusters = find_duplicates(ents, workers=1, context=context)
    assert [set(c.entity_ids) for c in clusters] == [{"hussein", "saddam"}]
    assert "beside the full name in 3 article(s)" in clusters[0].evidence


def test_context_never_overrides_a_conflict():
    ents = [Entity(id="a", name="ministère irakien de la Défense", type="ORG"),
            Entity(id="b", name="ministère iranien de la Défense", type="ORG")]
    context = Context(shared={("a", "b"): 5})
    assert find_duplicates(ents, workers=1, context=context) == []

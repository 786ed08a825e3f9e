"""`N` (a new entity from a mention with nothing chosen) takes the starter KB's stable id, name and
aliases when the mention reads like exactly one catalog entry of its label; else the mention's slug."""

from __future__ import annotations

from annotate.entities import catalog
from annotate.service import Service
from tests.annotate.linking_support import first, links, places, suggest


def test_a_gold_mention_of_a_catalog_country_becomes_its_entry(seeded: Service) -> None:
    svc, aid = seeded, first(seeded)
    irak = places(svc.data.article(aid).text, "Irak")
    span = svc.review.add_span(aid, *irak[0], "LOC")
    assert svc.entities.new_id_for("Irak", "LOC") == "iraq"
    assert svc.entities.link_new(span) == "iraq"
    entity = svc.entities.get("iraq")
    assert (entity.name, entity.type) == ("Irak", "LOC")
    assert entity.external_id.startswith("ISO 3166-1:IQ")
    assert {"Iraq", "République d'Irak"} <= {a.text for a in entity.aliases}
    assert links(svc, aid)[irak[0]] == "iraq"
    assert svc.review.undo(aid) == "link_new"  # entity, aliases and link in one action
    assert svc.entities.get("iraq") is None
    assert links(svc, aid)[irak[0]] is None


def test_a_pending_mention_is_accepted_and_linked_to_the_entry(seeded: Service) -> None:
    svc, aid = seeded, first(seeded)
    irak = places(svc.data.article(aid).text, "Irak")
    suggest(svc, aid, [(*irak[0], "LOC")])
    sug = svc.store.suggestions(aid)[0]
    svc.review.accept_link(aid, sug.id, None)
    assert links(svc, aid)[irak[0]] == "iraq"


def test_another_label_or_a_chosen_name_keeps_the_slug(seeded: Service) -> None:
    svc, aid = seeded, first(seeded)
    irak = places(svc.data.article(aid).text, "Irak")
    org = svc.review.add_span(aid, *irak[0], "ORG")  # the catalog's Irak is a LOC
    assert svc.entities.new_id_for("Irak", "ORG") == "irak"
    assert svc.entities.link_new(org) == "irak"
    loc = svc.review.add_span(aid, *irak[1], "LOC")
    assert svc.entities.link_new(loc, "Irak") != "iraq"  # a name typed in the dialog is the user's choice


def test_an_existing_entity_of_the_catalog_id_is_linked_not_doubled(seeded: Service) -> None:
    svc, aid = seeded, first(seeded)
    irak = places(svc.data.article(aid).text, "Irak")
    one = svc.review.add_span(aid, *irak[0], "LOC")
    svc.entities.link_new(one, "Mon Irak", entity_id="iraq")  # someone's own "iraq", a LOC
    svc.entities.link(one, None)
    before = len(svc.store.entities())
    assert svc.entities.new_id_for("Irak", "LOC") == "iraq"
    assert svc.entities.link_new(one) == "iraq"  # `N`: linked to it, no "irak" beside it
    assert len(svc.store.entities()) == before and svc.entities.get("iraq").name == "Mon Irak"
    assert links(svc, aid)[irak[0]] == "iraq"


def test_an_id_issued_to_a_removed_or_other_type_entity_is_never_reused(seeded: Service) -> None:
    svc, aid = seeded, first(seeded)
    irak = places(svc.data.article(aid).text, "Irak")
    svc.entities.link_new(svc.review.add_span(aid, *irak[0], "LOC"))
    svc.review.undo(aid)  # the entity "iraq" goes; its id stays issued (a redo restores it)
    assert svc.entities.get("iraq") is None
    assert svc.entities.new_id_for("Irak", "LOC") == "irak"  # the mention's slug, as before
    svc.entities.create("Irak", "ORG")  # now "irak" is an ORG's: not linked to, not reused
    assert svc.entities.new_id_for("Irak", "LOC") == "irak_2"


def test_the_catalog_matches_exact_folded_aliases_only() -> None:
    assert catalog.entry_for("les États-Unis", "LOC").id == "usa"  # determiner, accents, case folded
    assert catalog.entry_for("etats-unis", "LOC").id == "usa"
    assert catalog.entry_for("États", "LOC") is None  # no partial or fuzzy guess
    assert catalog.entry_for("[bold]Irak[/]", "LOC") is None
    assert catalog.entry_for("Irak", "PER") is None


def test_the_catalog_has_the_domains_ministries_and_figures_in_french_and_english() -> None:
    # issue 18: ministries, US departments, joint bodies and figures of the US–Iraq news, each reached
    # from its French and English names, and two countries' ministries never taken for each other
    assert catalog.entry_for("le ministère irakien des Affaires étrangères", "ORG").id == "iraq_ministry_of_foreign_affairs"
    assert catalog.entry_for("Iraqi Foreign Ministry", "ORG").id == "iraq_ministry_of_foreign_affairs"
    assert catalog.entry_for("ministère iranien des Affaires étrangères", "ORG").id == "iran_ministry_of_foreign_affairs"
    assert catalog.entry_for("ministère des Affaires étrangères", "ORG") is None  # whose? no guess
    assert catalog.entry_for("Haute commission militaire", "ORG").id == "higher_military_commission"
    assert catalog.entry_for("Higher Military Commission", "ORG").id == "higher_military_commission"
    assert catalog.entry_for("Trésor américain", "ORG").id == "us_treasury"
    assert catalog.entry_for("Fuad Hussein", "PER").id == "fuad_hussein"
    assert catalog.entry_for("Abu Ali al-Askari", "PER").id == "abu_ali_al_askari"


def test_a_bare_surname_two_catalog_figures_share_is_offered_but_not_preselected(tmp_path) -> None:
    # "Hussein": Fouad Hussein and Saddam Hussein; the picker lists both, confident for neither
    svc = Service.open(tmp_path / "g.db", annotator="alice")
    try:
        found = svc.entities.link_candidates("Hussein", "PER", 5)
        assert {"fuad_hussein", "saddam_hussein"} <= {c.id for c in found}
        assert not any(c.confident for c in found)
        iraq = svc.entities.link_candidates("ministère irakien des Affaires étrangères", "ORG", 5)
        assert iraq[0].id == "iraq_ministry_of_foreign_affairs" and iraq[0].confident
        assert not any(c.confident for c in iraq[1:])  # the Iranian one is listed below, never taken
    finally:
        svc.close()

"""`N` on a short form ("Tayeb") of a fuller same-label mention of the article ("Samir Ould Tayeb")
makes the entity of the fuller name, links to it when it exists, and keeps the mention's slug when the
short form is ambiguous (annotate/entities/fuller.py, proposal.py). The article is made up here."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.entities.fuller import Mention, fuller_mention
from annotate.service import Service
from tests.annotate.linking_support import links, places, suggest

TEXT = (
    "Oran : le ministre Samir Ould Tayeb reçoit les pêcheurs\n\n"
    "Le ministre algérien Samir Ould Tayeb a reçu lundi à Oran une délégation de l'Union des pêcheurs "
    "du Golfe. Tayeb a salué « un dialogue franc ». Selon l'Union, la rencontre a duré trois heures. "
    "Hassan Nasrallah a commenté la visite ; Nasrallah a évoqué la Banque centrale de Tunisie. "
    "Salim Hussein et Nadia Hussein étaient présents ; Hussein a pris la parole.\n"
)


def per(*texts: str) -> list[Mention]:
    return [Mention(t, "PER") for t in texts]


# -- the rule, on its own --------------------------------------------------------------------------


def test_a_surname_stands_for_the_full_name_after_normalisation() -> None:
    assert fuller_mention("Tayeb", "PER", per("Samir Ould Tayeb", "Tayeb")).name == "Samir Ould Tayeb"
    assert fuller_mention("al-Haddad", "PER", per("Karim Al Haddad")).name == "Karim Al Haddad"  # article, case
    assert fuller_mention("Soudani", "PER", per("Ali Sudani")).name == "Ali Sudani"  # transliteration
    assert fuller_mention("Ould Tayeb", "PER", per("Samir Ould Tayeb")).name == "Samir Ould Tayeb"


def test_the_fullest_of_a_chain_is_taken_and_two_different_names_are_ambiguous() -> None:
    chain = per("Karim Haddad", "Karim Fadel al-Haddad", "Haddad")
    assert fuller_mention("Haddad", "PER", chain).name == "Karim Fadel al-Haddad"
    assert fuller_mention("Hussein", "PER", per("Salim Hussein", "Nadia Hussein")) is None
    assert fuller_mention("Tayeb", "PER", per("Tayeb", "M. Tayeb")) is None  # nothing fuller


def test_another_label_a_complement_or_an_empty_short_form_gives_nothing() -> None:
    assert fuller_mention("Tayeb", "ORG", per("Samir Ould Tayeb")) is None
    org = [Mention("Banque centrale de Tunisie", "ORG"), Mention("port d'Oran", "ORG")]
    assert fuller_mention("Tunisie", "ORG", org) is None  # after "de": the complement, not the name
    assert fuller_mention("Oran", "ORG", org) is None
    assert fuller_mention("Banque", "ORG", org).name == "Banque centrale de Tunisie"  # the head is
    assert fuller_mention("Al", "PER", per("Karim Al Haddad")) is None
    assert fuller_mention("M.", "PER", per("M. Karim Haddad")) is None


def test_the_name_is_gold_before_pending_then_the_most_written_and_the_link_is_the_one_entity() -> None:
    forms = [Mention("le ministre Samir Ould Tayeb", "PER", gold=False), Mention("Samir Ould Tayeb", "PER"),
             Mention("Samir Ould-Tayeb", "PER"), Mention("Samir Ould-Tayeb", "PER")]
    assert fuller_mention("Tayeb", "PER", forms).name == "Samir Ould-Tayeb"
    assert fuller_mention("Tayeb", "PER", forms[:2]).name == "Samir Ould Tayeb"
    linked = [Mention("Samir Ould Tayeb", "PER", "sot"), Mention("Samir Ould Tayeb", "PER")]
    assert fuller_mention("Tayeb", "PER", linked).kb_id == "sot"
    two = [Mention("Samir Ould Tayeb", "PER", "sot"), Mention("Samir Ould Tayeb", "PER", "other")]
    assert fuller_mention("Tayeb", "PER", two).kb_id is None


# -- N in the service ------------------------------------------------------------------------------


@pytest.fixture
def article(service: Service, tmp_path: Path) -> tuple[Service, str]:
    path = tmp_path / "oran.txt"
    path.write_text(TEXT, encoding="utf-8")
    service.data.ingest([path])
    return service, service.store.article_ids()[0]


def span(svc: Service, aid: str, surface: str, label: str, nth: int = 0) -> int:
    return svc.review.add_span(aid, *places(TEXT, surface)[nth], label)


def test_N_on_a_surname_creates_the_full_name_and_N_on_the_full_name_links_to_it(article) -> None:
    svc, aid = article
    full = span(svc, aid, "Samir Ould Tayeb", "PER", 1)
    short = span(svc, aid, "Tayeb", "PER", 2)
    assert svc.entities.new_id_for("Tayeb", "PER", aid) == "samir_ould_tayeb"
    assert svc.entities.link_new(short) == "samir_ould_tayeb"
    entity = svc.entities.get("samir_ould_tayeb")
    assert (entity.name, entity.type) == ("Samir Ould Tayeb", "PER")
    assert {"Samir Ould Tayeb", "Tayeb"} <= {a.text for a in entity.aliases}
    count = len(svc.store.entities())
    assert svc.entities.link_new(full) == "samir_ould_tayeb"  # an entity of that id exists: linked, no _2
    assert len(svc.store.entities()) == count
    assert set(links(svc, aid).values()) == {"samir_ould_tayeb"}


def test_N_on_a_pending_surname_accepts_it_with_the_full_name(article) -> None:
    svc, aid = article
    suggest(svc, aid, [(*places(TEXT, "Samir Ould Tayeb")[1], "PER"), (*places(TEXT, "Tayeb")[2], "PER")])
    short = next(s for s in svc.store.suggestions(aid) if TEXT[s.start:s.end] == "Tayeb")
    at = (short.start, short.end)
    assert svc.entities.new_id_for("Tayeb", "PER", aid, at) == "samir_ould_tayeb"
    span_id = svc.review.accept_link(aid, short.id, None)
    assert svc.store.span(span_id).kb_id == "samir_ould_tayeb"
    assert svc.entities.get("samir_ould_tayeb").name == "Samir Ould Tayeb"


def test_a_pending_reading_overlapping_the_mention_is_not_its_fuller_name(article) -> None:
    svc, aid = article
    whole = places(TEXT, "Samir Ould Tayeb")[1]
    suggest(svc, aid, [(*whole, "PER")])
    tail = (whole[1] - 5, whole[1])  # "Tayeb" inside that very suggestion
    assert svc.entities.new_id_for("Tayeb", "PER", aid, tail) == "tayeb"
    assert svc.entities.new_id_for("Tayeb", "PER", aid) == "samir_ould_tayeb"


def test_a_fuller_name_of_the_starter_kb_gives_its_entry(article) -> None:
    svc, aid = article
    span(svc, aid, "Hassan Nasrallah", "PER")
    short = span(svc, aid, "Nasrallah", "PER", 1)
    assert svc.entities.link_new(short) == "hassan_nasrallah"
    aliases = {a.text for a in svc.entities.get("hassan_nasrallah").aliases}
    assert {"Hassan Nasrallah", "Hasan Nasrallah", "Nasrallah"} <= aliases  # the entry's, and the short form


def test_a_fuller_mention_already_linked_gives_its_entity(article) -> None:
    svc, aid = article
    full = span(svc, aid, "Samir Ould Tayeb", "PER", 1)
    svc.entities.link_new(full, "S. O. Tayeb", entity_id="sot")
    short = span(svc, aid, "Tayeb", "PER", 2)
    count = len(svc.store.entities())
    assert svc.entities.link_new(short) == "sot"
    assert len(svc.store.entities()) == count


def test_an_existing_entity_of_the_full_slug_is_linked_and_another_type_is_not(article) -> None:
    svc, aid = article
    svc.entities.create("Samir Ould Tayeb", "ORG")  # the slug is an ORG's: not this person
    span(svc, aid, "Samir Ould Tayeb", "PER", 1)
    assert svc.entities.link_new(span(svc, aid, "Tayeb", "PER", 2)) == "samir_ould_tayeb_2"


def test_an_ambiguous_surname_and_an_org_head_word(article) -> None:
    svc, aid = article
    span(svc, aid, "Salim Hussein", "PER")
    span(svc, aid, "Nadia Hussein", "PER")
    assert svc.entities.link_new(span(svc, aid, "Hussein", "PER", 2)) == "hussein"  # the mention's slug
    span(svc, aid, "Union des pêcheurs du Golfe", "ORG")
    assert svc.entities.link_new(span(svc, aid, "Union", "ORG", 1)) == "union_des_pecheurs_du_golfe"


def test_the_dialog_proposal_kept_makes_the_entity_as_N_does(article) -> None:
    svc, aid = article
    span(svc, aid, "Hassan Nasrallah", "PER")
    short = span(svc, aid, "Nasrallah", "PER", 1)
    plan = svc.entities.new_entity_plan("Nasrallah", "PER", aid)
    assert (plan.entity_id, plan.name, plan.existing) == ("hassan_nasrallah", "Hassan Nasrallah", False)
    assert svc.entities.link_new(short, plan.name, entity_id=plan.entity_id) == "hassan_nasrallah"
    assert "Hasan Nasrallah" in {a.text for a in svc.entities.get("hassan_nasrallah").aliases}

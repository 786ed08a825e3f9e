"""The label memory matches spelling variants of what it was taught (made-up sentences)."""

import pytest

from annotate.learn.artifact import Learned
from annotate.learn.memory import NOT, LabelMemory
from annotate.learn.variants import loose_key, skeleton


def test_loose_key_folds_case_accents_hyphens_and_articles():
    assert loose_key("al-Soudani") == loose_key("Soudani") == loose_key("SOUDANI") == "soudani"
    assert loose_key("Al-Qaïda") == loose_key("al Qaida")
    assert loose_key("Jabhat an-Nosra") == "jabhat an nosra"


def test_skeleton_needs_four_consonants():
    assert skeleton(loose_key("Hachd al-Chaabi")) == skeleton(loose_key("Hashd al-Shaabi")) != ""
    assert skeleton(loose_key("Soudani")) == ""  # s-d-n: too short to trust


def test_vote_falls_back_to_the_loose_key_then_the_skeleton():
    memory = LabelMemory({"al-Soudani": {"PER": 2}, "Hachd": {"ORG": 3}})
    text = "Le Premier ministre Soudani a reçu des chefs du Hashd."
    s = text.index("Soudani")
    assert memory.vote(text, s, s + 7) == ("PER", 1.0, 2)
    h = text.index("Hashd")
    assert memory.vote(text, h, h + 5) == ("ORG", 1.0, 3)
    assert memory.vote(text, 0, 2) == (None, 0.0, 0)


def test_variants_of_taught_names_are_found_in_new_text():
    memory = LabelMemory({"Mohammed Chia al-Soudani": {"PER": 2}, "Hachd al-Chaabi": {"ORG": 2}})
    text = "Mohammed Shia al-Sudani a rencontré, mardi, des commandants du Hashd al-Shaabi à Kerbala."
    found = {(text[s:e], lab) for s, e, lab in memory.find_names(text)}
    assert found == {("Mohammed Shia al-Sudani", "PER"), ("Hashd al-Shaabi", "ORG")}


def test_a_lower_case_variant_is_not_taken_for_a_name():
    memory = LabelMemory({"Marche": {"ORG": 2}})
    assert memory.find_names("Il a pris part à la marche de protestation.") == []


def test_a_skeleton_match_relabels_but_never_drops():
    memory = LabelMemory({"Hachd": {"ORG": 2}, "Hazimi": {NOT: 3}})
    text = "Des membres du Hashd ont accueilli Hazemi."
    h, z = text.index("Hashd"), text.index("Hazemi")
    fixed = memory.fix_entities(text, [(h, h + 5, "LOC"), (z, z + 6, "PER")])
    # "Hazemi" only shares a skeleton with the rejected "Hazimi": kept as the model said.
    assert fixed == [(h, h + 5, "ORG"), (z, z + 6, "PER")]


def test_a_loose_match_of_a_rejected_surface_drops_it():
    memory = LabelMemory({"al-Arabiya": {NOT: 2}})
    text = "Selon Arabiya, les frappes ont repris."
    s = text.index("Arabiya")
    assert memory.fix_entities(text, [(s, s + 7, "ORG")]) == []


def test_a_known_name_inside_a_longer_taught_name_gives_way(suggester):
    text = "Des membres de la Brigade Imam Ali du Nord ont défilé à Bassora."
    memory = LabelMemory({"Brigade Imam Ali du Nord": {"ORG": 2}})
    old_names, old_learned = suggester.known_names, suggester.learned
    suggester.set_known_names([("Imam Ali", "PER", None)])
    suggester.learned = Learned("t", memory)
    try:
        doc = suggester.suggest_text(text)
    finally:
        suggester.set_known_names(old_names)
        suggester.learned = old_learned
    ents = {(text[s.start:s.end], s.label) for s in doc.spans if s.kind == "entity"}
    assert ("Brigade Imam Ali du Nord", "ORG") in ents and ("Imam Ali", "PER") not in ents


def test_the_learned_rules_version_is_in_the_fingerprint(monkeypatch):
    from annotate.suggest import Suggester, pipeline

    sugg = Suggester(learned=Learned())
    before = sugg.fingerprint
    monkeypatch.setattr(pipeline, "LEARN_RULES_VERSION", "learn-rules-test")
    assert sugg.fingerprint != before


@pytest.mark.parametrize("surface", ["Hachd", "al-Soudani"])
def test_variant_indices_survive_a_round_trip(surface):
    memory = LabelMemory.from_json(LabelMemory({surface: {"ORG": 2}}).to_json())
    assert memory.find_names(f"Le {surface} a parlé.")

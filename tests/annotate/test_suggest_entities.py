"""Document-level entity rules on plain strings written for these tests (no model needed)."""

import pytest

from annotate.suggest.entities import dateline_spans, furniture_spans, join_hyphenated, merge_locative_names, overlaps


def span(text, surface, label, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return (start, start + len(surface), label)


def surfaces(text, spans):
    return [(text[s:e], lab) for s, e, lab in spans]


def test_a_name_cut_before_its_hyphen_runs_to_the_end_of_the_word():
    text = "Nouri Al-Maliki et Haïdar Al-Abadi se sont vus."
    got = join_hyphenated(text, [span(text, "Nouri Al-Maliki", "PER"), span(text, "Haïdar Al", "PER")])
    assert surfaces(text, got) == [("Nouri Al-Maliki", "PER"), ("Haïdar Al-Abadi", "PER")]


def test_a_name_cut_after_its_particle_takes_the_particle_back():
    text = "Selon Abou Mahdi al-Mouhandis, rien."
    got = join_hyphenated(text, [span(text, "Abou Mahdi al", "PER"), span(text, "Mouhandis", "PER")])
    assert surfaces(text, got) == [("Abou Mahdi al-Mouhandis", "PER")]


def test_a_head_and_its_particle_name_are_one_name_with_the_heads_label():
    text = "Le Hachd al-Chaabi dément."
    got = join_hyphenated(text, [span(text, "Hachd", "ORG"), span(text, "Chaabi", "LOC")])
    assert surfaces(text, got) == [("Hachd al-Chaabi", "ORG")]


def test_two_names_side_by_side_are_not_joined_without_a_particle():
    text = "Le Liban Hezbollah-Amal vote."
    got = join_hyphenated(text, [span(text, "Liban", "LOC"), span(text, "Hezbollah-Amal", "ORG")])
    assert surfaces(text, got) == [("Liban", "LOC"), ("Hezbollah-Amal", "ORG")]


def test_a_long_official_name_is_not_cut_at_an_inner_preposition():
    text = "Le Commandement central des États-Unis pour le Moyen-Orient a parlé."
    got = merge_locative_names(text, [span(text, "Commandement", "ORG"), span(text, "États-Unis", "LOC"),
                                      span(text, "Moyen-Orient", "MISC")])
    assert surfaces(text, got) == [("Commandement central des États-Unis pour le Moyen-Orient", "ORG")]
    text = "Les Brigades du Hezbollah ont tiré."
    got = merge_locative_names(text, [span(text, "Brigades", "ORG"), span(text, "Hezbollah", "ORG")])
    assert surfaces(text, got) == [("Brigades du Hezbollah", "ORG")]


def test_a_clause_between_a_head_and_a_place_is_not_part_of_the_name():
    text = "Les Brigades ont frappé des bases en Syrie."
    spans = [span(text, "Brigades", "ORG"), span(text, "Syrie", "LOC")]
    assert merge_locative_names(text, spans) == spans
    text = "Le Parlement a voté. Des Irakiens en Jordanie."
    spans = [span(text, "Parlement", "ORG"), span(text, "Jordanie", "LOC")]
    assert merge_locative_names(text, spans) == spans


@pytest.mark.parametrize("text, credit", [
    ("Des blindés à Kirkouk.\nPhoto : Karim Sahib / Reuters\nLa suite.", "Photo : Karim Sahib / Reuters"),
    ("Des blindés à Kirkouk.\nCrédits photo : Ali Nasser/AP\nLa suite.", "Crédits photo : Ali Nasser/AP"),
    ("Des blindés à Kirkouk. (Photo : Ali Nasser / AFP) La suite.", "(Photo : Ali Nasser / AFP)"),
    ("Des blindés entrent dans Kirkouk, le 3 mai. Ali Nasser / AFP\nLa suite.", "Ali Nasser / AFP"),
    ("Des obus sont tombés sur Erbil, selon un officiel (AFP).", "(AFP)"),
    ("Des obus sont tombés sur Erbil (Reuters, AP).", "(Reuters, AP)"),
])
def test_photo_credits_and_agency_bylines_are_furniture(text, credit):
    start = text.index(credit)
    ranges = furniture_spans(text)
    assert overlaps(start, start + len(credit), ranges)
    place = "Erbil" if "Erbil" in text else "Kirkouk"
    assert not overlaps(text.index(place), text.index(place) + len(place), ranges)


def test_an_agency_inside_a_sentence_or_an_acronym_in_parentheses_is_not_furniture():
    text = ("Selon l'AFP, le Front de libération (FDL) a tiré. Photographier est interdit.\n"
            "L'Autorité palestinienne (AP) a protesté.")
    assert furniture_spans(text) == []


@pytest.mark.parametrize("text, place", [
    ("KIRKOUK – Des obus sont tombés.", "KIRKOUK"),
    ("Intro.\nDEIR EZ-ZOR (Syrie) - Des obus sont tombés.", "DEIR EZ-ZOR"),
    ("SOULEIMANIYEH (AFP) — Des obus sont tombés.", "SOULEIMANIYEH"),
])
def test_upper_case_datelines_are_places(text, place):
    start = text.index(place)
    assert dateline_spans(text) == [(start, start + len(place), "LOC")]


def test_no_dateline_in_a_sentence_or_an_agency_alone():
    assert dateline_spans("Le chef de l'ONU - qui parle - a dit.\nAFP - Des obus.") == []

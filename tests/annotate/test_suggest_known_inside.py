"""A known name inside a longer suggested name gives way to it (guidelines §2: the outermost name
only), on sentences written for these tests; two names joined by a preposition stay two."""

import pytest

from annotate.suggest import Suggester
from annotate.suggest.entities import yield_to_longer_names


def span(text, surface, label, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return (start, start + len(surface), label)


@pytest.mark.parametrize("text, outer, inner", [
    ("Le Gouvernement régional du Kurdistan a signé.", "Gouvernement régional du Kurdistan", "Kurdistan"),
    ("Les Brigades de la paix ont défilé.", "Brigades de la paix", "Brigades"),
    ("Des tirs ont visé le Liban-Sud hier.", "Liban-Sud", "Liban"),
    ("La Mission d'appui de l'Otan pour l'Irak reste.", "Mission d'appui de l'Otan pour l'Irak", "Otan"),
])
def test_a_name_held_by_a_longer_name_gives_way(text, outer, inner):
    longer, known = span(text, outer, "ORG"), span(text, inner, "LOC")
    assert yield_to_longer_names(text, [known], [longer]) == []


@pytest.mark.parametrize("text, outer, names", [
    ("Les frappes de l'Irak en Syrie ont cessé.", "Irak en Syrie", ("Irak", "Syrie")),  # a preposition alone
    ("Le Kurdistan du Sud", "Kurdistan", ("Kurdistan",)),  # the same span is no longer name
    ("Soudani Bagdad", "Soudani Bagdad", ("Bagdad",)),  # side by side, no complement, no compound
])
def test_names_that_no_longer_name_holds_stay(text, outer, names):
    longer = span(text, outer, "LOC")
    known = [span(text, n, "LOC") for n in names]
    assert yield_to_longer_names(text, known, [longer]) == known


def test_the_suggester_keeps_the_outermost_name_over_a_known_name_inside_it(nlp):
    text = "Le Gouvernement régional du Kurdistan a repris ses exportations vers le port de Ceyhan."
    plain = Suggester()
    plain.use_pipeline(nlp)
    outer = {(text[s.start:s.end]) for s in plain.suggest_text(text).spans if s.kind == "entity"}
    assert "Gouvernement régional du Kurdistan" in outer  # what the model finds on its own
    known = Suggester(known_names=[("Kurdistan", "LOC", "kurdistan")])
    known.use_pipeline(nlp)
    got = {(text[s.start:s.end]) for s in known.suggest_text(text).spans if s.kind == "entity"}
    assert "Gouvernement régional du Kurdistan" in got and "Kurdistan" not in got

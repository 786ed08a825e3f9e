"""Cleaning runs its copyright search only on lines holding a hint (annotate.corpus.cleaning._copyright):
the same answer as the search on every line, which holds only while the premises below hold."""

import re

from annotate.corpus import cleaning


def test_every_word_of_the_copyright_search_holds_a_hint():
    words = cleaning._COPYRIGHT.pattern.removeprefix("(?i)(").removesuffix(")").split("|")
    assert len(words) >= 4
    assert all("ht" in w.lower() or "dr" in w.lower() or "©" in w for w in words), words


def test_only_ascii_letters_match_the_hint_letters_in_any_case():
    for letter in "htdr":
        pattern = re.compile("(?i)" + letter)
        found = {c for c in map(chr, range(0x110000)) if pattern.fullmatch(c) or letter in c.lower()}
        assert found == {letter, letter.upper()}, (letter, found)
    assert [c for c in map(chr, range(0x110000)) if re.fullmatch("(?i)©", c)] == ["©"]


def test_the_hinted_search_answers_as_the_search_does():
    lines = ["© Le Monde 2024", "Copyright AFP", "COPYRIGHT", "cOpYrIgHt", "All Rights Reserved.",
             "Tous droits réservés", "TOUS DROITS RÉSERVÉS", "tous droits reservés", "Le droit de la mer",
             "Une nuit à Bagdad", "", "rights", "copyrıght", "ALL RİGHTS RESERVED", "ſ droits réſervés", "tous droits réſervés",
             "Droits d’auteur : © 2024", "Il a souligné l’importance de renforcer les relations"]
    for line in lines:
        assert cleaning._copyright(line) == bool(cleaning._COPYRIGHT.search(line)), line

"""Issue 18, fourth round of string rules: divisions written in lowercase, vowel leniency
bounded by length, a glossary word.

Every name here is made up (none is in a variant set, the seeds or the starter KB).
"""

from annotate.entities.matching.normalise import analyse
from annotate.entities.matching.scoring import compare, token_sim
from tests.annotate.matching_support import clustered

# ---- a lowercase division word is kept: "province de X" is the division ----------------------

def test_a_lowercase_division_word_stays_a_word_of_the_name():
    for text in ("province de Velmirah", "gouvernorat de Velmirah", "district de Velmirah",
                 "la province de Velmirah"):
        assert analyse(text).tokens == ("province" if "district" not in text else "district",
                                        "velmirah"), text  # was ("velmirah",)
    # other lowercase heads still describe the place and go
    assert analyse("ville de Velmirah").tokens == ("velmirah",)


def test_a_lowercase_province_is_the_capitalised_governorate():
    gov = analyse("Gouvernorat de Velmirah")
    for text in ("province de Velmirah", "gouvernorat d'al-Velmirah", "Velmira province"):
        cmp = compare(analyse(text), gov, "LOC")
        assert cmp.score >= 95 and not cmp.conflict, text  # was 80: taken for the city


def test_a_lowercase_province_alone_is_still_its_place():
    # with no governorate beside it, "province de X" describes X ("province d'Anbar")
    cmp = compare(analyse("province de Velmirah"), analyse("Velmirah"), "LOC")
    assert 85 <= cmp.score < 99 and not cmp.conflict
    assert clustered(["Velmirah", "province de Velmirah", "province d'al-Velmirah"], "LOC") == [
        {"Velmirah", "province de Velmirah", "province d'al-Velmirah"}]


def test_a_capitalised_division_and_its_place_are_a_cannot_link():
    for name in ("Gouvernorat de Velmirah", "Velmirah Governorate"):
        cmp = compare(analyse("Velmirah"), analyse(name), "LOC")
        assert cmp.conflict and cmp.score < 85, name  # was 80 without conflict


def test_city_and_governorate_stay_apart_with_lowercase_forms():
    groups = clustered(["Velmirah", "Velmira", "Al-Velmirah", "Gouvernorat de Velmirah",
                        "province de Velmirah", "province de Velmira"], "LOC")
    # was one cluster: the lowercase forms joined the city and through it the governorate
    assert {"Velmirah", "Velmira", "Al-Velmirah"} in groups
    assert {"Gouvernorat de Velmirah", "province de Velmirah", "province de Velmira"} in groups


# ---- vowels alone make a variant only between words of similar length ----------------------

def test_vowels_alone_need_similar_lengths():
    # was 94: the consonants agree, but half of the longer word is vowels the other lacks
    assert token_sim("tal", "tawliya")[0] < 80
    assert token_sim("dar", "dawriya")[0] < 80
    # vowel variants of about one length stay variants (their plain ratio is under 80)
    for a, b in (("hozbollah", "hizbullah"), ("dorvin", "darvan"), ("kelmoni", "kalmuni"),
                 ("ormaz", "ourmuz"), ("tehran", "teheran"), ("sidan", "sedanon")):
        assert token_sim(a, b)[0] >= 90, (a, b)


def test_a_short_name_is_not_a_longer_one_of_the_same_consonants():
    cmp = compare(analyse("Sheikh Tal Brigades"), analyse("Saraya Tawliya al-Ferm"), "ORG")
    assert cmp.score < 85  # was 85.5: "Tal" taken for "Tawliya"
    assert clustered(["Sheikh Tal Brigades", "Saraya Tawliya al-Ferm",
                      "Saraya Tawliyaa al-Ferm"], "ORG") == [
        {"Saraya Tawliya al-Ferm", "Saraya Tawliyaa al-Ferm"}]


def test_an_initial_w_is_a_consonant_for_the_vowel_leniency():
    assert token_sim("wazali", "azzalawi")[0] < 80  # was 94: the key writes w as the vowel u
    assert token_sim("wamai", "ammawi")[0] <= 80
    for a, b in (("walid", "oualid"), ("wael", "wail"), ("oussama", "osama")):
        assert token_sim(a, b)[0] >= 90, (a, b)
    groups = clustered(["Abou Tarek al-Wamaï", "Abu Tarek al-Wamai", "al-Wamaï",
                        "Karim Ammawi", "Nadir Ammaoui"], "PER")
    # was left out as ambiguous: "Wamaï" taken for a spelling of both surnames
    assert {"Abou Tarek al-Wamaï", "Abu Tarek al-Wamai", "al-Wamaï"} in groups


# ---- glossary -------------------------------------------------------------------------------

def test_cell_is_cellule():
    assert analyse("Dravik Crisis Cell").tokens[-1] == "cellule"  # was "cell"
    cmp = compare(analyse("Cell"), analyse("Cellule"), "ORG")
    assert cmp.score >= 99  # the same word, not a spelling

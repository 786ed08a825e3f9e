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

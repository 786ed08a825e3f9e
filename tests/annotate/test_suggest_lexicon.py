"""Event lexicon loading and validation."""

import pytest

from annotate.suggest import load_lexicon
from annotate.suggest.lexicon import EVENT_TYPES


def test_default_lexicon_has_every_event_type_and_roles():
    lex = load_lexicon()
    assert tuple(t.label for t in lex.types) == EVENT_TYPES
    assert lex.roles("ATTACK") == ("agent", "target", "instrument", "place", "time")
    assert lex.roles("CASUALTY") == ("victim", "agent", "place", "time", "quantity")
    assert "attaque" in lex.types[0].nouns


def test_invalid_toml_names_file_and_line(tmp_path):
    f = tmp_path / "lex.toml"
    f.write_text('[events.ATTACK]\nnouns = ["attaque"\nverbs = []\n', encoding="utf-8")
    with pytest.raises(ValueError) as exc:
        load_lexicon(f)
    assert str(f) in str(exc.value) and "line 3" in str(exc.value)


def test_unknown_event_type_names_file_and_line(tmp_path):
    f = tmp_path / "lex.toml"
    f.write_text('# comment\n\n[events.PARTY]\nnouns = ["fête"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"lex\.toml:3: unknown event type 'PARTY'"):
        load_lexicon(f)


def test_non_list_value_is_rejected(tmp_path):
    f = tmp_path / "lex.toml"
    f.write_text('[events.ARREST]\nnouns = "arrestation"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"lex\.toml:2: events\.ARREST\.nouns"):
        load_lexicon(f)


def test_digest_changes_with_content(tmp_path):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text('[events.ARREST]\nnouns = ["arrestation"]\n', encoding="utf-8")
    b.write_text('[events.ARREST]\nnouns = ["arrestation", "rafle"]\n', encoding="utf-8")
    assert load_lexicon(a).digest != load_lexicon(b).digest
    assert load_lexicon(a).digest == load_lexicon(a).digest

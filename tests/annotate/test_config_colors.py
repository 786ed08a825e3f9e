"""Colours are checked at load with the parser the app paints with (Rich), naming file and line."""

import pytest

from annotate.config import ConfigError, is_color, load_config


def write(tmp_path, text):
    path = tmp_path / "glossator.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "text, message",
    [
        ('[colors]\nevent = "blah"\n', "line 2: colors.event: 'blah' is not a colour"),
        ('[project]\nmodel = "x"\n\n[colors]\nvalue = "#bcbcbc"\nevent = "notacolor"\n',
         "line 6: colors.event: 'notacolor' is not a colour"),
        ('[labels]\nPER = { key = "1", color = "#5fafff" }\nORG = { key = "2", color = "notacolor" }\n',
         "line 3: labels.ORG: 'notacolor' is not a colour"),
        ('[labels]\nPER = { key = "1", color = "orange" }\n', "line 2: labels.PER: 'orange' is not a colour"),
        ('[colors]\nvalue = "#12345"\n', "line 2: colors.value: '#12345' is not a colour"),
    ],
)
def test_a_colour_rich_cannot_paint_is_refused_with_its_line(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(f"{path}, ")
    assert message in str(err.value)


def test_colours_rich_knows_are_accepted(tmp_path):
    text = '[labels]\nPER = { key = "1", color = "bright_blue" }\nORG = { key = "2", color = "grey50" }\n' \
           '[colors]\nevent = "red"\nvalue = "#BCBCBC"\n'
    config = load_config(write(tmp_path, text))
    assert [label.color for label in config.labels] == ["bright_blue", "grey50"]
    assert (config.event_color, config.value_color) == ("red", "#BCBCBC")


def test_is_color_matches_what_a_style_accepts():
    from rich.style import Style

    for value in ("red", "#5fafff", "bright_blue", "grey50", "default"):
        assert is_color(value)
        Style.parse(f"black on {value}")  # what the label picker builds
    for value in ("blah", "notacolor", "orange", "#fff", "rgb(1, 2, 3)", "red on blue", ""):
        assert not is_color(value)

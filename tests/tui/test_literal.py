"""User text is shown literally: Rich markup stays text, control characters become visible."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.service import Service
from tui.app import GlossatorApp
from tui.widgets.text_view import ArticleView, displayable, wrap

pytestmark = pytest.mark.anyio

TEXT = (
    "Titre [bold]gras[/] et [link=https://evil.example]lien[/link] [red]x\n"
    "\n"
    "Corps \x1b[31mrouge\x1b[0m fin\x07 puis \x9b2J et DEL\x7f et \u202eenvers.\n"
)


def screen_text(app: GlossatorApp) -> str:
    """Plain text of what the article view shows."""
    view = app.screen.query_one(ArticleView)
    return "\n".join(view.render_line(y).text for y in range(view.size.height))


async def test_markup_and_control_characters_display_literally(tmp_path: Path) -> None:
    source = tmp_path / "evil.txt"
    source.write_text(TEXT, encoding="utf-8")
    svc = Service.open(tmp_path / "g.db", annotator="alice")
    try:
        svc.data.ingest([source])
        async with GlossatorApp(svc).run_test(size=(120, 40)) as pilot:
            shot = pilot.app.export_screenshot()
            assert "[bold]gras[/]" in shot  # the title in the corpus table
            await pilot.press("enter")
            shown = screen_text(pilot.app)
            assert "Titre [bold]gras[/] et [link=https://evil.example]lien[/link] [red]x" in shown
            assert "Corps ␛[31mrouge␛[0m fin␇ puis \ufffd2J et DEL␡ et ¤envers." in shown
            view = pilot.app.screen.query_one(ArticleView)
            for y in range(view.size.height):
                for segment in view.render_line(y):
                    assert "\x1b" not in segment.text and "\x07" not in segment.text
                    assert segment.style is None or segment.style.link is None
            assert "[bold]gras[/]" in pilot.app.export_screenshot()
    finally:
        svc.close()


def test_display_keeps_offsets() -> None:
    shown = displayable(TEXT)
    assert len(shown) == len(TEXT)
    assert shown.count("\n") == TEXT.count("\n")


def test_wrap_covers_the_text_in_order() -> None:
    text = displayable(TEXT * 3 + "x" * 300)
    for width in (5, 17, 80):
        lines = wrap(text, width)
        assert lines[0][0] == 0 and lines[-1][1] == len(text)
        for (a, b), (c, _) in zip(lines, lines[1:]):
            assert a <= b <= c
            assert text[b:c].strip() == ""  # only breaks and newlines between lines

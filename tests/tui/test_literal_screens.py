"""Every screen and toast shows data literally: markup stays text, control characters become visible.

One database holds markup-, ANSI- and OSC-bearing titles, file names, span texts, entity names,
aliases and annotators; the tests open every screen and trigger the toasts that quote data, and
read what is shown through public API (``render``/``render_line`` of the widgets on screen).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.scroll_view import ScrollView
from textual.widgets import Input, Static

from annotate.service import Service
from store.models import EVENT
from tui.app import GlossatorApp
from tui.modals.dialogs import ConfirmModal
from tui.modals.entity import ChoiceModal, NameModal
from tui.modals.link import LinkPicker
from tui.screens.adjudicate import AdjudicateScreen
from tui.screens.article.screen import ArticleScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.entities import EntitiesScreen
from tui.text import displayable

pytestmark = pytest.mark.anyio
# Larger than the standard tests.paths.SIZE (120×40).
LARGE_SIZE = (160, 50)

MARKUP = "[bold red]X[/] [link=http://e.com]L[/link]"
OSC = "\x1b]0;pwned\x07"
TITLE = f"{MARKUP} {OSC} titre"
FILE = "[b]f[red] \x1b]0;file\x07 [AFP].jsonl"  # no "/" in a file name
REVIEWER = "[red]rita[/]"
ANNOTATOR_A = "[/]"
ANNOTATOR_B = "\x1b]0;evil\x07bob"
ORG = "[AFP] groupe [/]"
LOC = "Bagdad [red]Iraq[/]"
TEXT_1 = f"Le {ORG} a attaqué la base \x1b[31mrouge\x1b[0m \x9b2J de {LOC}.\n"
TEXT_2 = "Le ministre Maliki a rencontré [AFP] hier.\n"
TEXT_3 = "L'[AFP] \x1b]0;three\x07 et Nouri rien.\n"
ENTITY = f"{MARKUP} {OSC}"
DUP = "[/] Nouri \x1b]0;dup\x07 Al Maliki"
RAW = ("\x1b", "\x07", "\x9b")


def at(text: str, surface: str) -> tuple[int, int]:
    start = text.index(surface)
    return start, start + len(surface)


@pytest.fixture
def nasty(tmp_path: Path):
    """Three articles from a file with a nasty name; annotators A and B, reviewer R (the app's)."""
    db = tmp_path / "g.db"
    source = tmp_path / FILE
    source.write_text("".join(json.dumps({"text": t, "meta": {"title": f"{TITLE} {n}"}}, ensure_ascii=False) + "\n"
                              for n, t in enumerate((TEXT_1, TEXT_2, TEXT_3), 1)), encoding="utf-8")
    svc = Service.open(db, annotator=REVIEWER)
    report = svc.data.ingest([source])
    assert not report.failures, report.failures
    ids = {svc.data.article(a).text: a for a in report.added}
    one, two, three = ids[TEXT_1], ids[TEXT_2], ids[TEXT_3]
    org = svc.review.add_span(one, *at(TEXT_1, ORG), "ORG")
    svc.review.add_span(one, *at(TEXT_1, "attaqué"), "ATTACK")
    loc = svc.review.add_span(one, *at(TEXT_1, LOC), "LOC")
    entity = svc.entities.link_new(org, name=ENTITY)
    svc.entities.link_new(loc, name=f"{OSC}{LOC}")
    svc.entities.link(svc.review.add_span(three, *at(TEXT_3, "[AFP]"), "ORG"), entity)  # a second alias: split works
    svc.entities.link_new(svc.review.add_span(three, *at(TEXT_3, "Nouri"), "PER"), name=DUP)
    for annotator, label in ((ANNOTATOR_A, "PER"), (ANNOTATOR_B, "ORG")):
        other = Service.open(db, annotator=annotator)
        span = other.review.add_span(two, *at(TEXT_2, "Maliki"), label)
        if label == "PER":
            other.entities.link_new(span, name=DUP.replace("Al ", "Al-"))
            other.review.add_span(three, *at(TEXT_3, "rien"), "MISC")
            other.review.mark_done(three)
        other.review.mark_done(two)
        other.close()
    assert svc.entities.duplicates(None), "the two DUP entities should be likely duplicates"
    yield svc, {"one": one, "two": two, "three": three, "entity": entity}
    svc.close()


def shown(app: GlossatorApp) -> str:
    """The text of every widget on the current screen (toasts included), as drawn."""
    parts = []
    for widget in app.screen.query("*"):
        if not widget.display or widget.size.height == 0:
            continue
        if isinstance(widget, ScrollView):
            parts += [widget.render_line(y).text for y in range(widget.size.height)]
        elif isinstance(widget, (Static, Input)):
            parts.append(str(widget.render()))
    return "\n".join(parts)


def toasts(app: GlossatorApp) -> str:
    """The text of the toasts on screen."""
    return "\n".join(str(toast.render()) for toast in app.screen.query("Toast"))


def status(app: GlossatorApp) -> str:
    """The article screen's status line, where it reports refusals."""
    return str(app.screen.query_one("#status").render())


def assert_clean(app: GlossatorApp) -> None:
    """No raw control character reaches the terminal."""
    screenshot = app.export_screenshot()
    for c in RAW:
        assert c not in screenshot and c not in shown(app), repr(c)


def lit(text: str) -> str:
    """How ``text`` looks on one line of the screen."""
    return displayable(text)


async def open_article(pilot, app: GlossatorApp, article_id: str) -> ArticleScreen:
    app.jump_to_article(article_id)
    await pilot.pause()
    assert isinstance(app.screen, ArticleScreen)
    return app.screen


async def go_to(pilot, screen: ArticleScreen, wanted) -> None:
    """Move with j (then k: j stops at the last span) until the current span is ``wanted``."""
    for key in "j" * 6 + "k" * 12:
        if screen.item is not None and wanted(screen.item):
            return
        await pilot.press(key)
    raise AssertionError(f"span not reached: {screen.item}")


async def test_corpus_article_and_palette_show_data_literally(nasty) -> None:
    svc, ids = nasty
    app = GlossatorApp(svc)
    async with app.run_test(size=LARGE_SIZE, notifications=True) as pilot:
        await pilot.pause()
        text = shown(app)
        assert lit(TITLE)[:40] in text  # title cell (cut to the column)
        assert REVIEWER in text  # the summary names the annotator
        assert_clean(app)
        screen = await open_article(pilot, app, ids["one"])
        await pilot.pause()
        text = shown(app)
        assert lit(f"{TITLE} 1") in text  # the title line
        assert lit("[AFP] groupe [/] a attaqué la base ␛[31mrouge␛[0m \ufffd2J") in text  # the text itself
        assert lit(ENTITY)[:30] in text  # span panel: ORG → its entity's name
        assert REVIEWER in text  # status bar
        assert_clean(app)
        assert screen.is_current
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Open")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert lit(f"Open: {TITLE}")[:40] in shown(app)  # palette hits: literal titles, no crash
        assert_clean(app)


async def test_article_toasts_quote_fillers_and_refusals_literally(nasty) -> None:
    svc, ids = nasty
    app = GlossatorApp(svc)
    async with app.run_test(size=LARGE_SIZE, notifications=True) as pilot:
        screen = await open_article(pilot, app, ids["one"])
        await go_to(pilot, screen, lambda i: i.kind == EVENT)
        await pilot.press("r")  # a role of ATTACK …
        await pilot.pause()
        assert "ATTACK “attaqué” › role" in shown(app)
        await pilot.press("1")  # … agent; then the filler: the ORG span before it
        await pilot.pause()
        await pilot.press("k", "enter")
        await pilot.pause()
        assert f"ATTACK › agent: “{ORG}”" in status(app)
        await pilot.press("r", "1")
        await pilot.pause()
        await pilot.press("k", "enter")  # the same filler again: refused, quoting it
        await pilot.pause()
        assert f"“{ORG}” is already the agent of this event" in status(app)
        await pilot.press("escape")  # stop choosing a filler
        await go_to(pilot, screen, lambda i: i.label == "ORG")
        await pilot.press("v", "1")  # a PER span over the ORG one: refused, quoting it
        await pilot.pause()
        assert f"overlaps the ORG span “{ORG}”" in status(app)
        assert_clean(app)


async def test_link_picker_shows_names_and_aliases_literally(nasty) -> None:
    svc, ids = nasty
    app = GlossatorApp(svc)
    async with app.run_test(size=LARGE_SIZE, notifications=True) as pilot:
        screen = await open_article(pilot, app, ids["one"])
        await go_to(pilot, screen, lambda i: i.label == "LOC")
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, LinkPicker)
        text = shown(app)
        assert f"Link “{LOC}”" in text
        assert lit(f"{OSC}{LOC}") in text  # the candidate's name, literally
        assert_clean(app)


async def test_entities_screen_and_its_modals_and_toasts(nasty) -> None:
    svc, ids = nasty
    app = GlossatorApp(svc)
    async with app.run_test(size=LARGE_SIZE, notifications=True) as pilot:
        await pilot.press("E")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EntitiesScreen)
        screen.table.move_cursor(row=screen.table.get_row_index(ids["entity"]))
        await pilot.pause()
        text = shown(app)
        assert lit(ENTITY) in text and ORG in text  # detail: name and aliases
        assert_clean(app)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, NameModal)
        assert lit(f"New name for {ENTITY}") in shown(app)
        assert app.screen.query_one(Input).value == lit(ENTITY)
        assert_clean(app)
        app.screen.query_one(Input).value = "[red]Iraq[/] [AFP]"
        await pilot.press("enter")
        await pilot.pause()
        assert f"renamed {ids['entity']} to [red]Iraq[/] [AFP]" in toasts(app)
        assert svc.entities.get(ids["entity"]).name == "[red]Iraq[/] [AFP]"
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        assert f"{ORG}  (1 mentions)" in shown(app)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert "” is now " in toasts(app)
        await pilot.press("d")  # the duplicates view
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = shown(app)
        assert lit(DUP) in text
        assert_clean(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert lit(DUP) in shown(app)
        assert_clean(app)
        await pilot.press("y")
        await pilot.pause()
        assert "mentions moved (u undoes)" in toasts(app)


async def test_dashboard_and_adjudication_with_markup_and_osc_annotators(nasty) -> None:
    svc, ids = nasty
    app = GlossatorApp(svc)
    async with app.run_test(size=LARGE_SIZE, notifications=True) as pilot:
        await pilot.press("D")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        text = shown(app)
        assert ANNOTATOR_A in text and lit(ANNOTATOR_B) in text
        assert_clean(app)
        await pilot.press("escape")
        corpus = app.corpus()
        corpus.select(ids["three"])
        await pilot.press("J")  # only A annotated it: the toast names A literally
        await pilot.pause()
        assert f"this article has {ANNOTATOR_A}" in toasts(app)
        corpus.select(ids["two"])
        await pilot.press("J")
        await pilot.pause()
        assert isinstance(app.screen, AdjudicateScreen)
        text = shown(app)
        assert lit(f"a: {ANNOTATOR_B}") in text and f"b: {ANNOTATOR_A}" in text  # column headers
        assert f"Final ({REVIEWER})" in text
        assert lit(f"{TITLE} 2") in text  # the summary
        assert_clean(app)


async def test_a_failing_worker_ends_in_an_error_toast(nasty, monkeypatch) -> None:
    svc, _ = nasty

    def broken(*args, **kwargs):
        raise RuntimeError("[/] boom \x1b]0;x\x07")

    monkeypatch.setattr("tui.screens.dashboard.find_duplicates", broken)
    app = GlossatorApp(svc)
    async with app.run_test(size=LARGE_SIZE, notifications=True) as pilot:
        await pilot.press("D")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "counting duplicate clusters failed: RuntimeError: [/] boom ␛]0;x␇" in toasts(app)
        assert_clean(app)
        await pilot.press("escape")  # the app still answers
        await pilot.pause()
        assert not isinstance(app.screen, DashboardScreen)

"""Events with arguments in the review app (issue 6), driven through the pilot.

An ATTACK frame is built from suggestions and by hand (agent, target, place, time as a DATE
value span), arguments are rejected, replaced, removed, undone and redone; a DEPLOYMENT gets a
QUANTITY made on the spot. Results are checked in ``Service.review.state``, the JSONL and the brat export.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from annotate.review.frames import ATTACHED, EMPTY, SUGGESTED
from annotate.review.navigation import word_step
from annotate.review.state import GOLD, PENDING
from annotate.review.tokens import TokenIndex
from annotate.service import Service
from store.models import EVENT, VALUE
from tests.paths import SIZE
from tests.tui.events_support import ATTACK_SENTENCE, article_id, near
from tui.app import GlossatorApp
from tui.modals.dialogs import LabelPicker
from tui.screens.article.screen import ArticleScreen

pytestmark = pytest.mark.anyio


async def move_to(pilot, screen: ArticleScreen, offset: int) -> None:
    """Put the token cursor on the word starting at ``offset``: `w` / `b` presses when it is near,
    else a click there (as a reviewer would; hundreds of key presses make slow tests)."""
    text = screen.state.article.text
    tokens = TokenIndex(text)
    target = tokens.at(offset)
    n, keys = screen.cursor, []
    while n != target and len(keys) <= 12:
        key, delta = ("w", 1) if n < target else ("b", -1)
        moved = word_step(tokens, text, n, delta)
        assert moved != n, "cannot reach the offset by words"
        n = moved
        keys.append(key)
    if n == target:
        await pilot.press(*keys)
    else:
        await click_at(pilot, screen, offset)
    assert screen.cursor == target


async def click_at(pilot, screen: ArticleScreen, offset: int) -> None:
    """Click the character at ``offset`` in the article view (scrolled into view first)."""
    view = screen.query_one("#text")
    view.keep_in_view(offset, offset + 1)
    await pilot.pause()
    line = view.line_of(offset)
    start = view.lines[line][0]
    x = view.GUTTER + cell_len(view.display_text[start:offset])
    await pilot.click(view, offset=(x, line - round(view.scroll_offset.y)))


async def select_row(pilot, screen: ArticleScreen, role: str) -> None:
    """Press `]` until the frame's selected argument has ``role``."""
    for _ in range(10):
        frame = screen.frame()
        if frame.choices[screen.frame_row].role == role:
            return
        await pilot.press("right_square_bracket")
    raise AssertionError(f"no {role} argument in the frame")


def frame_rows(screen: ArticleScreen) -> list[tuple[str, str, str]]:
    """(role, state, filler text) of each row of the frame on screen."""
    return [(r.role, r.state, r.text) for r in screen.frame().rows]


def gold_args(svc: Service, aid: str) -> set[tuple[str, str, str, str]]:
    """(trigger, role, filler text, filler label) of the annotator's gold arguments."""
    items = {i.span_id: i for i in svc.review.state(aid).items if i.state == GOLD}
    return {(items[a.event_id].text, a.role, items[a.span_id].text, items[a.span_id].label)
            for a in svc.review.state(aid).args}


FULL_FRAME = {
    ("tirés", "agent", "Résistance islamique en Irak", "ORG"),
    ("tirés", "target", "Aïn Al\u00a0Assad", "LOC"),
    ("tirés", "place", "Irak", "LOC"),
    ("tirés", "time", "samedi", "DATE"),
}


async def test_attack_frame_from_suggestions_and_by_hand(event_svc: Service, tmp_path: Path) -> None:
    svc = event_svc
    aid = article_id(svc, "000_")
    text = svc.data.article(aid).text
    line = text.index(ATTACK_SENTENCE)
    trigger = near(text, "tirés", line)[0]
    async with GlossatorApp(svc).run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = pilot.app.screen
        assert isinstance(screen, ArticleScreen)
        await move_to(pilot, screen, trigger)
        assert (screen.item.text, screen.item.label, screen.item.state) == ("tirés", "ATTACK", PENDING)
        assert screen.query_one("#frame").display
        assert frame_rows(screen) == [
            ("agent", SUGGESTED, "Centcom"), ("target", SUGGESTED, "Aïn Al\u00a0Assad"),
            ("instrument", EMPTY, ""), ("place", SUGGESTED, "Irak"), ("time", SUGGESTED, "samedi"),
        ]

        await pilot.press("n")  # reject Centcom as the agent; the trigger stays pending
        assert frame_rows(screen)[0] == ("agent", EMPTY, "")
        assert screen.item.state == PENDING

        await pilot.press("y")  # accept the target: trigger and filler become gold
        assert screen.item.text == "tirés" and screen.item.state == GOLD
        assert gold_args(svc, aid) == {("tirés", "target", "Aïn Al\u00a0Assad", "LOC")}
        assert screen.frame().choices[screen.frame_row].role == "place"  # y / n go down the suggestions

        # the suggested place is the title's "Irak": replace it by the one of "l’ouest de l’Irak"
        await select_row(pilot, screen, "place")
        await pilot.press("R")
        assert screen.picking is not None and screen.picking.role == "place"
        assert "ATTACK › place (replacing “Irak”): choose a span, Enter to attach" in screen.pick_prompt()
        await move_to(pilot, screen, near(text, "Irak", line)[0])
        await pilot.press("3")  # a new LOC span there, current
        assert screen.item.label == "LOC" and screen.picking is not None
        await pilot.press("enter")
        assert screen.picking is None and screen.item.text == "tirés"  # back on the event
        assert ("place", SUGGESTED, "Irak") not in frame_rows(screen)

        await select_row(pilot, screen, "time")
        await pilot.press("y")  # the DATE value span "samedi"

        # the agent by hand: role picker, then a new ORG span over four words, then Enter
        await pilot.press("r")
        assert isinstance(pilot.app.screen, LabelPicker)
        await pilot.press("a", "g", "enter")  # type-ahead: agent
        agent = near(text, "Résistance islamique en Irak")
        await move_to(pilot, screen, agent[0])
        await pilot.press("v")
        await move_to(pilot, screen, agent[1] - len("Irak"))
        await pilot.press("2", "enter")
        assert gold_args(svc, aid) == FULL_FRAME
        assert [r.state for r in screen.frame().rows if r.role != "instrument"] == [ATTACHED] * 4

        # remove the agent; undo, redo, undo
        await select_row(pilot, screen, "agent")
        await pilot.press("X")
        assert gold_args(svc, aid) == FULL_FRAME - {("tirés", "agent", "Résistance islamique en Irak", "ORG")}
        await pilot.press("u")
        assert gold_args(svc, aid) == FULL_FRAME
        await pilot.press("ctrl+y")
        assert len(gold_args(svc, aid)) == 3
        await pilot.press("u")
        assert gold_args(svc, aid) == FULL_FRAME

        # replace the target by a pending suggestion (Centcom): one action accepts it and replaces
        await select_row(pilot, screen, "target")
        await pilot.press("R", "k")  # while choosing, k skips events: the previous entity or value span
        assert screen.item.text == "Centcom" and screen.item.state == PENDING
        await pilot.press("enter")
        assert ("tirés", "target", "Centcom", "ORG") in gold_args(svc, aid)
        await pilot.press("u")  # one undo: Centcom pending again, the target back
        assert gold_args(svc, aid) == FULL_FRAME
        assert any(i.text == "Centcom" and i.state == PENDING for i in svc.review.state(aid).items)

        # Esc while choosing cancels and comes back to the event
        await pilot.press("r", "1", "j", "escape")
        assert screen.picking is None and screen.item.text == "tirés"
        assert gold_args(svc, aid) == FULL_FRAME

    svc.review.mark_done(aid)
    out = tmp_path / "gold.jsonl"
    svc.data.export_jsonl(out)
    record = next(json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()
                  if json.loads(line)["text"] == text)
    (event,) = record["events"]
    assert (event["text"], event["label"]) == ("tirés", "ATTACK")
    exported = {(event["text"], a["role"], record["spans"][a["span"]]["text"], record["spans"][a["span"]]["label"])
                for a in event["args"]}
    assert exported == FULL_FRAME

    brat = tmp_path / "brat"
    svc.data.export_data(brat, fmt="brat")
    ann = next(p for p in brat.glob("000_*.ann")).read_text(encoding="utf-8")
    spans = {}
    for row in ann.splitlines():
        if row.startswith("T"):
            tid, label_offsets, surface = row.split("\t")
            spans[tid] = (label_offsets.split()[0], surface)
    (e_line,) = [row for row in ann.splitlines() if row.startswith("E")]
    head, *roles = e_line.split("\t")[1].split()
    label, trigger_id = head.split(":")
    assert (label, spans[trigger_id]) == ("ATTACK", ("ATTACK", "tirés"))
    assert {(role, *spans[tid][::-1]) for role, tid in (r.split(":") for r in roles)} == {
        (role, surface, lab) for _, role, surface, lab in FULL_FRAME}


async def test_deployment_with_a_quantity_made_on_the_spot(event_svc: Service, tmp_path: Path) -> None:
    svc = event_svc
    aid = article_id(svc, "002_")
    text = svc.data.article(aid).text
    quantity = near(text, "5\u00a0000 soldats" if "5\u00a0000 soldats" in text else "5 000 soldats")
    trigger = near(text, "déployés", quantity[0])
    async with GlossatorApp(svc).run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter")  # the third article of the corpus: seed 002
        screen = pilot.app.screen
        assert isinstance(screen, ArticleScreen) and screen.article_id == aid
        await move_to(pilot, screen, trigger[0])
        await pilot.press("e", "5")  # DEPLOYMENT is the fifth event type
        assert (screen.item.text, screen.item.label) == ("déployés", "DEPLOYMENT")
        assert [r.role for r in screen.frame().rows] == ["agent", "place", "quantity"]
        await pilot.press("r", "3")  # quantity
        await move_to(pilot, screen, quantity[0])
        await pilot.press("v")
        await move_to(pilot, screen, quantity[1] - len("soldats"))
        await pilot.press("t", "Q", "U", "A", "enter")  # label picker: QUANTITY, a value span
        assert (screen.item.text, screen.item.label, screen.item.kind) == (text[slice(*quantity)], "QUANTITY", VALUE)
        await pilot.press("enter")
        assert screen.item.text == "déployés"
        assert [(r.role, r.state) for r in screen.frame().rows][-1] == ("quantity", ATTACHED)
        await pilot.press("enter")  # Enter outside a role choice changes nothing
    assert gold_args(svc, aid) == {("déployés", "quantity", text[slice(*quantity)], "QUANTITY")}
    spans = {(i.text, i.label, i.kind) for i in svc.review.state(aid).gold}
    assert (text[slice(*quantity)], "QUANTITY", VALUE) in spans  # a value span, not an entity

    svc.review.mark_done(aid)
    out = tmp_path / "gold.jsonl"
    svc.data.export_jsonl(out)
    record = next(json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()
                  if json.loads(line)["text"] == text)
    (event,) = record["events"]
    assert [(a["role"], record["spans"][a["span"]]["label"]) for a in event["args"]] == [("quantity", "QUANTITY")]


async def test_role_key_away_from_an_event_says_what_to_do(event_svc: Service) -> None:
    async with GlossatorApp(event_svc).run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = pilot.app.screen
        assert screen.item.kind != EVENT
        assert "the current span is not an event" in str(screen.query_one("#frame").render())
        await pilot.press("r")
        assert isinstance(pilot.app.screen, ArticleScreen) and screen.picking is None
        assert "refused: r attaches a role to an event: go to an event trigger first" in \
            str(screen.query_one("#status").render())
        await pilot.press("y", "X")
        assert isinstance(pilot.app.screen, ArticleScreen) and screen.picking is None
        assert "refused: no argument selected" in str(screen.query_one("#status").render())


def trigger_state(svc: Service, aid: str) -> str:
    """Whether this annotator's "tirés" is gold or pending."""
    return next(i.state for i in svc.review.state(aid).items if i.text == "tirés")


async def test_an_argument_on_a_pending_trigger_is_one_undo_step(event_svc: Service) -> None:
    svc = event_svc
    aid = article_id(svc, "000_")
    text = svc.data.article(aid).text
    line = text.index(ATTACK_SENTENCE)
    trigger = near(text, "tirés", line)[0]
    async with GlossatorApp(svc).run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = pilot.app.screen
        await move_to(pilot, screen, trigger)
        await select_row(pilot, screen, "target")
        await pilot.press("y")  # trigger and argument in one action
        assert trigger_state(svc, aid) == GOLD and len(svc.review.state(aid).args) == 1
        await pilot.press("u")
        assert trigger_state(svc, aid) == PENDING and not svc.review.state(aid).args

        await move_to(pilot, screen, trigger)
        await pilot.press("r", "t", "a", "enter")  # type-ahead: target; the trigger is not accepted yet
        assert screen.picking is not None and trigger_state(svc, aid) == PENDING
        await move_to(pilot, screen, near(text, "Aïn", line)[0])
        await pilot.press("enter")
        assert screen.picking is None and screen.item.text == "tirés" and screen.item.state == GOLD
        assert gold_args(svc, aid) == {("tirés", "target", "Aïn Al\u00a0Assad", "LOC")}
        await pilot.press("u")
        assert trigger_state(svc, aid) == PENDING and not svc.review.state(aid).args


async def test_y_on_the_last_suggested_argument_does_not_jump_back_up(event_svc: Service) -> None:
    svc = event_svc
    aid = article_id(svc, "000_")
    text = svc.data.article(aid).text
    trigger = near(text, "tirés", text.index(ATTACK_SENTENCE))[0]
    async with GlossatorApp(svc).run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = pilot.app.screen
        await move_to(pilot, screen, trigger)
        await select_row(pilot, screen, "time")  # the last suggested argument
        await pilot.press("y")
        row = screen.frame().choices[screen.frame_row]
        assert (row.role, row.state) == ("time", ATTACHED)  # stays on what it accepted
        assert screen.item.text == "tirés"

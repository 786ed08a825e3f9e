"""The adjudication and dashboard screens, pushed on a tiny host app and driven by the pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import Static

from annotate.service import Service
from tests.team_support import gold, perturbed, write_jsonl
from tui.screens.adjudicate import AdjudicateScreen
from tui.screens.dashboard import DashboardScreen, LabelBars, bar

# Wider than the standard tests.paths.SIZE (120×40).
WIDE_SIZE = (140, 40)
pytestmark = pytest.mark.anyio


class Host(App[None]):
    """Shows one screen and records the messages it posts."""

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.first = screen
        self.seen: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.first)

    def on_adjudicate_screen_finished(self, message: AdjudicateScreen.Finished) -> None:
        self.seen.append(message)

    def on_adjudicate_screen_edit_requested(self, message: AdjudicateScreen.EditRequested) -> None:
        self.seen.append(message)


@pytest.fixture
def team(tmp_path: Path):
    """One database where alice (hand gold) and bob (perturbed) annotated the first seed; reviewer rita."""
    records = gold()[:1]
    svc = Service.open(tmp_path / "g.db", annotator="rita")
    svc.data.import_jsonl(write_jsonl(tmp_path / "a.jsonl", records, "alice"))
    svc.data.import_jsonl(write_jsonl(tmp_path / "b.jsonl", perturbed(records), "bob"))
    yield svc
    svc.close()


def keys(marks) -> tuple:
    return tuple(m.key for m in marks)


async def test_adjudicate_an_article_with_the_keyboard(team: Service) -> None:
    svc = team
    aid = svc.store.article_ids()[0]
    before = svc.team.adjudication(aid)
    agreed = [m for r in before.rows if r.agreed for m in r.version("alice")]
    differ = before.disagreements
    assert before.annotators == ("alice", "bob") and len(differ) >= 6 and not before.final

    app = Host(AdjudicateScreen(svc, aid))
    async with app.run_test(size=WIDE_SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, AdjudicateScreen)
        # agreed spans were pre-accepted for rita in one action
        assert {(s.start, s.end, s.label) for s in svc.store.spans(aid, "rita")} == \
            {(m.start, m.end, m.label) for m in agreed}
        assert svc.store.history(aid)[0].kind == "adjudicate_agreed"
        assert screen.row_index == differ[0]  # the cursor waits on the first disagreement

        await pilot.press("a")  # alice's version
        adj = svc.team.adjudication(aid)
        assert keys(adj.decided(adj.rows[differ[0]])) == keys(adj.rows[differ[0]].version("alice"))
        assert screen.row_index == differ[1]  # moved on to the next open one

        await pilot.press("b")  # bob's version
        adj = svc.team.adjudication(aid)
        assert adj.choice(adj.rows[differ[1]]) == "bob"
        assert screen.row_index == differ[2]

        await pilot.press("s")  # skip: stays open
        assert screen.row_index == differ[3]
        await pilot.press("x")  # neither: nothing kept there
        adj = svc.team.adjudication(aid)
        assert adj.decided(adj.rows[differ[3]]) == () and adj.choice(adj.rows[differ[3]]) is not None
        assert adj.choice(adj.rows[differ[2]]) is None

        assert screen.row_index == differ[4]  # the next open one
        await pilot.press("N")  # back to the previous disagreement
        assert screen.row_index == differ[3]
        await pilot.press("n", "n")
        assert screen.row_index == differ[5]

        summary = str(screen.query_one("#adj-summary", Static).render())
        assert "alice, bob" in summary and "final gold: rita" in summary

        await pilot.press("e")
        await pilot.press("d")
        await pilot.pause()
        assert svc.review.status(aid) == "done"
        assert [type(m).__name__ for m in app.seen] == ["EditRequested", "Finished"]

    # everything rita did is hers, logged, and exported under her name
    assert {s.annotator for s in svc.store.spans(aid, "rita")} == {"rita"}
    kinds = [a.kind for a in svc.store.history(aid) if a.annotator == "rita"]
    assert "adjudicate" in kinds and "adjudicate_agreed" in kinds


async def test_undo_in_the_adjudication_screen_reverts_a_pick(team: Service) -> None:
    svc = team
    aid = svc.store.article_ids()[0]
    app = Host(AdjudicateScreen(svc, aid))
    async with app.run_test(size=WIDE_SIZE) as pilot:
        screen = app.screen
        row = screen.row_index
        await pilot.press("b")
        assert svc.team.adjudication(aid).choice(svc.team.adjudication(aid).rows[row]) == "bob"
        await pilot.press("u")
        assert svc.team.adjudication(aid).choice(svc.team.adjudication(aid).rows[row]) is None
        await pilot.press("escape")
        assert not isinstance(app.screen, AdjudicateScreen)


async def test_agreed_spans_are_not_pre_accepted_twice(team: Service) -> None:
    aid = team.store.article_ids()[0]
    first = team.team.adjudicate_start(aid)
    assert first > 0 and team.team.adjudicate_start(aid) == 0


async def test_dashboard_shows_the_figures_and_the_label_chart(team: Service) -> None:
    app = Host(DashboardScreen(team))
    async with app.run_test(size=WIDE_SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        chart = screen.query_one(LabelBars)
        n_spans = team.store.db.execute("SELECT count(*) FROM spans").fetchone()[0]
        assert sum(chart.counts.values()) == n_spans
        rendered = chart.render().plain.splitlines()
        assert rendered[0].startswith("LOC") and "█" in rendered[0]
        assert len(rendered) == len(chart.counts)
        progress = str(screen.query_one("#dash-progress", Static).render())
        assert "1 articles" in progress and "1 done" in progress
        await app.workers.wait_for_complete()  # duplicate clusters are counted in a worker
        await pilot.pause()
        entities = str(screen.query_one("#dash-entities", Static).render())
        expected = len(team.entities.duplicates())
        assert f"{expected} duplicate clusters left" in entities and screen.stats.duplicate_clusters == expected
        team.review.add_span(team.store.article_ids()[0], 0, 4, "LOC")  # rita's span: one more LOC
        await pilot.press("r")
        assert sum(chart.counts.values()) == n_spans + 1
        await pilot.press("escape")
        assert not isinstance(app.screen, DashboardScreen)


def test_bars_scale_with_eighths() -> None:
    assert bar(10, 10, 4) == "████"
    assert bar(5, 10, 4) == "██"
    assert bar(1, 16, 2) == "▏"  # 1/16 of 2 cells = 1 eighth
    assert bar(1, 1000, 10) == "▏"  # a label that exists is never invisible
    assert bar(0, 10, 4) == ""

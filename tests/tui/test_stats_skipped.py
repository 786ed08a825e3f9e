"""Skipped articles in the figures: `glossator stats` and the dashboard say "N todo (M skipped)"
and count each annotator's skips in a column of their own (a skip is no start: still todo)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import DataTable, Static
from typer.testing import CliRunner

from annotate.service import Service
from tests.paths import SEEDS
from tui.screens.dashboard import DashboardScreen

pytestmark = pytest.mark.anyio


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Five seed articles: alice marks one done and skips two, bob skips one of those and starts another."""
    path = tmp_path / "g.db"
    alice = Service.open(path, annotator="alice")
    alice.data.ingest([SEEDS])
    ids = alice.store.article_ids()
    alice.review.mark_done(ids[0])
    alice.flags.skip(ids[1])
    alice.flags.skip(ids[2])
    alice.close()
    bob = Service.open(path, annotator="bob")
    bob.flags.skip(ids[1])
    bob.review.add_span(ids[3], 0, 4, "LOC")
    bob.close()
    return path


def test_stats_command_says_how_many_todo_articles_were_skipped(db: Path) -> None:
    from cli.main import app

    result = CliRunner().invoke(app, ["stats", "--db", str(db)])
    assert result.exit_code == 0, result.output
    total = len(list(SEEDS.glob("*.txt")))
    # ids[1] and ids[2] were skipped and nobody started them; ids[3] is in progress (bob).
    assert f"1 done, 1 in progress, {total - 2} todo (2 skipped)" in result.output
    head, *rows = [line.split() for line in result.output.splitlines() if line.startswith(("annotator", "alice", "bob"))]
    assert head[:6] == ["annotator", "done", "in", "progress", "todo", "skipped"]
    by_name = {r[0]: r[1:5] for r in rows}
    assert by_name["alice"] == ["1", "0", str(total - 1), "2"]  # done, in progress, todo (skips in it), skipped
    assert by_name["bob"] == ["0", "1", str(total - 1), "1"]
    data = CliRunner().invoke(app, ["stats", "--db", str(db), "--json"])
    figures = json.loads(data.output)
    assert figures["skipped"] == 2 and figures["by_annotator"]["alice"]["skipped"] == 2


class Host(App[None]):
    def __init__(self, screen) -> None:
        super().__init__()
        self.first = screen

    def on_mount(self) -> None:
        self.push_screen(self.first)


async def test_dashboard_shows_skipped_articles(db: Path) -> None:
    svc = Service.open(db, annotator="alice")
    total = len(svc.store.article_ids())
    try:
        app = Host(DashboardScreen(svc))
        async with app.run_test(size=(140, 40)):
            screen = app.screen
            progress = str(screen.query_one("#dash-progress", Static).render())
            assert f"{total - 2} todo (2 skipped)" in progress
            table = screen.query_one("#dash-annotators", DataTable)
            labels = [str(c.label) for c in table.columns.values()]
            assert labels[3:5] == ["Todo", "Skipped"]
            rows = {str(table.get_row_at(i)[0]): table.get_row_at(i) for i in range(table.row_count)}
            assert rows["alice"][3:5] == [total - 1, 2] and rows["bob"][3:5] == [total - 1, 1]
    finally:
        svc.close()

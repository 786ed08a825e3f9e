"""SVG snapshots of the entities screen and its duplicates view at 120×40 (look before --snapshot-update)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.service import Service
from tests.paths import GOLD, SEEDS, SIZE
from tui.app import GlossatorApp
from tui.screens.duplicates import DuplicatesPane
from tui.screens.entities import EntitiesScreen


@pytest.fixture
def kb_svc(tmp_path: Path):
    """Seeds and their hand-made gold, plus a twin of the Iraqi prime minister; annotator alice."""
    svc = Service.open(tmp_path / "g.db", annotator="alice")
    svc.data.ingest([SEEDS])
    svc.data.import_jsonl(GOLD)
    svc.entities.create("Al-Soudani", "PER")
    yield svc
    svc.close()


def test_entities_screen(kb_svc: Service, snap_compare) -> None:
    async def on_sudani(pilot) -> None:
        await pilot.press("E")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, EntitiesScreen)
        screen.table.move_cursor(row=screen.table.get_row_index("mohammed_shia_al_sudani"), animate=False)
        await pilot.press("m")  # marked for merging; the cursor moves on
        await pilot.press("up")
        await pilot.pause()

    assert snap_compare(GlossatorApp(kb_svc), run_before=on_sudani, terminal_size=SIZE)


def test_duplicates_view(kb_svc: Service, snap_compare) -> None:
    async def scanned(pilot) -> None:
        await pilot.press("E")
        await pilot.pause()  # the entities screen has its focus: "d" is its key, not a letter of the filter
        await pilot.press("d")
        pane = pilot.app.screen.query_one(DuplicatesPane)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert not pane.scanning

    assert snap_compare(GlossatorApp(kb_svc), run_before=scanned, terminal_size=SIZE)

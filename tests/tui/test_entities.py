"""The entities screen driven by the pilot: rename, split, merge with undo/redo, duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from annotate.service import Service
from tests.paths import GOLD, SEEDS, SIZE
from tui.app import GlossatorApp
from tui.modals.dialogs import ConfirmModal
from tui.modals.entity import ChoiceModal, NameModal
from tui.modals.help import HelpScreen
from tui.screens.corpus import CorpusScreen
from tui.screens.duplicates import DuplicatesPane
from tui.screens.entities import EntitiesScreen

SUDANI = "mohammed_shia_al_sudani"
pytestmark = pytest.mark.anyio


@pytest.fixture
def kb_svc(tmp_path: Path):
    """Seeds and their hand-made gold (48 canonical entities), annotator alice."""
    svc = Service.open(tmp_path / "g.db", annotator="alice")
    svc.data.ingest([SEEDS])
    svc.data.import_jsonl(GOLD)
    yield svc
    svc.close()


async def open_entities(app: GlossatorApp, pilot) -> EntitiesScreen:
    """From the corpus, `E`."""
    assert isinstance(app.screen, CorpusScreen)
    await pilot.press("E")
    await pilot.pause()
    assert isinstance(app.screen, EntitiesScreen)
    return app.screen


def goto(screen: EntitiesScreen, entity_id: str) -> None:
    """Put the table cursor on an entity."""
    screen.table.move_cursor(row=screen.table.get_row_index(entity_id), animate=False)
    assert screen.current_id() == entity_id


async def scanned(pilot, pane: DuplicatesPane) -> None:
    """Wait for the duplicates worker, then for its result to be shown."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert not pane.scanning, "the duplicates scan did not finish"


async def test_rename_and_undo(kb_svc: Service) -> None:
    svc = kb_svc
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entities(app, pilot)
        await pilot.press("slash", *"sudani", "enter")  # the filter finds it by id or alias
        assert screen.current_id() == SUDANI and screen.table.row_count == 1
        await pilot.press("r")
        assert isinstance(app.screen, NameModal)
        app.screen.query_one(Input).value = "Mohammed Chia al-Soudani"
        await pilot.press("enter")
        assert svc.entities.get(SUDANI).name == "Mohammed Chia al-Soudani"
        assert "Mohammed Chia al-Soudani" in str(screen.table.get_row(SUDANI)[1])
        await pilot.press("u")
        assert svc.entities.get(SUDANI).name != "Mohammed Chia al-Soudani"


async def test_split_an_alias_off_keeps_every_mention(kb_svc: Service) -> None:
    svc = kb_svc
    before = svc.entities.mention_counts()
    written_soudani = sum(1 for m in svc.entities.mentions(SUDANI) if m.text == "Soudani")
    assert written_soudani
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entities(app, pilot)
        goto(screen, SUDANI)
        await pilot.press("s")
        modal = app.screen
        assert isinstance(modal, ChoiceModal)
        index = [key for key, _ in modal.choices].index("Soudani")
        await pilot.press(*["down"] * index, "enter")
        assert isinstance(app.screen, EntitiesScreen)
    after = svc.entities.mention_counts()
    new = next(e for e in svc.entities.list() if e.name == "Soudani")
    assert after[new.id] == written_soudani
    assert after[SUDANI] == before[SUDANI] - written_soudani
    assert sum(after.values()) == sum(before.values())


async def test_merge_marked_entities_then_undo_and_redo(kb_svc: Service) -> None:
    svc = kb_svc
    before = svc.entities.mention_counts()
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entities(app, pilot)
        goto(screen, "baghdad")
        await pilot.press("m")
        assert screen.marked == {"baghdad"}
        goto(screen, "iraq")
        await pilot.press("M")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        assert svc.entities.get("baghdad").merged_into == "iraq" and not screen.marked
        assert "baghdad" not in screen.by_id
        counts = svc.entities.mention_counts()
        assert counts["iraq"] == before["iraq"] + before["baghdad"] and "baghdad" not in counts
        assert screen.table.get_row("iraq")[5].plain == str(counts["iraq"])

        await pilot.press("u")  # undo restores every mention
        assert svc.entities.mention_counts() == before
        assert svc.entities.get("baghdad").merged_into is None and "baghdad" in screen.by_id
        await pilot.press("ctrl+y")  # redo
        assert svc.entities.mention_counts()["iraq"] == before["iraq"] + before["baghdad"]


async def test_merge_asks_and_no_keeps_everything(kb_svc: Service) -> None:
    svc = kb_svc
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entities(app, pilot)
        await pilot.press("M")  # nothing marked
        assert isinstance(app.screen, EntitiesScreen)
        goto(screen, "baghdad")
        await pilot.press("m")
        goto(screen, "iraq")
        await pilot.press("M", "n")
        assert svc.entities.get("baghdad").merged_into is None and screen.marked == {"baghdad"}


async def test_duplicates_view_merges_a_cluster_into_its_best_named_member(kb_svc: Service) -> None:
    svc = kb_svc
    twin = svc.entities.create("Al-Soudani", "PER")
    second = svc.entities.create("Moustafa al-Kazimi", "PER")  # a twin of mustafa_al_kadhimi, for the keeper path
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_entities(app, pilot)
        await pilot.press("d")
        pane = screen.query_one(DuplicatesPane)
        assert screen.in_duplicates
        await scanned(pilot, pane)
        index = next(n for n, c in enumerate(pane.clusters) if twin in c.entity_ids)
        assert set(pane.clusters[index].entity_ids) == {twin, SUDANI}
        assert pane.clusters[index].evidence
        count = len(pane.clusters)
        pane.table.move_cursor(row=index)
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        assert svc.entities.get(twin).merged_into == SUDANI  # the fuller name is kept
        assert len(pane.clusters) == count - 1 and all(twin not in c.entity_ids for c in pane.clusters)

        # k: choose the keeper of another cluster
        cluster = pane.clusters[pane.current()]
        assert second in cluster.entity_ids
        keep = cluster.entity_ids[-1]
        await pilot.press("k")
        modal = app.screen
        assert isinstance(modal, ChoiceModal)
        want = [key for key, _ in modal.choices].index(keep)
        await pilot.press("home" if want == 0 else "end", "enter", "y")
        assert all(svc.entities.get(e).merged_into == keep for e in cluster.entity_ids if e != keep)
        assert len(pane.clusters) == count - 2

        await pilot.press("u")  # undo: the last merge is undone; the duplicates are found again
        assert all(svc.entities.get(e).merged_into is None for e in cluster.entity_ids)
        await scanned(pilot, pane)
        assert any(set(c.entity_ids) == set(cluster.entity_ids) for c in pane.clusters)

        await pilot.press("escape")  # back to the list
        assert not screen.in_duplicates
        await pilot.press("escape")
        assert isinstance(app.screen, CorpusScreen)


async def test_help_lists_the_entity_keys(kb_svc: Service) -> None:
    app = GlossatorApp(kb_svc)
    async with app.run_test(size=SIZE) as pilot:
        await open_entities(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        texts = {text for _, text in app.screen.rows}
        for wanted in ("Rename the entity", "Merge the marked entities into this one",
                       "Split an alias off into its own entity", "Undo the latest entity change",
                       "Dashboard: progress and statistics"):
            assert wanted in texts

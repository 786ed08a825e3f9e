"""The entities screen: canonical entities with their aliases and mentions; rename, split, merge.

Two views in one screen: the entity table (filter, details of the highlighted entity) and
the likely duplicates (:class:`tui.screens.duplicates.DuplicatesPane`). Under the table, the
highlighted entity's mentions in their sentences (:class:`tui.screens.entity_mentions.MentionsPane`),
unlinked, relinked or split off by key and opened with Enter. Every change is one
logged action with no article scope, so ``u`` / ``Ctrl+Y`` undo and redo entity changes
(``Service.review.undo(None)``). Reached with ``E`` from every screen and from the palette.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import ContentSwitcher, DataTable, Footer, Input, Static
from textual.worker import Worker

from annotate.service import Service
from store.models import Entity
from tui import keys
from tui.modals.dialogs import ConfirmModal
from tui.modals.entity import ChoiceModal, NameModal
from tui.screens.base import FAILED, GlossatorScreen
from tui.screens.duplicates import SCAN_GROUP, DuplicatesPane, keeper
from tui.screens.entity_mentions import MentionList, MentionsPane
from tui.screens.mention_actions import MentionActions
from tui.text import displayable, literal, one_line
from tui.theme import BUSY, tone

FIRST_ROWS = 200  # rows added before the first paint; the rest follow in chunks
CHUNK_ROWS = 1000
LIST_ONLY = {"focus_filter", "rename", "split", "mark", "merge", "mention_unlink", "mention_relink", "mention_split"}
COLUMNS = (("mark", "", 1), ("name", "Name", 26), ("type", "Type", 4), ("id", "Id", 20),
           ("aliases", "Aliases", 7), ("mentions", "Mentions", 8))


class EntitiesScreen(GlossatorScreen[None]):
    """Canonical entities and their likely duplicates, for review and repair."""

    CSS_PATH = "../styles/entities.tcss"
    BINDINGS = keys.bindings(keys.ENTITY_ACTIONS)

    def __init__(self, service: Service) -> None:
        super().__init__()
        self.svc = service
        self.entities: list[Entity] = []
        self.by_id: dict[str, Entity] = {}
        self.counts: dict[str, int] = {}
        self.marked: set[str] = set()
        self.text_filter = ""
        self.duplicates_stale = True
        self.view = "ent-list"  # the ContentSwitcher's current child
        self._generation = 0
        self.mention_actions = MentionActions(self)

    def compose(self) -> ComposeResult:
        """Summary, then the list view (filter, table beside details) or the duplicates view."""
        yield Static(id="ent-summary")
        with ContentSwitcher(initial="ent-list", id="ent-views"):
            with Vertical(id="ent-list"):
                yield Input(placeholder="/ filter by name, alias or id", id="ent-filter")
                with Horizontal(id="ent-body"):
                    table: DataTable[Any] = DataTable(id="ent-table", cursor_type="row", zebra_stripes=True)
                    for key, label, width in COLUMNS:
                        table.add_column(label, key=key, width=width)
                    yield table
                    with VerticalScroll(id="ent-detail"):
                        yield Static(id="ent-detail-text")
                yield MentionsPane(id="ent-mentions")
            yield DuplicatesPane(id="ent-duplicates")
        yield Footer()

    def on_mount(self) -> None:
        """Read the entities and fill the table."""
        self.reload()
        self.table.focus()

    @property
    def table(self) -> DataTable[Any]:
        """The entity table."""
        return self.query_one("#ent-table", DataTable)

    @property
    def in_duplicates(self) -> bool:
        """True while the duplicates view is shown."""
        return self.view == "ent-duplicates"

    # -- reading and showing ----------------------------------------------------

    def reload(self, keep: str | None = None) -> None:
        """Re-read entities and mention counts; refill the table, cursor on ``keep`` (else where it was)."""
        self.entities = self.svc.entities.list()
        self.counts = self.svc.entities.mention_counts()
        self.by_id = {e.id: e for e in self.entities}
        self.marked &= self.by_id.keys()
        self._fill(keep or self.current_id())

    def visible(self) -> list[Entity]:
        """Entities passing the filter (name, alias or id contains it), by name."""
        needle = " ".join(self.text_filter.split()).casefold()
        if not needle:
            return self.entities
        return [e for e in self.entities
                if needle in e.id.casefold() or any(needle in " ".join(t.split()).casefold()
                                                    for t in (e.name, *(a.text for a in e.aliases)))]

    def _cells(self, e: Entity) -> list[Any]:
        return [Text("●", style=tone(self, BUSY, "bold")) if e.id in self.marked else "",
                Text(one_line(e.name), no_wrap=True, overflow="ellipsis"), literal(e.type, multiline=False),
                Text(one_line(e.id), no_wrap=True, overflow="ellipsis", style="dim"),
                Text(str(len(e.aliases)), justify="right"), Text(str(self.counts.get(e.id, 0)), justify="right")]

    def _fill(self, keep: str | None) -> None:
        """Refill the table: the first rows at once, the rest in chunks (a big KB opens at once)."""
        self._generation += 1
        self.table.clear()
        rows = self.visible()
        self._add_rows(self._generation, rows, 0, FIRST_ROWS, keep)
        self._summary(len(rows))
        if not rows:
            self._detail(None)

    def _add_rows(self, generation: int, rows: list[Entity], start: int, count: int, keep: str | None) -> None:
        if generation != self._generation:
            return  # a newer fill replaced this one
        table = self.table
        part = rows[start:start + count]
        for e in part:
            table.add_row(*self._cells(e), key=e.id)
        if keep and any(e.id == keep for e in part):
            table.move_cursor(row=table.get_row_index(keep), animate=False)
            keep = None
        if start + count < len(rows):
            self.set_timer(0.02, partial(self._add_rows, generation, rows, start + count, CHUNK_ROWS, keep))
        self._detail(self.current_id())

    def _summary(self, shown: int) -> None:
        text = Text(" Entities ", style="bold reverse")
        text.append(f"  {len(self.entities)} canonical", style="bold")
        text.append(f" · {sum(self.counts.get(e.id, 0) for e in self.entities)} linked mentions")
        if self.marked:
            text.append(f" · {len(self.marked)} marked for merging", style=tone(self, BUSY, "bold"))
        text.append(f"   showing {shown}", style="dim")
        if self.text_filter:
            text.append(f" · filter “{displayable(self.text_filter)}”", style="dim")
        text.append("   d: duplicates" if not self.in_duplicates else "   d: back to the list", style="dim")
        self.query_one("#ent-summary", Static).update(text)

    def current_id(self) -> str | None:
        """Id of the entity under the cursor."""
        table = self.table
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _detail(self, entity_id: str | None) -> None:
        """Name, type, id, aliases with counts and the first mentions of the entity."""
        entity = self.by_id.get(entity_id) if entity_id else None
        out = self.query_one("#ent-detail-text", Static)
        if entity is None:
            out.update(Text("no entity" if not self.entities else "no entity matches the filter", style="dim"))
            self.mention_actions.show(None)
            return
        text = Text(displayable(entity.name), style="bold")
        text.append(f"\n{displayable(entity.type)} · {displayable(entity.id)}", style="dim")
        text.append(f"\n{self.counts.get(entity.id, 0)} mentions · {len(entity.aliases)} aliases", style="dim")
        for key in ("external_id", "description"):
            if getattr(entity, key):
                text.append(f"\n{key.replace('_', ' ')}: {displayable(getattr(entity, key))}")
        text.append(f"\n\nAliases ({len(entity.aliases)})", style="bold")
        for alias in sorted(entity.aliases, key=lambda a: (-a.count, a.text)):
            text.append(f"\n{alias.count:>4}  {displayable(alias.text)}")
        out.update(text)
        self.mention_actions.show(entity)

    @on(DataTable.RowHighlighted, "#ent-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.row_key.value)

    # -- filter ------------------------------------------------------------------

    @on(Input.Changed, "#ent-filter")
    def _filter(self, event: Input.Changed) -> None:
        self.text_filter = event.value.strip()
        self._fill(self.current_id())

    @on(Input.Submitted, "#ent-filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def action_focus_filter(self) -> None:
        """Type to filter by name, alias or id."""
        self.query_one("#ent-filter", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """List actions in the list view, the keeper choice in the duplicates view."""
        if action in LIST_ONLY:
            return not self.in_duplicates
        if action == "choose_keeper":
            return self.in_duplicates
        return True

    # -- changes -----------------------------------------------------------------

    def gone(self) -> None:
        """An entity of the action no longer exists (another session merged it): say so and re-read."""
        super().gone()
        self._changed()

    def worker_failed(self, worker: Worker) -> None:
        """The duplicates scan failed (its error is shown): the view leaves its scanning state."""
        if worker.group == SCAN_GROUP:
            self.query_one(DuplicatesPane).scan_failed()
            self.duplicates_stale = True

    def _changed(self, keep: str | None = None, stale: bool = True) -> None:
        """After a change: re-read; with ``stale`` the duplicates are to be found again."""
        self.duplicates_stale = self.duplicates_stale or stale
        self.reload(keep)

    def action_rename(self) -> None:
        """Give the entity a new canonical name (the id stays)."""
        entity = self.by_id.get(self.current_id() or "")
        if entity is None:
            return

        def named(name: str | None) -> None:
            if name and name != entity.name and self.attempt(lambda: self.svc.entities.rename(entity.id, name)) is not FAILED:
                self.notify(f"renamed {entity.id} to {name} (u undoes)")
                self._changed(entity.id)

        self.app.push_screen(NameModal(f"New name for {entity.name} ({entity.id})", entity.name), named)

    def action_split(self) -> None:
        """Pick an alias: it and the mentions written that way become a new entity."""
        entity = self.by_id.get(self.current_id() or "")
        if entity is None:
            return
        if len(entity.aliases) < 2:
            self.refuse(f"{entity.name} has only one alias: nothing to split off")
            return
        choices = [(a.text, Text(f"{displayable(a.text)}  ({a.count} mentions)"))
                   for a in sorted(entity.aliases, key=lambda a: (-a.count, a.text))]

        def picked(alias: str | None) -> None:
            if alias is None:
                return
            new_id = self.attempt(lambda: self.svc.entities.split(entity.id, alias))
            if new_id is not FAILED:
                self.notify(f"“{alias}” is now {new_id} (u undoes)")
                self._changed(entity.id)

        self.app.push_screen(ChoiceModal(f"Split which alias off {entity.name}?", choices), picked)

    def action_mark(self) -> None:
        """Mark or unmark the entity for merging; the cursor moves down."""
        entity_id = self.current_id()
        if entity_id is None:
            return
        self.marked ^= {entity_id}
        self.table.update_cell(entity_id, "mark", self._cells(self.by_id[entity_id])[0])
        self.table.action_cursor_down()
        self._summary(self.table.row_count)

    def action_merge(self) -> None:
        """Merge the marked entities into the one under the cursor, after asking."""
        keep = self.current_id()
        others = sorted(self.marked - {keep}) if keep else []
        if keep is None or not others:
            self.refuse("mark entities with m, then M on the one to keep")
            return
        self._confirm_merge(keep, others, lambda: self.marked.clear())

    def _confirm_merge(self, keep: str, others: list[str], done: Callable[[], None], stale: bool = True) -> None:
        target = self.by_id.get(keep)
        names = ", ".join(self.by_id[o].name if o in self.by_id else o for o in others)
        moved = sum(self.counts.get(o, 0) for o in others)
        types = {self.by_id[e].type for e in (keep, *others) if e in self.by_id}
        warning = f" Types differ ({', '.join(sorted(types))})!" if len(types) > 1 else ""
        question = (f"Merge {names} into {target.name if target else keep} ({keep})? "
                    f"{moved} mentions and their aliases move; u undoes.{warning}")

        def answered(yes: bool | None) -> None:
            if yes and (count := self.attempt(lambda: self.svc.entities.merge(keep, others))) is not FAILED:
                self.notify(f"merged {len(others)} into {keep}: {count} mentions moved (u undoes)")
                done()
                self._changed(keep, stale)

        self.app.push_screen(ConfirmModal(question), answered)

    def action_undo(self) -> None:
        """Undo the latest entity change (merge, split, rename, creation)."""
        self._history(self.svc.review.undo, "undid", "no entity change to undo")

    def action_redo(self) -> None:
        """Redo the latest undone entity change."""
        self._history(self.svc.review.redo, "redid", "no entity change to redo")

    def _history(self, method: Callable[[str | None], str | None], verb: str, empty: str) -> None:
        kind = self.attempt(lambda: method(None))
        if kind is FAILED:
            return
        self.notify(f"{verb} {kind.replace('_', ' ')}" if kind else empty, timeout=3)
        if kind:
            self._changed()
            if self.in_duplicates:
                self._scan()

    # -- duplicates --------------------------------------------------------------

    def action_toggle_duplicates(self) -> None:
        """Switch between the entity list and the duplicates (found again after changes)."""
        switcher = self.query_one(ContentSwitcher)
        pane = self.query_one(DuplicatesPane)
        if self.in_duplicates:
            if pane.cancel():
                self.duplicates_stale = True
            self.view = switcher.current = "ent-list"
            self.table.focus()
        else:
            self.view = switcher.current = "ent-duplicates"
            if self.duplicates_stale:
                self._scan()
            pane.table.focus()
        self.refresh_bindings()
        self._summary(self.table.row_count)

    def _scan(self) -> None:
        self.duplicates_stale = False
        self.query_one(DuplicatesPane).scan(self.entities, self.counts)

    def action_choose_keeper(self) -> None:
        """Pick which member of the highlighted cluster to keep, then merge (asks first)."""
        pane = self.query_one(DuplicatesPane)
        index = pane.current()
        if index is None:
            return
        cluster = pane.clusters[index]
        best = keeper(cluster, pane.entities, pane.counts)
        choices = [(e, Text(f"{displayable(pane.entities[e].name if e in pane.entities else e)}  "
                            f"({e}, {pane.counts.get(e, 0)} mentions)")) for e in cluster.entity_ids]
        self.app.push_screen(ChoiceModal("Keep which entity? The others merge into it.", choices,
                                         cluster.entity_ids.index(best)),
                             lambda keep: pane.choose(index, keep) if keep else None)

    @on(DuplicatesPane.ClusterChosen)
    def _cluster_chosen(self, event: DuplicatesPane.ClusterChosen) -> None:
        pane = self.query_one(DuplicatesPane)
        # clusters are disjoint: merging one leaves the others as they were
        self._confirm_merge(event.keep, event.others, partial(pane.remove_cluster, event.index), stale=False)

    def action_back(self) -> None:
        """Clear the filter, else stop a scan, else leave the duplicates view, else the screen."""
        box = self.query_one("#ent-filter", Input)
        if not self.in_duplicates and (box.has_focus or box.value):
            box.value = ""
            self.table.focus()
        elif self.in_duplicates and self.query_one(DuplicatesPane).cancel():
            self.duplicates_stale = True
        elif self.in_duplicates:
            self.action_toggle_duplicates()
        else:
            self.dismiss()

    # -- mentions (tui/screens/mention_actions.py) ------------------------------

    def action_mention_unlink(self) -> None:
        """Unlink the marked mentions, else the highlighted one."""
        self.mention_actions.unlink()

    def action_mention_relink(self) -> None:
        """Link the marked (else highlighted) mentions to another entity, in the link picker."""
        self.mention_actions.relink()

    def action_mention_split(self) -> None:
        """Split the marked (else highlighted) mentions off into a new entity."""
        self.mention_actions.split()

    @on(MentionList.Open)
    def _open_mention(self, event: MentionList.Open) -> None:
        self.mention_actions.open(event.mention)

    @on(DataTable.RowSelected, "#ent-table")
    def _to_mentions(self) -> None:
        self.query_one(MentionList).focus()

"""The duplicates view of the entities screen: likely duplicate clusters, found in a worker.

The screen reads the entities (SQLite, main thread) and hands them down with ``scan``; the
clustering (``annotate.entities.matching.find_duplicates``, pure) runs in a thread worker that posts
its progress and stops at the next progress call once cancelled. The worker runs on the screen (the
error policy of :mod:`tui.errors`: a failure reaches the one handler, which shows it, and the
screen's ``worker_failed`` calls :meth:`DuplicatesPane.scan_failed`). Enter on a cluster posts
:class:`DuplicatesPane.ClusterChosen` with its best-named member as the keeper; the screen
confirms, merges, and calls ``remove_cluster``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, ProgressBar, Static
from textual.worker import get_current_worker

from annotate.entities.matching import Cluster, find_duplicates
from store.models import Entity
from tui.text import displayable, literal
from tui.theme import BAD, BUSY, GOOD, tone

KEEP_MARK = "★ "
SCAN_GROUP = "duplicates"


class ScanCancelled(Exception):
    """Raised from the progress callback to stop a cancelled scan."""


def keeper(cluster: Cluster, entities: dict[str, Entity], counts: dict[str, int]) -> str:
    """The best-named member: the fullest name (most words, then most mentions, then longest)."""
    def rank(entity_id: str) -> tuple[int, int, int]:
        entity = entities.get(entity_id)
        name = entity.name if entity else entity_id
        return (len(name.split()), counts.get(entity_id, 0), len(name))

    return max(cluster.entity_ids, key=rank)


class DuplicatesPane(Vertical):
    """Clusters table (score, type, members, evidence), a progress bar while scanning, details."""

    @dataclass(eq=False)
    class Progressed(Message):
        """The scan worker got this far (``done`` of ``total`` steps)."""

        done: int
        total: int

    @dataclass(eq=False)
    class Scanned(Message):
        """The scan worker stopped: ``clusters`` found, or ``cancelled`` (a failure goes to the error handler)."""

        clusters: list[Cluster] | None
        cancelled: bool = False

    @dataclass(eq=False)
    class ClusterChosen(Message):
        """The reviewer asked to merge cluster ``index``: ``others`` into ``keep``."""

        index: int
        keep: str
        others: list[str]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.clusters: list[Cluster] = []
        self.entities: dict[str, Entity] = {}
        self.counts: dict[str, int] = {}
        self.scanning = False

    def compose(self) -> ComposeResult:
        """Status line, progress bar, clusters table, details of the highlighted cluster."""
        yield Static(id="dup-status")
        yield ProgressBar(id="dup-progress", show_eta=False)
        table: DataTable[Any] = DataTable(id="dup-table", cursor_type="row", zebra_stripes=True)
        table.add_column("Score", key="score", width=5)
        table.add_column("Type", key="type", width=4)
        table.add_column("Entities (★ kept on Enter)", key="members", width=56)
        table.add_column("Evidence", key="evidence")
        yield table
        yield Static(id="dup-detail")

    @property
    def table(self) -> DataTable[Any]:
        """The clusters table."""
        return self.query_one("#dup-table", DataTable)

    # -- scanning ----------------------------------------------------------------

    def scan(self, entities: Sequence[Entity], counts: dict[str, int]) -> None:
        """Cluster ``entities`` (read by the caller on the main thread) in a worker."""
        self.entities = {e.id: e for e in entities}
        self.counts = dict(counts)
        self.scanning = True
        self.clusters = []
        self.table.clear()
        bar = self.query_one(ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self._status(Text(f"Looking for duplicates among {len(entities):,} entities… Esc stops", style="bold"))
        self._detail()
        # On the screen, not on this widget: see the module docstring.
        self.screen.run_worker(partial(self._scan, list(entities)), thread=True, exclusive=True, group=SCAN_GROUP,
                               exit_on_error=False, name="looking for duplicates")

    def cancel(self) -> bool:
        """Stop a running scan; True if there was one."""
        if not self.scanning:
            return False
        self.workers.cancel_group(self.screen, SCAN_GROUP)
        self._stopped(Text("scan stopped; d twice scans again", style="italic"))
        return True

    def scan_failed(self) -> None:
        """The scan's worker failed (its error is shown): leave the scanning state."""
        if self.scanning:
            self._stopped(Text("scan failed (see the error); d twice scans again", style=tone(self, BAD, "bold")))

    def _stopped(self, status: Text) -> None:
        self.scanning = False
        self.query_one(ProgressBar).display = False
        self._status(status)

    def _scan(self, entities: list[Entity]) -> None:
        """The scan worker's body (a thread): cluster, posting progress; stop early once cancelled."""
        worker = get_current_worker()
        shown = -1

        def progress(done: int, total: int) -> None:
            nonlocal shown
            if worker.is_cancelled:
                raise ScanCancelled
            percent = 100 * done // max(1, total)
            if percent != shown:  # at most ~100 messages per scan
                shown = percent
                self.post_message(self.Progressed(done, total))

        try:
            clusters = find_duplicates(entities, progress=progress)
        except ScanCancelled:
            self.post_message(self.Scanned(None, cancelled=True))
            return
        self.post_message(self.Scanned(None, cancelled=True) if worker.is_cancelled else self.Scanned(clusters))

    @on(Progressed)
    def _progressed(self, event: Progressed) -> None:
        if self.scanning:
            self.query_one(ProgressBar).update(total=event.total, progress=event.done)

    @on(Scanned)
    def _scanned(self, event: Scanned) -> None:
        if event.cancelled or not self.scanning:
            return
        self.scanning = False
        self.query_one(ProgressBar).display = False
        self.clusters = list(event.clusters or [])
        self._fill()

    # -- showing -----------------------------------------------------------------

    def _entity_name(self, entity_id: str) -> str:
        entity = self.entities.get(entity_id)
        return displayable(entity.name if entity else entity_id)

    def _fill(self) -> None:
        table = self.table
        table.clear()
        for n, cluster in enumerate(self.clusters):
            keep = keeper(cluster, self.entities, self.counts)
            members = Text(no_wrap=True, overflow="ellipsis")
            for i, entity_id in enumerate(sorted(cluster.entity_ids, key=lambda e: e != keep)):
                if i:
                    members.append(" · ")
                members.append(KEEP_MARK + self._entity_name(entity_id) if entity_id == keep else self._entity_name(entity_id),
                               style="bold" if entity_id == keep else "")
                members.append(f" ({self.counts.get(entity_id, 0)})", style="dim")
            etype = self.entities[keep].type if keep in self.entities else ""
            table.add_row(Text(f"{cluster.score:.0f}"), literal(etype, multiline=False), members,
                          Text(displayable(cluster.evidence), no_wrap=True, overflow="ellipsis"), key=str(n))
        self._summary()
        self._detail()

    def _summary(self) -> None:
        if not self.clusters:
            self._status(Text("no likely duplicates left", style=tone(self, GOOD)))
        else:
            self._status(Text.assemble((f"{len(self.clusters)} likely duplicate clusters", "bold"),
                                       "  Enter merges into ★ (asks first) · k chooses the entity to keep"))

    def _status(self, text: Text) -> None:
        self.query_one("#dup-status", Static).update(text)

    def current(self) -> int | None:
        """Index of the highlighted cluster."""
        table = self.table
        if not table.row_count:
            return None
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _detail(self) -> None:
        index = self.current()
        if index is None:
            self.query_one("#dup-detail", Static).update(Text())
            return
        cluster = self.clusters[index]
        keep = keeper(cluster, self.entities, self.counts)
        text = Text(f"score {cluster.score:.1f} · {displayable(cluster.evidence)}", style="italic")
        for entity_id in cluster.entity_ids:
            entity = self.entities.get(entity_id)
            aliases = ", ".join(displayable(a.text) for a in entity.aliases) if entity else ""
            text.append(f"\n{KEEP_MARK if entity_id == keep else '  '}", style=tone(self, BUSY, "bold"))
            text.append(self._entity_name(entity_id), style="bold")
            text.append(f"  {displayable(entity_id)} · {self.counts.get(entity_id, 0)} mentions", style="dim")
            text.append(f"  aliases: {aliases}")
        self.query_one("#dup-detail", Static).update(text)

    @on(DataTable.RowHighlighted, "#dup-table")
    def _highlighted(self) -> None:
        self._detail()

    @on(DataTable.RowSelected, "#dup-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        index = int(event.row_key.value)
        self.choose(index, keeper(self.clusters[index], self.entities, self.counts))

    def choose(self, index: int, keep: str) -> None:
        """Ask (upwards) to merge cluster ``index`` into ``keep``."""
        others = [e for e in self.clusters[index].entity_ids if e != keep]
        self.post_message(self.ClusterChosen(index, keep, others))

    def remove_cluster(self, index: int) -> None:
        """A merged cluster disappears; the cursor stays at its place."""
        row = self.table.cursor_row
        del self.clusters[index]
        self._fill()
        if self.clusters:
            self.table.move_cursor(row=min(row, len(self.clusters) - 1))

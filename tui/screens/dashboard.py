"""The dashboard screen: the figures of ``glossator stats`` and a bar chart of label counts.

Progress overall and per annotator, throughput from the action log, entities and duplicate
clusters left; ``r`` recomputes, ``escape`` goes back.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, get_current_worker

from annotate.entities.matching import find_duplicates
from annotate.service import Service
from store.models import DONE, IN_PROGRESS, TODO
from tui.keys import key_name
from tui.screens.base import FAILED, GlossatorScreen
from tui.text import literal, one_line
from tui.theme import BUSY, GOOD, INFO, tone

EIGHTHS = " ▏▎▍▌▋▊▉"  # partial blocks: a bar's last cell shows eighths of a cell


def bar(value: int, biggest: int, width: int) -> str:
    """A horizontal bar of ``value`` scaled so that ``biggest`` fills ``width`` cells."""
    if biggest <= 0 or width <= 0:
        return ""
    eighths = round(value * width * 8 / biggest)
    if value and not eighths:
        eighths = 1  # a label that exists shows at least a sliver
    full, rest = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[rest] if rest else "")


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


class LabelBars(Widget):
    """Label counts as plain Unicode bars, one line per label, biggest first."""

    def __init__(self, counts: dict[str, int] | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts = dict(counts or {})

    def set_counts(self, counts: dict[str, int]) -> None:
        """Replace the counts and redraw."""
        self.counts = dict(counts)
        self.refresh(layout=True)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        """One line per label (one for the empty message)."""
        return max(1, len(self.counts))

    def render(self) -> Text:
        """The chart, fitted to the widget's width."""
        if not self.counts:
            return Text("no gold spans yet", style="dim")
        items = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        items = [(one_line(k), v) for k, v in items]  # labels come from the lexicon and the data
        name_w = max(len(k) for k, _ in items)
        count_w = max(len(str(v)) for _, v in items)
        width = max(4, self.size.width - name_w - count_w - 3)
        biggest = items[0][1]
        out = Text()
        for n, (label, count) in enumerate(items):
            if n:
                out.append("\n")
            out.append(label.ljust(name_w) + " ", style="bold")
            out.append(bar(count, biggest, width).ljust(width), style=tone(self, INFO))
            out.append(" " + str(count).rjust(count_w))
        return out


class DashboardScreen(GlossatorScreen[None]):
    """Progress, throughput, labels and entities of the project."""

    CSS_PATH = "../styles/dashboard.tcss"
    BINDINGS = [
        Binding("r", "refresh_stats", "Refresh", id="dashboard_refresh"),
        Binding("escape", "back", "Back", id="dashboard_back"),
    ]

    def __init__(self, service: Service) -> None:
        super().__init__()
        self.svc = service
        self.stats: Any = None

    def compose(self) -> ComposeResult:
        """Progress line, annotators table, label chart, entities line."""
        with VerticalScroll(id="dash-body"):
            yield Static(id="dash-progress", classes="dash-section")
            yield DataTable(id="dash-annotators", cursor_type="none", zebra_stripes=True)
            yield Static("Labels", classes="dash-title")
            yield LabelBars(id="dash-labels")
            yield Static(id="dash-entities", classes="dash-section")
        yield Footer()

    def on_mount(self) -> None:
        """Compute and show the figures."""
        self.action_refresh_stats()

    def action_refresh_stats(self) -> None:
        """Recompute every figure from the database."""
        # Clustering duplicates takes seconds on a large KB: it runs in a worker below.
        read = self.attempt(lambda: (self.svc.team.stats(duplicates=False), self.svc.entities.list()))
        if read is FAILED:
            return
        stats, live = read
        self.stats = stats
        p = stats.progress
        done, doing, todo = p.get(DONE, 0), p.get(IN_PROGRESS, 0), p.get(TODO, 0)
        total = max(1, stats.articles)
        line = Text(f"{stats.articles} articles  ", style="bold")
        line.append(f"{done} done", style=tone(self, GOOD))
        line.append(f" · {doing} in progress", style=tone(self, BUSY))
        line.append(f" · {todo} todo  ")
        line.append(bar(done, total, 30).ljust(30, "░"), style=tone(self, GOOD))
        line.append(f" {100 * done / total:.0f} %")
        self.query_one("#dash-progress", Static).update(line)
        table = self.query_one("#dash-annotators", DataTable)
        table.clear(columns=True)
        table.add_columns("Annotator", "Done", "In progress", "Todo", "Active h", "Spans/h", "Articles/h")
        for name, counts in sorted(stats.by_annotator.items()):
            t = stats.throughput.get(name)
            table.add_row(literal(name, multiline=False), counts.get(DONE, 0), counts.get(IN_PROGRESS, 0), counts.get(TODO, 0),
                          f"{t.hours:.2f}" if t else "0.00", _rate(t.spans_per_hour if t else None),
                          _rate(t.articles_per_hour if t else None))
        self.query_one(LabelBars).set_counts(dict(stats.labels))
        self._show_entities("counting…")
        self._count_duplicates(live)

    def _show_entities(self, clusters: str) -> None:
        stats = self.stats
        keys = self.svc.config.keys
        # The keys that get there from here (rebindable), not the CLI command.
        where = f"{key_name(keys['entities'])} then {key_name(keys['entity_duplicates'])} to review them"
        self.query_one("#dash-entities", Static).update(Text(
            f"Entities: {stats.entities} canonical ({stats.merged_entities} merged away) · "
            f"{stats.linked} linked spans, {stats.unlinked} unlinked · "
            f"{clusters} duplicate clusters left ({where})"))

    @work(thread=True, exclusive=True, group="dashboard-duplicates", exit_on_error=False,
          name="counting duplicate clusters")
    def _count_duplicates(self, live: list[Any]) -> None:
        """Cluster the entities read on the main thread (pure work, no database here)."""
        count = len(find_duplicates(live)) if live else 0
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._duplicates_counted, count)

    def _duplicates_counted(self, count: int) -> None:
        self.stats.duplicate_clusters = count
        self._show_entities(str(count))

    def worker_failed(self, worker: Worker) -> None:
        """The count failed (its error is shown): stop saying "counting…"."""
        if worker.group == "dashboard-duplicates" and self.stats is not None:
            self._show_entities("? (counting failed)")

    def action_back(self) -> None:
        """Leave the screen."""
        self.dismiss()

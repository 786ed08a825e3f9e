"""The dashboard screen: the figures of ``glossator stats`` and a bar chart of label counts.

Progress overall and per annotator, throughput from the action log, entities and duplicate
clusters left, and the project's own learning curve (issue 16.4: F1 of suggestions on done
articles held out, against the gold spans learnt from, recorded by ``glossator train`` in the
newest version's ``meta.json`` and read in a worker); ``r`` recomputes, ``escape`` goes back.
"""

from __future__ import annotations

import math
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
from annotate.team.stats import todo_text
from store.models import DONE, IN_PROGRESS, SKIPPED, TODO
from tui.keys import key_name
from tui.screens.base import FAILED, GlossatorScreen
from tui.text import literal, one_line
from tui.theme import BUSY, GOOD, INFO, tone

EIGHTHS = " ▏▎▍▌▋▊▉"  # partial blocks: a bar's last cell shows eighths of a cell
RISING = " ▁▂▃▄▅▆▇█"  # vertical eighths: a column's top cell
PLOT_ROWS = 8
NO_MODEL = "no model trained yet: T trains on the articles marked done (or `glossator train`)"


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


def column(value: float, rows: int, row: int) -> str:
    """The cell of a vertical bar of ``value`` (0–1 fills 0–``rows`` cells) on ``row`` (0: bottom)."""
    eighths = round(max(0.0, min(1.0, value)) * rows * 8)
    filled = eighths - row * 8
    return "█" if filled >= 8 else RISING[max(filled, 0)]


def axis_range(values: list[float]) -> tuple[float, float]:
    """The y range of the plot: tenths around the values (F1 near 1 everywhere still shows differences)."""
    hi = min(1.0, math.ceil(max(values) * 10 - 1e-9) / 10)
    lo = max(0.0, math.floor(min(values) * 10 + 1e-9) / 10 - 0.1)
    return (lo, max(hi, lo + 0.1))


def curve_plot(points: list[dict[str, Any]], rows: int = PLOT_ROWS, metric: str = "f1") -> Text:
    """The learning curve as a terminal plot: one bar per point (``metric`` upwards, the axis in
    tenths around the values), the gold spans trained on beneath each bar, the values above it."""
    if not points:
        return Text("no curve in this model (trained before glossator recorded one)", style="dim")
    labels = [str(p["gold_spans"]) for p in points]
    width = max(6, *(len(label) + 1 for label in labels))
    lo, hi = axis_range([float(p[metric]) for p in points])
    out = Text()
    out.append("       " + "".join(f"{p[metric]:.2f}".center(width) for p in points) + "\n", style="dim")
    for row in range(rows - 1, -1, -1):
        axis = f"{metric.upper():>2} {hi:.1f}┤" if row == rows - 1 else (f"   {lo:.1f}┤" if row == 0 else "      │")
        out.append(axis, style="dim")
        for p in points:
            cell = column((float(p[metric]) - lo) / (hi - lo), rows, row)
            out.append((cell * (width - 1)).ljust(width), style="bold")
        out.append("\n")
    out.append("       " + "".join(label.center(width) for label in labels) + "\n", style="dim")
    out.append("       gold spans learnt from (done articles: "
               + ", ".join(str(p["k"]) for p in points) + "); F1 on the done articles held out", style="dim")
    return out


def curve_text(meta: dict[str, Any] | None) -> Text:
    """The learning-curve section: what the newest model was trained on, then its plot."""
    if meta is None:
        return Text(NO_MODEL, style="dim")
    head = Text(f"model {meta.get('version', '?')}", style="bold")
    head.append(f" · trained on {meta.get('documents', 0)} done articles ({meta.get('entity_spans', 0)} entity, "
                f"{meta.get('event_spans', 0)} event spans)"
                f"{' · NER fine-tuned' if meta.get('ner_fine_tuned') else ''} · {meta.get('seconds', 0)} s\n")
    points = list(meta.get("curve") or [])
    if points:
        head.append("edits per 100 held-out gold spans: " + ", ".join(
            f"{p['gold_spans']} → {p.get('edits_per_100', 0):.1f}" for p in points) + "\n", style="dim")
    return head + curve_plot(points)


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
        self.model_meta: dict[str, Any] | None = None  # the newest trained version's, once read

    def compose(self) -> ComposeResult:
        """Progress line, annotators table, label chart, entities line."""
        with VerticalScroll(id="dash-body"):
            yield Static(id="dash-progress", classes="dash-section")
            yield DataTable(id="dash-annotators", cursor_type="none", zebra_stripes=True)
            yield Static("Labels", classes="dash-title")
            yield LabelBars(id="dash-labels")
            yield Static(id="dash-entities", classes="dash-section")
            yield Static("Learning curve", classes="dash-title")
            yield Static("reading the model…", id="dash-curve")
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
        line.append(f" · {todo_text(todo, stats.skipped)}  ")
        line.append(bar(done, total, 30).ljust(30, "░"), style=tone(self, GOOD))
        line.append(f" {100 * done / total:.0f} %")
        self.query_one("#dash-progress", Static).update(line)
        table = self.query_one("#dash-annotators", DataTable)
        table.clear(columns=True)
        table.add_columns("Annotator", "Done", "In progress", "Todo", "Skipped", "Active h", "Spans/h", "Articles/h")
        for name, counts in sorted(stats.by_annotator.items()):
            t = stats.throughput.get(name)
            table.add_row(literal(name, multiline=False), counts.get(DONE, 0), counts.get(IN_PROGRESS, 0), counts.get(TODO, 0),
                          counts.get(SKIPPED, 0), f"{t.hours:.2f}" if t else "0.00", _rate(t.spans_per_hour if t else None),
                          _rate(t.articles_per_hour if t else None))
        self.query_one(LabelBars).set_counts(dict(stats.labels))
        self._show_entities("counting…")
        self._count_duplicates(live)
        self._read_curve()

    @work(thread=True, exclusive=True, group="dashboard-curve", exit_on_error=False, name="reading the learning curve")
    def _read_curve(self) -> None:
        """The newest model's meta.json (files only: no database on this thread)."""
        meta = self.svc.learn.model_meta()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._curve_read, meta)

    def _curve_read(self, meta: dict[str, Any] | None) -> None:
        self.model_meta = meta
        self.query_one("#dash-curve", Static).update(curve_text(meta))

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
        elif worker.group == "dashboard-curve":
            self.query_one("#dash-curve", Static).update(Text("? (the model could not be read)", style="dim"))

    def action_back(self) -> None:
        """Leave the screen."""
        self.dismiss()

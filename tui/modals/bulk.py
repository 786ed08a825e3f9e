"""`B`: calibrated bulk accept (issue 16.3).

Per label (entity, value and event types) of the pending suggestions, how many the largest set
with estimated precision ≥ the threshold holds, and the estimate ("accept the 412 LOC
suggestions with estimated precision ≥ 0.98"); the threshold is editable, the scope is the
article or the corpus. Enter on a label dismisses with its plan, which the caller runs through
``Service.learn.bulk_accept``: one undoable action (`u` reverts it).

The corpus' pending suggestions take long to read on a big corpus: in corpus scope they are read
in a thread worker on its own read-only connection (the dialog says "counting…" meanwhile), once;
a new threshold plans again from what was read, in the worker too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import Worker, get_current_worker

from annotate.learn.review_ops import BulkPlan
from annotate.service import Service
from annotate.service.learn import bulk_plans_of
from store.models import Suggestion
from tui.screens.base import FAILED, GlossatorModal
from tui.text import literal, one_line

DEFAULT_PRECISION = 0.98


def plan_row(plan: BulkPlan) -> Text:
    """One row: label, how many reach the threshold, of how many pending, the estimate."""
    row = Text()
    row.append(one_line(plan.label).ljust(12), style="bold")
    row.append(f"{len(plan.chosen):>6} of {plan.available:<6}")
    if plan.chosen:
        row.append(f" estimate {plan.estimate:.3f} · confidence ≥ {plan.threshold:.3f}", style="dim")
    else:
        row.append(" none reaches the threshold", style="dim")
    return row


class BulkAcceptModal(GlossatorModal[BulkPlan | None]):
    """Labels with their counts at an editable estimated precision; Enter picks one."""

    CSS_PATH = "../styles/learn.tcss"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="bulk_cancel"),
        Binding("ctrl+o", "toggle_scope", "Article / corpus", id="bulk_scope"),
        Binding("down", "move(1)", "Down", show=False, id="bulk_down"),
        Binding("up", "move(-1)", "Up", show=False, id="bulk_up"),
    ]

    def __init__(self, service: Service, article_id: str | None, threshold: float = DEFAULT_PRECISION) -> None:
        """``article_id``: the article the dialog starts on (None: the corpus only)."""
        super().__init__()
        self.svc = service
        self.article_id = article_id
        self.scope: str | None = article_id
        self.threshold = threshold
        self.plans: list[BulkPlan] = []
        self.counting = False  # the corpus' counts are being read in the worker
        self._read: dict[str | None, list[Suggestion]] = {}  # scope → its pending suggestions, once read

    def compose(self) -> ComposeResult:
        """Title, threshold box, the labels, a hint."""
        with Vertical(id="dialog"):
            yield Label(id="question")
            yield Input(f"{self.threshold:.2f}", placeholder="estimated precision, e.g. 0.98", id="threshold")
            yield OptionList(id="plans")
            yield Label(id="summary")
            yield Label(id="hint")

    def on_mount(self) -> None:
        """Plans at the default threshold; the list has the focus (Tab: the threshold box)."""
        self._replan()
        self.query_one(OptionList).focus()

    def _replan(self) -> None:
        scope, threshold = self.scope, self.threshold
        if scope is None:
            job = self.svc.learn.pending_job(None)
            if job is not None:  # the corpus: counted in the worker
                self.counting = True
                self._show([], counting=True)
                self._count(job, threshold)
                return
        self.workers.cancel_group(self, "bulk-count")  # back to the article: an older count is moot
        self.counting = False
        found = self.attempt(lambda: bulk_plans_of(self._pending(scope), threshold, scope))
        self._show([] if found is FAILED else list(found))

    def _pending(self, scope: str | None) -> list[Suggestion]:
        if scope not in self._read:
            self._read[scope] = self.svc.learn.pending(scope)
        return self._read[scope]

    @work(thread=True, exclusive=True, group="bulk-count", exit_on_error=False, name="counting pending suggestions")
    def _count(self, job: Callable[[], list[Suggestion]], threshold: float) -> None:
        """Read the corpus' pending suggestions (own connection, once) and plan them at ``threshold``."""
        pending = self._read.get(None)
        if pending is None:
            pending = self._read[None] = job()  # kept even when a newer threshold replaced this count
        plans = bulk_plans_of(pending, threshold, None)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._counted, threshold, plans)

    def _counted(self, threshold: float, plans: list[BulkPlan]) -> None:
        if self.scope is None and threshold == self.threshold:  # else a newer count is on its way
            self.counting = False
            self._show(plans)

    def worker_failed(self, worker: Worker) -> None:
        """The count failed (its error is shown): stop saying "counting…"."""
        if worker.group == "bulk-count" and self.counting:
            self.counting = False
            self._show([], failed=True)

    def _show(self, plans: list[BulkPlan], counting: bool = False, failed: bool = False) -> None:
        self.plans = plans
        where = "this article" if self.scope else "the corpus"
        self.query_one("#question", Label).update(literal(
            f"Accept pending suggestions of {where} with estimated precision ≥ {self.threshold:.2f}"))
        options = self.query_one(OptionList)
        options.clear_options()
        empty = ("counting the pending suggestions of the corpus…" if counting
                 else "? (counting failed)" if failed else "no pending suggestion")
        options.add_options([Option(plan_row(p), id=p.label) for p in plans] or
                            [Option(Text(empty, style="dim"), disabled=True)])
        if plans:
            options.highlighted = 0
        scope = "" if self.article_id is None else " · ctrl+o article / corpus"
        self.query_one("#hint", Label).update(Text(
            f"Enter accepts the highlighted label's set (one undoable action) · Tab edits the threshold{scope}"
            " · Esc cancels"))
        self._show_summary()

    def _show_summary(self) -> None:
        plan = self.current()
        self.query_one("#summary", Label).update(literal(plan.summary()) if plan else Text(""))

    @on(OptionList.OptionHighlighted, "#plans")
    def _highlighted(self) -> None:
        self._show_summary()

    def current(self) -> BulkPlan | None:
        """The plan of the highlighted label."""
        index = self.query_one(OptionList).highlighted
        return self.plans[index] if index is not None and 0 <= index < len(self.plans) else None

    @on(Input.Changed, "#threshold")
    def _threshold(self, event: Input.Changed) -> None:
        try:
            value = float(event.value.replace(",", "."))
        except ValueError:
            return
        if 0.0 < value <= 1.0 and value != self.threshold:
            self.threshold = value
            self._replan()

    @on(Input.Submitted, "#threshold")
    def _threshold_done(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#plans")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        plan = self.plans[event.option_index] if event.option_index < len(self.plans) else None
        if plan is None or not plan.chosen:
            self.refuse("no suggestion of this label reaches the threshold")
            return
        self.dismiss(plan)

    def action_toggle_scope(self) -> None:
        """This article ↔ the whole corpus."""
        if self.article_id is None:
            return
        self.scope = None if self.scope else self.article_id
        self._replan()

    def action_move(self, delta: int) -> None:
        """Move in the list, wherever the focus is."""
        options = self.query_one(OptionList)
        if self.plans:
            options.highlighted = max(0, min(len(self.plans) - 1, (options.highlighted or 0) + delta))


def open_bulk(screen: Any, service: Service, article_id: str | None, done: Callable[[int], None]) -> None:
    """Open the dialog over ``screen``; run the chosen plan as one action, say so, then ``done(n)``."""

    def chosen(plan: BulkPlan | None) -> None:
        if plan is None:
            return
        accepted = screen.attempt(lambda: service.learn.bulk_accept(plan))
        if accepted is FAILED:
            return
        where = "this article" if plan.article_id else "the corpus"
        undo = "u undoes them" if plan.article_id else "u on the corpus screen undoes them"
        screen.notify(f"accepted {accepted} {plan.label} suggestions in {where} "
                      f"(estimated precision {plan.estimate:.3f}); {undo}", timeout=8)
        done(accepted)

    screen.app.push_screen(BulkAcceptModal(service, article_id), chosen)


def undo_corpus(screen: Any, service: Service, done: Callable[[], None]) -> None:
    """Undo the annotator's latest corpus-wide action (a corpus bulk accept), say what it was."""
    kind = screen.attempt(lambda: service.review.undo(None))
    if kind is FAILED:
        return
    screen.notify(f"undid {kind.replace('_', ' ')}" if kind else "nothing to undo in the corpus scope")
    if kind:
        done()

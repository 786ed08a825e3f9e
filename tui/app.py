"""The review app: routes between the corpus, article, entities, dashboard, adjudication,
help and progress screens.

``E`` (entities) and ``D`` (dashboard) work from every screen; ``J`` on the corpus adjudicates
the highlighted article. Keys come from ``[keys]`` of the config (``tui.keys``).

``GlossatorApp(service, ingest_paths=[...]).run()``: with paths it ingests them (main
thread), then suggests them in a thread worker whose batches are saved on the main
thread as they arrive; without paths it opens the corpus at once and never loads a model.

Errors: every screen and modal is a :class:`~tui.screens.base.GlossatorScreen` and reports a
refused action or a failed write through ``attempt`` / ``refuse`` / ``not_saved``; every worker
(the app's and the screens') ends in the one handler :func:`tui.errors.worker_changed`, which
shows a failure and calls its owner's ``worker_failed``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, get_current_worker

from annotate.config import DEFAULT_KEYS
from annotate.corpus.listing import statuses
from annotate.service import Service
from annotate.suggest.run import SuggestPlan, compute
from store.models import DONE, SKIPPED
from tui import keys
from tui.commands import GlossatorCommands
from tui.errors import worker_changed
from tui.messages import ArticleChosen, ArticleFinished, PreparationCancelled, SuggestingFinished, SuggestionsComputed
from tui.modals.help import HelpScreen, help_rows
from tui.modals.link import PICKER_HELP
from tui.screens.adjudicate import AdjudicateScreen
from tui.screens.article.screen import ArticleScreen
from tui.screens.base import FAILED, GlossatorScreen
from tui.screens.consistency import ConsistencyScreen
from tui.screens.corpus import CorpusScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.entities import EntitiesScreen
from tui.screens.occurrences import OccurrencesScreen
from tui.screens.prepare import PrepareScreen
from tui.text import displayable
from tui.training import Training

SUGGEST_BATCH = 8
# From this many canonical entities, the link picker's index is built ahead, in a worker
# (100,000 entities take seconds); below it, building on first use is instant.
PREBUILD_INDEX_FROM = 5000


class GlossatorApp(App[None]):
    """Keyboard-first review of suggestions into gold, for one annotator."""

    CSS_PATH = "styles/glossator.tcss"
    TITLE = "glossator"
    COMMANDS = App.COMMANDS | {GlossatorCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [*keys.bindings(keys.APP_ACTIONS), *keys.bindings(keys.ROUTE_ACTIONS), Binding("ctrl+p", "command_palette", "Commands", show=False),
                # Priority, but enabled only while a training runs (check_action): otherwise the
                # screen's own Esc (back, cancel) is the one that runs and that the footer shows.
                Binding(DEFAULT_KEYS["stop_training"], "stop_training", "Stop training", priority=True,
                        id="stop_training", tooltip="While a training runs: stop it (nothing of it is saved)")]

    def __init__(self, service: Service, ingest_paths: Iterable[str | Path] = (), suggest: bool = True,
                 notice: str | None = None) -> None:
        """``notice``: a warning shown on launch (e.g. the database opened read-only)."""
        super().__init__()
        self.notice = notice
        self.svc = service
        self.ingest_paths = [Path(p) for p in ingest_paths]
        self.suggest = suggest
        self.positions: dict[str, str | None] = {}
        self._plan: SuggestPlan | None = None
        self.training = Training(self)  # `T` (tui/training.py)
        self.set_keymap(keys.keymap(service.config))

    def on_mount(self) -> None:
        """Prepare new articles first, or go straight to the corpus."""
        if self.ingest_paths:
            self.push_screen(PrepareScreen())
            self.call_after_refresh(self.prepare)
        else:
            self.push_screen(CorpusScreen(self.svc))
        if self.notice:
            self.notify(self.notice, title="Read-only", severity="warning", timeout=30)
        if self.svc.entities.entity_count() >= PREBUILD_INDEX_FROM:
            self._prebuild_index(self.svc.entities.index_job())

    @work(thread=True, exclusive=True, group="index", exit_on_error=False, name="building the link index")
    def _prebuild_index(self, job: Callable[[], tuple]) -> None:
        """Build the link picker's match index off the main thread, on its own read-only connection."""
        index, signature = job()
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self.svc.entities.adopt_index, index, signature)

    # -- errors and toasts ------------------------------------------------

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """A toast that shows ``message`` and ``title`` literally (they often quote data).

        Markup is always off, whatever ``markup`` says (``Widget.notify``, which every screen's
        ``self.notify`` goes through, passes True): ``[AFP]`` or ``[/]`` in a name is text, and
        control characters are made visible.
        """
        super().notify(displayable(message), title=displayable(title), severity=severity, timeout=timeout,
                       markup=False)

    def _policy(self) -> GlossatorScreen:
        """The screen whose policy reports the app's own refusals and failed writes: the current
        one, or under Textual's own (the command palette) the topmost of ours."""
        return next(s for s in reversed(self.screen_stack) if isinstance(s, GlossatorScreen))

    def refuse(self, message: str) -> None:
        """A refusal of an app-level action (a route), reported like every screen's."""
        self._policy().refuse(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers go to the one handler (``tui.errors``), like every screen's."""
        worker_changed(event.worker)

    def worker_failed(self, worker: Worker) -> None:
        """After a failed worker of the app was shown: a failed suggestion run leaves the progress screen."""
        if worker.group == "suggest":
            self._plan = None
            self._prepared()
        elif worker.group == "train":
            self.training.failed()

    def _fatal_error(self) -> None:
        """Exit after an unhandled exception, even when the traceback cannot be drawn.

        Textual renders the traceback with its locals; a local whose ``repr`` raises (an object
        half-built when its ``__init__`` failed, e.g. a ``rich.style.Style`` given a bad colour)
        makes that rendering raise, the exit is never requested and the screen freezes with
        every key dead. Then exit with the plain traceback instead.
        """
        try:
            super()._fatal_error()
        except Exception:  # noqa: BLE001 - whatever broke the rich traceback, exit anyway
            import traceback

            from rich.text import Text

            self.exit(return_code=1, message=Text(traceback.format_exc()))

    # -- routes -----------------------------------------------------------

    def corpus(self) -> CorpusScreen | None:
        """The corpus screen, if it is on the stack."""
        return next((s for s in self.screen_stack if isinstance(s, CorpusScreen)), None)

    def action_show_corpus(self) -> None:
        """Back to the corpus: close every screen above it."""
        if self.corpus() is None:
            return  # still preparing
        while not isinstance(self.screen, CorpusScreen):
            self.pop_screen()

    def _route(self, kind: type[Screen], make: Callable[[], Screen]) -> None:
        """Push a screen over the current one (not over a modal, not twice); refresh what it covered."""
        if isinstance(self.screen, (kind, ModalScreen, PrepareScreen)):
            return
        below = self.screen
        self.push_screen(make(), lambda _: self._refresh(below))

    def _refresh(self, screen: Screen) -> None:
        """Re-read what another screen may have changed (entity names, links, gold)."""
        if screen is not self.screen:
            return
        if isinstance(screen, ArticleScreen):
            screen.refresh_state()
        elif isinstance(screen, (AdjudicateScreen, EntitiesScreen, ConsistencyScreen)):
            screen.reload()
        elif isinstance(screen, DashboardScreen):
            screen.action_refresh_stats()

    def action_show_entities(self) -> None:
        """The canonical entities (list, merge, split, rename, duplicates)."""
        self._route(EntitiesScreen, lambda: EntitiesScreen(self.svc))

    def action_show_dashboard(self) -> None:
        """Progress, throughput, labels and entities of the project."""
        self._route(DashboardScreen, lambda: DashboardScreen(self.svc))

    def action_show_occurrences(self) -> None:
        """Every occurrence of the article's current span's surface in the other articles (``o``)."""
        screen = self.screen
        if not isinstance(screen, ArticleScreen) or screen.item is None:
            self.refuse("o lists the occurrences of the current span: j / k move between spans")
            return
        source = self.svc.corpuswide.source(screen.article_id, screen.item)
        self._route(OccurrencesScreen, lambda: OccurrencesScreen(self.svc, source))

    def action_show_consistency(self) -> None:
        """The consistency queue (``C``): back to it if it is open below, else over this screen."""
        queue = next((s for s in self.screen_stack if isinstance(s, ConsistencyScreen)), None)
        if queue is None:
            self._route(ConsistencyScreen, lambda: ConsistencyScreen(self.svc))
            return
        while self.screen is not queue and not isinstance(self.screen, ModalScreen):
            self.pop_screen()

    @on(ConsistencyScreen.JumpRequested)
    def _jump_to_mention(self, event: ConsistencyScreen.JumpRequested) -> None:
        """Open the article of a queue's mention on it (plain text: selected, a label key makes it a span)."""
        queue, mention = self.screen, event.mention
        screen = ArticleScreen(self.svc, mention.article_id, [mention.article_id], mention.item_key)
        if mention.item_key is None:
            screen.session.mouse_select(mention.start, mention.end, final=True)
        self.push_screen(screen, lambda _: self._refresh(queue))

    def action_adjudicate(self) -> None:
        """Adjudicate the article highlighted in the corpus (needs two other annotators' gold)."""
        corpus = self.corpus()
        article_id = corpus.current_id() if corpus is not None and self.screen is corpus else None
        if article_id is None:
            self.refuse("adjudication starts from the corpus, on an article")
            return
        self.adjudicate_article(article_id)

    def adjudicate_article(self, article_id: str) -> None:
        """Open the adjudication of an article over the corpus (command palette, ``J``)."""
        others = self.svc.team.adjudication(article_id).annotators
        if len(others) < 2:
            self.refuse(f"adjudication needs the gold of two other annotators; this article has "
                        f"{', '.join(others) or 'none'}")
            return
        self.action_show_corpus()
        self.push_screen(AdjudicateScreen(self.svc, article_id))

    @on(AdjudicateScreen.EditRequested)
    def _edit_adjudicated(self, event: AdjudicateScreen.EditRequested) -> None:
        """Open the reviewer's gold of the article at the row being adjudicated."""
        adjudicating = self.screen
        items = self.svc.review.state(event.article_id).items
        at = next((i for i in items if i.start >= event.start), None)
        screen = ArticleScreen(self.svc, event.article_id, [event.article_id], at.key if at else None)
        self.push_screen(screen, lambda _: self._refresh(adjudicating))

    @on(AdjudicateScreen.Finished)
    def _adjudicated(self, event: AdjudicateScreen.Finished) -> None:
        """Back to the corpus (it re-reads statuses and counts), on the adjudicated article."""
        self.action_show_corpus()
        corpus = self.corpus()
        if corpus is not None:
            corpus.select(event.article_id)

    @on(ArticleChosen)
    def open_article(self, event: ArticleChosen) -> None:
        """Open an article where this session left it (else at its first pending suggestion)."""
        self._push_article(event.article_id, event.order)

    def _push_article(self, article_id: str, order: list[str]) -> None:
        screen = ArticleScreen(self.svc, article_id, order, self.positions.get(article_id))

        def closed(_: None) -> None:
            self.positions[article_id] = screen.position_key()

        self.push_screen(screen, closed)

    def jump_to_article(self, article_id: str) -> None:
        """Open an article from anywhere (command palette)."""
        self.action_show_corpus()
        corpus = self.corpus()
        order = corpus.order() if corpus else []
        self._push_article(article_id, order if article_id in order else [article_id])

    @on(ArticleFinished)
    def next_article(self, event: ArticleFinished) -> None:
        """After `d` (or `s`): the next article of the list neither done nor skipped, else the corpus."""
        order = event.order
        status = statuses(self.svc, order)  # only the list's articles: the corpus may hold a million
        start = order.index(event.article_id) + 1 if event.article_id in order else 0
        following = [a for a in order[start:] + order[:start] if status.get(a, DONE) not in (DONE, SKIPPED)]
        self.action_show_corpus()
        if following:
            self._push_article(following[0], order)
        else:
            self.notify("every article of the list is done", title="Done")

    def action_help(self) -> None:
        """Every key of the current screen, from its bindings."""
        screen = self.screen
        if isinstance(screen, HelpScreen):
            return

        def describe(binding: Binding) -> str | None:
            if binding.action.startswith("number("):
                digit = binding.action.split("'")[1]
                return screen.help_label(digit) if isinstance(screen, ArticleScreen) else None
            return binding.tooltip or binding.description

        notes = []
        if isinstance(screen, ArticleScreen):
            notes.append("Mouse: drag over text to select it, then a label key creates the span; "
                         "click a row of the panel to go to its span.")
            notes.append(PICKER_HELP)
            notes.append("Keys are rebindable in [keys] of glossator.toml (action = \"key1,key2\").")
        self.push_screen(HelpScreen(f"Keys — {screen.__class__.__name__.removesuffix('Screen').lower()}",
                                    help_rows(screen, describe), notes))

    # -- preparing: ingest, then suggest in a worker ------------------------

    def prepare(self) -> None:
        """Ingest the paths (main thread: the database lives here), then start suggesting."""
        screen = self.screen
        assert isinstance(screen, PrepareScreen)
        screen.step(f"Ingesting {len(self.ingest_paths)} path(s)…")
        report = screen.attempt(lambda: self.svc.data.ingest(self.ingest_paths, screen.advance))
        if report is FAILED:
            return self._prepared()
        screen.note(f"Ingest: {report.summary()}")
        for failure in report.failures[:10]:
            screen.note(f"  {failure}")
        if not self.suggest:
            return self._prepared()
        try:
            plan = self.svc.learn.suggest_plan()
        except Exception as exc:  # noqa: BLE001 - ImportError while the engine is missing, model errors
            self.notify(f"suggestions unavailable: {exc}", title="Suggest", severity="warning", timeout=8)
            return self._prepared()
        if not plan.items:
            return self._prepared()
        self._plan = plan
        if plan.background:  # only re-suggestions (known names changed): open the corpus meanwhile
            self._prepared()
        else:
            screen.step(f"Suggesting {len(plan.items)} articles ({plan.words:,} words)… Esc cancels", len(plan.items))
        self._suggest(plan)

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False, name="suggesting")
    def _suggest(self, plan: SuggestPlan) -> None:
        """Compute suggestions off the main thread; each batch goes back to be saved."""
        worker = get_current_worker()
        done = 0
        for batch in compute(plan, batch_size=SUGGEST_BATCH, cancelled=lambda: worker.is_cancelled):
            done += len(batch)
            self.post_message(SuggestionsComputed(batch, done, len(plan.items)))
            if worker.is_cancelled:
                break
        self.post_message(SuggestingFinished(cancelled=worker.is_cancelled))

    @on(SuggestionsComputed)
    def _save_batch(self, event: SuggestionsComputed) -> None:
        if self._plan is None:
            return
        plan = self._plan
        if self._policy().attempt(lambda: self.svc.learn.save_suggestions(plan, event.batch)) is FAILED:
            self.workers.cancel_group(self, "suggest")
            return
        if isinstance(self.screen, PrepareScreen):
            self.screen.advance(event.done, event.total)

    @on(SuggestingFinished)
    def _suggest_finished(self, event: SuggestingFinished) -> None:
        if event.cancelled:
            self.notify("suggesting cancelled; finished batches are saved", title="Suggest")
        elif self._plan is not None and self._plan.background:
            self.notify(self._plan.headline(len(self._plan.items)), title="Suggest")
        self._plan = None
        self._prepared()
        self._refresh(self.screen)  # an article re-suggested behind the reviewer shows its new suggestions

    @on(PreparationCancelled)
    def _cancel(self) -> None:
        if self._plan is not None:
            self.workers.cancel_group(self, "suggest")
            if isinstance(self.screen, PrepareScreen):
                self.screen.note("Cancelling after the current batch…")
        else:
            self._prepared()

    def _prepared(self) -> None:
        """Leave the progress screen for the corpus."""
        if isinstance(self.screen, PrepareScreen):
            self.switch_screen(CorpusScreen(self.svc))

    # -- learning: `T` trains in the background (tui/training.py) ------------

    @property
    def suggesting(self) -> bool:
        """A suggest run is under way (its batches are saved as they arrive)."""
        return self._plan is not None

    def suggest_in_background(self, plan: SuggestPlan) -> None:
        """Compute ``plan`` in the suggest worker while the reviewer keeps working (after training)."""
        self._plan = plan
        self._suggest(plan)

    def action_train(self) -> None:
        """Train on the gold in the background (again: asks whether to stop)."""
        self.training.toggle()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc stops a training only while one runs and no dialog is open (the dialog's Esc
        closes it); False, not None, so that the key goes on to the screen's own binding."""
        if action == "stop_training":
            return self.training.stoppable and not isinstance(self.screen, ModalScreen)
        return True

    def action_stop_training(self) -> None:
        """Esc while training: stop it at its next check; nothing of it is saved."""
        self.training.stop()

"""`T`: train on the gold from the app, in a thread worker, then re-suggest behind the reviewer.

The gold is read on the main thread (``Service.learn.training_input``: the database stays on the
thread that owns it), then :func:`annotate.learn.train.run` works in a thread worker of the app
and reports its stages through ``call_from_thread`` to a one-line banner on the screen in front.
`T` again asks whether to stop, Esc stops at once (the app enables that key only while a
training runs, so that otherwise Esc keeps its meaning on every screen); a stopped training raises ``Cancelled`` at its next check (between
stages, epochs and batches) and leaves nothing. When the new version is saved, the app plans a
suggest run with it (the fingerprint changed: every article is stale) and runs it in the
background suggest worker it already has, so the reviewer keeps working: "model v3 ready;
re-suggesting 12 articles".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.screen import ModalScreen
from textual.widgets import Footer, Static
from textual.worker import Worker, get_current_worker

from annotate.errors import InputError
from tui.keys import key_name
from tui.modals.dialogs import ConfirmModal

if TYPE_CHECKING:
    from annotate.learn.train import TrainingInput
    from tui.app import GlossatorApp

STAGES = {"load model": "loading the model", "parse gold": "parsing the gold", "confidence": "fitting confidence",
          "learning curve": "learning curve", "fine-tune NER": "fine-tuning the NER"}


@dataclass
class TrainOptions:
    """How the app trains (``glossator train``'s options); tests use ``ner=False`` (seconds)."""

    epochs: int = 8
    ner: bool = True


class TrainingBanner(Static):
    """One line above the footer of the screen in front: what training is doing (style in glossator.tcss)."""


class Training:
    """The app's background training (one at a time)."""

    def __init__(self, app: GlossatorApp) -> None:
        self.app = app
        self.options = TrainOptions()
        self.worker: Worker | None = None
        self.line = ""  # what the banner says ("" when no training runs)
        self.last: str | None = None  # folder name of the last version trained here
        keys = app.svc.config.keys
        self.key = key_name(keys.get("train") or "T")  # rebindable: the banner names them
        self.stops = f"{key_name(keys.get('stop_training') or 'escape')} stops"

    @property
    def running(self) -> bool:
        """A training is under way."""
        return self.worker is not None and not self.worker.is_finished

    @property
    def stoppable(self) -> bool:
        """A training runs and has not been asked to stop yet (Esc stops it)."""
        return self.running and self.worker is not None and not self.worker.is_cancelled

    def stop(self) -> None:
        """Cancel the running training: it stops at its next check and saves nothing."""
        if not self.stoppable or self.worker is None:
            return
        self.worker.cancel()
        self.show("training: stopping at the next step; nothing of it will be saved…")
        self.app.refresh_bindings()  # Esc is the screen's again

    def toggle(self) -> None:
        """`T`: start a training, or, while one runs, ask whether to stop it."""
        if self.running:
            def answered(yes: bool | None) -> None:
                if yes:
                    self.stop()

            self.app.push_screen(ConfirmModal("Stop the training? Nothing of it will be saved."), answered)
            return
        self.start()

    def start(self) -> None:
        """Read the gold here, then train in a worker."""
        app = self.app
        if app.suggesting:
            app.refuse("suggestions are being computed; train when they are done")
            return
        try:
            inp = app.svc.learn.training_input(self.options.ner)
        except InputError as exc:  # nothing marked done, no database file
            app.refuse(str(exc))
            return
        self.show(f"training on {len(inp.docs)} done articles… {self.stops}")
        self.worker = app.run_worker(lambda: self._train(inp), thread=True, exclusive=True, group="train",
                                     exit_on_error=False, name="training")
        app.refresh_bindings()  # the footer shows Esc: Stop training

    def _train(self, inp: TrainingInput) -> None:
        """The worker: train, then hand the new version (or None: cancelled) to the main thread."""
        from annotate.learn.train import Cancelled, run

        worker = get_current_worker()
        options = self.options

        def progress(stage: str, done: int, total: int) -> None:
            if not worker.is_cancelled:
                step = f" {done}/{total}" if total > 1 else ""
                self._tell(self.show, f"training: {STAGES.get(stage, stage)}{step}… {self.stops}")

        try:
            folder: Path | None = run(inp, options.epochs, options.ner, progress, lambda: worker.is_cancelled)
        except Cancelled:
            folder = None
        # Stopped too late (after the last check) the version exists: it is announced like any other.
        self._tell(self.finished, folder)

    def _tell(self, call: Callable[..., None], *args: object) -> None:
        """Run ``call`` on the main thread, unless the app has closed meanwhile (quit while training)."""
        try:
            self.app.call_from_thread(call, *args)
        except RuntimeError:  # the app is no longer running: nobody to tell
            pass

    def finished(self, folder: Path | None) -> None:
        """Main thread: say what happened; with a new version, re-suggest in the background."""
        self.worker = None
        self.show("")
        app = self.app
        app.refresh_bindings()
        if folder is None:
            app.notify("training stopped; nothing was saved", title="Train")
            return
        self.last = folder.name
        try:
            plan = app.svc.learn.suggest_plan()
        except Exception as exc:  # noqa: BLE001 - the model or the engine missing: said, not fatal
            app.notify(f"model {folder.name} ready; suggestions unavailable: {exc}", title="Train", severity="warning")
            return
        n = len(plan.items)
        app.notify(f"model {folder.name} ready; re-suggesting {n} article{'s' if n != 1 else ''}", title="Train")
        if plan.items:
            app.suggest_in_background(plan)

    def failed(self) -> None:
        """The worker raised (its error is shown by the app's handler): drop the banner."""
        self.worker = None
        self.show("")
        self.app.refresh_bindings()

    def show(self, line: str) -> None:
        """Put ``line`` on the banner of the screen in front (no banner when empty)."""
        self.line = line
        front = next((s for s in reversed(self.app.screen_stack) if not isinstance(s, ModalScreen)), None)
        for screen in self.app.screen_stack:
            if screen is not front or not line:
                screen.query(TrainingBanner).remove()
        if front is None or not line:
            return
        found = front.query(TrainingBanner)
        if found:
            found.first().update(line)
            return
        footer = front.query(Footer)
        banner = TrainingBanner(line)
        if footer:
            front.mount(banner, before=footer.first())
        else:
            front.mount(banner)

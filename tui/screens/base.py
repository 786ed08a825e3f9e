"""The base of the app's screens: the one way a screen reports a refusal, a failed write or a failed worker.

A reviewer's action either happens or is refused with one line saying why; a write the database
could not make says so loudly and stays on screen longer. Screens call :meth:`GlossatorScreen.attempt`
around every service call that can refuse, and :meth:`GlossatorScreen.refuse` for refusals of their own
(no current span, wrong key here), so that every refusal looks and behaves the same.

Background work follows one policy too (see :mod:`tui.errors`): workers run on the app or on a screen,
never on a widget (a widget's work is started on its screen), always with ``exit_on_error=False``.
``Worker.StateChanged`` reaches only the node that started the worker, so the app and this base class
each pass it to the one handler, :func:`tui.errors.worker_changed`, which shows a failure as an error
toast and then calls the owner's :meth:`GlossatorScreen.worker_failed` so that the screen leaves its
"in progress" state. Modals derive from :class:`GlossatorModal`, a :class:`GlossatorScreen` too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from textual.screen import ModalScreen, Screen, ScreenResultType
from textual.worker import Worker

from annotate.errors import ReviewError, StoreError
from tui.errors import worker_changed

R = TypeVar("R")


class Failed:
    """What :meth:`GlossatorScreen.attempt` returns when the call was refused or not saved."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "FAILED"


FAILED = Failed()


class GlossatorScreen(Screen[ScreenResultType], Generic[ScreenResultType]):
    """A screen of the review app, with the app's single policy for refused actions and failed workers."""

    def refuse(self, message: str) -> None:
        """Report an action that was refused; nothing changed. ``message`` is shown literally."""
        self.notify(message, title="Refused", severity="warning", markup=False)

    def not_saved(self, message: str) -> None:
        """Report a write the database could not make (busy, full, read-only)."""
        self.notify(message, title="NOT SAVED", severity="error", timeout=15, markup=False)

    def gone(self) -> None:
        """Called when an action named an item that no longer exists; screens reload here."""
        self.refuse("that item no longer exists; reloaded")

    def attempt(self, call: Callable[[], R]) -> R | Failed:
        """Run one service call; a refusal or a failed write is reported and :data:`FAILED` returned."""
        try:
            return call()
        except ReviewError as exc:
            self.refuse(str(exc))
        except StoreError as exc:
            self.not_saved(str(exc))
        except KeyError:
            self.gone()
        return FAILED

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """This screen's workers go to the app's one handler (the message does not bubble)."""
        worker_changed(event.worker)

    def worker_failed(self, worker: Worker) -> None:
        """Called after the error of one of this screen's workers was shown: leave "in progress" here."""


class GlossatorModal(ModalScreen[ScreenResultType], GlossatorScreen[ScreenResultType]):
    """A modal screen of the review app: a :class:`GlossatorScreen` shown over another one."""

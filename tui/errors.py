"""Errors of background work reach the reviewer: the one handler of every worker's state changes.

Policy (the app's and every screen's):

- A worker runs on the app or on a :class:`~tui.screens.base.GlossatorScreen`, never on a widget
  (a widget starts its work with ``self.screen.run_worker``), and with ``exit_on_error=False``: a
  failed suggestion run or duplicate scan must not end a review session.
- A worker does not catch its own errors (only its cancellation): it raises, and its state becomes
  ``ERROR``.
- ``Worker.StateChanged`` does not bubble: it reaches only the node that started the worker. The app
  (``GlossatorApp.on_worker_state_changed``) and the base screen
  (``GlossatorScreen.on_worker_state_changed``) both hand it to :func:`worker_changed`, here, the
  single place that decides what a worker's end means.
- A failed worker always ends in an error toast naming it (``Worker.name``) and its error, then in
  the owner's ``worker_failed(worker)``, where the owner leaves its "in progress" state (the
  dashboard stops saying "counting…", the duplicates view stops its progress bar, the progress
  screen gives way to the corpus).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from textual.worker import Worker, WorkerState


@runtime_checkable
class WorkerOwner(Protocol):
    """A node that runs workers and leaves its "in progress" state when one fails."""

    def worker_failed(self, worker: Worker) -> None:
        """Called after the failure of ``worker`` was shown."""


def failure_text(worker: Worker) -> str:
    """What the toast says: the work, then the error's type and message."""
    error = worker.error
    return f"{worker.name or 'background work'} failed: {type(error).__name__}: {error}"


def worker_changed(worker: Worker) -> None:
    """The one handler of every worker of the app: a failure is shown, then its owner is told."""
    if worker.state != WorkerState.ERROR:
        return
    node = worker.node
    node.app.notify(failure_text(worker), title="Error", severity="error", timeout=15, markup=False)
    if isinstance(node, WorkerOwner) and node.is_attached:
        node.worker_failed(worker)

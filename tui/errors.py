"""Errors of background work reach the reviewer: a mixin for screens and widgets with workers."""

from __future__ import annotations

from typing import Any


class ReportsWorkerErrors:
    """A worker's failure is shown by the app (``GlossatorApp.worker_failed``), not swallowed.

    ``Worker.StateChanged`` does not bubble: it reaches only the node that started the worker,
    so every screen or widget running workers mixes this in.
    """

    def on_worker_state_changed(self, event: Any) -> None:
        """Forward the worker to the app, which notifies its error (if it ended with one)."""
        report = getattr(self.app, "worker_failed", None)  # type: ignore[attr-defined]
        if report is not None:
            report(event.worker)

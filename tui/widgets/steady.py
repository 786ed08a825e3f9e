"""A scroll view whose scrollbars are updated only when its own size or virtual size changes.

Textual's ``ScrollView._size_updated`` compares the sizes the compositor hands it with its own,
which for a view that sets its own ``virtual_size`` (the article text, the span panel) do not agree:
every layout pass anywhere on the screen (a toast, a widget shown or hidden) then refreshes its
scrollbars, and that refresh lands a frame after the layout's, so the key writes two or three frames
(measured through a pty: ``benchmarks/tui_latency.py --only pty``)."""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView


class SteadyScrollView(ScrollView):
    """A :class:`ScrollView` that ignores layout passes which leave its size unchanged."""

    _steady: tuple[Size, Size] | None = None  # (size, virtual size) the scrollbars were last given

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        # The scrollbars depend on our size and our virtual size only: when neither changed since the
        # last layout pass, there is nothing to update (and nothing to repaint a frame later).
        seen = (size, self.virtual_size)
        if seen == self._steady and size == self._size:
            return False
        self._steady = seen
        return super()._size_updated(size, virtual_size, container_size, layout)

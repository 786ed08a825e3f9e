"""Side panel: one row per span of the article (label, text, canonical entity, state).

A line-based view like the article text: thousands of rows cost nothing until shown,
and rows are cached per item so moving the current span redraws two rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.events import Click, Resize
from textual.geometry import Size
from textual.strip import Strip

from annotate.review.patch import changed_middle
from annotate.review.state import GOLD, Item, ReviewState
from store.models import EVENT
from tui.messages import ItemClicked
from tui.text import displayable, one_line
from tui.widgets.steady import SteadyScrollView


class SpanPanel(SteadyScrollView, can_focus=False):
    """The article's spans in text order; the current one highlighted and kept in view."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "span-panel--current", "span-panel--gutter", "span-panel--gold-mark", "span-panel--pending-mark",
        "span-panel--entity", "span-panel--ink",
    }

    def __init__(self, color: Callable[[str, str], str], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._color = color
        self.items: tuple[Item, ...] = ()
        self._state: ReviewState | None = None
        self._labels: Counter[str] = Counter()  # items per label (the label column's width)
        self.current: str | None = None
        self._cache: dict[tuple[Item, bool, int, int], Strip] = {}
        self._label_width = 4

    def show(self, state: ReviewState, current: str | None) -> None:
        """Display the state's items; refresh only what changed (what a patched state rebuilt: the
        items it kept are the same objects, so the cost is the change's, not the article's)."""
        old, items = self.items, state.items
        self._state = state
        if items is not old:
            head, old_end, new_end = changed_middle(old, items)
            self.items = items
            self._labels.subtract(i.label for i in old[head:old_end])
            self._labels.update(i.label for i in items[head:new_end])
            self._labels = +self._labels  # labels no longer shown go
            width = min(max((len(label) for label in self._labels), default=3), 11)
            self._set_rows(len(items) + 1)
            if width != self._label_width:
                self._label_width = width
                self.refresh()
            else:  # the header and the rows that changed (an accept changes one row, a reject shifts those below)
                self._refresh_changed(head, old_end, new_end, len(old) != len(items))
        if current != self.current:
            for key in (self.current, current):
                n = state.position(key)
                if n is not None:
                    self.refresh_lines(n + 1)
        self.current = current
        n = state.position(current)
        if n is not None:
            row = n + 1
            top, height = round(self.scroll_offset.y), self.size.height
            if height > 0 and not top + 1 <= row < top + height - 1:
                self.scroll_to(y=max(row - height // 2, 0), animate=False, immediate=True)

    def notify_style_update(self) -> None:
        """The theme changed: rows drawn with the old styles are forgotten."""
        super().notify_style_update()
        self._cache.clear()

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"span-panel--{name}", partial=True)

    def _refresh_changed(self, head: int, old_end: int, new_end: int, shifted: bool) -> None:
        """The header, and rows ``head``…``new_end`` (the rest below too when rows came or went)."""
        self.refresh_lines(0)
        if not shifted:
            if new_end > head:
                self.refresh_lines(head + 1, new_end - head)
            return
        bottom = round(self.scroll_offset.y) + self.size.height
        if head + 1 < bottom:
            self.refresh_lines(head + 1, bottom - head - 1)

    def _set_rows(self, rows: int) -> None:
        """A new number of rows. A layout pass (a frame of its own) only when the scrollbar appears or goes."""
        size = Size(self.size.width, rows)
        height = self.scrollable_content_region.height
        if (self.virtual_size.height > height) != (rows > height) or self.virtual_size.width != size.width:
            self.virtual_size = size
        else:
            self.set_reactive(SpanPanel.virtual_size, size)
            self.vertical_scrollbar.window_virtual_size = rows

    def on_resize(self, event: Resize) -> None:
        """Rows are cut to the width: forget them."""
        if event.size.width != self.virtual_size.width:
            self._cache.clear()
        self._set_rows(len(self.items) + 1)

    def render_line(self, y: int) -> Strip:
        """Row ``y`` of the list (row 0 is the header)."""
        row = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if row == 0:
            gold = len(self.items) - (self._state.pending if self._state is not None else 0)
            head = f" {len(self.items)} spans · {gold} gold · {len(self.items) - gold} pending"
            return Strip([Segment(set_cell_size(head, width), self.rich_style + Style(bold=True, underline=True))])
        if row - 1 >= len(self.items):
            return Strip.blank(width, self.rich_style)
        item = self.items[row - 1]
        is_current = item.key == self.current
        key = (item, is_current, width, self._label_width)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._row(item, is_current, width)
            self._cache[key] = strip
        return strip.apply_offsets(0, row)

    def _row(self, item: Item, is_current: bool, width: int) -> Strip:
        base = self.rich_style + (self._style("current") if is_current else Style())
        color = self._color(item.label, item.kind)
        gold = item.state == GOLD
        mark = "✓" if gold else "·"
        label_style = self._style("ink") + Style(bgcolor=color) if gold else Style(color=color, underline=True)
        if item.kind == EVENT:
            label_style += Style(italic=True)
        text = " ".join(displayable(item.text).split())
        canon = f" → {displayable(item.kb_name)}" if item.kb_name else ""
        label = one_line(item.label)[:self._label_width].ljust(self._label_width)
        segments = [
            Segment("▌" if is_current else " ", base + self._style("gutter")),
            Segment(f"{mark} ", base + self._style("gold-mark" if gold else "pending-mark")),
            Segment(label, base + label_style),
            Segment(" ", base),
        ]
        used = sum(cell_len(s.text) for s in segments)
        rest = max(width - used, 0)
        body = set_cell_size(text + canon, rest) if rest else ""
        cut = min(len(text), len(body))
        segments.append(Segment(body[:cut], base))
        segments.append(Segment(body[cut:], base + self._style("entity")))
        return Strip(segments).crop_extend(0, width, base)

    def on_click(self, event: Click) -> None:
        """Clicking a row makes its span the current one."""
        row = round(self.scroll_offset.y) + event.y - 1
        if 0 <= row < len(self.items):
            self.post_message(ItemClicked(self.items[row].key))

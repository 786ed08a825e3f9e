"""The article text: a virtualised, line-based view with spans painted in.

Only the lines on screen are rendered (``render_line``); wrapped lines are computed once
per width, and each rendered line is cached until a change touches it: ``show`` works out
which character ranges changed and refreshes only their lines.

Text is displayed literally: it is never parsed as markup, and terminal control
characters are replaced one-for-one by visible placeholders (offsets do not move).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.events import MouseDown, MouseMove, MouseUp, Resize
from textual.geometry import Size
from textual.strip import Strip

from annotate.review.patch import changed_middle
from annotate.review.state import GOLD, Item, ReviewState
from store.models import EVENT, Region
from tui.messages import TextSelected
from tui.text import displayable
from tui.widgets.steady import SteadyScrollView

Range = tuple[int, int]


_CHUNK = re.compile(r"\S+|[^\S\n]+")


def wrap(text: str, width: int) -> list[Range]:
    """Greedy word wrap of (already displayable) ``text``: (start, end) of each visual line."""
    width = max(width, 4)
    lines: list[Range] = []
    pos = 0
    for para in text.split("\n"):
        start, col, line_start = pos, 0, pos
        for m in _CHUNK.finditer(para):
            a, chunk = start + m.start(), m.group()
            if chunk[0].isspace():
                col += len(chunk)  # trailing spaces may overhang; they are cropped
                continue
            w = cell_len(chunk)
            if col + w <= width:
                col += w
                continue
            if col > 0:
                lines.append((line_start, a))
                line_start, col = a, 0
            while w > width:  # a word longer than the line: hard break
                cut, cells = a, 0
                while cut < a + len(chunk) and cells + get_character_cell_size(text[cut]) <= width:
                    cells += get_character_cell_size(text[cut])
                    cut += 1
                cut = max(cut, a + 1)
                lines.append((line_start, cut))
                chunk, a, line_start = text[cut:a + len(chunk)], cut, cut
                w = cell_len(chunk)
            col = w
        lines.append((line_start, start + len(para)))
        pos = start + len(para) + 1
    return lines


class Palette:
    """Rich styles of spans: label colours from the config, the rest from the theme (component classes)."""

    def __init__(self, color: Callable[[str, str], str]) -> None:
        self._color = color
        self._cache: dict[tuple[str, str, str], Style] = {}
        self.ink = Style()  # text on a label colour
        self.dim = Style(dim=True, italic=True)
        self.cursor = Style(reverse=True)
        self.selection = Style(reverse=True)
        self.current = Style(bold=True, underline=True, overline=True)
        self.current_pending = Style()
        self.gutter = Style(bold=True)
        self.related = Style(bold=True, overline=True)
        self.related_gutter = Style()

    def restyle(self, component: Callable[[str], Style]) -> bool:
        """Take the theme's styles (``component``: a component class → its style); True if they changed."""
        styles = {name: component(f"article-view--{name.replace('_', '-')}")
                  for name in ("ink", "selection", "current_pending", "gutter", "related_gutter")}
        if all(getattr(self, name) == style for name, style in styles.items()):
            return False
        for name, style in styles.items():
            setattr(self, name, style)
        self._cache.clear()
        return True

    def item(self, item: Item) -> Style:
        """Gold: solid label background; pending: coloured underlined text; events italic (and bold when gold)."""
        key = (item.label, item.kind, item.state)
        style = self._cache.get(key)
        if style is None:
            color = self._color(item.label, item.kind)
            if item.state == GOLD:
                style = self.ink + Style(bgcolor=color, bold=item.kind == EVENT, italic=item.kind == EVENT)
            else:
                style = Style(color=color, underline=True, italic=item.kind == EVENT)
            self._cache[key] = style
        return style


class ArticleView(SteadyScrollView, can_focus=False):
    """Verbatim article text with gold spans, pending suggestions, cursor and selection painted in."""

    ALLOW_SELECT = False
    GUTTER = 2
    COMPONENT_CLASSES = {
        "article-view--ink", "article-view--selection", "article-view--current-pending",
        "article-view--gutter", "article-view--related-gutter",
    }
    DEFAULT_CSS = """
    ArticleView { scrollbar-gutter: stable; }
    """

    def __init__(self, text: str, regions: Sequence[Region], palette: Palette, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.text = text
        self.display_text = displayable(text)
        self.regions = tuple(sorted(regions, key=lambda r: r.start))
        self.palette = palette
        self.lines: list[Range] = []
        self._starts: list[int] = []
        self._width = 0
        self._cache: dict[int, Strip] = {}
        self._state: ReviewState | None = None
        self._current: Item | None = None
        self._cursor: Range | None = None
        self._selection: Range | None = None
        self._related: frozenset[Range] = frozenset()
        self._drag_from: int | None = None

    # -- layout -----------------------------------------------------------

    def _rewrap(self) -> None:
        width = self.scrollable_content_region.width - self.GUTTER
        if width <= 0 or width == self._width:
            return
        self._width = width
        self.lines = wrap(self.display_text, width)
        self._starts = [s for s, _ in self.lines]
        self._cache.clear()
        self.virtual_size = Size(width + self.GUTTER, len(self.lines))
        self.refresh()

    def on_mount(self) -> None:
        """Styles from the theme."""
        self.restyle()

    def restyle(self) -> None:
        """Take the theme's styles again (after a theme change); lines drawn with the old ones are forgotten."""
        if self.palette.restyle(lambda name: self.get_component_rich_style(name, partial=True)):
            self._cache.clear()
            self.refresh()

    def on_resize(self, event: Resize) -> None:
        """Re-wrap for the new width."""
        self._rewrap()
        if self._current is not None:
            self.call_after_refresh(self.keep_in_view, self._current.start, self._current.end)

    def line_of(self, offset: int) -> int:
        """Index of the visual line holding character ``offset``."""
        return max(bisect_right(self._starts, offset) - 1, 0)

    # -- state from the screen --------------------------------------------

    def show(self, state: ReviewState, current: Item | None, cursor: Range | None, selection: Range | None,
             related: Iterable[Range] = ()) -> None:
        """Paint this state, re-rendering only the lines whose look changed.

        ``related``: ranges tied to the current span (the arguments of the current event), marked.
        A patched state keeps the items it did not change (the same objects): only the changed
        middle of the two item tuples is compared, so that a key costs what it changed.
        """
        old = self._state.items if self._state is not None else ()
        head, old_end, new_end = changed_middle(old, state.items)
        marks = {(i.start, i.end, i.label, i.kind, i.state) for i in old[head:old_end]}
        changed: list[Range] = [(m[0], m[1]) for m in marks ^ {(i.start, i.end, i.label, i.kind, i.state)
                                                                for i in state.items[head:new_end]}]
        related = frozenset(related)
        changed += related ^ self._related
        self._related = related
        for was, now in ((self._current, current), (self._cursor, cursor), (self._selection, selection)):
            if was != now:
                changed += [_range(was), _range(now)]
        self._state = state
        self._current, self._cursor, self._selection = current, cursor, selection
        self.invalidate(changed)

    def invalidate(self, ranges: Iterable[Range]) -> None:
        """Forget and redraw the lines touching these character ranges."""
        if not self.lines:
            return
        touched: set[int] = set()
        for start, end in ranges:
            if start < 0:
                continue
            first, last = self.line_of(start), self.line_of(max(end - 1, start))
            touched.update(range(first, last + 1))
        for line in touched:
            self._cache.pop(line, None)
        top, height = self.scroll_offset.y, self.size.height
        for line in sorted(touched):
            if top <= line < top + height:
                self.refresh_lines(line)

    def keep_in_view(self, start: int, end: int) -> None:
        """Scroll (without animation) so that ``start``–``end`` is visible with some context."""
        if not self.lines or self.size.height <= 0:
            return
        first, last = self.line_of(start), self.line_of(max(end - 1, start))
        top, height = round(self.scroll_offset.y), self.size.height
        margin = min(3, height // 4)
        if first < top + margin:
            self.scroll_to(y=max(first - margin, 0), animate=False, immediate=True)
        elif last >= top + height - margin:
            self.scroll_to(y=last - height + margin + 1, animate=False, immediate=True)

    # -- rendering --------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """One screen line: cached per visual line until a change touches it."""
        index = round(self.scroll_offset.y) + y
        width = self.size.width
        if index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        strip = self._cache.get(index)
        if strip is None:
            strip = self._render_text_line(index)
            self._cache[index] = strip
        return strip.crop_extend(0, width, self.rich_style).apply_offsets(0, index)

    def _items_in(self, start: int, end: int) -> list[Item]:
        return self._state.overlapping(start, end) if self._state is not None else []

    def _render_text_line(self, index: int) -> Strip:
        start, end = self.lines[index]
        base = self.rich_style
        pal = self.palette
        paints: list[tuple[int, int, Style]] = []
        for region in self.regions:
            if region.start < end and region.end > start:
                paints.append((region.start, region.end, pal.dim))
        current = self._current
        for item in sorted(self._items_in(start, end), key=lambda i: i.kind == EVENT):
            paints.append((item.start, item.end, pal.item(item)))
        on_related = False
        for a, b in self._related:
            if a < max(end, start + 1) and b > start:
                paints.append((a, b, pal.related))
                on_related = True
        if current is not None and current.state != GOLD:
            paints.append((current.start, current.end, pal.current_pending))
        if self._selection:
            paints.append((*self._selection, pal.selection))
        if current is not None:
            paints.append((current.start, current.end, pal.current))
        if self._cursor:
            paints.append((*self._cursor, pal.cursor))
        cuts = {start, end}
        for a, b, _ in paints:
            if start < a < end:
                cuts.add(a)
            if start < b < end:
                cuts.add(b)
        bounds = sorted(cuts)
        text = self.display_text
        segments: list[Segment] = []
        on_current = current is not None and current.start < max(end, start + 1) and current.end > start
        if on_current:
            segments.append(Segment("▌ ", pal.gutter + base))
        else:
            segments.append(Segment("╎ " if on_related else "  ", pal.related_gutter + base if on_related else base))
        for a, b in zip(bounds, bounds[1:]):
            style = base
            for pa, pb, paint in paints:
                if pa <= a and b <= pb:
                    style += paint
            segments.append(Segment(text[a:b], style))
        if start == end and self._cursor and self._cursor[0] == start:
            segments.append(Segment(" ", base + pal.cursor))
        return Strip(segments)

    # -- mouse ------------------------------------------------------------

    def offset_at(self, x: int, y: int) -> int | None:
        """Character offset under a point of the widget (content coordinates), or None."""
        index = round(self.scroll_offset.y) + y
        if not 0 <= index < len(self.lines):
            return None
        start, end = self.lines[index]
        col = x - self.GUTTER
        if col < 0:
            return start
        cells = 0
        for offset in range(start, end):
            cells += get_character_cell_size(self.display_text[offset])
            if cells > col:
                return offset
        return end

    def on_mouse_down(self, event: MouseDown) -> None:
        """Start a drag selection."""
        if event.button != 1:
            return
        offset = self.offset_at(event.x, event.y)
        if offset is not None:
            self._drag_from = offset
            self.capture_mouse()

    def on_mouse_move(self, event: MouseMove) -> None:
        """Extend the drag selection."""
        if self._drag_from is not None and event.button == 1:
            offset = self.offset_at(event.x, event.y)
            if offset is not None:
                self.post_message(TextSelected(*_ordered(self._drag_from, offset), final=False))

    def on_mouse_up(self, event: MouseUp) -> None:
        """Finish the drag selection."""
        if self._drag_from is None:
            return
        self.release_mouse()
        offset = self.offset_at(event.x, event.y)
        start = self._drag_from
        self._drag_from = None
        if offset is not None:
            self.post_message(TextSelected(*_ordered(start, offset), final=True))


def _range(value: Item | Range | None) -> Range:
    if value is None:
        return (-1, -1)
    if isinstance(value, Item):
        return (value.start, value.end)
    return value


def _ordered(a: int, b: int) -> Range:
    """The half-open range covering the characters at ``a`` and ``b``."""
    return min(a, b), max(a, b) + 1

"""The corpus list: a virtual table whose rows are paged from SQL as they scroll into view.

Only the lines on screen are rendered (``render_line``); rows come from a ``source`` callable
(offset, limit) → rows, a page of :data:`PAGE` rows at a time, cached until :meth:`reset`. A key
costs one line repaint (two rows) and, at a page boundary, one indexed query. Nothing runs in
the background: a million rows cost what a hundred do (a search of a large corpus hands
:meth:`CorpusList.reset` its first page, read in a worker by the screen).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.events import Click, Resize
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.text import one_line

PAGE = 64  # rows per query: more than a screen, few enough that a search's snippets cost little
Source = Callable[[int, int], list[dict[str, Any]]]
# (key, header, width; 0 = takes the rest). The "source" column shows the match in context
# while a search is on.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("title", "Title", 0), ("date", "Date", 10), ("source", "Source", 26), ("status", "Status", 11),
    ("pending", "Left", 5), ("gold", "Gold", 5),
)
SNIPPET_HEADER = "Match"
# A row's status → the component class its status cell is painted in (colours: tui/styles/glossator.tcss).
STATUS_CLASSES = {"todo": "corpus-list--todo", "in_progress": "corpus-list--in-progress",
                  "done": "corpus-list--done", "skipped": "corpus-list--skipped"}


class CorpusList(ScrollView, can_focus=True):
    """Rows of the corpus, one line each, under a header line; a cursor row."""

    ALLOW_SELECT = False
    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]
    COMPONENT_CLASSES = {"corpus-list--header", "corpus-list--cursor", "corpus-list--even", "corpus-list--mark",
                         *STATUS_CLASSES.values()}
    DEFAULT_CSS = """
    CorpusList {
        height: 1fr;
        background: $surface;
        color: $foreground;
        scrollbar-gutter: stable;
        & > .corpus-list--header { text-style: bold; background: $panel; color: $foreground; }
        & > .corpus-list--even { background: $surface-lighten-1 50%; }
        &:dark > .corpus-list--even { background: $surface-darken-1 40%; }
        & > .corpus-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .corpus-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .corpus-list--mark { text-style: bold reverse; }
    }
    """

    class Selected(Message):
        """Enter (or a click on the cursor row) on an article."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class HeaderClicked(Message):
        """A click on a column header."""

        def __init__(self, column: str) -> None:
            super().__init__()
            self.column = column

    def __init__(self, cells: Callable[[dict[str, Any]], Sequence[Text]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cells = cells
        self.source: Source = lambda offset, limit: []
        self.total = 0
        self.cursor = 0
        self.snippets = False
        self.empty_text = ""
        self._pages: dict[int, list[dict[str, Any]]] = {}
        self._strips: dict[tuple[int, bool], Strip] = {}  # (row, under the cursor) → line, at one width
        self._styles: dict[str, Style] = {}
        self._strip_width = 0
        self._widths_of: tuple[tuple[int, bool], list[int]] = ((-1, False), [])
        # Called with a page index not read yet, next to the cursor's in the way it moves (the
        # screen may read it ahead, off the event loop, and hand it to add_page).
        self.ahead: Callable[[int], None] | None = None
        self.version = 0  # bumped whenever the cached pages are dropped: a page read before is stale

    # -- data -------------------------------------------------------------

    def reset(self, source: Source, total: int, cursor: int = 0, snippets: bool = False, empty_text: str = "",
              first: tuple[int, list[dict[str, Any]]] | None = None) -> None:
        """Show another view (or the same, re-read): drop every cached page. ``first``: (offset,
        rows) of a page already read (a search read in a worker), a multiple of :data:`PAGE`."""
        self.source, self.total, self.snippets, self.empty_text = source, total, snippets, empty_text
        self._pages.clear()
        self._strips.clear()
        self.version += 1
        if first is not None and first[0] % PAGE == 0:
            self._pages[first[0] // PAGE] = first[1]
        self.cursor = min(max(cursor, 0), max(total - 1, 0))
        self.virtual_size = Size(self.size.width, total + 1)
        self.refresh()
        self.call_after_refresh(self.keep_in_view)

    def reload(self) -> None:
        """Re-read the rows (statuses and counts changed), keeping the cursor."""
        self._pages.clear()
        self._strips.clear()
        self.version += 1
        self.refresh()

    def add_page(self, page: int, rows: list[dict[str, Any]], version: int) -> None:
        """A page read ahead (rows ``page * PAGE`` …), unless the pages were dropped since it was
        asked for (``version``) or it was read meanwhile."""
        if version == self.version and page not in self._pages and 0 <= page * PAGE < self.total:
            self._pages[page] = rows

    def row(self, index: int) -> dict[str, Any] | None:
        """The row at ``index`` (fetched with its page if needed), or None past the end."""
        if not 0 <= index < self.total:
            return None
        page = self._pages.get(index // PAGE)
        if page is None:
            page = self.source(index // PAGE * PAGE, PAGE)
            self._pages[index // PAGE] = page
        at = index % PAGE
        return page[at] if at < len(page) else None

    def current(self) -> dict[str, Any] | None:
        """The row under the cursor."""
        return self.row(self.cursor) if self.total else None

    # -- moving -----------------------------------------------------------

    def move_to(self, index: int) -> None:
        """Put the cursor on a row and scroll it into view."""
        if not self.total:
            return
        index = min(max(index, 0), self.total - 1)
        if index != self.cursor:
            old, self.cursor = self.cursor, index
            self._refresh_row(old)
            self._refresh_row(index)
            following = index // PAGE + (1 if index > old else -1)
            if self.ahead is not None and 0 <= following * PAGE < self.total and following not in self._pages:
                self.ahead(following)
        self.keep_in_view()

    def keep_in_view(self) -> None:
        """Scroll so the cursor row is shown."""
        rows = max(self.size.height - 1, 1)
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + rows:
            self.scroll_to(y=self.cursor - rows + 1, animate=False, immediate=True)

    def _refresh_row(self, index: int) -> None:
        line = index - round(self.scroll_offset.y) + 1
        if 1 <= line < self.size.height:
            self.refresh_lines(line)

    def action_move(self, delta: int) -> None:
        """One row down or up."""
        self.move_to(self.cursor + delta)

    def action_page(self, delta: int) -> None:
        """One screen down or up."""
        self.move_to(self.cursor + delta * max(self.size.height - 2, 1))

    def action_jump(self, where: int) -> None:
        """First or last row."""
        self.move_to(where if where >= 0 else self.total - 1)

    def action_select(self) -> None:
        """Open the article under the cursor."""
        row = self.current()
        if row is not None:
            self.post_message(self.Selected(row["id"]))

    def on_click(self, event: Click) -> None:
        """A header click sorts; a row click moves the cursor there, or opens it if it is there."""
        if event.y == 0:
            column = self._column_at(event.x)
            if column:
                self.post_message(self.HeaderClicked(column))
            return
        index = round(self.scroll_offset.y) + event.y - 1
        if 0 <= index < self.total:
            if index == self.cursor:
                self.action_select()
            else:
                self.move_to(index)

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:  # resolving component CSS costs milliseconds: once per theme and focus
            style = self._styles[name] = self.get_component_rich_style(name)
        return style

    def status_style(self, status: str) -> Style:
        """The style of a status cell: its component class, resolved once per theme and focus."""
        name = STATUS_CLASSES.get(status)
        if name is None:
            return Style.null()
        style = self._styles.get(name)
        if style is None:  # partial: the row's background (even rows, the cursor) shows through
            style = self._styles[name] = self.get_component_rich_style(name, partial=True)
        return style

    def _base(self) -> Style:
        style = self._styles.get("")
        if style is None:  # the widget's own style: resolved once per theme and focus, not per line
            style = self._styles[""] = self.rich_style
        return style

    def notify_style_update(self) -> None:
        """Theme, focus or hover changed: styles and lines are computed again."""
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    def on_focus(self) -> None:
        """The cursor row is drawn brighter with focus."""
        self._styles.clear()
        self._strips.clear()
        self.refresh()

    def on_blur(self) -> None:
        """… and dimmer without."""
        self.on_focus()

    def on_resize(self, event: Resize) -> None:
        """Keep the cursor in view at the new height."""
        self.virtual_size = Size(event.size.width, self.total + 1)
        self.call_after_refresh(self.keep_in_view)

    # -- rendering --------------------------------------------------------

    def _widths(self) -> list[int]:
        width = self.scrollable_content_region.width
        if self._widths_of[0] == (width, self.snippets):
            return self._widths_of[1]
        widths = [w for _k, _h, w in COLUMNS]
        if self.snippets:  # the match in context takes the source's place and half the title's
            widths[2] = 0
        rest = max(width - sum(w + 1 for w in widths if w) - 1 - (1 if self.snippets else 0), 24)
        if self.snippets:
            widths[0], widths[2] = rest * 2 // 5, rest - rest * 2 // 5
        else:
            widths[0] = rest
        self._widths_of = ((width, self.snippets), widths)
        return widths

    def _column_at(self, x: int) -> str | None:
        left = 1
        for (key, _h, _w), width in zip(COLUMNS, self._widths()):
            if left <= x < left + width + 1:
                return key
            left += width + 1
        return None

    def render_line(self, y: int) -> Strip:
        """The header (line 0) or one row."""
        width = self.size.width
        if width != self._strip_width:
            self._strips.clear()
            self._strip_width = width
        if y == 0:
            style = self._style("corpus-list--header")
            cells = [Text(SNIPPET_HEADER if key == "source" and self.snippets else header)
                     for key, header, _w in COLUMNS]
            return self._strip(cells, style, width)
        index = round(self.scroll_offset.y) + y - 1
        base = self._base()
        if not self.total:
            if y == 1 and self.empty_text:
                return Strip([Segment(" " + self.empty_text, base + Style(dim=True))]).crop_extend(0, width, base)
            return Strip.blank(width, base)
        cursor = index == self.cursor
        strip = self._strips.get((index, cursor))
        if strip is None:
            row = self.row(index)
            if row is None:
                return Strip.blank(width, base)
            over = None
            if cursor:  # the cursor's colours stay on top of a cell's own (a status's)
                over = self._style("corpus-list--cursor")
                style = base + over
            elif index % 2:
                style = base + self._style("corpus-list--even")
            else:
                style = base
            strip = self._strips[(index, cursor)] = self._strip(list(self.cells(row)), style, width, over)
        return strip

    def _strip(self, cells: Sequence[Text], style: Style, width: int, over: Style | None = None) -> Strip:
        # A row is repainted for every line a PageDown brings in: cells without spans (most of
        # them) are cut to their width here instead of through Text.copy/truncate/render, and
        # neighbouring ASCII pieces of one style are joined (fewer segments for the compositor).
        # Text.render drops a text's own style (Text(..., style=...)): it is applied here, under
        # its spans' styles and under ``over``.
        console = self.app.console
        pieces: list[tuple[str, Style]] = [(" ", style)]
        cells_used = 1  # every cell is cut or padded to its column's width
        for cell, column_width in zip(cells, self._widths()):
            cells_used += column_width + 1
            cell_style = style
            if cell.style:
                cell_style = style + console.get_style(cell.style, default=Style.null())
                if over is not None:
                    cell_style += over
            if cell.spans:
                text = cell.copy()
                text.truncate(column_width, overflow="ellipsis", pad=True)
                pieces.extend((seg.text, cell_style if seg.style is None else cell_style + seg.style)
                              for seg in text.render(console))
            else:
                pieces.append((fit(cell.plain, column_width), cell_style))
            pieces.append((" ", style))
        segments: list[Segment] = []
        joined, current = pieces[0]
        for piece, piece_style in pieces[1:]:
            # Only ASCII is joined: Rich measures a string holding one wide-or-unknown character
            # (…, ’) character by character, so such a piece stays short, in its own segment.
            if (piece_style is current or piece_style == current) and piece.isascii() and joined.isascii():
                joined += piece
            else:
                segments.append(Segment(joined, current))
                joined, current = piece, piece_style
        segments.append(Segment(joined, current))
        if cells_used > width:  # a terminal narrower than the fixed columns
            return Strip(segments).crop_extend(0, width, style)
        if cells_used < width:
            segments.append(Segment(" " * (width - cells_used), style))
        return Strip(segments, width)


def fit(plain: str, width: int) -> str:
    """``plain`` in exactly ``width`` cells: cut with an ellipsis, or padded (as Text.truncate)."""
    length = cell_len(plain)
    if length > width:
        return set_cell_size(plain, width - 1) + "…"
    return plain + " " * (width - length) if length < width else plain

def snippet_text(snippet: str, marks: Sequence[tuple[int, int]], mark: Style) -> Text:
    """A snippet on one line with its matched words in ``mark`` (data shown literally)."""
    text = Text(one_line(snippet), no_wrap=True, overflow="ellipsis")
    for start, end in marks:
        text.stylize(mark, start, end)
    return text

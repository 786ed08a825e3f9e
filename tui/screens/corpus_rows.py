"""The corpus screen's rows: the cells of one article's row, and the rows as a sequence."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.style import Style
from rich.text import Text

from store.flags import FLAGGED
from store.models import DONE, IN_PROGRESS, SKIPPED, TODO
from tui.text import one_line
from tui.widgets.corpus_list import CorpusList, snippet_text

STATUS_TEXT = {TODO: "todo", IN_PROGRESS: "in progress", DONE: "done", SKIPPED: "skipped", FLAGGED: "flagged"}
MARK = Style(bold=True, underline=True)
FLAG_MARK, SKIP_MARK = "⚑", "↷"  # before the title: flagged by this annotator (article or span), skipped


def cells(row: dict[str, Any], status_style: Callable[[str], Style]) -> list[Text]:
    """The cells of one row; ``status_style``: the style of a status (the list's, from the theme)."""
    status = row["status"]
    if row.get("snippet") is not None and row.get("marks") is not None and row.get("snippet"):
        where = snippet_text(row["snippet"], row["marks"], MARK)
    else:
        where = Text(one_line(row["source"] or ""), no_wrap=True, overflow="ellipsis")
    title = Text(no_wrap=True, overflow="ellipsis")
    if row.get("flagged"):
        title.append(f"{FLAG_MARK} ", style="bold")
    if status == SKIPPED:
        title.append(f"{SKIP_MARK} ", style="dim")
    title.append(one_line(row["title"] or row["source"] or row["id"]))
    return [
        title,
        Text(one_line(row["date"] or "")),
        where,
        Text(STATUS_TEXT.get(status, status), style=status_style(status)),
        Text(str(row["pending"]), justify="right"),
        Text(str(row["gold"]), justify="right"),
    ]


class Rows(Sequence[dict[str, Any]]):
    """The list's rows as a sequence, paged from SQL as they are read."""

    def __init__(self, widget: CorpusList) -> None:
        self.widget = widget

    def __len__(self) -> int:
        return self.widget.total

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        row = self.widget.row(index)
        if row is None:
            raise IndexError(index)
        return row

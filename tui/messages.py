"""Messages the review app's widgets, screens and workers post upwards (past tense: what happened)."""

from __future__ import annotations

from textual.message import Message

from annotate.suggest.run import Batch


class ArticleChosen(Message):
    """The user picked an article to review; ``order`` is the list it was picked from."""

    def __init__(self, article_id: str, order: list[str]) -> None:
        super().__init__()
        self.article_id = article_id
        self.order = order


class TextSelected(Message):
    """A mouse drag selected characters ``start``–``end`` of the article; ``final`` on release."""

    def __init__(self, start: int, end: int, final: bool) -> None:
        super().__init__()
        self.start = start
        self.end = end
        self.final = final


class ItemClicked(Message):
    """A row of the span panel was clicked."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key


class SuggestProgressed(Message):
    """The suggest worker computed a batch (to be saved on the main thread)."""

    def __init__(self, batch: Batch, done: int, total: int) -> None:
        super().__init__()
        self.batch = batch
        self.done = done
        self.total = total


class SuggestFinished(Message):
    """The suggest worker stopped: finished, cancelled, or failed with ``error``."""

    def __init__(self, cancelled: bool = False, error: str | None = None) -> None:
        super().__init__()
        self.cancelled = cancelled
        self.error = error


class PreparationCancelled(Message):
    """The user asked to stop ingesting / suggesting."""


class ArticleFinished(Message):
    """The article was marked done; the app opens the next one of ``order``."""

    def __init__(self, article_id: str, order: list[str]) -> None:
        super().__init__()
        self.article_id = article_id
        self.order = order

"""Messages the review app's widgets, screens and workers post upwards.

Each is a dataclass (its fields are its constructor, in order) named in the past tense: it says what
happened, and the receiver decides what to do about it. ``eq=False`` keeps a message equal only to
itself, as Textual expects of messages.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from annotate.suggest.run import Batch


@dataclass(eq=False)
class ArticleChosen(Message):
    """The user picked an article to review; ``order`` is the list it was picked from."""

    article_id: str
    order: list[str]


@dataclass(eq=False)
class TextSelected(Message):
    """A mouse drag selected characters ``start``–``end`` of the article; ``final`` on release."""

    start: int
    end: int
    final: bool


@dataclass(eq=False)
class ItemClicked(Message):
    """A row of the span panel was clicked; ``key`` is its item's key."""

    key: str


@dataclass(eq=False)
class SuggestionsComputed(Message):
    """The suggest worker computed a batch (to be saved on the main thread): ``done`` of ``total`` articles."""

    batch: Batch
    done: int
    total: int


@dataclass(eq=False)
class SuggestingFinished(Message):
    """The suggest worker stopped without an error: done, or ``cancelled`` (a failure goes to the error handler)."""

    cancelled: bool = False


@dataclass(eq=False)
class PreparationCancelled(Message):
    """The user asked to stop ingesting / suggesting."""


@dataclass(eq=False)
class ArticleFinished(Message):
    """The article was marked done; the app opens the next one of ``order``."""

    article_id: str
    order: list[str]

"""Errors a user can meet in the annotation layer, and the guard that turns SQLite failures into them."""

from __future__ import annotations

from store.db import StoreError, guarded

__all__ = ["InputError", "ReviewError", "StoreError", "guarded"]


class InputError(Exception):
    """A file that cannot be read (ingest, import, a gazetteer, a config): the message names it and the line;
    nothing was written."""


class ReviewError(Exception):
    """A reviewer action that cannot be done (overlap, unknown label …); nothing was written."""

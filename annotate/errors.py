"""Errors a user can meet in the annotation layer, and the guard that turns SQLite failures into them."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

from store.db import StoreError, explain

F = TypeVar("F", bound=Callable[..., Any])


class ReviewError(Exception):
    """A reviewer action that cannot be done (overlap, unknown label …); nothing was written."""


def guarded(method: F) -> F:
    """Turn SQLite failures (full disk, read-only file, lock) into a StoreError that says what was not saved."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as exc:
            raise StoreError(f"not saved ({method.__name__.replace('_', ' ')}): {explain(exc)}") from exc

    return wrapper  # type: ignore[return-value]

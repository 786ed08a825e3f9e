"""The one API the TUI and the CLI call: :class:`Service`, bound to one database and one annotator,
with its parts (``review``, ``events``, ``entities``, ``team``, ``data``, ``learn``,
``corpuswide``), and the errors and values its callers handle."""

from annotate.config import ConfigError
from annotate.errors import InputError, ReviewError
from annotate.service.context import DEFAULT_DB, ServiceContext, resolve_db
from annotate.service.core import Service
from annotate.service.events import ArgHint
from store.db import ReadOnlyDatabase, StoreError

__all__ = ["DEFAULT_DB", "ArgHint", "ConfigError", "InputError", "ReadOnlyDatabase", "ReviewError", "Service",
           "ServiceContext", "StoreError", "resolve_db"]

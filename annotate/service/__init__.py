"""The one API the TUI and the CLI call: :class:`Service`, bound to one database and one annotator."""

from annotate.service.core import Service

__all__ = ["Service"]

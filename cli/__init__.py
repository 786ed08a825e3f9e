"""The ``glossator`` command line: one module per area, thin over :mod:`annotate`."""

import sys


def _sqlite_utils_without_numpy() -> None:
    """Import sqlite_utils without its optional numpy and pandas.

    sqlite_utils imports them when it can (numpy costs ~0.1 s, a quarter of the command line's
    start-up) only to map their scalar types to column types; glossator never passes such values.
    They stay importable afterwards (spaCy needs numpy): only sqlite_utils' own attempt is skipped.
    """
    if "sqlite_utils" in sys.modules:
        return
    blocked = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` raise ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in blocked:
            del sys.modules[name]


_sqlite_utils_without_numpy()

"""Colours by meaning, read from the app's current theme: no screen or modal names a hex colour.

Layout and widget colours live in ``tui/styles/*.tcss`` as theme variables (``$primary``,
``$text-success``…). Screens that build Rich ``Text`` (data is shown literally, see :mod:`tui.text`)
need a Rich style instead: :func:`tone` turns a meaning below into the current theme's colour, so a
theme (``App.theme``) recolours those too.
"""

from __future__ import annotations

from textual.dom import DOMNode

GOOD = "text-success"  # done, agreed, kept, a confident candidate, nothing left to do
BUSY = "text-warning"  # in progress, marked, edited: wants attention, not wrong
BAD = "text-error"  # annotators differ, a scan failed
INFO = "text-primary"  # bars of the chart, entity types
KEY = "text-accent"  # key names in help (as the footer shows its keys)


def tone(node: DOMNode, meaning: str, extra: str = "") -> str:
    """A Rich style: ``extra`` (e.g. ``"bold"``) in the theme's colour for ``meaning``.

    A colour the theme does not give as ``#rrggbb`` (e.g. ``auto 60%``) leaves only ``extra``.
    """
    value = node.app.theme_variables.get(meaning, "")
    colour = value if value.startswith("#") and len(value) == 7 else ""
    return " ".join(part for part in (extra, colour) if part)

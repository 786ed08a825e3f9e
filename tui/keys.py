"""Key bindings of the review app, declared once and rebound from the project config.

Every action has a binding ``id`` equal to its name in ``[keys]`` of ``glossator.toml``
(see ``annotate.config.DEFAULT_KEYS``); the app passes ``config.keys`` to
``App.set_keymap`` so a rebinding in the config file replaces the default keys.
"""

from __future__ import annotations

from typing import NamedTuple

from textual.binding import Binding

from annotate.config import DEFAULT_KEYS, Config


class ActionSpec(NamedTuple):
    """One reviewer action: its config name, the screen action it runs, and its help text."""

    name: str
    action: str
    description: str
    show: bool = False
    short: str = ""  # footer label; the help screen shows ``description``


# Article-screen actions in help order. ``name`` is the key of ``[keys]`` in the config.
ARTICLE_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("next_span", "next_span", "Next span", True, "Next"),
    ActionSpec("prev_span", "prev_span", "Previous span"),
    ActionSpec("accept", "accept", "Accept suggestion and move on", True, "Accept"),
    ActionSpec("reject", "reject", "Reject suggestion", True, "Reject"),
    ActionSpec("accept_all", "accept_all", "Accept every remaining suggestion"),
    ActionSpec("event_mode", "event_mode", "Event mode: pick an event type", True, "Event"),
    ActionSpec("label_picker", "label_picker", "Label picker with type-ahead", True, "Label"),
    ActionSpec("grow_left", "resize('left', 1)", "Grow span by a token on the left"),
    ActionSpec("shrink_left", "resize('left', -1)", "Shrink span by a token on the left"),
    ActionSpec("grow_right", "resize('right', 1)", "Grow span by a token on the right"),
    ActionSpec("shrink_right", "resize('right', -1)", "Shrink span by a token on the right"),
    ActionSpec("cursor_left", "move_cursor(-1, False)", "Cursor one token left"),
    ActionSpec("cursor_right", "move_cursor(1, False)", "Cursor one token right"),
    ActionSpec("word_left", "move_cursor(-1, True)", "Cursor one word left"),
    ActionSpec("word_right", "move_cursor(1, True)", "Cursor one word right"),
    ActionSpec("select", "select", "Start / end a selection at the cursor", True, "Select"),
    ActionSpec("link", "link", "Link to a canonical entity", True, "Link"),
    ActionSpec("delete_span", "delete_span", "Delete the current span"),
    ActionSpec("done", "done", "Mark done and open the next article", True, "Done"),
    ActionSpec("undo", "undo", "Undo (this article)", True, "Undo"),
    ActionSpec("redo", "redo", "Redo (this article)"),
    ActionSpec("toggle_panel", "toggle_panel", "Toggle the span panel"),
    ActionSpec("page_up", "page(-1)", "Scroll up a page"),
    ActionSpec("page_down", "page(1)", "Scroll down a page"),
    ActionSpec("back", "back", "Drop the selection, else back to the corpus", True, "Back"),
)

# Actions every screen has (bound on the app).
APP_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("help", "help", "Help: every key", True, "Help"),
    ActionSpec("quit", "quit", "Quit", True, "Quit"),
)

DIGITS = "123456789"


def bindings(specs: tuple[ActionSpec, ...], keys: dict[str, str] | None = None) -> list[Binding]:
    """Bindings for ``specs`` with keys from ``keys`` (default: the built-in table), ids = action names."""
    table = keys or DEFAULT_KEYS
    return [
        Binding(table.get(spec.name, DEFAULT_KEYS[spec.name]), spec.action, spec.short or spec.description,
                show=spec.show, id=spec.name, tooltip=spec.description)
        for spec in specs
    ]


def digit_bindings() -> list[Binding]:
    """Number keys: labels in entity mode (order from the config), event types in event pickers."""
    return [Binding(d, f"number('{d}')", f"Label {d}", show=False) for d in DIGITS]


def keymap(config: Config) -> dict[str, str]:
    """The keymap to pass to ``App.set_keymap``: every configured action → its keys."""
    return {name: keys for name, keys in config.keys.items() if keys}


def key_display(keys: str) -> str:
    """Human form of a comma-separated key list: ``"question_mark"`` → ``"?"``."""
    from textual.keys import format_key

    return " / ".join(format_key(key.strip()) for key in keys.split(",") if key.strip())

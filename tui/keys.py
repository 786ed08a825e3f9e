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
    ActionSpec("reject_label", "reject_label", "Reject every pending suggestion with the current span's label "
               "at once (u undoes)"),
    ActionSpec("accept_all", "accept_all", "Accept every remaining suggestion at once (u undoes)"),
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
    ActionSpec("add_arg", "add_arg", "Event: attach a role (pick the role, then the filler span)"),
    ActionSpec("attach_arg", "attach_arg", "Attach the current span to the role being chosen"),
    ActionSpec("arg_next", "arg_move(1)", "Event frame: next argument"),
    ActionSpec("arg_prev", "arg_move(-1)", "Event frame: previous argument"),
    ActionSpec("accept_arg", "accept_arg", "Accept the suggested argument (and its span); then the next one below"),
    ActionSpec("reject_arg", "reject_arg", "Reject the suggested argument"),
    ActionSpec("replace_arg", "replace_arg", "Replace the argument's filler by another span"),
    ActionSpec("remove_arg", "remove_arg", "Remove the attached argument"),
    ActionSpec("link", "link", "Link to a canonical entity (then on to the next unlinked mention)", True, "Link"),
    ActionSpec("link_new_slug", "link_new_slug", "Link to the mention's entity: the starter KB's, the article's fuller name's, else a new one"),
    ActionSpec("delete_span", "delete_span", "Delete the current span"),
    ActionSpec("done", "done", "Mark done and open the next article", True, "Done"),
    ActionSpec("undo", "undo", "Undo (this article); back on the span it changed", True, "Undo"),
    ActionSpec("redo", "redo", "Redo (this article)"),
    ActionSpec("toggle_panel", "toggle_panel", "Toggle the span panel"),
    ActionSpec("page_up", "page(-1)", "Scroll up a page"),
    ActionSpec("page_down", "page(1)", "Scroll down a page"),
    ActionSpec("back", "back", "Drop the selection, else stop choosing a filler, else back to the corpus", True,
               "Back"),
    # entflags
    ActionSpec("flag", "flag", "Flag the current gold span (no span: the article) as uncertain, with a note; "
               "again: unflag"),
    ActionSpec("flag_article", "flag(True)", "Flag the article as uncertain, with a note; again: unflag"),
    ActionSpec("skip", "skip", "Skip the article (not done, not offered next) and open the next one"),
    # learnui
    ActionSpec("confidence_order", "confidence_order", "Order of j / k / accept: text ↔ lowest confidence first"),
    ActionSpec("bulk_accept", "bulk_accept", "Bulk accept the suggestions of a label above an estimated precision"),
    # corpuswide
    ActionSpec("occurrences", "app.show_occurrences", "All occurrences of the span's surface in the other articles"),
    ActionSpec("consistency", "app.show_consistency", "Consistency queue: surfaces labelled or linked differently"),
    # find
    ActionSpec("find", "find", "Find in the text (case and accents ignored); Enter jumps to the next hit"),
    ActionSpec("find_next", "find_next", "Next hit of the last find (wraps round)"),
    # keys (issue 14)
    ActionSpec("next_unlinked", "next_unlinked(1)", "Next entity mention A would leave unlinked (wraps round)"),
    ActionSpec("prev_unlinked", "next_unlinked(-1)", "Previous entity mention A would leave unlinked (wraps round)"),
)

# Actions every screen has (bound on the app).
APP_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("help", "help", "Help: every key", True, "Help"),
    ActionSpec("quit", "quit", "Quit", True, "Quit"),
    # learnui
    ActionSpec("train", "train", "Train on the gold in the background (again: cancel; while it runs, Esc stops "
               "it); then re-suggest"),
)

# Routes to the other screens, from every screen (bound on the app).
ROUTE_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("entities", "show_entities", "Canonical entities: list, merge, duplicates"),
    ActionSpec("dashboard", "show_dashboard", "Dashboard: progress and statistics"),
)

# Corpus-screen routes (on the highlighted article).
CORPUS_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("adjudicate", "app.adjudicate", "Adjudicate the highlighted article", True, "Adjudicate"),
    # learnui
    ActionSpec("corpus_confidence", "sort_confidence", "Sort by lowest suggestion confidence (again: ingest order)"),
    ActionSpec("corpus_bulk_accept", "bulk_accept", "Bulk accept a label's suggestions in the corpus above an "
               "estimated precision"),
    ActionSpec("corpus_undo", "undo", "Undo the latest corpus-wide action (a corpus bulk accept)"),
    # corpuswide
    ActionSpec("corpus_consistency", "app.show_consistency",
               "Consistency queue: surfaces labelled or linked differently"),
)

# Entities-screen actions in help order.
ENTITY_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("entity_filter", "focus_filter", "Filter entities by name, alias or id", True, "Filter"),
    ActionSpec("entity_rename", "rename", "Rename the entity", True, "Rename"),
    ActionSpec("entity_split", "split", "Split an alias off into its own entity", True, "Split"),
    ActionSpec("entity_mark", "mark", "Mark / unmark the entity for merging", True, "Mark"),
    ActionSpec("entity_merge", "merge", "Merge the marked entities into this one", True, "Merge"),
    ActionSpec("entity_duplicates", "toggle_duplicates", "Entities ↔ likely duplicates", True, "Duplicates"),
    ActionSpec("entity_keeper", "choose_keeper", "Duplicates: choose the entity to keep, then merge", True, "Keep…"),
    ActionSpec("entity_undo", "undo", "Undo the latest entity change", True, "Undo"),
    ActionSpec("entity_redo", "redo", "Redo the latest undone entity change"),
    ActionSpec("entity_back", "back", "Clear the filter, stop a scan, else back", True, "Back"),
    # entflags
    ActionSpec("entity_mention_unlink", "mention_unlink", "Mentions: unlink the highlighted mention", True, "Unlink"),
    ActionSpec("entity_mention_relink", "mention_relink", "Mentions: link the highlighted mention to another entity",
               True, "Relink"),
    ActionSpec("entity_mention_split", "mention_split", "Mentions: split the marked (else highlighted) mentions "
               "off into a new entity", True, "Split off"),
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
    """The keymap to pass to ``App.set_keymap``: the actions the config binds to other keys than
    their defaults → those keys.

    Only the rebindings: the bindings are declared with the default keys already, and Textual
    overlays a non-empty keymap on every binding map at every key press, in time quadratic in the
    bindings (about 2.5 ms of CPU a key for the whole table, a sixth of a frame)."""
    return {name: keys for name, keys in config.keys.items() if keys and keys != DEFAULT_KEYS.get(name)}


def key_display(keys: str) -> str:
    """Human form of a comma-separated key list: ``"question_mark"`` → ``"?"``."""
    from textual.keys import format_key

    return " / ".join(format_key(key.strip()) for key in keys.split(",") if key.strip())


FRIENDLY = {"enter": "Enter", "escape": "Esc", "tab": "Tab", "delete": "Del", "space": "Space"}


def key_name(keys: str) -> str:
    """The first key of a comma-separated list, as a prompt names it: ``"enter"`` → ``"Enter"``."""
    from textual.keys import format_key

    first = keys.split(",")[0].strip()
    return FRIENDLY.get(first, format_key(first))

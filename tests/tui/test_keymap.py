"""The keymap handed to Textual holds only the config's rebindings.

Textual overlays a non-empty keymap on every binding map at every key press, so the default keys
are declared on the bindings themselves and the keymap carries only what the config changes.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.dom import DOMNode

import tui
from annotate.config import DEFAULT_KEYS, Config
from tui import keys


def declared_bindings() -> list[tuple[str, str, str]]:
    """(class, binding id, key) of every binding with an id declared by a class of ``tui``."""
    found = []
    for info in pkgutil.walk_packages(tui.__path__, "tui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                for binding in cls.__dict__.get("BINDINGS", []):
                    if getattr(binding, "id", None):
                        found.append((cls.__name__, binding.id, binding.key))
    return found


def test_every_configurable_binding_is_declared_with_its_default_key():
    # What makes leaving the defaults out of the keymap safe: a binding declared with another key
    # than its default would keep that other key.
    declared = [row for row in declared_bindings() if row[1] in DEFAULT_KEYS]
    assert len({binding_id for _, binding_id, _ in declared}) >= 60
    assert [row for row in declared if row[2] != DEFAULT_KEYS[row[1]]] == []


def test_the_default_config_needs_no_keymap():
    assert keys.keymap(Config()) == {}


def test_a_rebinding_is_in_the_keymap_and_only_it():
    config = Config(keys={**DEFAULT_KEYS, "accept": "y", "reject": DEFAULT_KEYS["reject"]})
    assert keys.keymap(config) == {"accept": "y"}

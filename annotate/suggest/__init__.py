"""Suggestion engine: spaCy entity, event and argument suggestions for French news.

The lexicon is plain TOML and is read by the configuration too, so the spaCy-backed
names are imported on first use only: opening the app must not import spaCy.
"""

from typing import Any

from annotate.suggest.lexicon import Lexicon, load_lexicon

__all__ = ["Lexicon", "ModelNotFound", "Suggester", "load_lexicon"]


def __getattr__(name: str) -> Any:
    if name in ("ModelNotFound", "Suggester"):
        from annotate.suggest import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'annotate.suggest' has no attribute {name!r}")

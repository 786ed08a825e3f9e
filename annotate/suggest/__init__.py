"""Suggestion engine: spaCy entity, event and argument suggestions for French news."""

from annotate.suggest.lexicon import Lexicon, load_lexicon
from annotate.suggest.pipeline import ModelNotFound, Suggester

__all__ = ["Lexicon", "ModelNotFound", "Suggester", "load_lexicon"]

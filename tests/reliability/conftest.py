"""Fixtures of the reliability tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.service import Service
from tests.reliability.support import SEEDS


@pytest.fixture
def seeded_db(tmp_path: Path) -> Path:
    """A database file with the seed articles ingested (and closed again)."""
    db = tmp_path / "g.db"
    service = Service.open(db, annotator="setup")
    service.data.ingest([SEEDS])
    service.close()
    return db

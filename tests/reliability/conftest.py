"""Fixtures of the reliability tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import db_support


@pytest.fixture
def seeded_db(tmp_path: Path, seeds_db: Path) -> Path:
    """A database file with the seed articles ingested (and closed again): a copy of ``seeds_db``."""
    return db_support.copy(seeds_db, tmp_path / "g.db")

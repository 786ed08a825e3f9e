"""Paths and sizes shared by the whole suite: import them from here, not from a conftest."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DATA = ROOT / "tests" / "data"
GOLD = DATA / "seeds_gold.jsonl"
GOLD_ARGS = DATA / "seeds_gold_args.jsonl"
# The standard terminal of the pilot and snapshot tests (columns, rows).
SIZE = (120, 40)

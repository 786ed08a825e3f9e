"""Paths and sizes the tests share (restored: the integration branch imports it but lacked the file)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "data" / "seeds_gold.jsonl"
SIZE = (120, 40)

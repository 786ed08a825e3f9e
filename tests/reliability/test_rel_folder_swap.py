"""A folder export killed at any point (issue 12, item 6): the name holds the old or the new export,
and the next export cleans what the killed one left."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from annotate.formats.atomic import recover_folder
from tests.cli_support import run
from tests.reliability.support import GLOSSATOR, ROOT, env

# The CLI with a SIGKILL at one step of atomic.swap_in (no strace needed: deterministic).
_KILLER = """
import os, signal, sys
from annotate.formats import atomic
point = sys.argv.pop(1)
real_exchange, real_rename = atomic.exchange, os.rename
def die():
    os.kill(os.getpid(), signal.SIGKILL)
def exchange(a, b):
    if point == "before-exchange":
        die()
    if point == "between-renames":
        return False  # a system without renameat2: the two-rename fallback
    done = real_exchange(a, b)
    die()
def rename(a, b):
    real_rename(a, b)
    if point == "between-renames" and str(b).endswith(os.sep + "x"):
        die()  # the old folder is moved aside, the new one not yet in place
atomic.exchange = exchange
os.rename = rename
from cli import main as cli
sys.argv[0] = "glossator"
cli.main()
"""

BRAT = ["export", "--format", "brat", "--what", "suggestions"]


def export(db: Path, target: Path, *extra: str) -> None:
    """A whole export, in this process (the killed ones are real processes: a SIGKILL is the point)."""
    run(*BRAT, "--db", str(db), "-o", str(target), *extra, check=0)


def labels_of(target: Path) -> list[str] | None:
    return json.loads((target / "glossator-export.json").read_text(encoding="utf-8"))["labels"]


def killed_export(db: Path, target: Path, point: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-c", _KILLER, point, *BRAT, "--labels", "LOC", "--db", str(db),
                           "-o", str(target)], cwd=ROOT, env=env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    return proc


def leftovers(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}."))


@pytest.mark.parametrize("point, holds", [("before-exchange", None), ("after-exchange", ["LOC"])])
def test_the_name_always_holds_a_whole_export(seeded_db: Path, tmp_path: Path, point: str, holds):
    target = tmp_path / "exp" / "b1"
    target.parent.mkdir()
    export(seeded_db, target)  # the old export: every label
    killed_export(seeded_db, target, point)
    assert target.is_dir() and labels_of(target) == holds  # the old one, or the new one: never nothing
    assert len(list(target.glob("*.ann"))) == 5
    export(seeded_db, target, "--labels", "PER")
    assert labels_of(target) == ["PER"]
    assert leftovers(target) == [], "the killed run's temp folders were not cleaned"


def test_killed_between_two_renames_the_old_export_comes_back(seeded_db: Path, tmp_path: Path):
    target = tmp_path / "b1"
    export(seeded_db, target)
    killed_export(seeded_db, target, "between-renames")
    assert not target.exists() and len(leftovers(target)) == 2  # the fallback's window: old aside, new ready
    recover_folder(target, locked=True)  # what the next export does first, under its lock
    assert labels_of(target) is None and len(list(target.glob("*.ann"))) == 5
    assert leftovers(target) == []


def test_the_next_export_after_a_kill_between_renames_is_complete(seeded_db: Path, tmp_path: Path):
    target = tmp_path / "b1"
    export(seeded_db, target)
    killed_export(seeded_db, target, "between-renames")
    export(seeded_db, target, "--labels", "PER")
    assert labels_of(target) == ["PER"] and leftovers(target) == []


@pytest.mark.skipif(not shutil.which("strace"), reason="strace is not installed")
@pytest.mark.parametrize("inject", ["rename:signal=SIGKILL:when=3", "renameat2:signal=SIGKILL:when=1"])
def test_the_issue_reproduction_with_strace(seeded_db: Path, tmp_path: Path, inject: str):
    target = tmp_path / "exp" / "b1"
    target.parent.mkdir()
    export(seeded_db, target)
    subprocess.run(["strace", "-f", "-o", "/dev/null", "-e", f"inject={inject}", *GLOSSATOR, *BRAT, "--labels", "LOC",
                    "--db", str(seeded_db), "-o", str(target)], cwd=ROOT, env=env(), capture_output=True, timeout=180)
    assert target.is_dir() and labels_of(target) in (None, ["LOC"])
    assert len(list(target.glob("*.ann"))) == 5
    export(seeded_db, target)
    assert leftovers(target) == []

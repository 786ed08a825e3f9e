"""``glossator merge``, ``agreement`` and ``stats`` as a user runs them: no tracebacks, exit codes checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.service import Service
from tests.cli_support import Ran
from tests.cli_support import run as cli
from tests.team_support import annotator_copy, gold, perturbed


def run(*args: str, check: int | None = None) -> Ran:
    """``glossator ARGS`` as the lead (in this process: tests/cli_support.py)."""
    return cli(*args, env={"GLOSSATOR_ANNOTATOR": "lead"}, check=check)


@pytest.fixture
def merged(tmp_path: Path) -> tuple[str, Ran]:
    alice = annotator_copy(tmp_path, "alice", gold())
    bob = annotator_copy(tmp_path, "bob", perturbed(gold()))
    db = str(tmp_path / "lead.db")
    return db, run("merge", str(alice), str(bob), "--db", db, check=0)


def test_merge_prints_a_summary_per_copy_and_is_idempotent(merged, tmp_path: Path) -> None:
    db, first = merged
    lines = first.stdout.splitlines()
    assert len(lines) == 2
    assert "alice.db: 5 articles added, 5 annotations copied" in lines[0]
    assert "bob.db: 0 articles added, 5 annotations copied" in lines[1]
    assert "merged entity syrie into syria" in first.stderr
    assert "possible duplicates: alina_romanowski, romanowski" in first.stderr
    assert "glossator entities duplicates" in first.stderr
    again = run("merge", str(tmp_path / "alice.db"), str(tmp_path / "bob.db"), "--db", db, check=0)
    for line in again.stdout.splitlines():
        assert "0 articles added, 0 annotations copied (0 spans" in line and "0 log entries, 0 entities" in line


def test_agreement_table_and_json(merged) -> None:
    db, _ = merged
    table = run("agreement", "--db", db, check=0).stdout
    assert "alice × bob: 5 articles" in table
    assert table.splitlines()[1].split()[:4] == ["label", "alice", "bob", "exact"]
    data = json.loads(run("agreement", "--db", db, "--json", check=0).stdout)
    [pair] = data["pairs"]
    assert (pair["a"], pair["b"], pair["articles"]) == ("alice", "bob", 5)
    assert 0 < pair["overall"]["exact_f1"] < 1 and pair["labels"]["MEETING"]["exact_f1"] == 1.0


def test_stats_text_and_json(merged) -> None:
    db, _ = merged
    text = run("stats", "--db", db, check=0).stdout
    assert "articles: 5: 5 done, 0 in progress, 0 todo" in text
    assert "labels: LOC" in text and "duplicate clusters left" in text
    data = json.loads(run("stats", "--db", db, "--json", check=0).stdout)
    assert data["progress"]["done"] == 5 and data["by_annotator"]["bob"]["done"] == 5
    assert data["entities"]["merged"] == 1


@pytest.mark.parametrize("args, message", [
    (["merge", "{d}/nope.db"], "nope.db: no such database"),
    (["merge", "{d}/g.db"], "cannot merge a database into itself"),
    (["agreement"], "no such database"),
    (["stats", "--json"], "no such database"),
])
def test_errors_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    if args[0] == "merge":  # the target exists; agreement and stats open read-only and create nothing
        Service.open(tmp_path / "g.db").close()
    proc = run(*[a.replace("{d}", str(tmp_path)) for a in args], "--db", str(tmp_path / "g.db"))
    assert proc.returncode == 1
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1

"""The command line as a user runs it: real processes, exit codes, messages, no tracebacks."""

import json

import pytest

from tests.cli_support import run
from tests.paths import GOLD, ROOT, SEEDS


def test_ingest_import_export_through_the_cli(tmp_path):
    db = str(tmp_path / "g.db")
    out = run("ingest", str(SEEDS), "--db", db, check=0)
    assert "5 added, 0 skipped as duplicate, 0 failed" in out.stdout
    assert "5 skipped as duplicate" in run("ingest", str(SEEDS), "--db", db, check=0).stdout
    run("import", str(GOLD), "--db", db, check=0)
    target = tmp_path / "gold.jsonl"
    proc = run("export", "--db", db, "-o", str(target), check=0)
    assert "5 lines from 5 articles" in proc.stderr
    lines = [json.loads(l) for l in target.read_text(encoding="utf-8").splitlines()]
    assert {l["meta"]["annotator"] for l in lines} == {"alice"}


def test_db_comes_from_the_environment(tmp_path):
    db = tmp_path / "env.db"
    run("ingest", str(SEEDS / "000_e36bfcae08118a28.txt"), env={"GLOSSATOR_DB": str(db)}, check=0)
    assert db.exists()


def test_default_db_is_in_the_current_folder(tmp_path):
    run("ingest", str(SEEDS / "000_e36bfcae08118a28.txt"), cwd=tmp_path, check=0)
    assert (tmp_path / "glossator.db").exists()


def test_init_writes_the_config_once(tmp_path):
    db = str(tmp_path / "g.db")
    run("init", "--db", db, check=0)
    assert (tmp_path / "glossator.toml").exists()
    assert "exists" in run("init", "--db", db, check=1).stderr


@pytest.mark.parametrize(
    "setup, args, message",
    [
        (lambda d: None, ["ingest", "/no/such/file.txt"], "/no/such/file.txt: no such file or folder"),
        (lambda d: (d / "x.txt").write_bytes(b"\xff\xfe\x00\x01"), ["ingest", "{d}/x.txt"], "binary file"),
        (lambda d: (d / "bad.jsonl").write_text('{"text": "a", "spans": [{"start": 0, "end": 9, "label": "PER"}]}\n'),
         ["import", "{d}/bad.jsonl"], "bad.jsonl, line 1, spans[0]: offsets 0-9 are outside"),
        (lambda d: (d / "glossator.toml").write_text("[keys]\naccpet = \"a\"\n"), ["ingest", str(SEEDS)],
         "glossator.toml, line 2: unknown key 'accpet'"),
        (lambda d: (d / "g.db").write_text("not sqlite" * 500), ["ingest", str(SEEDS)], "not a glossator database"),
        (lambda d: None, ["export", "--format", "xml"], "unknown format 'xml'"),
    ],
)
def test_bad_input_is_one_clear_line_and_a_non_zero_exit(tmp_path, setup, args, message):
    setup(tmp_path)
    args = [a.replace("{d}", str(tmp_path)) for a in args]
    proc = run(*args, "--db", str(tmp_path / "g.db"))
    assert proc.returncode != 0
    assert message in proc.stderr


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    import typer.main

    from cli.main import app

    def walk(group, prefix):
        for name, command in group.commands.items():
            yield f"{prefix} {name}", command
            if hasattr(command, "commands"):
                yield from walk(command, f"{prefix} {name}")

    for name, command in walk(typer.main.get_command(app), "glossator"):
        assert name in readme, name
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt != "--help":
                    assert opt in readme, f"{name} {opt}"


def test_entities_commands(tmp_path):
    db = str(tmp_path / "g.db")
    run("import", str(GOLD), "--db", db, check=0)
    listed = run("entities", "list", "--json", "--db", db, check=0).stdout.splitlines()
    assert any(json.loads(l)["id"] == "kataib_hezbollah" for l in listed)
    matches = json.loads(run("entities", "match", "al-Sudani", "--type", "PER", "--json", "--db", db, check=0).stdout)
    assert matches[0]["id"] == "mohammed_shia_al_sudani"
    assert set(matches[0]) == {"id", "name", "type", "score", "matched_alias"}
    clusters = json.loads(run("entities", "duplicates", "--json", "--db", db, check=0).stdout)
    for cluster in clusters:
        assert set(cluster) == {"entities", "score", "evidence"} and len(cluster["entities"]) >= 2
    assert "no entity 'nobody'" in run("entities", "merge", "iraq", "nobody", "--db", db, check=1).stderr
    assert "mentions moved" in run("entities", "merge", "iraq", "baghdad", "--db", db, check=0).stdout
    out = tmp_path / "e.jsonl"
    run("entities", "export", "-o", str(out), "--db", db, check=0)
    assert "baghdad" not in {json.loads(l)["id"] for l in out.read_text(encoding="utf-8").splitlines()}
    shown = run("entities", "show", "iraq", "--db", db, check=0).stdout
    assert "Baghdad" in shown and "mentions:" in shown


def test_every_key_is_in_the_readme():
    """Each rebindable action, with its default keys, is in the README's key table."""
    from annotate.config import DEFAULT_KEYS
    from tui.keys import key_display

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## The review app: keys"):]
    for name, keys in DEFAULT_KEYS.items():
        row = next((line for line in table.splitlines() if f"| `{name}` |" in line), None)
        assert row is not None, f"[keys] {name} is not documented"
        for key in keys.split(","):
            assert f"`{key_display(key)}`" in row, f"{name}: key {key} is not in its README row"


def test_control_characters_in_file_names_are_escaped_in_errors(tmp_path):
    name = "evil\x1b[31mred\x07.txt"
    (tmp_path / name).write_bytes(b"")
    proc = run("ingest", str(tmp_path / name), "--db", str(tmp_path / "g.db"))
    assert proc.returncode == 1
    assert "\x1b" not in proc.stderr and "\x07" not in proc.stderr
    assert "evil\\x1b[31mred\\x07.txt: empty file" in proc.stderr

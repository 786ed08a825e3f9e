"""The CLI never prints a raw control character from data: OSC/CSI in names cannot drive the terminal."""

import json

import pytest

from annotate.service import Service
from tests.cli_support import run

OSC = "\x1b]0;pwned\x07"
NAME = f"{OSC}[bold]Maliki\x9b31m\x7f"
MENTION = "\x1b]2;t\x07Maliki"
TEXT = f"Le ministre {MENTION} a attaqué Bagdad hier.\n"
ANNOTATORS = (f"{OSC}alice", "bob\x9b2J")
RAW = ("\x1b", "\x07", "\x9b", "\x7f")


@pytest.fixture
def db(tmp_path):
    """Two annotators with the same gold (an ATTACK whose agent is linked to NAME), both done."""
    source = tmp_path / "a.jsonl"
    source.write_text(json.dumps({"text": TEXT, "meta": {"title": f"{OSC} titre", "date": "2024-01-02"}},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    path = tmp_path / "g.db"
    entity = None
    for annotator in ANNOTATORS:
        svc = Service.open(path, annotator=annotator)
        if entity is None:
            svc.data.ingest([source])
        article = svc.data.articles()[0]["id"]
        start = TEXT.index(MENTION)
        person = svc.review.add_span(article, start, start + len(MENTION), "PER")
        if entity is None:
            entity = svc.entities.link_new(person, name=NAME)
        else:
            svc.entities.link(person, entity)
        event = svc.review.add_span(article, TEXT.index("attaqué"), TEXT.index("attaqué") + 7, "ATTACK")
        svc.events.add_arg(event, "agent", person)
        svc.review.mark_done(article)
        svc.close()
    return str(path), entity


def strings(value):
    """Every string (keys included) in decoded JSON."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def clean(proc) -> str:
    for c in RAW:
        assert c not in proc.stdout and c not in proc.stderr, (repr(c), proc.stdout)
    return proc.stdout


@pytest.mark.parametrize("args, shown", [
    (["entities", "list"], ["\\x1b]0;pwned\\x07[bold]Maliki\\x9b31m\\x7f"]),
    (["entities", "show", "{entity}"], ["\\x1b]0;pwned\\x07[bold]Maliki", "\\x1b]2;t\\x07Maliki",
                                        "\\x1b]0;pwned\\x07alice"]),
    (["entities", "match", "Maliki"], ["\\x1b]0;pwned\\x07[bold]Maliki"]),
    (["stats"], ["\\x1b]0;pwned\\x07alice", "bob\\x9b2J"]),
    (["agreement"], ["\\x1b]0;pwned\\x07alice"]),
    (["events"], ["\\x1b]0;pwned\\x07 titre", "\\x1b]0;pwned\\x07[bold]Maliki"]),
])
def test_text_output_escapes_control_characters(db, args, shown):
    path, entity = db
    out = clean(run(*[a.format(entity=entity) for a in args], "--db", path, check=0))
    for text in shown:
        assert text in out, out


@pytest.mark.parametrize("args", [
    ["entities", "list", "--json"], ["entities", "match", "Maliki", "--json"], ["stats", "--json"],
    ["agreement", "--json"], ["events", "--json"],
])
def test_json_output_escapes_them_and_keeps_the_values(db, args):
    path, _ = db
    out = clean(run(*args, "--db", path, check=0))
    values = [json.loads(line) for line in out.splitlines()] if args[:2] == ["entities", "list"] else [json.loads(out)]
    found = set(strings(values))
    assert NAME in found or ANNOTATORS[0] in found  # the real value, once decoded


def test_review_refuses_a_bad_colour_before_the_app_starts(tmp_path):
    (tmp_path / "glossator.toml").write_text('[colors]\nevent = "blah"\n', encoding="utf-8")
    proc = run("review", "--db", str(tmp_path / "g.db"), check=1)
    assert f"{tmp_path / 'glossator.toml'}, line 2: colors.event: 'blah' is not a colour" in proc.stderr
    assert not (tmp_path / "g.db").exists()

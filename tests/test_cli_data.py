"""Training data out through the command line: real processes, and one real `spacy train` run."""

import json
import subprocess
import sys

import pytest

from tests.cli_support import run
from tests.paths import GOLD


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "g.db")
    run("import", str(GOLD), "--db", path, check=0)
    return path


def test_export_spacy_trains_for_real_and_the_result_loads_and_scores(db, tmp_path):
    import spacy

    corpus = tmp_path / "corpus"
    proc = run("export", "--db", db, "--format", "spacy", "-o", str(corpus), "--eval-split", "0.2", "--seed", "3",
               check=0)
    assert "5 documents from 5 articles" in proc.stderr and "train 4 documents, dev 1 documents" in proc.stderr
    out = tmp_path / "trained"
    train = subprocess.run(
        [sys.executable, "-m", "spacy", "train", str(corpus / "config.cfg"),
         "--paths.train", str(corpus / "train.spacy"), "--paths.dev", str(corpus / "dev.spacy"),
         "--output", str(out), "--training.max_steps", "20", "--training.eval_frequency", "10",
         "--components.tok2vec.model.encode.width", "32", "--components.tok2vec.model.encode.depth", "2"],
        capture_output=True, text=True, timeout=300)
    assert train.returncode == 0, train.stdout + train.stderr
    nlp = spacy.load(out / "model-last")
    assert nlp.pipe_names == ["tok2vec", "ner"]
    assert {"LOC", "ORG", "PER"} <= set(nlp.get_pipe("ner").labels)
    nlp("Le Premier ministre irakien a reçu l’ambassadrice à Bagdad.")  # it runs
    scored = json.loads(run("evaluate", "--db", db, "--model", str(out / "model-last"), "--json", check=0).stdout)
    assert scored["documents"] == 5 and scored["total"]["tp"] + scored["total"]["fn"] == 283


def test_every_format_through_the_cli(db, tmp_path):
    for fmt, target in [("jsonl", "g.jsonl"), ("doccano", "d.jsonl"), ("conll", "g.conll"),
                        ("conll-spacy", "s.conll"), ("brat", "brat"), ("labelstudio", "ls.json")]:
        proc = run("export", "--db", db, "--format", fmt, "-o", str(tmp_path / target), check=0)
        assert "from 5 articles" in proc.stderr and "LOC 173" in proc.stderr and "104 events" in proc.stderr
        assert "0 warnings" in proc.stderr and (tmp_path / target).exists()
    assert (tmp_path / "g.conll").read_text(encoding="utf-8").count("-DOCSTART- -X- -X- O\n# article_id = ") == 5
    assert (tmp_path / "s.conll").read_text(encoding="utf-8").count("-DOCSTART- -X- O O\n\n") == 5
    other = str(tmp_path / "other.db")
    assert "5 articles (5 new), 283 spans, 104 events" in run("import", str(tmp_path / "brat"), "--db", other,
                                                              check=0).stdout
    again = str(tmp_path / "again.db")
    run("import", str(tmp_path / "brat"), "--format", "brat", "--db", again, check=0)
    run("export", "--db", other, "-o", str(tmp_path / "back.jsonl"), check=0)
    assert (tmp_path / "back.jsonl").read_bytes() == (tmp_path / "g.jsonl").read_bytes()
    studio = str(tmp_path / "studio.db")
    assert "5 articles (5 new), 283 spans, 104 events" in run("import", str(tmp_path / "ls.json"), "--db", studio,
                                                              check=0).stdout
    run("export", "--db", studio, "-o", str(tmp_path / "back.json"), "--format", "labelstudio", check=0)
    assert (tmp_path / "back.json").read_bytes() == (tmp_path / "ls.json").read_bytes()
    proc = run("export", "--db", db, "--format", "labelstudio", "--config", "-o", str(tmp_path / "c.xml"), check=0)
    assert (tmp_path / "c.xml").read_text(encoding="utf-8").startswith("<View>") and "wrote" in proc.stderr


def test_filters_through_the_cli(db, tmp_path):
    target = tmp_path / "f.jsonl"
    run("export", "--db", db, "-o", str(target), "--labels", "PER,ORG", "--since", "2023", "--until", "2024-12",
        "--status", "done", "--annotator", "alice", check=0)
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert sorted(line["meta"]["source"][:3] for line in lines) == ["000", "004"]
    assert {s["label"] for line in lines for s in line["spans"]} == {"PER", "ORG"} and all(not l["events"] for l in lines)


def test_events_command(db, tmp_path):
    text = run("events", "--db", db, check=0).stdout
    assert text.splitlines()[0].startswith("2020-08     002_be29dc15a2bbb046.txt")
    assert "MEETING     «rencontrera»" in text
    events = json.loads(run("events", "--db", db, "--json", check=0).stdout)
    assert len(events) == 104 and [e["date"] for e in events][:1] == ["2020-08"] and events[-1]["date"] is None


@pytest.mark.parametrize("args, message", [
    (["export", "--format", "spacy"], "this format writes a folder: give it with -o DIR"),
    (["export", "--status", "finished"], "unknown status 'finished'"),
    (["export", "--since", "2024/01"], "--since '2024/01' is not a date"),
    (["export", "--labels", "PERSON"], "unknown label PERSON"),
    (["export", "--format", "spacy", "-o", "{d}", "--eval-split", "1.5"], "--eval-split must be"),
    (["import", "{d}", "--format", "xml"], "unknown import format 'xml'"),
    (["import", "{d}/nothing", "--format", "brat"], "not a folder"),
    (["export", "--format", "conll", "--config"], "--config goes with --format labelstudio"),
    (["evaluate"], "no gold to evaluate against"),
])
def test_bad_options_are_one_clear_line(tmp_path, args, message):
    from annotate.service import Service

    Service.open(tmp_path / "empty.db").close()  # an empty database, made in-process (cheaper than a run)
    target = tmp_path / "out"
    proc = run(*[a.replace("{d}", str(target)) for a in args], "--db", str(tmp_path / "empty.db"))
    assert proc.returncode == 1 and message in proc.stderr
    assert not target.exists()


def test_an_unknown_model_is_one_clear_line(db):
    proc = run("evaluate", "--model", "no_such_pipeline", "--db", db)
    assert proc.returncode == 1 and "cannot load spaCy pipeline 'no_such_pipeline'" in proc.stderr

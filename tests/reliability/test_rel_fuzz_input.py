"""Bad input, fuzzed: ingest and JSONL import never crash, never write half a file.

Every failure is an error naming the file (and the line where there is one), and
leaves the database as it was.
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from annotate.errors import InputError
from annotate.service import Service
from tests.reliability.support import SEEDS, run_cli

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                     HealthCheck.too_slow])


def counts(service: Service) -> tuple[int, ...]:
    db = service.store.db
    return tuple(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # fixed table names
                 for t in ("articles", "spans", "actions", "entities", "aliases", "event_args"))


@pytest.fixture(scope="module")
def workdir():
    folder = Path(tempfile.mkdtemp(prefix="glossator-input-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def svc(workdir: Path):
    service = Service.open(workdir / "g.db", annotator="alice")
    service.data.ingest([SEEDS])
    yield service
    service.close()


# -- ingest -----------------------------------------------------------------------

_CHUNKS = st.sampled_from([b"\r\n", b"\n", b"\r", b"\x00", b"\xff", b"\xc3", b"\xc3\xa9", b"\xef\xbb\xbf", b" ",
                           b"\xe2\x80\xa8", b"\x1b[31m", b"[bold]", b'{"text": "x"}', b"{", b"\t", b"a"])
RAW = st.one_of(st.binary(max_size=300), st.lists(_CHUNKS, max_size=40).map(b"".join),
                st.text(max_size=200).map(lambda t: t.encode("utf-8")))


@FUZZ
@given(data=RAW, suffix=st.sampled_from([".txt", ".jsonl"]))
def test_ingest_of_random_bytes_is_whole_or_a_clear_error(svc: Service, workdir: Path, data: bytes, suffix: str):
    path = workdir / f"in{suffix}"
    path.write_bytes(data)
    before = counts(svc)
    report = svc.data.ingest([path])
    if report.failures:
        assert len(report.failures) == 1 and report.failures[0].startswith(f"{path}"), report.failures
        assert "Traceback" not in report.failures[0]
        assert counts(svc) == before, "a failed file wrote something"
        return
    if suffix == ".txt":
        text = data.decode("utf-8-sig")
        stored = [svc.data.article(i).text for i in report.added]
        assert stored in ([text], []), "the stored text is not the file's text"
    for article_id in report.added:
        assert svc.data.article(article_id).text  # whole, non-empty articles only


@FUZZ
@given(lines=st.lists(st.one_of(
    st.fixed_dictionaries({"text": st.text(min_size=1, max_size=40)}),
    st.fixed_dictionaries({"text": st.one_of(st.none(), st.integers(), st.lists(st.integers()))}),
    st.fixed_dictionaries({"text": st.text(min_size=1, max_size=20), "meta": st.one_of(st.integers(), st.text())}),
    st.just([1, 2]),
), min_size=1, max_size=6))
def test_ingest_jsonl_is_all_or_nothing_per_file(svc: Service, workdir: Path, lines: list):
    path = workdir / "in.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    before = counts(svc)
    report = svc.data.ingest([path])
    if report.failures:
        assert counts(svc) == before
        assert f"{path}, line " in report.failures[0] or f"{path}: " in report.failures[0]


def test_ingest_edge_files(svc: Service, workdir: Path):
    cases = {
        "empty.txt": (b"", "empty file"),
        "blank.txt": (b" \r\n\t\n", "empty file"),
        "nul.txt": (b"Bagdad\x00Irak", "binary file (contains NUL bytes)"),
        "latin1.txt": ("ligne un\nBagdad, l'été".encode("latin-1"), "line 2: not valid UTF-8"),
        "deep.jsonl": (b"[" * 100_000 + b"\n", "line 1: invalid JSON"),
    }
    for name, (data, message) in cases.items():
        path = workdir / name
        path.write_bytes(data)
        before = counts(svc)
        report = svc.data.ingest([path])
        assert report.failures and report.failures[0].startswith(str(path)), (name, report.failures)
        assert message in report.failures[0], (name, report.failures)
        assert counts(svc) == before


def test_crlf_and_a_huge_line_are_stored_verbatim(svc: Service, workdir: Path):
    crlf = "Titre\r\n\r\nBagdad, le 3 mars.\r\nLe Premier ministre a reçu l'ambassadrice.\r\n"
    huge = "Bagdad " + "é" * 2_000_000 + " fin"
    for name, text in (("crlf.txt", crlf), ("huge.txt", huge)):
        path = workdir / name
        path.write_bytes(text.encode("utf-8"))
        report = svc.data.ingest([path])
        assert not report.failures, report.failures
        assert svc.data.article(report.added[0]).text == text


def test_ingest_errors_through_the_cli_are_one_line_each(workdir: Path, tmp_path: Path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.txt").write_bytes(b"\xff\xfe")
    (bad / "b.jsonl").write_text('{"text": 3}\n[' + "[" * 50_000 + "\n", encoding="utf-8")
    proc = run_cli("ingest", str(bad), "--db", str(tmp_path / "g.db"), check=1)
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2
    assert errors[0].startswith(f"error: {bad / 'a.txt'}")
    assert f"{bad / 'b.jsonl'}, line 1" in errors[1] and f"{bad / 'b.jsonl'}, line 2" in errors[1]


# -- JSONL import -------------------------------------------------------------------

GOOD = {"text": "Nouri Al Maliki a reçu Alina Romanowski à Bagdad.",
        "meta": {"source": "fuzz"},
        "spans": [{"start": 0, "end": 15, "label": "PER", "kb_id": "nouri_al_maliki"},
                  {"start": 42, "end": 48, "label": "LOC"}],
        "events": [{"start": 16, "end": 22, "label": "MEETING", "args": [{"role": "place", "span": 1}]}]}

JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers(-5, 80) | st.floats(allow_nan=True) | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                                       max_size=3), max_leaves=6)
PATHS = st.sampled_from([("text",), ("meta",), ("spans",), ("events",), ("answer",), ("spans", 0), ("spans", 0, "start"),
                         ("spans", 0, "end"), ("spans", 0, "label"), ("spans", 0, "kb_id"), ("spans", 1, "text"),
                         ("events", 0, "args"), ("events", 0, "args", 0), ("events", 0, "args", 0, "span"),
                         ("events", 0, "args", 0, "role"), ("events", 0, "label"), ("meta", "annotator"),
                         ("meta", "title"), ("meta", "date"), ("meta", "source")])


def mutate(record: dict, path: tuple, value, delete: bool) -> dict:
    out = copy.deepcopy(record)
    node = out
    for key in path[:-1]:
        node = node[key]
    if delete:
        node.pop(path[-1], None) if isinstance(node, dict) else node.pop(path[-1])
    else:
        node[path[-1]] = value
    return out


@FUZZ
@given(path=PATHS, value=JSON_VALUES, delete=st.booleans(), position=st.integers(0, 2))
@example(path=("events", 0, "args"), value=5, delete=False, position=1)  # was a TypeError traceback
@example(path=("spans", 0, "start"), value=True, delete=False, position=0)
@example(path=("text",), value="", delete=False, position=2)
def test_import_with_a_bad_line_names_it_and_writes_nothing(svc: Service, workdir: Path, path, value, delete,
                                                           position):
    bad = mutate(GOOD, path, value, delete)
    good_lines = [dict(GOOD, text=GOOD["text"] + f" ({i})", meta={"source": f"ok{i}"}) for i in range(2)]
    lines = good_lines[:position] + [bad] + good_lines[position:]
    file = workdir / "import.jsonl"
    file.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    before = counts(svc)
    try:
        svc.data.import_jsonl(file)
    except InputError as exc:
        message = str(exc)
        assert message.startswith(f"{file}, line {position + 1}"), message
        assert message.endswith("nothing was imported")
        assert counts(svc) == before, "a rejected import wrote something"
    else:
        assume(True)  # the mutation happened to be valid: imported as a whole
        assert counts(svc)[0] >= before[0]


@FUZZ
@given(start=st.integers(-3, 60), end=st.integers(-3, 60))
def test_import_offsets_outside_the_text_are_refused(svc: Service, workdir: Path, start: int, end: int):
    record = mutate(GOOD, ("spans", 1), {"start": start, "end": end, "label": "LOC"}, False)
    record["events"] = []
    file = workdir / "offsets.jsonl"
    file.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    before = counts(svc)
    inside = 0 <= start < end <= len(GOOD["text"]) and not (start < 15 and end > 0)
    try:
        svc.data.import_jsonl(file)
        assert inside, f"{start}-{end} was imported"
    except InputError as exc:
        assert str(exc).startswith(f"{file}, line 1")
        assert counts(svc) == before


def test_import_lines_split_only_at_newlines(svc: Service, workdir: Path):
    # U+2028, U+0085 and friends are not line ends in JSONL; our export writes them raw.
    text = "Bagdad\u2028Erbil\x85Mossoul\u2029Bassora\x1c\x1d\x1e\x0b\x0c fin"
    record = {"text": text, "meta": {"source": "seps"}, "spans": [{"start": 0, "end": 6, "label": "LOC"}]}
    file = workdir / "seps.jsonl"
    file.write_bytes((json.dumps(record, ensure_ascii=False) + "\r\n").encode("utf-8"))
    report = svc.data.import_jsonl(file)
    assert report.spans == 1
    ingest_file = workdir / "seps_in.jsonl"
    ingest_file.write_bytes(json.dumps({"text": text + " (bis)"}, ensure_ascii=False).encode("utf-8"))
    ingested = svc.data.ingest([ingest_file])
    assert not ingested.failures, ingested.failures
    assert svc.data.article(ingested.added[0]).text == text + " (bis)"


def test_import_deeply_nested_json_is_a_line_error(svc: Service, workdir: Path):
    file = workdir / "deep.jsonl"
    file.write_text(json.dumps(GOOD) + "\n" + "[" * 100_000 + "\n", encoding="utf-8")
    before = counts(svc)
    with pytest.raises(InputError, match=r"deep\.jsonl, line 2: invalid JSON"):
        svc.data.import_jsonl(file)
    assert counts(svc) == before

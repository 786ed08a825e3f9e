"""brat standoff: export, the .ann lines, and the round trip back into a fresh database."""

import json

import pytest

from annotate.errors import InputError
from annotate.formats.brat import fragments
from annotate.service import Service
from tests.paths import GOLD


def frame(service, source_prefix="000"):
    """Give one gold MEETING of seed 000 a full frame: two participants and a DATE value."""
    article = next(a for a in service.store.iter_articles() if a.source.startswith(source_prefix))
    text = article.text
    spans = service.store.spans(article.id, "alice")
    meeting = next(s for s in spans if text[s.start:s.end] == "s’est entretenue")
    people = [s for s in spans if s.label == "PER" and meeting.start - 60 < s.start < meeting.end + 120]
    hier = text.index("hier", meeting.end)
    when = service.review.add_span(article.id, hier, hier + 4, "DATE")
    for person in people:
        service.events.add_arg(meeting.id, "participants", person.id)
    service.events.add_arg(meeting.id, "time", when)
    return article, meeting, people, hier


def snapshot(service):
    """Per article text: spans with kb ids, events with their args as offsets (not ids)."""
    out = {}
    for article in service.store.iter_articles():
        spans = service.store.spans(article.id)
        by_id = {s.id: s for s in spans}
        args = {}
        for a in service.store.event_args(article.id):
            filler = by_id[a.span_id]
            args.setdefault(a.event_id, []).append((a.role, filler.start, filler.end))
        out[article.text] = (
            sorted((s.start, s.end, s.label, s.kind, s.kb_id) for s in spans),
            sorted((s.start, s.end, s.label, tuple(sorted(args.get(s.id, [])))) for s in spans if s.kind == "event"),
        )
    return out


def test_round_trip_keeps_spans_events_with_args_and_kb_ids(service, tmp_path):
    service.data.import_jsonl(GOLD)
    frame(service)
    report = service.data.export_data(tmp_path / "brat", fmt="brat")
    assert report.lines == 5 and report.warnings == []
    other = Service.open(tmp_path / "other.db", annotator="bob")
    back = other.data.import_brat(tmp_path / "brat")
    assert (back.articles, back.new_articles) == (5, 5)
    assert snapshot(other) == snapshot(service)
    assert {e.id: e.name for e in other.entities.list()} == {e.id: e.name for e in service.entities.list()}
    assert {a.source for a in other.store.iter_articles()} == {a.source for a in service.store.iter_articles()}
    other.close()


def test_ann_lines_are_brat_standoff(service, tmp_path):
    service.data.import_jsonl(GOLD)
    article, meeting, people, hier = frame(service)
    service.data.export_data(tmp_path / "brat", fmt="brat")
    stem = article.source.rsplit(".", 1)[0]
    txt = (tmp_path / "brat" / f"{stem}.txt").read_bytes().decode("utf-8")
    assert txt == article.text
    lines = (tmp_path / "brat" / f"{stem}.ann").read_text(encoding="utf-8").splitlines()
    ts = {}
    for line in lines:
        key, body, *rest = line.split("\t")
        if key.startswith("T"):
            label, start, end = body.split()
            assert txt[int(start):int(end)] == rest[0]
            ts[key] = (int(start), int(end), label)
    by_offsets = {v[:2]: k for k, v in ts.items()}
    trigger = by_offsets[(meeting.start, meeting.end)]
    events = [line for line in lines if line.startswith("E") and line.split("\t")[1].startswith(f"MEETING:{trigger} ")]
    assert len(events) == 1
    args = events[0].split("\t")[1].split()[1:]
    assert args == ["participants:" + by_offsets[(people[0].start, people[0].end)],
                    "participants2:" + by_offsets[(people[1].start, people[1].end)],
                    "time:" + by_offsets[(hier, hier + 4)]]
    maliki = by_offsets[(65, 74)]  # "Al Maliki" in the headline
    assert f"Reference {maliki} glossator:nouri_al_maliki\tNouri Al Maliki" in "\n".join(lines)
    conf = (tmp_path / "brat" / "annotation.conf").read_text(encoding="utf-8")
    assert "[entities]\nPER\nORG\nLOC\nMISC\nDATE\nQUANTITY" in conf and "\nATTACK\tagent*:<ENTITY>" in conf


def test_spans_across_line_breaks_and_crlf_survive(service, tmp_path):
    text = "Les Forces de\r\nmobilisation populaire ont attaqué.\r\nFin."
    start, end = 4, text.index(" ont")
    path = tmp_path / "crlf.jsonl"
    path.write_text(json.dumps({"text": text, "meta": {"source": "crlf.txt"},
                                "spans": [{"start": start, "end": end, "label": "ORG", "kb_id": "pmf"}]}) + "\n",
                    encoding="utf-8")
    service.data.import_jsonl(path)
    service.data.export_data(tmp_path / "brat", fmt="brat")
    ann = (tmp_path / "brat" / "crlf.ann").read_text(encoding="utf-8")
    assert ann.startswith(f"T1\tORG 4 13;15 {end}\tForces de mobilisation populaire\n")
    assert (tmp_path / "brat" / "crlf.txt").read_bytes() == text.encode("utf-8")
    other = Service.open(tmp_path / "o.db", annotator="bob")
    other.data.import_brat(tmp_path / "brat")
    (article,) = other.store.iter_articles()
    assert article.text == text
    assert [(s.start, s.end, s.kb_id) for s in other.store.spans(article.id)] == [(start, end, "pmf")]
    other.close()


def test_fragments_split_at_line_breaks():
    assert fragments("ab\ncd\r\n\r\nef", 0, 11) == [(0, 2), (3, 5), (9, 11)]
    assert fragments("abc", 1, 3) == [(1, 3)]


def write(folder, name, text, ann):
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / f"{name}.ann").write_text(ann, encoding="utf-8")


TEXT = "Nouri Al Maliki a reçu Alina Romanowski à Bagdad samedi."


def test_hand_written_brat_imports_with_pooled_events_and_reports_what_it_skips(service, tmp_path):
    write(tmp_path / "b", "doc", TEXT,
          "T1\tPER 0 15\tNouri Al Maliki\nT2\tPER 23 39\tAlina Romanowski\nT3\tLOC 42 48\tBagdad\n"
          "T4\tMEETING 16 22\ta reçu\nT5\tDATE 49 55\tsamedi\n"
          "E1\tMEETING:T4 participants:T1 participants2:T2\nE2\tMEETING:T4 place:T3 time:T5\n"
          "N1\tReference T1 glossator:nouri_al_maliki\tNouri Kamil al-Maliki\n"
          "N2\tReference T3 Wikidata:Q1530\tBaghdad\nA1\tNegation E1\n#1\tAnnotatorNotes T1\tchecked\n")
    report = service.data.import_brat(tmp_path / "b")
    assert (report.articles, report.spans, report.events, report.entities_created) == (1, 4, 1, 1)
    assert len(report.skipped) == 2 and "Wikidata" in report.skipped[0] and "line 9" in report.skipped[0]
    assert service.entities.get("nouri_al_maliki").name == "Nouri Kamil al-Maliki"
    (article,) = service.store.iter_articles()
    assert article.source == "doc.txt" and service.store.done_by(article.id) == ["alice"]
    spans = {s.id: s for s in service.store.spans(article.id)}
    args = sorted((a.role, TEXT[spans[a.span_id].start:spans[a.span_id].end]) for a in service.store.event_args(article.id))
    assert args == [("participants", "Alina Romanowski"), ("participants", "Nouri Al Maliki"), ("place", "Bagdad"),
                    ("time", "samedi")]


@pytest.mark.parametrize("ann, message", [
    ("T1\tPER 0 14\tNouri Al Maliki\n", "doc.ann, line 1: text 'Nouri Al Maliki' does not match"),
    ("T1\tPER 0 99\tx\n", "doc.ann, line 1: offsets '0 99' are outside the text"),
    ("T1\tPERSON 0 15\tNouri Al Maliki\n", "doc.ann, line 1: unknown label 'PERSON'"),
    ("T1\tMEETING 16 22\ta reçu\nE1\tMEETING:T1 agent:T1\n", "doc.ann, line 2: MEETING has no role 'agent'"),
    ("T1\tMEETING 16 22\ta reçu\nE1\tMEETING:T1 place:T9\n", "doc.ann, line 2: argument 'T9' is not an entity"),
    ("T1\tPER 0 15\tNouri Al Maliki\nT2\tORG 6 15\tAl Maliki\n", "doc.ann, lines 1 and 2: PER 0-15 and ORG 6-15 overlap"),
    ("N1\tReference T7 glossator:x\tX\n", "doc.ann, line 1: T7 is not a T line"),
])
def test_bad_brat_is_named_by_file_and_line_and_imports_nothing(service, tmp_path, ann, message):
    write(tmp_path / "b", "a_good", "Bagdad.", "T1\tLOC 0 6\tBagdad\n")
    write(tmp_path / "b", "doc", TEXT, ann)
    with pytest.raises(InputError) as err:
        service.data.import_brat(tmp_path / "b")
    assert message in str(err.value) and "nothing was imported" in str(err.value)
    assert list(service.store.iter_articles()) == []


def test_missing_txt_and_empty_folder_are_errors(service, tmp_path):
    (tmp_path / "e").mkdir()
    with pytest.raises(InputError, match="no .ann files"):
        service.data.import_brat(tmp_path / "e")
    (tmp_path / "e" / "x.ann").write_text("")
    with pytest.raises(InputError, match="no x.txt beside it"):
        service.data.import_brat(tmp_path / "e")


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_span_text_holding_a_unicode_line_separator_round_trips(service, tmp_path, separator):
    # Only "\n" ends an .ann line; str.splitlines() also splits on these, which broke the T line.
    text = f"Le chef{separator}Nouri Al{separator}Maliki est arrivé."
    start, end = text.index("Nouri"), text.index(" est")
    path = tmp_path / "sep.jsonl"
    path.write_text(json.dumps({"text": text, "meta": {"source": "sep.txt"},
                                "spans": [{"start": start, "end": end, "label": "PER", "kb_id": "maliki"}]},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    service.data.import_jsonl(path)
    service.data.export_data(tmp_path / "brat", fmt="brat")
    ann = (tmp_path / "brat" / "sep.ann").read_bytes().decode("utf-8")
    assert ann.count("\n") == 2 and separator in ann.split("\n")[0]
    other = Service.open(tmp_path / "o.db", annotator="bob")
    other.data.import_brat(tmp_path / "brat")
    (article,) = other.store.iter_articles()
    assert article.text == text
    assert [(s.start, s.end, s.kb_id) for s in other.store.spans(article.id)] == [(start, end, "maliki")]
    other.data.export_data(tmp_path / "again", fmt="brat")
    assert (tmp_path / "again" / "sep.ann").read_bytes() == ann.encode("utf-8")
    other.close()


def test_a_crlf_ann_file_reads_as_its_lines(service, tmp_path):
    write(tmp_path / "b", "doc", TEXT, "")
    (tmp_path / "b" / "doc.ann").write_bytes(b"T1\tPER 0 15\tNouri Al Maliki\r\nT2\tLOC 42 48\tBagdad\r\n")
    report = service.data.import_brat(tmp_path / "b")
    assert report.spans == 2


def conf_sections(text):
    """A brat configuration file as {section: [(term, [args])]}, parsed the way brat's
    projectconfig does (terms and args split on whitespace, args on commas, each KEY:VALUE)."""
    import re

    sections, current = {}, None
    for line in text.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        header = re.match(r"^\s*\[(.*)\]\s*$", line)
        if header:
            current = sections.setdefault(header.group(1), [])
            continue
        if current is None:
            raise AssertionError(f"line outside a section: {line!r}")
        if sections.get("labels") is current:
            terms = [t.strip() for t in line.partition("\t")[0].split("|") if t.strip()]
            current.append((terms[0], terms[1:]))
            continue
        m = re.match(r"^(\S+)(?:\s+(.*))?$", line)
        assert m, line
        args = [a.strip() for a in (m.group(2) or "").split(",") if a.strip()]
        for arg in args:
            assert re.match(r"^(\S*?):(\S*)$", arg), arg
        current.append((m.group(1), args))
    return sections


def test_the_export_is_a_brat_project_with_its_three_confs(service, tmp_path):
    service.data.import_jsonl(GOLD)
    frame(service)
    service.data.export_data(tmp_path / "brat", fmt="brat")
    folder = tmp_path / "brat"
    annotation = conf_sections((folder / "annotation.conf").read_text(encoding="utf-8"))
    assert set(annotation) == {"entities", "relations", "events", "attributes"}
    entities = [term for term, _ in annotation["entities"]]
    assert entities == [*service.config.entity_labels, "DATE", "QUANTITY"]
    events = dict(annotation["events"])
    assert set(events) == set(service.config.event_roles)
    for label, roles in service.config.event_roles.items():
        assert events[label] == [f"{role}*:<ENTITY>" for role in roles]
    assert annotation["relations"] == [("<OVERLAP>", ["Arg1:<ENTITY>", "Arg2:<ENTITY>", "<OVERL-TYPE>:<ANY>"])]
    # Every type and role used in an .ann file is declared.
    declared = set(entities) | set(events)
    for ann in folder.glob("*.ann"):
        for line in ann.read_text(encoding="utf-8").split("\n"):
            if line.startswith("T"):
                assert line.split("\t")[1].split()[0] in declared
            elif line.startswith("E"):
                head, *args = line.split("\t")[1].split()
                etype = head.split(":")[0]
                for arg in args:
                    role = arg.split(":")[0].rstrip("0123456789")
                    assert f"{role}*:<ENTITY>" in events[etype]
            elif line.startswith("N"):
                assert " glossator:" in line
    visual = conf_sections((folder / "visual.conf").read_text(encoding="utf-8"))
    drawing = dict(visual["drawing"])
    per = next(label for label in service.config.labels if label.name == "PER")
    from annotate.labels import hex_color

    assert drawing["PER"] == [f"bgColor:{hex_color(per.color)}"]
    assert drawing["ATTACK"] == [f"bgColor:{hex_color(service.config.event_color)}"]
    assert drawing["DATE"] == [f"bgColor:{hex_color(service.config.value_color)}"]
    assert {term for term, _ in visual["labels"]} >= declared
    tools = conf_sections((folder / "tools.conf").read_text(encoding="utf-8"))
    assert set(tools) == {"options", "normalization"}
    (norm,) = tools["normalization"]
    assert norm[0] == "glossator" and "DB:glossator" in norm[1]

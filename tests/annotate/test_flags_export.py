"""Flags and skips in our JSONL (issue 14.8): exported in ``meta`` / answered ignore, and read back."""

import json

from annotate.service import Service
from tests.paths import SEEDS


def lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _prepare(svc: Service):
    svc.data.ingest([SEEDS])
    ids = [a["id"] for a in svc.data.articles()]
    done, skipped = ids[0], ids[1]
    text = svc.data.article(done).text
    at = text.index("Irak")
    span = svc.review.add_span(done, at, at + 4, "LOC")
    svc.review.add_span(done, text.index("AFP"), text.index("AFP") + 3, "ORG")
    svc.flags.flag(done, span, "pays ou armée ?")
    svc.flags.flag(done, None, "à relire")
    svc.review.mark_done(done)
    other = svc.data.article(skipped).text
    svc.review.add_span(skipped, 0, other.index(" "), "MISC")
    svc.flags.skip(skipped)
    return done, skipped, (at, at + 4)


def test_flags_go_to_meta_and_a_skipped_article_is_answered_ignore(tmp_path):
    svc = Service.open(tmp_path / "a.db", annotator="alice")
    done, skipped, (start, end) = _prepare(svc)
    out = tmp_path / "out.jsonl"
    svc.data.export_data(out)
    by_id = {r["meta"]["article_id"]: r for r in lines(out)}
    assert set(by_id) == {done, skipped}  # todo articles are not gold; the skipped one is there
    record = by_id[done]
    assert record["answer"] == "accept"
    assert record["meta"]["flag"] == {"note": "à relire", "annotator": "alice"}
    flagged = [s for s in record["spans"] if "meta" in s]
    assert [(s["start"], s["end"], s["meta"]) for s in flagged] == [
        (start, end, {"flag": {"note": "pays ou armée ?", "annotator": "alice"}})]
    assert by_id[skipped]["answer"] == "ignore" and by_id[skipped]["meta"]["skipped"] is True
    assert "flag" not in by_id[skipped]["meta"]
    svc.close()


def test_our_jsonl_reads_flags_and_skips_back(tmp_path):
    first = Service.open(tmp_path / "a.db", annotator="alice")
    done, skipped, (start, end) = _prepare(first)
    out = tmp_path / "out.jsonl"
    first.data.export_data(out)
    first.close()
    second = Service.open(tmp_path / "b.db", annotator="bob")  # the lines name alice: hers
    report = second.data.import_jsonl(out)
    assert report.articles == 2
    second.annotator = "alice"
    assert second.review.status(done) == "done"
    assert second.review.status(skipped) == "skipped"
    assert second.data.article(skipped).status == "todo"
    flags = [(f.span_id is None, f.note) for f in second.flags.flags(done)]
    assert flags == [(True, "à relire"), (False, "pays ou armée ?")]
    span = second.store.span(second.flags.flags(done)[1].span_id)
    assert (span.start, span.end, span.label) == (start, end, "LOC")
    assert "flag" not in second.data.article(done).meta and "skipped" not in second.data.article(done).meta
    again = tmp_path / "again.jsonl"
    second.data.export_data(again)
    strip = lambda rs: sorted(json.dumps({k: v for k, v in r.items()}, sort_keys=True) for r in rs)  # noqa: E731
    assert strip(lines(again)) == strip(lines(out))  # the round trip is exact
    second.close()


def test_prodigy_ignore_lines_without_our_skip_stay_left_out(tmp_path, service):
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps({"text": "Bagdad brûle.", "spans": [], "answer": "ignore"}) + "\n", encoding="utf-8")
    report = service.data.import_jsonl(path)
    assert report.articles == 0 and report.answers_skipped["ignore"] == 1

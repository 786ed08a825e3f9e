"""Review by confidence: the uncertainty queue and calibrated bulk accept (one undoable action)."""

import pytest

from annotate.errors import ReviewError
from store.models import DocSuggestions, SpanSuggestion

TEXT = "Bagdad, Mossoul, Erbil, Bassora et Kirkouk ont vu Ali Sistani."


def suggest(service, scores):
    """Store hand-made LOC suggestions with these confidences (and one PER)."""
    words = ["Bagdad", "Mossoul", "Erbil", "Bassora", "Kirkouk"]
    spans = [SpanSuggestion(TEXT.index(w), TEXT.index(w) + len(w), "LOC", "entity", sc)
             for w, sc in zip(words, scores)]
    spans.append(SpanSuggestion(TEXT.index("Ali Sistani"), len(TEXT) - 1, "PER", "entity", 0.4))
    article_id = service.store.article_ids()[0]
    service.store.replace_suggestions([(article_id, DocSuggestions(tuple(spans)))], "fp", "fp")
    return article_id


@pytest.fixture
def svc(service, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    service.data.ingest([path])
    return service


def test_uncertain_lists_lowest_confidence_first(svc):
    article_id = suggest(svc, [0.99, 0.6, 0.97, 0.9, 0.5])
    queue = svc.learn.uncertain()
    assert [s.score for s in queue] == [0.4, 0.5, 0.6, 0.9, 0.97, 0.99]
    svc.review.reject(article_id, queue[0].id)
    assert [s.score for s in svc.learn.uncertain(article_id, limit=2)] == [0.5, 0.6]


def test_bulk_accept_takes_the_largest_set_meeting_the_estimate_as_one_action(svc):
    article_id = suggest(svc, [0.99, 0.97, 0.90, 0.50, 0.30])
    plan = svc.learn.plan_bulk_accept("LOC", 0.95)
    # means of the most confident first: .99, .98, .953, .84, …: three reach 0.95
    assert len(plan.chosen) == 3 and plan.available == 5
    assert plan.estimate == pytest.approx((0.99 + 0.97 + 0.90) / 3)
    assert "accept the 3 LOC suggestions" in plan.summary()
    assert svc.learn.bulk_accept(plan) == 3
    gold = {(TEXT[s.start:s.end], s.label) for s in svc.store.spans(article_id, "alice")}
    assert gold == {("Bagdad", "LOC"), ("Mossoul", "LOC"), ("Erbil", "LOC")}
    assert svc.review.status(article_id) == "in_progress"
    assert svc.review.undo(None) == "bulk_accept:LOC"
    assert svc.store.spans(article_id, "alice") == []


def test_bulk_accept_refuses_a_stale_plan_and_bad_targets(svc):
    article_id = suggest(svc, [0.99, 0.99, 0.2, 0.2, 0.2])
    plan = svc.learn.plan_bulk_accept("LOC", 0.98, article_id)
    assert len(plan.chosen) == 2
    svc.review.reject(article_id, plan.chosen[0].id)
    with pytest.raises(ReviewError, match="changed since"):
        svc.learn.bulk_accept(plan)
    assert svc.store.spans(article_id, "alice") == []
    with pytest.raises(ReviewError):
        svc.learn.plan_bulk_accept("LOC", 1.5)
    with pytest.raises(ReviewError):
        svc.learn.plan_bulk_accept("NOPE", 0.9)
    assert svc.learn.plan_bulk_accept("PER", 0.9).chosen == ()


def test_bulk_accept_command_is_a_dry_run_without_yes(svc):
    from typer.testing import CliRunner

    from cli.main import app

    article_id = suggest(svc, [0.99, 0.99, 0.99, 0.2, 0.2])
    db = str(svc.store.path)
    runner = CliRunner()
    dry = runner.invoke(app, ["bulk-accept", "LOC", "--min-precision", "0.98", "--db", db, "--annotator", "alice"])
    assert dry.exit_code == 0 and "accept the 3 LOC suggestions" in dry.output and "dry run" in dry.output
    assert svc.store.spans(article_id, "alice") == []
    done = runner.invoke(app, ["bulk-accept", "LOC", "--min-precision", "0.98", "--yes", "--db", db,
                               "--annotator", "alice"])
    assert done.exit_code == 0 and "accepted 3 LOC" in done.output
    assert len(svc.store.spans(article_id, "alice")) == 3
    bad = runner.invoke(app, ["bulk-accept", "LOC", "--min-precision", "2", "--db", db])
    assert bad.exit_code == 1 and "estimated precision must be in" in bad.output

"""SVG snapshots of the screens at 120×40 (regenerate with --snapshot-update after looking at them)."""

from __future__ import annotations

from annotate.service import Service
from tests.paths import SIZE
from tui.app import GlossatorApp


def test_corpus_screen(review_svc: Service, snap_compare) -> None:
    review_svc.review.set_status(review_svc.data.articles()[1]["id"], "done")
    assert snap_compare(GlossatorApp(review_svc), terminal_size=SIZE)


def test_article_screen(review_svc: Service, snap_compare) -> None:
    # accept Irak and "rencontre", accept "Al Maliki" as PER: gold and pending side by side, current on AFP
    assert snap_compare(GlossatorApp(review_svc), press=["enter", "a", "a", "1"], terminal_size=SIZE)


def test_article_screen_narrow(review_svc: Service, snap_compare) -> None:
    assert snap_compare(GlossatorApp(review_svc), press=["enter", "a", "j"], terminal_size=(80, 24))


def test_help_screen(review_svc: Service, snap_compare) -> None:
    assert snap_compare(GlossatorApp(review_svc), press=["enter", "question_mark"], terminal_size=SIZE)

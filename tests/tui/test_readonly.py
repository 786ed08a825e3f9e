"""A database that cannot be written opens read-only: browsing works, every change is refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotate.service import Service
from tests.paths import SEEDS
from tests.tui.support import SUGGESTED, Notices, first_id, suggest
from tui.app import GlossatorApp
from tui.screens.article.screen import ArticleScreen


def make_db(tmp_path: Path) -> Path:
    db = tmp_path / "g.db"
    svc = Service.open(db, annotator="alice")
    svc.data.ingest([SEEDS])
    suggest(svc, first_id(svc), SUGGESTED)
    svc.close()
    return db


def test_review_falls_back_to_read_only_with_a_warning(tmp_path, monkeypatch):
    import cli.main
    import store.db

    db = make_db(tmp_path)
    launched = {}

    def fake_run(app):
        launched["app"] = app

    real_access = store.db.os.access
    monkeypatch.setattr(store.db.os, "access", lambda p, mode: False if mode == store.db.os.W_OK else real_access(p, mode))
    monkeypatch.setattr(GlossatorApp, "run", fake_run)
    result = CliRunner().invoke(cli.main.app, ["review", "--db", str(db), "--annotator", "alice"])
    assert result.exit_code == 0, result.output
    assert "read-only" in result.output and "nothing you change can be saved" in result.output
    app = launched["app"]
    assert "Opened read-only" in app.notice
    assert app.svc.data.articles()  # reading works


@pytest.mark.anyio
async def test_the_app_keeps_working_when_a_change_cannot_be_saved(tmp_path, notices: Notices):
    db = make_db(tmp_path)
    svc = Service.open(db, annotator="alice", readonly=True)
    app = GlossatorApp(svc, notice="Opened read-only")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        before = svc.review.state(first_id(svc)).items
        await pilot.press("a")
        await pilot.pause()
        messages = notices.messages()
        assert any("not saved" in m and "read-only" in m for m in messages), messages
        assert svc.review.state(first_id(svc)).items == before
        await pilot.press("j")  # still navigable
        assert isinstance(app.screen, ArticleScreen)

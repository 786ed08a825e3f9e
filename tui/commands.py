"""Command palette: the current screen's actions, and jumping to an article by title."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.keys import ARTICLE_ACTIONS, key_display
from tui.widgets.text_view import displayable

if TYPE_CHECKING:
    from tui.app import GlossatorApp


class GlossatorCommands(Provider):
    """Actions of the screen the palette was opened from, then articles by title."""

    async def startup(self) -> None:
        """Read the corpus once per palette opening (titles only)."""
        app: GlossatorApp = self.app  # type: ignore[assignment]
        self._articles = [(r["id"], displayable(r["title"] or r["source"] or r["id"])) for r in app.svc.articles()]

    def _actions(self) -> list[tuple[str, str, str]]:
        app: GlossatorApp = self.app  # type: ignore[assignment]
        from tui.screens.article import ArticleScreen

        out = [("Help: every key", "app.help", key_display(app.svc.config.keys.get("help", "")))]
        if isinstance(self.screen, ArticleScreen):
            for spec in ARTICLE_ACTIONS:
                out.append((spec.description, spec.action, key_display(app.svc.config.keys.get(spec.name, ""))))
        out.append(("Corpus: list of articles", "app.show_corpus", ""))
        return out

    def _run(self, action: str) -> None:
        self.app.call_later(self.screen.run_action, action)

    def _open(self, article_id: str) -> None:
        app: GlossatorApp = self.app  # type: ignore[assignment]
        app.call_later(app.jump_to_article, article_id)

    async def discover(self) -> Hits:
        """With an empty query: the actions."""
        for text, action, keys in self._actions():
            yield DiscoveryHit(text, partial(self._run, action), text=text, help=keys or None)

    async def search(self, query: str) -> AsyncGenerator[Hit, Any]:
        """Actions, then 'Open: <title>' for articles whose title matches."""
        matcher = self.matcher(query)
        for text, action, keys in self._actions():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self._run, action), text=text, help=keys or None)
        found = 0
        for article_id, title in self._articles:
            candidate = f"Open: {title}"
            score = matcher.match(candidate)
            if score > 0:
                yield Hit(score * 0.9, matcher.highlight(candidate), partial(self._open, article_id), text=candidate)
                found += 1
                if found >= 50:
                    break

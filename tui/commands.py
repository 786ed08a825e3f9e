"""Command palette: the current screen's actions, the other screens, and jumping to an article by title."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from tui.keys import ARTICLE_ACTIONS, CORPUS_ACTIONS, ENTITY_ACTIONS, ROUTE_ACTIONS, ActionSpec, key_display
from tui.text import one_line

if TYPE_CHECKING:
    from tui.app import GlossatorApp


def highlighted(matcher: Matcher, candidate: str) -> Content:
    """``candidate`` as literal text with the matched characters styled.

    ``Matcher.highlight`` parses its argument as markup: a title holding ``[/]`` would crash
    the palette, and ``[AFP]`` would vanish.
    """
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if not score:
        return content
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class GlossatorCommands(Provider):
    """Actions of the screen the palette was opened from, then articles by title."""

    async def startup(self) -> None:
        """Read the corpus once per palette opening (titles only)."""
        app: GlossatorApp = self.app  # type: ignore[assignment]
        self._articles = [(r["id"], one_line(r["title"] or r["source"] or r["id"])) for r in app.svc.data.articles()]
        titles = dict(self._articles)
        self._to_adjudicate = [(a, titles.get(a, a)) for a in app.svc.team.adjudication_articles()]

    def _actions(self) -> list[tuple[str, str, str]]:
        app: GlossatorApp = self.app  # type: ignore[assignment]
        from tui.screens.article.screen import ArticleScreen
        from tui.screens.corpus import CorpusScreen
        from tui.screens.entities import EntitiesScreen

        keys = app.svc.config.keys

        def entry(spec: ActionSpec, prefix: str = "") -> tuple[str, str, str]:
            return spec.description, prefix + spec.action, key_display(keys.get(spec.name, ""))

        out = [("Help: every key", "app.help", key_display(keys.get("help", "")))]
        screen_actions = {ArticleScreen: ARTICLE_ACTIONS, CorpusScreen: CORPUS_ACTIONS, EntitiesScreen: ENTITY_ACTIONS}
        for kind, specs in screen_actions.items():
            if isinstance(self.screen, kind):
                out += [entry(spec) for spec in specs]
        out.append(("Corpus: list of articles", "app.show_corpus", ""))
        out += [entry(spec, "app.") for spec in ROUTE_ACTIONS]
        return out

    def _run(self, action: str) -> None:
        self.app.call_later(self.screen.run_action, action)

    def _open(self, article_id: str) -> None:
        app: GlossatorApp = self.app  # type: ignore[assignment]
        app.call_later(app.jump_to_article, article_id)

    def _adjudicate(self, article_id: str) -> None:
        app: GlossatorApp = self.app  # type: ignore[assignment]
        app.call_later(app.adjudicate_article, article_id)

    async def discover(self) -> Hits:
        """With an empty query: the actions."""
        for text, action, keys in self._actions():
            yield DiscoveryHit(text, partial(self._run, action), text=text, help=escape(keys) or None)

    async def search(self, query: str) -> AsyncGenerator[Hit, Any]:
        """Actions, then 'Open: <title>' for articles whose title matches."""
        matcher = self.matcher(query)
        for text, action, keys in self._actions():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, highlighted(matcher, text), partial(self._run, action), text=text, help=escape(keys) or None)
        for article_id, title in self._to_adjudicate:
            candidate = f"Adjudicate: {title}"
            score = matcher.match(candidate)
            if score > 0:
                yield Hit(score * 0.9, highlighted(matcher, candidate), partial(self._adjudicate, article_id),
                          text=candidate)
        found = 0
        for article_id, title in self._articles:
            candidate = f"Open: {title}"
            score = matcher.match(candidate)
            if score > 0:
                yield Hit(score * 0.9, highlighted(matcher, candidate), partial(self._open, article_id), text=candidate)
                found += 1
                if found >= 50:
                    break

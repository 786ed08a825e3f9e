"""What the entities screen does with an entity's mentions (issue 14.4): show them in context,
unlink, relink (the link picker), split off into a new entity, open the article at one.

Each change is one ``Service.mentions`` call, one logged action in the corpus scope: the entities
screen's ``u`` undoes it. Kept apart from the screen (tui/screens/entities.py), which routes keys here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotate.entities import kb
from annotate.service.mentions import MentionInContext
from store.models import Entity
from tui.modals.entity import NameModal
from tui.modals.link import LINK_ROWS, Candidate, LinkChoice, LinkPicker, NewEntity
from tui.screens.article.screen import ArticleScreen
from tui.screens.base import FAILED
from tui.screens.entity_mentions import MentionsPane

if TYPE_CHECKING:
    from tui.screens.entities import EntitiesScreen


MENTIONS_SHOWN = 100  # mentions listed in context under the table (the head says how many there are)


def _count(n: int) -> str:
    return "1 mention" if n == 1 else f"{n} mentions"


class MentionActions:
    """The mention keys of the entities screen."""

    def __init__(self, screen: EntitiesScreen) -> None:
        self.screen = screen
        self.entity_id: str | None = None  # whose mentions are shown

    @property
    def pane(self) -> MentionsPane:
        """The mentions pane under the table."""
        return self.screen.query_one(MentionsPane)

    def show(self, entity: Entity | None) -> None:
        """Show the entity's mentions (the highlight stays on its mention when it is the same entity)."""
        screen, pane = self.screen, self.pane
        same = entity is not None and entity.id == self.entity_id
        current = pane.list.current() if same else None
        if not same:  # another entity: its first mention highlighted, nothing marked
            pane.list.marked.clear()
            pane.list.highlighted = None
        self.entity_id = entity.id if entity is not None else None
        if entity is None:
            pane.show(None, [], 0)
            return
        mentions = screen.svc.mentions.in_context(entity.id, limit=MENTIONS_SHOWN)
        pane.show(entity, mentions, max(screen.counts.get(entity.id, 0), len(mentions)),
                  keep=current.span_id if current else None)

    def _chosen(self) -> tuple[Entity, list[MentionInContext]] | None:
        screen = self.screen
        entity = screen.by_id.get(self.entity_id or "")
        chosen = self.pane.chosen()
        if entity is None or not chosen:
            screen.refuse("no mention: highlight one in the mentions list (Tab goes there)")
            return None
        return entity, chosen

    def _done(self, message: str, entity_id: str) -> None:
        self.pane.list.marked.clear()
        self.screen.notify(message)
        self.screen._changed(entity_id)

    def unlink(self) -> None:
        """Unlink the marked mentions, else the highlighted one (they stay gold)."""
        found = self._chosen()
        if found is None:
            return
        entity, chosen = found
        svc = self.screen.svc
        done = self.screen.attempt(lambda: svc.mentions.unlink([m.span_id for m in chosen], entity.id))
        if done is not FAILED:
            self._done(f"unlinked {_count(done)} from {entity.name} (u undoes)", entity.id)

    def relink(self) -> None:
        """Link the marked (else highlighted) mentions to another entity, chosen in the link picker
        (Ctrl+N there: a new entity, as a split)."""
        found = self._chosen()
        if found is None:
            return
        entity, chosen = found
        screen, svc = self.screen, self.screen.svc
        ids = [m.span_id for m in chosen]

        def source(query: str) -> list[Candidate]:
            got = screen.attempt(lambda: svc.entities.match(query, entity.type, LINK_ROWS))
            return [] if got is FAILED else [c for c in got if c.id != entity.id]

        def picked(choice: LinkChoice | None) -> None:
            if choice is None:
                return
            if choice.entity_id:
                done = screen.attempt(lambda: svc.mentions.relink(ids, choice.entity_id, entity.id))
                if done is not FAILED:
                    self._done(f"linked {_count(done)} to {choice.entity_id} (u undoes)", entity.id)
            else:
                new = screen.attempt(lambda: svc.mentions.split_off(ids, choice.new_name or chosen[0].text,
                                                                    entity.id, choice.new_id))
                if new is not FAILED:
                    self._done(f"{_count(len(ids))} now {new} (u undoes)", entity.id)

        new_entity = NewEntity(entity.type, svc.entities.proposed_id, svc.entities.id_problem, kb.ID_MAX)
        screen.app.push_screen(LinkPicker(chosen[0].text, entity.name, source, new_entity), picked)

    def split(self) -> None:
        """Split the marked (else highlighted) mentions off into a new entity, named in a dialog."""
        found = self._chosen()
        if found is None:
            return
        entity, chosen = found
        screen, svc = self.screen, self.screen.svc
        ids = [m.span_id for m in chosen]

        def named(name: str | None) -> None:
            if not name:
                return
            new = screen.attempt(lambda: svc.mentions.split_off(ids, name, entity.id))
            if new is not FAILED:
                self._done(f"{_count(len(ids))} split off {entity.name} into {new} (u undoes)", entity.id)

        question = f"Split {_count(len(ids))} off {entity.name} into a new entity named:"
        screen.app.push_screen(NameModal(question, " ".join(chosen[0].text.split())), named)

    def open(self, mention: MentionInContext) -> None:
        """Open the article at the mention (on the span at its offsets; back here with Esc)."""
        screen = self.screen
        items = screen.svc.review.state(mention.article_id).items
        at = next((i for i in items if (i.start, i.end) == (mention.start, mention.end)), None)
        at = at or next((i for i in items if i.start >= mention.start), None)
        article = ArticleScreen(screen.svc, mention.article_id, [mention.article_id], at.key if at else None)
        def back(_: None) -> None:
            if screen.app.screen is screen:  # not when `d` went on to the corpus and the next article
                screen.reload()

        screen.app.push_screen(article, back)

"""An entity's mentions, reviewed from the entity (issue 14.4): each shown in its sentence, and
unlinked, linked to another entity or split off into a new one.

Reached as ``Service.mentions``. Each change is one logged action in the corpus scope (like
merge and split on the entities screen), so the entities screen's ``u`` undoes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotate.entities import kb
from annotate.errors import ReviewError, guarded
from annotate.service.context import ServiceContext
from store import mentions as rows

CONTEXT = 90  # characters at most on either side of the mention, cut at a sentence boundary first
# Where a sentence ends: a full stop, question or exclamation mark or ellipsis before a space, or a line break.
_SENTENCE_END = re.compile(r"[.!?…][»”\"’)]*\s+|\n")


@dataclass(frozen=True)
class MentionInContext:
    """A gold span linked to an entity, with the text of its sentence around it (``before`` and
    ``after``; ``cut_before`` / ``cut_after``: the sentence went on beyond them)."""

    span_id: int
    article_id: str
    title: str
    start: int
    end: int
    label: str
    annotator: str
    text: str
    before: str
    after: str
    cut_before: bool = False
    cut_after: bool = False


def in_sentence(context: str, context_start: int, start: int, end: int,
                limit: int = CONTEXT) -> tuple[str, str, bool, bool]:
    """(before, after, cut_before, cut_after): the sentence around ``start``–``end`` from a stretch
    of text starting at ``context_start``, at most ``limit`` characters either side."""
    left, right = context[:start - context_start], context[end - context_start:]
    boundaries = list(_SENTENCE_END.finditer(left))
    cut_before = context_start > 0
    if boundaries:
        left, cut_before = left[boundaries[-1].end():], False
    found = _SENTENCE_END.search(right)
    cut_after = found is None and bool(right)
    if found is not None:
        right = right[:found.start() + (0 if found.group().startswith("\n") else len(found.group().rstrip()))]
    if len(left) > limit:
        left, cut_before = left[-limit:], True
    if len(right) > limit:
        right, cut_after = right[:limit], True
    return left.lstrip(), right.rstrip(), cut_before, cut_after


class MentionOps:
    """Mentions of one entity, for one annotator acting (``Service.mentions``)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.store = ctx.store

    def in_context(self, entity_id: str, limit: int = 200) -> list[MentionInContext]:
        """The entity's gold mentions in ingest order, each in its sentence."""
        out = []
        for row in rows.mentions_in_context(self.store.db, entity_id, limit, window=2 * CONTEXT):
            text = row["context"][row["start"] - row["context_start"]:row["end"] - row["context_start"]]
            before, after, cut_before, cut_after = in_sentence(row["context"], row["context_start"], row["start"],
                                                               row["end"])
            out.append(MentionInContext(row["span_id"], row["article_id"], row["title"] or "", row["start"],
                                        row["end"], row["label"], row["annotator"], text, before, after,
                                        cut_before, cut_after))
        return out

    def count(self, entity_id: str) -> int:
        """How many gold mentions the entity has."""
        return rows.mention_count(self.store.db, entity_id)

    def _spans(self, span_ids: list[int], entity_id: str | None = None) -> list[int]:
        ids = list(dict.fromkeys(span_ids))
        if not ids:
            raise ReviewError("no mention chosen")
        for span_id in ids:
            span = self.store.span(span_id)
            if entity_id is not None and span.kb_id != entity_id:
                raise ReviewError("that mention is no longer linked to this entity; reloaded")
        return ids

    @guarded
    def unlink(self, span_ids: list[int], entity_id: str | None = None) -> int:
        """Unlink these mentions (they stay gold); ``entity_id``: the one they must still be linked to.
        One action; returns how many."""
        ids = self._spans(span_ids, entity_id)
        with self.store.action("mention_unlink", self.ctx.annotator, None) as uow:
            for span_id in ids:
                kb.link_span(uow, self.store, span_id, None)
        return len(ids)

    @guarded
    def relink(self, span_ids: list[int], target: str, entity_id: str | None = None) -> int:
        """Link these mentions to ``target`` instead. One action; returns how many."""
        ids = self._spans(span_ids, entity_id)
        entity = self.store.entity(target)
        if entity is None:
            raise ReviewError(f"no entity {target!r}")
        if entity.merged_into:
            raise ReviewError(f"{target!r} was merged into {entity.merged_into!r}")
        with self.store.action("mention_relink", self.ctx.annotator, None) as uow:
            for span_id in ids:
                kb.link_span(uow, self.store, span_id, target)
        return len(ids)

    @guarded
    def split_off(self, span_ids: list[int], name: str, entity_id: str | None = None,
                  new_id: str | None = None) -> str:
        """A new entity named ``name`` (its id ``new_id``, else the name's slug; the type of the
        mentions' entity, else of the first mention's label) for these mentions. One action;
        returns the new id."""
        ids = self._spans(span_ids, entity_id)
        name = " ".join(name.split())
        if not name:
            raise ReviewError("the new entity needs a name")
        if new_id is not None and (problem := kb.id_problem(self.store, new_id)):
            raise ReviewError(problem)
        first = self.store.span(ids[0])
        old = self.store.entity(first.kb_id) if first.kb_id else None
        with self.store.action("mention_split", self.ctx.annotator, None) as uow:
            created = kb.create_entity(uow, self.store, name, old.type if old else first.label, entity_id=new_id)
            for span_id in ids:
                kb.link_span(uow, self.store, span_id, created)
        return created

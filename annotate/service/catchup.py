"""A review state caught up with the action log: patched over what the actions logged since it
was read changed, instead of read whole again (on a 10,000-word article a whole read is about
1,800 suggestion rows for an undo that touched one span).

Every change to gold, rejections and entities is a logged action whose ops name the rows it
wrote (``store.actions``); an undo or redo entry names the action it replays. The ranges those
rows covered, before and after, are the window that ``annotate.review.patch`` rebuilds. What the
log does not hold (suggestions replaced by a suggester) is not seen here: the screens re-read the
state whole when they are told of it (``ArticleScreen.refresh_state``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from annotate.review.patch import patch_state
from annotate.review.state import ReviewState
from annotate.service.context import ServiceContext
from store import window
from store.actions import REDO, UNDO, logged_action

MAX_ACTIONS = 50  # more logged since (another process at work): a whole read is as cheap
MAX_RANGES = 400  # an action over much of the article (accept all): likewise
_ITEM_TABLES = ("spans", "rejections")
_UNSEEN = ("suggestions", "suggestion_args")  # not written by actions; if ever, read the state whole


def catch_up(ctx: ServiceContext, state: ReviewState) -> ReviewState:
    """``state`` after the actions logged since it was read (the same object when there are none)."""
    db = ctx.store.db
    article_id = state.article.id
    if state.logged is None:
        return ctx.review_state(article_id)
    actions = window.actions_after(db, state.logged, MAX_ACTIONS + 1)
    if not actions:
        return state
    if len(actions) > MAX_ACTIONS:
        return ctx.review_state(article_id)
    ops: list[dict[str, Any]] = []
    for action in actions:
        if action.kind in (UNDO, REDO):
            target = logged_action(db, action.undoes if action.kind == UNDO else action.redoes)
            ops += target.ops if target is not None else ()
        else:
            ops += action.ops
    tables = {op["table"] for op in ops}
    if tables & set(_UNSEEN):
        return ctx.review_state(article_id)
    ranges = [(row["start"], row["end"]) for op in ops if op["table"] in _ITEM_TABLES
              for row in (op["before"], op["after"]) if row and "start" in row and "end" in row]
    span_ids = {op["pk"] for op in ops if op["table"] == "spans"}
    if span_ids:  # an update logs only the columns it changed: the span's bounds now and as shown
        ranges += window.span_bounds(db, span_ids)
        ranges += [(item.start, item.end) for item in (state.find(f"s{pk}") for pk in span_ids) if item is not None]
    entities = {op["pk"] for op in ops if op["table"] == "entities"}
    if entities:  # a renamed entity: the mentions showing its name
        ranges += [(i.start, i.end) for i in state.items if i.kb_id in entities]
    if len(ranges) > MAX_RANGES:
        return ctx.review_state(article_id)
    logged = actions[-1].id
    store, annotator = ctx.store, ctx.annotator
    args = store.event_args(article_id, annotator) if "event_args" in tables else None
    article = None
    if "articles" in tables:  # its overall status and time stamp
        status, updated_at = window.article_status(db, article_id)
        article = replace(state.article, status=status, updated_at=updated_at or "")
    if not ranges:
        return patch_state(state, [], [], [], set(), {}, args, logged, article)
    suggestions = window.suggestions_over(db, article_id, ranges)
    near = ranges + [(s.start, s.end) for s in suggestions]
    gold = window.spans_over(db, article_id, annotator, near)
    rejected = window.rejections_over(db, article_id, annotator, near)
    names = ctx.entity_names({g.kb_id for g in gold if g.kb_id})
    return patch_state(state, ranges, gold, suggestions, rejected, names, args, logged, article)

"""Review status: each annotator's own, and the article's overall one derived from them."""

from __future__ import annotations

from store.actions import UnitOfWork, now
from store.models import DONE, IN_PROGRESS, SKIPPED, TODO
from store.repo import Store


def overall(statuses: dict[str, str], required: int = 1) -> str:
    """Done when ``required`` annotators are done; in progress once anyone has started (a skip is no start)."""
    if sum(1 for s in statuses.values() if s == DONE) >= required:
        return DONE
    if any(s not in (TODO, SKIPPED) for s in statuses.values()):
        return IN_PROGRESS
    return TODO


def set_review(uow: UnitOfWork, store: Store, article_id: str, annotator: str, status: str, required: int = 1) -> None:
    """Set one annotator's status and update the article's overall status, inside an action."""
    review_id = [article_id, annotator]  # the reviews table's two-column key
    stamp = now()
    if uow.get("reviews", review_id) is None:
        uow.insert("reviews", {"article_id": article_id, "annotator": annotator,
                               "status": status, "updated_at": stamp})
    else:
        uow.update("reviews", review_id, {"status": status, "updated_at": stamp})
    statuses = {**store.reviews(article_id), annotator: status}
    uow.update("articles", article_id, {"status": overall(statuses, required), "updated_at": stamp})

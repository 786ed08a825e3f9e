"""Teams for the service: merging annotators' copies, agreement, statistics and adjudication."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from annotate.errors import ReviewError, guarded
from annotate.service.context import ServiceContext

if TYPE_CHECKING:  # imported where used: the team modules are not needed to review
    from annotate.team.agreement import Adjudication, AgreementReport
    from annotate.team.merge import MergeReport
    from annotate.team.stats import Stats


class TeamOps:
    """Thin wrappers over annotate.team.merge, annotate.team.agreement and annotate.team.stats
    (``Service.team``); the annotator of the service is the merger and the adjudicating reviewer."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.store = ctx.store

    @guarded
    def merge_copy(self, path: str | Path) -> MergeReport:
        """Merge an annotator's copy of the database into this one (one transaction); returns its MergeReport."""
        from annotate.team.merge import merge_database

        config = self.ctx.config
        return merge_database(self.store, path, self.ctx.annotator, config.annotations_per_article,
                              config.entity_labels, config.event_roles)

    def agreement(self, annotators: Sequence[str] | None = None) -> AgreementReport:
        """Inter-annotator agreement over the articles each pair marked done (an AgreementReport)."""
        from annotate.team.agreement import compute

        return compute(self.store, annotators)

    def stats(self, duplicates: bool = True) -> Stats:
        """Progress, throughput, labels and entities (a Stats); ``duplicates=False`` skips clustering."""
        from annotate.team.stats import compute

        return compute(self.store, duplicates)

    def adjudication(self, article_id: str) -> Adjudication:
        """The other annotators' gold of an article aligned in rows, with this annotator's (the reviewer's) gold."""
        from annotate.team.agreement import build_adjudication

        return build_adjudication(self.store, article_id, self.ctx.annotator)

    def adjudication_articles(self) -> list[str]:
        """Articles with gold from at least two annotators other than this one, in ingest order."""
        found = self.store.articles_gold_by_others(self.ctx.annotator, 2)
        return [a for a in self.store.article_ids() if a in found]

    @guarded
    def adjudicate_start(self, article_id: str) -> int:
        """Pre-accept the agreed rows as this reviewer's gold, in one action, if they have no gold yet."""
        from annotate.team.merge import preaccept

        ctx = self.ctx
        article = self.store.get_article(article_id)
        with self.store.action("adjudicate_agreed", ctx.annotator, article_id) as uow:
            # Read inside the write transaction, so two processes cannot both pre-accept.
            adj = self.adjudication(article_id)
            if len(adj.annotators) < 2:
                raise ReviewError("adjudication needs the gold of at least two other annotators")
            made = preaccept(uow, self.store, adj, lambda m: ctx.insert_span(uow, article, m.start, m.end,
                                                                             m.label, m.kb_id))
            if made:
                ctx.touch(uow, article)
        return made

    @guarded
    def adjudicate_pick(self, article_id: str, row_index: int, annotator: str | None) -> int:
        """Make one annotator's version of a row the reviewer's gold there (None: nothing there); one action."""
        from annotate.team.merge import pick

        ctx = self.ctx
        article = self.store.get_article(article_id)
        with self.store.action("adjudicate", ctx.annotator, article_id) as uow:
            adj = self.adjudication(article_id)  # inside the write transaction, as in adjudicate_start
            if not 0 <= row_index < len(adj.rows):
                raise ReviewError("that row no longer exists")
            if annotator is not None and annotator not in adj.annotators:
                raise ReviewError(f"{annotator} has no gold in this article")
            made = pick(uow, self.store, adj, adj.rows[row_index], annotator,
                        lambda m: ctx.insert_span(uow, article, m.start, m.end, m.label, m.kb_id))
            ctx.touch(uow, article)
        return made

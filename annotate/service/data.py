"""The corpus and its files for the service: ingest, the article list, import and export in every
format, backups and the events timeline."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotate.corpus.ingest import IngestReport, Progress, ingest
from annotate.errors import guarded
from annotate.service.context import ServiceContext, resolve_db
from store.models import STATUSES, Article

if TYPE_CHECKING:  # imported where used: exporters and importers load only when asked for
    from annotate.backup import BackupReport
    from annotate.formats.reports import FormatReport, ImportReport
    from annotate.review.timeline import TimelineEvent


class DataOps:
    """Articles in, gold out (``Service.data``)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.store = ctx.store

    @guarded
    def ingest(self, paths: Sequence[Path], progress: Progress | None = None) -> IngestReport:
        """Ingest .txt files, folders and .jsonl files."""
        return ingest(self.store, paths, progress)

    def articles(self) -> list[dict[str, Any]]:
        """Corpus rows (no text): this annotator's status, pending suggestions and gold count."""
        return self.store.article_summaries(self.ctx.annotator)

    def article(self, article_id: str) -> Article:
        """One article."""
        return self.store.get_article(article_id)

    def counts(self) -> dict[str, int]:
        """Articles per status of this annotator, with every status present."""
        found = self.store.count_articles(self.ctx.annotator)
        return {status: found.get(status, 0) for status in STATUSES}

    def export_jsonl(self, target: str | Path, what: str = "gold", annotator: str | None = None) -> FormatReport:
        """Write the Prodigy-compatible JSONL export atomically; returns its report."""
        from annotate.formats.jsonl import export_jsonl

        return export_jsonl(self.store, target, what=what, annotator=annotator)

    @guarded
    def import_jsonl(self, path: Path) -> ImportReport:
        """Import gold from JSONL in one transaction; returns its report."""
        from annotate.formats.jsonl import import_jsonl

        config = self.ctx.config
        return import_jsonl(self.store, path, self.ctx.annotator, config.entity_labels, config.event_roles)

    def export_data(self, target: str | Path, fmt: str = "jsonl", what: str = "gold",
                    statuses: Sequence[str] | None = None, annotator: str | None = None,
                    since: str | None = None, until: str | None = None, labels: Sequence[str] | None = None,
                    eval_split: float = 0.2, seed: int = 0, strict: bool = False) -> FormatReport:
        """Export in any format (jsonl, spacy, doccano, conll, brat) with filters; returns the report,
        whose ``losses`` say what the format could not hold (``strict``: any loss is an error and
        nothing is written). Files are written atomically, folders (spacy, brat) are replaced whole."""
        from annotate.formats.filters import ExportFilters
        from annotate.formats.registry import export
        from annotate.labels import label_colors

        config = self.ctx.config
        filters = ExportFilters(what=what, statuses=tuple(statuses) if statuses else None, annotator=annotator,
                                since=since, until=until, labels=frozenset(labels) if labels else None)
        return export(self.store, target, fmt, filters, config.entity_labels, eval_split=eval_split, seed=seed,
                      event_roles=config.event_roles, strict=strict, colors=label_colors(config))

    @guarded
    def import_data(self, path: Path, fmt: str | None = None) -> ImportReport:
        """Import gold in any format the registry reads (None: by the path, see registry.import_gold),
        checked whole first; the articles count as reviewed. Returns the import report."""
        from annotate.formats.registry import import_gold

        config = self.ctx.config
        return import_gold(self.store, Path(path), fmt, self.ctx.annotator, config.entity_labels, config.event_roles)

    @guarded
    def import_brat(self, folder: Path) -> ImportReport:
        """Import a folder of brat ``.txt``/``.ann`` files as gold in one transaction; returns its report."""
        from annotate.formats.brat import import_brat

        config = self.ctx.config
        return import_brat(self.store, Path(folder), self.ctx.annotator, config.entity_labels, config.event_roles)

    def backup(self, target: str | Path | None = None) -> BackupReport:
        """Consistent online copy of the database (SQLite backup API), atomically written;
        returns its :class:`annotate.backup.BackupReport`. Safe while others write."""
        from annotate.backup import backup

        return backup(self.store.db.conn, self.store.path or resolve_db(None), target)

    def events_timeline(self) -> list[TimelineEvent]:
        """Gold events of reviewed articles by date, with arguments and canonical names."""
        from annotate.review.timeline import events

        return events(self.store, self.ctx.config.event_roles)

    def render_timeline(self, timeline: list[TimelineEvent]) -> str:
        """The timeline as plain text for the terminal."""
        from annotate.review.timeline import render

        return render(timeline)

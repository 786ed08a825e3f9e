"""Training data and backups for the service: other formats, evaluation, the events timeline."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from annotate.errors import guarded

from annotate.service.base import ServiceBase, resolve_db


class DataOps(ServiceBase):
    """Export to training formats, brat import, evaluation, timeline and backup."""

    def backup(self, target: str | Path | None = None) -> Any:
        """Consistent online copy of the database (SQLite backup API), atomically written;
        returns its :class:`annotate.backup.BackupReport`. Safe while others write."""
        from annotate.backup import backup

        return backup(self.store.db.conn, self.store.path or resolve_db(None), target)

    def export_data(self, target: str | Path, fmt: str = "jsonl", what: str = "gold",
                    statuses: Sequence[str] | None = None, annotator: str | None = None,
                    since: str | None = None, until: str | None = None, labels: Sequence[str] | None = None,
                    eval_split: float = 0.2, seed: int = 0, strict: bool = False) -> Any:
        """Export in any format (jsonl, spacy, doccano, conll, brat) with filters; returns the report,
        whose ``losses`` say what the format could not hold (``strict``: any loss is an error and
        nothing is written). Files are written atomically, folders (spacy, brat) are replaced whole."""
        from annotate.formats.filters import ExportFilters
        from annotate.formats.registry import export
        from annotate.labels import label_colors

        filters = ExportFilters(what=what, statuses=tuple(statuses) if statuses else None, annotator=annotator,
                                since=since, until=until, labels=frozenset(labels) if labels else None)
        return export(self.store, target, fmt, filters, self.config.entity_labels, eval_split=eval_split, seed=seed,
                      event_roles=self.config.event_roles, strict=strict, colors=label_colors(self.config))

    @guarded
    def import_data(self, path: Path, fmt: str | None = None) -> Any:
        """Import gold in any format the registry reads (None: by the path, see registry.import_gold),
        checked whole first; the articles count as reviewed. Returns the import report."""
        from annotate.formats.registry import import_gold

        return import_gold(self.store, Path(path), fmt, self.annotator, self.config.entity_labels,
                           self.config.event_roles)

    @guarded
    def import_brat(self, folder: Path) -> Any:
        """Import a folder of brat ``.txt``/``.ann`` files as gold in one transaction; returns its report."""
        from annotate.formats.brat import import_brat

        return import_brat(self.store, Path(folder), self.annotator, self.config.entity_labels,
                           self.config.event_roles)

    def evaluate(self, model: str | None = None) -> Any:
        """Score a spaCy pipeline (name or folder; default: the project model) against the gold."""
        from annotate.learn.evaluate import evaluate

        if model is None:  # the project model, and beside it the newest `glossator train` version
            from annotate.learn.compare import evaluate_with_trained

            return evaluate_with_trained(self.store, self.config.model)
        return evaluate(self.store, model)

    def events_timeline(self) -> list[Any]:
        """Gold events of reviewed articles by date, with arguments and canonical names."""
        from annotate.review.timeline import events

        return events(self.store, self.config.event_roles)

    def render_timeline(self, timeline: list[Any]) -> str:
        """The timeline as plain text for the terminal."""
        from annotate.review.timeline import render

        return render(timeline)

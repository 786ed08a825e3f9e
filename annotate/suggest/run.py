"""Running a suggester over the corpus: plan (main thread), compute (any thread), save (main thread).

The split keeps database work on the thread that owns the connection: the TUI runs
:func:`compute` in a worker and saves each batch when the worker reports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from store.models import DocSuggestions, Region
from store import suggestions as suggestions_store
from store.repo import Store

Batch = list[tuple[str, DocSuggestions]]


@dataclass
class SuggestPlan:
    """What a suggest run will do."""

    suggester: Any  # annotate.suggest.Suggester (imported lazily: spaCy is slow to import)
    fingerprint: str
    items: list[tuple[str, str, tuple[Region, ...]]] = field(default_factory=list)
    up_to_date: int = 0

    @property
    def words(self) -> int:
        """Words to process, for progress and speed figures."""
        return sum(len(text.split()) for _, text, _ in self.items)


def known_names(store: Store) -> list[tuple[str, str, str]]:
    """(surface, type, kb_id) of every alias of every live canonical entity."""
    return suggestions_store.known_names(store)


def plan(store: Store, model: str, lexicon_path: str = "", force: bool = False) -> SuggestPlan:
    """Articles whose cached suggestions are missing or stale for this pipeline and these rules."""
    from annotate.suggest import Suggester, load_lexicon

    from annotate.learn.artifact import newest  # learned hook: the newest `glossator train` version

    suggester = Suggester(model=model, lexicon=load_lexicon(lexicon_path or None), known_names=known_names(store),
                          learned=newest(store.path))
    fingerprint = suggester.fingerprint
    done = store.fingerprints()
    result = SuggestPlan(suggester, fingerprint)
    for article in store.iter_articles():
        if not force and done.get(article.id) == fingerprint:
            result.up_to_date += 1
        else:
            result.items.append((article.id, article.text, article.regions))
    return result


def compute(
    plan_: SuggestPlan,
    batch_size: int = 32,
    n_process: int = 1,
    cancelled: Callable[[], bool] = lambda: False,
) -> Iterator[Batch]:
    """Run the suggester, yielding batches of results; stops early when ``cancelled()``."""
    plan_.suggester.load()
    batch: Batch = []
    for key, doc in plan_.suggester.pipe(plan_.items, batch_size=batch_size, n_process=n_process):
        batch.append((key, doc))
        if len(batch) >= batch_size:
            yield batch
            batch = []
            if cancelled():
                return
    if batch:
        yield batch


def save(store: Store, plan_: SuggestPlan, batch: Batch) -> None:
    """Write one batch in one transaction (gold is never touched)."""
    store.replace_suggestions(batch, plan_.fingerprint, plan_.fingerprint)

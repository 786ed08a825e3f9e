"""``glossator train``: learn from the gold in the database, on CPU, with progress.

1. parse the gold texts with the base pipeline and run the untrained suggester on them;
2. build the label memory from gold, the suggester's mistakes and the reviewers' rejections;
3. fit the confidence table by cross-fitting (each document scored with a memory built from the
   others, so the rates are those of unseen text);
4. fine-tune the base pipeline's entity recogniser on the gold, rehearsing the base model's own
   output on unreviewed articles so it does not forget what it knew;
5. record the project's learning curve (``annotate.learn.curve``) in ``meta.json``;
6. save everything as the next version beside the database (see ``annotate.learn.artifact``).

:func:`gather` reads the database (on the thread that owns it) and :func:`run` does the rest
without it, so the review app runs it in a worker; ``cancelled`` is checked between stages,
epochs and batches.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate.errors import InputError
from annotate.learn import artifact
from annotate.learn.confidence import Calibrator, Features
from annotate.learn.curve import learning_curve
from annotate.learn.gold import GoldDoc, from_store, gold_hash, known_from
from annotate.learn.memory import LabelMemory
from annotate.suggest.normalise import normalise
from store.actions import now
from store.models import ENTITY, EVENT, VALUE
from store.repo import Store

Progress = Callable[[str, int, int], None]  # (stage, done, total)
REHEARSAL_MAX = 40  # unreviewed articles whose base-model entities are rehearsed


class Cancelled(RuntimeError):
    """Training was cancelled; nothing was saved."""


@dataclass
class Trained:
    """What :func:`fit` produced, before it is saved."""

    memory: LabelMemory
    calibrator: Calibrator
    ner_bytes: bytes | None
    losses: list[float]
    curve: list[dict[str, Any]] = field(default_factory=list)  # see annotate.learn.curve


class _Recorder(Calibrator):
    """A calibrator that remembers the features it is asked about (to fit the real one)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[Features] = []

    def __call__(self, f: Features) -> float:
        self.seen.append(f)
        return 0.5


def _noop(_stage: str, _done: int, _total: int) -> None:
    return None


def base_outputs(suggester: Any, parsed: Sequence[Any]) -> list[tuple[list, list]]:
    """(entity spans, triggers with head token) of the untrained suggester on parsed gold docs."""
    out = []
    for doc in parsed:
        sugg = suggester.from_doc(doc.text, doc)
        ents = [(s.start, s.end, s.label) for s in sugg.spans if s.kind == ENTITY]
        trigs = []
        for s in sugg.spans:
            span = doc.char_span(s.start, s.end, alignment_mode="expand") if s.kind == EVENT else None
            if span is not None:
                trigs.append((s.start, s.end, s.label, span.root.i))
        out.append((ents, trigs))
    return out


def correct(sp: Any, gold: GoldDoc) -> bool | None:
    """Whether a suggestion equals a gold span exactly (None: that layer is not in this gold)."""
    key = (sp.start, sp.end, sp.label)
    if sp.kind == ENTITY:
        return key in set(gold.entities)
    if sp.kind == EVENT:
        return key in set(gold.events)
    if sp.kind == VALUE and gold.values is not None:
        return key in set(gold.values)
    return None


def calibration_examples(suggester: Any, docs: Sequence[GoldDoc], parsed: Sequence[Any],
                         outputs: Sequence[tuple[list, list]]) -> list[tuple[Features, bool]]:
    """(features, right) of every suggestion on every doc, with a memory built from the *other* docs."""
    from annotate.learn.artifact import Learned

    saved = suggester.learned, suggester.known_names
    examples = []
    try:
        for i, doc in enumerate(parsed):
            rest = [j for j in range(len(docs)) if j != i]
            memory = LabelMemory.build([docs[j] for j in rest], [outputs[j] for j in rest], [parsed[j] for j in rest])
            # Known names too must come from the other docs only: a doc's own links would make
            # every name in it look certain.
            suggester.set_known_names(known_from(docs[j] for j in rest))
            recorder = _Recorder()
            suggester.learned = Learned(memory=memory, calibrator=recorder)
            sugg = suggester.from_doc(doc.text, doc)
            for f, sp in zip(recorder.seen, sugg.spans, strict=True):
                ok = correct(sp, docs[i])
                if ok is not None:
                    examples.append((f, ok))
    finally:
        suggester.learned = saved[0]
        suggester.set_known_names(saved[1])
    return examples


def fine_tune_ner(nlp: Any, docs: Sequence[GoldDoc], rehearsal: Sequence[Any], epochs: int,
                  progress: Progress, cancelled: Callable[[], bool], seed: int = 0) -> list[float]:
    """Update the entity recogniser in place on gold (+ rehearsal docs with their base entities)."""
    from spacy.training import Example

    examples = []
    for d in docs:
        text = normalise(d.text)
        examples.append(Example.from_dict(nlp.make_doc(text), {"entities": list(d.entities)}))
    for doc in rehearsal:
        ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        examples.append(Example.from_dict(nlp.make_doc(doc.text), {"entities": ents}))
    rng = random.Random(seed)
    losses_by_epoch = []
    with nlp.select_pipes(enable=["ner"]):
        optimizer = nlp.resume_training()
        for epoch in range(epochs):
            if cancelled():
                raise Cancelled("training cancelled")
            rng.shuffle(examples)
            losses: dict[str, float] = {}
            for start in range(0, len(examples), 4):
                if cancelled():
                    raise Cancelled("training cancelled")
                nlp.update(examples[start:start + 4], sgd=optimizer, drop=0.2, losses=losses)
            losses_by_epoch.append(round(float(losses.get("ner", 0.0)), 2))
            progress("fine-tune NER", epoch + 1, epochs)
    return losses_by_epoch


def fit(nlp: Any, suggester: Any, docs: Sequence[GoldDoc], rehearsal_texts: Sequence[str] = (),
        epochs: int = 8, ner: bool = True, progress: Progress = _noop,
        cancelled: Callable[[], bool] = lambda: False) -> Trained:
    """Everything training learns, in memory; ``nlp`` is the base pipeline (its NER is changed
    when ``ner``: reload or restore it to undo)."""
    progress("parse gold", 0, len(docs))
    parsed = list(nlp.pipe(normalise(d.text) for d in docs))
    progress("parse gold", len(docs), len(docs))
    outputs = base_outputs(suggester, parsed)
    memory = LabelMemory.build(docs, outputs, parsed)
    progress("confidence", 0, 1)
    calibrator = Calibrator.fit(calibration_examples(suggester, docs, parsed, outputs))
    progress("confidence", 1, 1)
    if cancelled():
        raise Cancelled("training cancelled")
    progress("learning curve", 0, 1)
    curve = learning_curve(suggester, docs, parsed, outputs, cancelled)
    progress("learning curve", 1, 1)
    ner_bytes, losses = None, []
    if ner and epochs > 0:
        rehearsal = list(nlp.pipe(normalise(t) for t in rehearsal_texts))
        losses = fine_tune_ner(nlp, docs, rehearsal, epochs, progress, cancelled)
        ner_bytes = nlp.get_pipe("ner").to_bytes()
    if cancelled():
        raise Cancelled("training cancelled")
    return Trained(memory, calibrator, ner_bytes, losses, curve)


def rehearsal_texts(store: Store, gold_ids: set[str], limit: int = REHEARSAL_MAX) -> list[str]:
    """Texts of articles nobody reviewed, for rehearsal (a fixed sample: the first ``limit``)."""
    out = []
    for article in store.iter_articles():
        if article.id not in gold_ids and not store.reviews(article.id):
            out.append(article.text)
            if len(out) >= limit:
                break
    return out


@dataclass(frozen=True)
class TrainingInput:
    """Everything training reads from the database, read at once on the thread that owns it, so
    that :func:`run` (the long part) needs no connection and can run in a worker thread."""

    db_path: Path
    model: str
    lexicon_path: str
    docs: tuple[GoldDoc, ...]
    rehearsal: tuple[str, ...]
    known_names: tuple[tuple[str, str, str], ...]


def gather(store: Store, model: str, lexicon_path: str = "", ner: bool = True) -> TrainingInput:
    """Read the gold, the rehearsal texts and the known names (refuses when there is nothing to learn)."""
    from annotate.suggest.run import known_names

    if store.path is None:
        raise InputError("training needs a database file (models are saved beside it)")
    docs = from_store(store)
    if not docs:
        raise InputError("nothing to learn from: no article is marked done")
    # Every gold article has a review row, which rehearsal_texts skips already: no pass over the
    # whole corpus to collect their ids (the app reads this on its main thread).
    return TrainingInput(Path(store.path), model, lexicon_path, tuple(docs),
                         tuple(rehearsal_texts(store, set())) if ner else (), tuple(known_names(store)))


def train(store: Store, model: str, lexicon_path: str = "", epochs: int = 8, ner: bool = True,
          progress: Progress = _noop, cancelled: Callable[[], bool] = lambda: False) -> Path:
    """Train on the database's gold and save the next version; returns its folder."""
    return run(gather(store, model, lexicon_path, ner), epochs, ner, progress, cancelled)


def run(inp: TrainingInput, epochs: int = 8, ner: bool = True, progress: Progress = _noop,
        cancelled: Callable[[], bool] = lambda: False) -> Path:
    """Train on gathered input and save the next version (no database: any thread); a cancelled
    run raises :class:`Cancelled` and leaves nothing behind."""
    from annotate.learn.artifact import Learned
    from annotate.suggest import Suggester, load_lexicon
    from annotate.suggest.pipeline import ModelNotFound

    docs = list(inp.docs)
    started = time.perf_counter()
    progress("load model", 0, 1)
    suggester = Suggester(model=inp.model, lexicon=load_lexicon(inp.lexicon_path or None),
                          known_names=list(inp.known_names), learned=Learned())
    try:
        suggester.load()
    except ModelNotFound as exc:
        raise InputError(str(exc)) from exc
    nlp = suggester.nlp
    progress("load model", 1, 1)
    if cancelled():
        raise Cancelled("training cancelled")
    trained = fit(nlp, suggester, docs, inp.rehearsal if ner else [], epochs, ner, progress, cancelled)
    found = artifact.versions(inp.db_path)
    number = found[-1][0] + 1 if found else 1
    root = artifact.models_dir(inp.db_path)
    tmp = root / f".tmp-v{number}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        _write(tmp, trained, nlp, inp.model, docs, epochs if ner else 0, time.perf_counter() - started)
        if cancelled():  # the last moment to change one's mind: nothing is in place yet
            raise Cancelled("training cancelled")
        target = root / f"v{number}"
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def _write(tmp: Path, trained: Trained, nlp: Any, model: str, docs: Sequence[GoldDoc], epochs: int,
           seconds: float) -> None:
    """The files of one version; ``meta.json`` last (it marks the version finished)."""
    (tmp / "memory.json").write_text(json.dumps(trained.memory.to_json(), ensure_ascii=False), encoding="utf-8")
    (tmp / "calibration.json").write_text(json.dumps(trained.calibrator.to_json()), encoding="utf-8")
    if trained.ner_bytes is not None:
        nlp.get_pipe("ner").to_disk(tmp / "ner", exclude=["vocab"])  # the base pipeline has it
    meta = {"version": tmp.name.removeprefix(".tmp-"), "base_model": model, "base_version": nlp.meta.get("version"),
            "gold_hash": gold_hash(docs), "documents": len(docs),
            "entity_spans": sum(len(d.entities) for d in docs), "event_spans": sum(len(d.events) for d in docs),
            "ner_fine_tuned": trained.ner_bytes is not None, "epochs": epochs,
            "losses": trained.losses, "seconds": round(seconds, 1), "curve": trained.curve,
            "created": now()}
    (tmp / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")

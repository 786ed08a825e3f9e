"""spaCy training corpora: ``train.spacy`` and ``dev.spacy`` (DocBin), split by article, and a
``config.cfg`` for a French NER pipeline, so that ``python -m spacy train`` runs on the folder as is.

Each document holds the entity spans in ``doc.ents`` (with ``kb_id``), the event triggers in
``doc.spans["events"]``, the DATE/QUANTITY argument spans in ``doc.spans["values"]`` and, in
``doc.user_data["glossator"]``, the article's meta and the event arguments as character offsets.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from annotate.errors import InputError
from annotate.formats.filters import ExportFilters, ExportOptions
from annotate.formats.losses import MISALIGNED, SNAP_OVERLAP, check_strict
from annotate.formats.outputs import check_directory_target, directory_writer, manifest_of
from annotate.formats.records import iter_records, warn_shared_articles
from annotate.formats.reports import FormatReport
from annotate.labels import VALUE_LABELS
from store.repo import Store

TRAIN, DEV, CONFIG = "train.spacy", "dev.spacy", "config.cfg"


def choose_dev(article_ids: list[str], eval_split: float, seed: int) -> set[str]:
    """The articles of the dev set: a seeded shuffle of the sorted ids, so the same corpus, split
    and seed always give the same sets, whatever order the articles were ingested in."""
    if not 0 <= eval_split < 1:
        raise InputError(f"--eval-split must be at least 0 and below 1, not {eval_split}")
    ids = sorted(set(article_ids))
    n_dev = round(len(ids) * eval_split)
    if eval_split > 0 and len(ids) > 1:
        # A dev set of zero documents cannot score, and a train set must keep one article.
        n_dev = min(max(n_dev, 1), len(ids) - 1)
    random.Random(seed).shuffle(ids)
    return set(ids[:n_dev])


def training_config() -> str:
    """spaCy's own recommended config for French NER on CPU, optimised for efficiency (no vectors)."""
    from spacy.cli.init_config import init_config

    return init_config(lang="fr", pipeline=["ner"], optimize="efficiency", gpu=False, silent=True).to_str()


def record_to_doc(nlp: Any, record: dict[str, Any], report: FormatReport) -> Any:
    """One Doc from an export record. Unaligned spans are expanded to whole tokens and reported;
    an entity that overlaps another once snapped is reported and kept out of ``doc.ents``."""
    doc = nlp.make_doc(record["text"])
    source = record["meta"]["source"]

    def snap(s: dict[str, Any]) -> Any:
        where = f"{source}: {s['label']} span {s['start']}-{s['end']} {s['text']!r}"
        kb_id = s.get("kb_id") or ""
        span = doc.char_span(s["start"], s["end"], label=s["label"], kb_id=kb_id)
        if span is None:
            span = doc.char_span(s["start"], s["end"], label=s["label"], kb_id=kb_id, alignment_mode="expand")
            if span is None:
                report.warnings.append(f"{where} covers no token; left out of the spaCy corpus")
                report.losses[SNAP_OVERLAP] += 1
                return None
            report.warnings.append(f"{where} snapped to tokens {span.start_char}-{span.end_char} {span.text!r}")
            report.losses[MISALIGNED] += 1
        return span

    snapped = [snap(s) for s in record["spans"]]
    ents, values = [], []
    for s, span in zip(record["spans"], snapped):
        if span is None:
            continue
        if s["label"] in VALUE_LABELS:
            values.append(span)
        elif ents and span.start < ents[-1].end:
            report.warnings.append(f"{source}: {s['label']} span {s['start']}-{s['end']} {s['text']!r} overlaps "
                                   f"{ents[-1].label_} {ents[-1].text!r} once snapped; left out of doc.ents")
            report.losses[SNAP_OVERLAP] += 1
        else:
            ents.append(span)
    doc.ents = ents
    events, args = [], []
    for ev in record["events"]:
        span = snap(ev)
        if span is None:
            continue
        events.append(span)
        for arg in ev["args"]:
            filler = snapped[arg["span"]]
            if filler is not None:
                args.append([span.start_char, span.end_char, arg["role"], filler.start_char, filler.end_char])
    doc.spans["events"] = events
    doc.spans["values"] = values
    doc.user_data["glossator"] = {**record["meta"], "args": args}
    return doc


def export_spacy(store: Store, target: str | Path, filters: ExportFilters, report: FormatReport,
                 options: ExportOptions) -> None:
    """Write train.spacy, dev.spacy and config.cfg into the folder ``target`` (replaced whole), split
    by ``options.eval_split`` and ``options.seed``; ``options.strict``: refuse (write nothing) if a
    span had to be snapped or left out."""
    import spacy
    from spacy.tokens import DocBin

    eval_split, seed, strict = options.eval_split, options.seed, options.strict
    choose_dev([], eval_split, seed)  # checks the split and the folder before any work
    check_directory_target(target, store.path)
    nlp = spacy.blank("fr")
    records = list(iter_records(store, filters, report))
    warn_shared_articles(records, report)
    dev_ids = choose_dev([r["meta"]["article_id"] for r in records], eval_split, seed)
    train, dev = DocBin(store_user_data=True), DocBin(store_user_data=True)
    train_ids, dev_list = set(), set()
    for record in records:
        doc = record_to_doc(nlp, record, report)
        article_id = record["meta"]["article_id"]
        (dev if article_id in dev_ids else train).add(doc)
        (dev_list if article_id in dev_ids else train_ids).add(article_id)
        report.lines += 1
    report.train, report.dev = len(train), len(dev)
    if strict:
        check_strict(report, "spacy")
    if not len(dev):
        report.warnings.append("dev.spacy is empty: spacy train needs a dev set (export more articles or raise "
                               "--eval-split)")
    if not len(train):
        report.warnings.append("train.spacy is empty: no reviewed article matched")
    manifest = manifest_of("spacy", filters, eval_split=eval_split, seed=seed, train=sorted(train_ids),
                           dev=sorted(dev_list),
                           train_command=f"python -m spacy train {CONFIG} --paths.train {TRAIN} --paths.dev {DEV}")
    with directory_writer(target, manifest, store.path) as tmp:
        train.to_disk(tmp / TRAIN)
        dev.to_disk(tmp / DEV)
        (tmp / CONFIG).write_text(training_config(), encoding="utf-8")

"""CoNLL-2003 style columns (token, -X-, _, IOB2 tag) of the entity layer, one document per
article and annotator, in two dialects that differ only in the document line.

``conll`` (CoNLL-2003's own form): each document opens with ``-DOCSTART- -X- -X- O`` and two
comment lines, ``# article_id = …`` and ``# annotator = …`` (CoNLL-U style; flair's
``ColumnCorpus(comment_symbol="#")`` and CoNLL-U readers skip them), so a document can be traced
back to its article. ``conll-spacy``: ``-DOCSTART- -X- O O`` and no comment, because spaCy's
``conll_ner_to_docs`` (``spacy convert -c ner``) splits documents on that exact line and reads any
other line, a comment too, as tokens; Hugging Face's conll2003-style loaders, which split on any
line starting with ``-DOCSTART-`` and read every other line as a token, take this dialect too.
Events, arguments, values and kb ids have no column here; the report counts them as losses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from annotate.formats.filters import ExportFilters, ExportOptions
from annotate.formats.losses import MISALIGNED, SNAP_OVERLAP, conll_losses
from annotate.formats.outputs import write_line_file
from annotate.formats.reports import ExportReport
from annotate.labels import VALUE_LABELS
from store.repo import Store

DOCSTART = "-DOCSTART- -X- -X- O"  # CoNLL-2003's document line
DOCSTART_SPACY = "-DOCSTART- -X- O O"  # the line spaCy's converter splits on
_SENTENCE_END = {".", "!", "?", "…"}


def conll_lines(record: dict[str, Any], report: ExportReport, spacy_form: bool = False) -> list[str]:
    """CoNLL-2003 columns (token, -X-, _, IOB2 tag) of one document's entities (not DATE/QUANTITY
    values, not event triggers: like spaCy's ``doc.ents``, this is the NER layer).

    Whitespace tokens are left out (a column file cannot hold them); sentences end after . ! ? …
    or at a line break, never inside an entity. A span that does not align is expanded to whole
    tokens (its record already carries the expanded token range); one that then overlaps another is
    reported and left out.
    """
    tokens, source = record["tokens"], record["meta"]["source"]
    tags = ["O"] * len(tokens)
    for span in record["spans"]:
        if span["label"] in VALUE_LABELS:
            continue
        first, last = span["token_start"], span["token_end"]
        if any(t != "O" for t in tags[first:last + 1]):
            report.warnings.append(f"{source}: {span['label']} span {span['start']}-{span['end']} "
                                   f"{span['text']!r} overlaps another once snapped to tokens; left out of CoNLL")
            report.losses[SNAP_OVERLAP] += 1
            continue
        if (tokens[first]["start"], tokens[last]["end"]) != (span["start"], span["end"]):
            report.warnings.append(f"{source}: {span['label']} span {span['start']}-{span['end']} {span['text']!r} "
                                   "does not align with tokens; tagged on whole tokens")
            report.losses[MISALIGNED] += 1
        tags[first] = f"B-{span['label']}"
        for i in range(first + 1, last + 1):
            tags[i] = f"I-{span['label']}"
    meta = record["meta"]
    # one_line: an article id or annotator name holding a line break would end the comment early
    lines = [DOCSTART_SPACY, ""] if spacy_form else [
        DOCSTART, f"# article_id = {_one_line(meta['article_id'])}", f"# annotator = {_one_line(meta['annotator'])}", ""]
    sentence: list[str] = []
    for tok, tag in zip(tokens, tags):
        word = tok["text"]
        if not word.strip():
            if "\n" in word and sentence and not tag.startswith("I-"):
                lines.extend([*sentence, ""])
                sentence = []
            continue
        if any(c.isspace() for c in word):
            report.warnings.append(f"{source}: token {word!r} at {tok['start']} holds whitespace; written with _")
            word = re.sub(r"\s", "_", word)
        sentence.append(f"{word} -X- _ {tag}")
        following = tags[tok["id"] + 1] if tok["id"] + 1 < len(tags) else "O"
        if word in _SENTENCE_END and not following.startswith("I-"):
            lines.extend([*sentence, ""])
            sentence = []
    if sentence:
        lines.extend([*sentence, ""])
    return lines


def _one_line(value: Any) -> str:
    return re.sub(r"\s", " ", str(value or ""))


def write_conll(records: Iterator[dict[str, Any]], stream: IO[str], report: ExportReport,
                spacy_form: bool = False) -> None:
    """CoNLL-2003 style BIO, a document line (and the ids, unless ``spacy_form``) before each document."""
    for record in records:
        conll_losses(record, report)
        stream.write("\n".join(conll_lines(record, report, spacy_form)) + "\n")
        report.lines += 1


def write_conll_spacy(records: Iterator[dict[str, Any]], stream: IO[str], report: ExportReport) -> None:
    """The ``conll-spacy`` dialect: spaCy's document line, no comment lines."""
    write_conll(records, stream, report, spacy_form=True)


def export_conll(store: Store, target: str | Path, filters: ExportFilters, report: ExportReport,
                 options: ExportOptions) -> None:
    """Write the CoNLL-2003 export (``-``: stdout) atomically."""
    write_line_file(store, target, "conll", filters, report, write_conll, options.strict)


def export_conll_spacy(store: Store, target: str | Path, filters: ExportFilters, report: ExportReport,
                       options: ExportOptions) -> None:
    """Write the spaCy dialect of the CoNLL export (``-``: stdout) atomically."""
    write_line_file(store, target, "conll", filters, report, write_conll_spacy, options.strict)

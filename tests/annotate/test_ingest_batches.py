"""Batch boundaries of an ingest (articles and characters), and texts stored exactly whatever
their line breaks and spaces, in this process and through worker processes."""

import json

import pytest

from annotate.corpus import ingest as ingest_mod
from annotate.corpus.cleaning import clean, near_duplicate_key
from store import corpus as rows


def _batch_sizes(monkeypatch):
    sizes: list[int] = []
    real = rows.insert_articles

    def recording(db, articles):
        sizes.append(len(articles))
        real(db, articles)

    monkeypatch.setattr(rows, "insert_articles", recording)
    return sizes


def _write_jsonl(path, texts):
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")


def test_a_batch_closes_at_its_article_count(service, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_mod, "BATCH", 4)
    sizes = _batch_sizes(monkeypatch)
    _write_jsonl(tmp_path / "in.jsonl", [f"Article {i} sur Bagdad." for i in range(10)])
    service.data.ingest([tmp_path / "in.jsonl"])
    assert sizes == [4, 4, 2]


def test_a_batch_closes_once_its_texts_reach_the_character_limit(service, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_mod, "BATCH", 1_000)
    monkeypatch.setattr(ingest_mod, "BATCH_CHARS", 250)
    sizes = _batch_sizes(monkeypatch)
    texts = [f"{i} " + "x" * 98 for i in range(7)]  # 100 characters each (i < 10)
    _write_jsonl(tmp_path / "in.jsonl", texts)
    report = service.data.ingest([tmp_path / "in.jsonl"])
    assert sizes == [3, 3, 1]  # 300 ≥ 250 closes a batch; 200 does not
    assert report.added_count == 7


def test_one_article_longer_than_the_limit_is_a_batch_of_its_own(service, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_mod, "BATCH_CHARS", 250)
    sizes = _batch_sizes(monkeypatch)
    _write_jsonl(tmp_path / "in.jsonl", ["court", "y" * 1_000, "bref"])
    service.data.ingest([tmp_path / "in.jsonl"])
    assert sizes == [2, 1]


TEXTS = [
    "Titre\r\n\r\nBagdad\u00a0et Washington.\r\nMenu\r\n",  # CRLF, a no-break space
    "Titre\rBagdad\u2028Washington\u0085fin\n",  # old Mac CR, U+2028 and NEL kept raw in JSON strings
    "Titre\n\n\u202fBagdad  et\tWashington \n",
]


@pytest.mark.parametrize("workers", [0, 1])
def test_texts_are_stored_exactly_through_jsonl_with_or_without_workers(tmp_path, workers):
    from annotate.service import Service

    path = tmp_path / "in.jsonl"
    # ensure_ascii=False: the characters themselves on the line, not \u escapes.
    path.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in TEXTS), encoding="utf-8")
    svc = Service.open(tmp_path / "c.db", annotator="alice")
    try:
        ingest_mod.ingest(svc.store, [path], workers=workers)
        stored = {a.id: a for a in svc.store.iter_articles()}
    finally:
        svc.close()
    assert sorted(a.text for a in stored.values()) == sorted(TEXTS)
    for text in TEXTS:
        assert stored[ingest_mod.article_id(text)].title == "Titre"


def test_crlf_lines_give_the_regions_of_lf_lines_at_the_crlf_offsets():
    lf = "Menu\nTitre de l'article\n\nAFP\n724\nUn paragraphe de texte.\n"
    crlf = lf.replace("\n", "\r\n")
    assert [(crlf[r.start:r.end], r.kind) for r in clean(crlf).regions] == \
        [(lf[r.start:r.end], r.kind) for r in clean(lf).regions] == \
        [("Menu", "boilerplate"), ("AFP", "boilerplate"), ("724", "metadata")]
    assert clean(crlf).title == clean(lf).title == "Titre de l'article"


def test_the_near_duplicate_key_splits_words_inside_tokens_and_on_no_break_spaces():
    assert near_duplicate_key("L'État, c'est\u00a0MOI_toi 3,5 — «\u202fvoilà\u202f»") == "l état c est moi toi 3 5 voilà"

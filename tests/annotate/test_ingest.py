import json

import pytest

from annotate.corpus.ingest import article_id
from tests.paths import SEEDS

# Read off the seed files by hand.
EXPECTED = {
    "000_e36bfcae08118a28.txt": ("Irak : L’ambassadrice américaine rencontre l’ex-Premier ministre Al Maliki", "2024-01-22"),
    "001_beffc34b020fb400.txt": ("Les États-Unis et l'Irak entament des discussions sur la fin de la coalition militaire", None),
    "002_be29dc15a2bbb046.txt": ("Le Premier ministre irakien Mustafa al Kazimi rencontrera le président Donald Trump", "2020-08"),
    "003_c3459c0c9245c19c.txt": ("Retrait des forces de la coalition d’Irak : une demande renouvelée pilotée par l’Iran", None),
    "004_fa3e20b08c8e1653.txt": ("Washington compte environ 2500 soldats en Irak", "2023-12"),
}
FURNITURE = {
    "000_e36bfcae08118a28.txt": ["22/01/2024 mis à jour: 20:18", "AFP", "724", "Copyright 2024 . All Rights Reserved."],
    "001_beffc34b020fb400.txt": ["Rechercher", "Rechercher", "Dernières Infos - Sécurité"],
    "002_be29dc15a2bbb046.txt": [" date 2020-08 "],
    "003_c3459c0c9245c19c.txt": ["Moyen-Orient", "Afficher plus", "Articles similaires\n\nBouton retour en haut de la page"],
    "004_fa3e20b08c8e1653.txt": [" date 2023-12 ", "Agence France-Presse"],
}


def by_source(service):
    return {a.source: a for a in service.store.iter_articles()}


def test_every_seed_is_stored_verbatim_with_title_date_and_furniture(seeded):
    articles = by_source(seeded)
    assert set(articles) == set(EXPECTED)
    for name, (title, date) in EXPECTED.items():
        article = articles[name]
        raw = (SEEDS / name).read_bytes().decode("utf-8")
        assert article.text == raw, name
        assert article.id == article_id(raw)
        assert article.title.startswith(title), (name, article.title)
        assert article.date == date, name
        found = [article.text[r.start:r.end] for r in article.regions]
        assert found == FURNITURE[name], name


def test_prose_is_never_inside_a_region(seeded):
    article = by_source(seeded)["003_c3459c0c9245c19c.txt"]
    body = article.text.index("Les factions irakiennes loyalistes")
    assert not any(r.start <= body < r.end for r in article.regions)
    title = article.text.index("Retrait des forces")
    assert not any(r.start <= title < r.end for r in article.regions)


def test_repeated_leads_are_flagged(seeded):
    articles = by_source(seeded)
    flagged = {name for name, a in articles.items() if "repeated_lead" in a.flags}
    assert flagged == {"001_beffc34b020fb400.txt", "004_fa3e20b08c8e1653.txt"}


def test_ingest_is_idempotent(seeded):
    report = seeded.data.ingest([SEEDS])
    assert report.added == [] and len(report.duplicates) == 5
    assert sum(seeded.data.counts().values()) == 5


def test_near_duplicate_is_flagged_not_dropped(service, tmp_path):
    (tmp_path / "a.txt").write_text("Bagdad a reçu la visite de M. Blinken.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("BAGDAD a reçu la visite de M. Blinken !\n", encoding="utf-8")
    report = service.data.ingest([tmp_path / "a.txt", tmp_path / "b.txt"])
    assert len(report.added) == 2
    flags = [a.flags for a in service.store.iter_articles()]
    assert flags[0] == () and flags[1][0].startswith("duplicate_of:")


def test_bom_is_dropped_and_crlf_kept(service, tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffTitre\r\n\r\nBagdad\u00a0et Washington.\r\n".encode("utf-8"))
    service.data.ingest([path])
    article = next(service.store.iter_articles())
    assert article.text == "Titre\r\n\r\nBagdad\u00a0et Washington.\r\n"
    assert article.title == "Titre"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty file"),
        (b"  \n\n ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        (b"ligne une\nligne deux \xe9t\xe9\n", "line 2: not valid UTF-8"),
    ],
)
def test_bad_files_are_reported_by_name_and_others_ingested(service, tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("Un article correct sur Bagdad.\n", encoding="utf-8")
    report = service.data.ingest([bad, good])
    assert len(report.added) == 1
    assert len(report.failures) == 1 and str(bad) in report.failures[0] and message in report.failures[0]


def test_jsonl_with_a_malformed_line_ingests_nothing_from_that_file(service, tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [json.dumps({"text": "Premier article.", "meta": {"title": "Un"}}), "{not json", json.dumps({"txt": "x"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = service.data.ingest([path])
    assert report.added == []
    assert f"{path}, line 2: invalid JSON" in report.failures[0]
    assert "line 3" in report.failures[0]
    assert sum(service.data.counts().values()) == 0


def test_jsonl_meta_is_kept(service, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": "Texte.", "meta": {"title": "T", "date": "2024-02-01", "source": "s1"}}) + "\n",
                    encoding="utf-8")
    service.data.ingest([path])
    article = next(service.store.iter_articles())
    assert (article.title, article.date, article.source, article.meta["title"]) == ("T", "2024-02-01", "s1", "T")


def test_missing_path_and_empty_folder_are_reported(service, tmp_path):
    (tmp_path / "empty").mkdir()
    report = service.data.ingest([tmp_path / "nope.txt", tmp_path / "empty"])
    assert any("no such file" in f for f in report.failures)
    assert any("no .txt or .jsonl" in f for f in report.failures)


def test_jsonl_is_written_in_batches_and_a_rerun_after_an_interrupt_adds_the_rest(service, tmp_path, monkeypatch):
    from annotate.corpus import ingest as ingest_mod

    monkeypatch.setattr(ingest_mod, "BATCH", 2)
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"text": f"Article numéro {i} sur Bagdad."}) + "\n" for i in range(7)),
                    encoding="utf-8")
    real, built = ingest_mod.build_article, []

    def interrupted(text, meta, source):
        if len(built) == 5:
            raise KeyboardInterrupt
        built.append(text)
        return real(text, meta, source)

    monkeypatch.setattr(ingest_mod, "build_article", interrupted)
    with pytest.raises(KeyboardInterrupt):
        service.data.ingest([path])
    assert sum(service.data.counts().values()) == 4  # two whole batches committed, nothing of the third
    monkeypatch.setattr(ingest_mod, "build_article", real)
    seen = []
    report = service.data.ingest([path], progress=lambda done, total: seen.append((done, total)))
    assert (report.added_count, report.duplicate_count) == (3, 4)
    assert sum(service.data.counts().values()) == 7
    # The bar ends full; past the input's bytes when the index's put-off merges ran (store/fts_merge.py).
    assert seen[-1][0] == seen[-1][1] >= path.stat().st_size
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and len(seen) > 1


def test_a_bad_line_at_the_end_of_a_long_jsonl_writes_nothing(service, tmp_path, monkeypatch):
    from annotate.corpus import ingest as ingest_mod

    monkeypatch.setattr(ingest_mod, "BATCH", 2)
    path = tmp_path / "in.jsonl"
    lines = [json.dumps({"text": f"Texte {i}."}) for i in range(9)] + ['{"text": 3}']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = service.data.ingest([path])
    assert report.failures == [f'{path}, line 10: expected an object with a "text" string; nothing ingested from this file']
    assert sum(service.data.counts().values()) == 0


def test_near_duplicates_are_found_across_batches_and_in_articles_without_a_key(service, tmp_path, monkeypatch):
    from annotate.corpus import ingest as ingest_mod

    monkeypatch.setattr(ingest_mod, "BATCH", 1)
    (tmp_path / "a.txt").write_text("Bagdad a reçu la visite de M. Blinken.\n", encoding="utf-8")
    service.data.ingest([tmp_path / "a.txt"])
    first = next(service.store.iter_articles()).id
    service.store.db.execute("UPDATE articles SET near_key = NULL")  # as an import or an old database leaves it
    (tmp_path / "b.txt").write_text("BAGDAD a reçu la visite de M. Blinken !\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Bagdad, a reçu la visite de M. Blinken...\n", encoding="utf-8")
    report = service.data.ingest([tmp_path / "b.txt", tmp_path / "c.txt"])
    assert report.added_count == 2
    flags = [a.flags for a in service.store.iter_articles()]
    assert flags[1:] == [(f"duplicate_of:{first}",), (f"duplicate_of:{first}",)]


def test_reports_keep_counts_beyond_their_lists(service, tmp_path, monkeypatch):
    from annotate.corpus import ingest as ingest_mod

    monkeypatch.setattr(ingest_mod, "KEEP", 2)
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"text": f"Texte {i}."}) + "\n" for i in range(5)), encoding="utf-8")
    report = service.data.ingest([path])
    assert report.added_count == 5 and len(report.added) == 2
    assert report.summary().startswith("5 added")


def test_cleaning_in_worker_processes_gives_the_same_corpus(tmp_path, monkeypatch):
    from annotate.corpus import ingest as ingest_mod
    from annotate.service import Service

    monkeypatch.setattr(ingest_mod, "BATCH", 3)
    path = tmp_path / "in.jsonl"
    texts = [(SEEDS / name).read_text(encoding="utf-8") for name in sorted(EXPECTED)]
    texts += [texts[0].upper(), texts[1], "Un autre article.\n"]  # a near duplicate, an exact one
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    results = []
    for workers in (0, 2):
        svc = Service.open(tmp_path / f"w{workers}.db", annotator="alice")
        report = ingest_mod.ingest(svc.store, [path], workers=workers)
        results.append(([(a.id, a.title, a.regions, a.flags) for a in svc.store.iter_articles()],
                        report.summary()))
        svc.close()
    assert results[0] == results[1]
    assert results[0][1].startswith("7 added, 1 skipped as duplicate")

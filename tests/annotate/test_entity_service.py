import json

import pytest

from annotate.errors import InputError, ReviewError
from tests.paths import GOLD


@pytest.fixture
def kb(service):
    service.data.import_jsonl(GOLD)
    return service.entities


def test_imported_entities_take_their_fullest_name(kb):
    assert kb.get("nouri_al_maliki").name == "Nouri Al Maliki"
    assert kb.get("mohammed_shia_al_sudani").type == "PER"


def test_match_finds_a_surname_a_transliteration_and_an_acronym(kb):
    assert kb.match("Soudani", "PER")[0].id == "mohammed_shia_al_sudani"
    assert "mustafa_al_kadhimi" in [c.id for c in kb.match("Kadhimi", "PER")]
    top = kb.match("PMF", "ORG")[0]
    assert top.id == "pmf" and top.evidence


def test_index_follows_entity_changes(kb, service):
    assert all("zebari" not in c.id for c in kb.match("Zebari", "PER"))
    new = kb.create("Hoshyar Zebari", "PER")
    assert kb.match("Zebari", "PER")[0].id == new
    kb.rename(new, "Hoshyar Mahmoud Zebari")
    assert kb.match("Zebari", "PER")[0].name == "Hoshyar Mahmoud Zebari"


def test_merge_moves_mentions_and_undo_restores_them(kb, service):
    counts = kb.mention_counts()
    before = counts["baghdad"], counts["iraq"]
    moved = kb.merge("iraq", ["baghdad"])
    assert moved == before[0]
    after = kb.mention_counts()
    assert after["iraq"] == sum(before) and "baghdad" not in after
    assert kb.get("baghdad").merged_into == "iraq"
    assert "baghdad" not in [e.id for e in kb.list()]
    service.review.undo(None)
    assert (kb.mention_counts()["baghdad"], kb.mention_counts()["iraq"]) == before


def test_merge_refuses_unknown_or_merged_entities(kb):
    with pytest.raises(ReviewError, match="no entity 'nobody'"):
        kb.merge("iraq", ["nobody"])
    kb.merge("iraq", ["baghdad"])
    with pytest.raises(ReviewError, match="merged into 'iraq'"):
        kb.merge("baghdad", ["usa"])


def test_gazetteer_csv_creates_or_extends(kb, tmp_path):
    path = tmp_path / "kb.csv"
    path.write_text("name,type,aliases,external_id\n"
                    "Fuad Hussein,PER,Fouad Hussein|Fuad Hussain,Q1340286\n"
                    "Hoshyar Zebari,PER,,\n", encoding="utf-8")
    existing = {e.id for e in kb.list()}
    created, updated = kb.import_gazetteer(path)
    # "Fuad Hussein" is already an alias of fuad_hussein: it gains aliases instead of a twin
    assert (created, updated) == (1, 1)
    assert {e.id for e in kb.list()} - existing == {"hoshyar_zebari"}
    fuad = kb.get("fuad_hussein")
    assert {"Fuad Hussain"} <= {a.text for a in fuad.aliases} and fuad.external_id == "Q1340286"


def test_gazetteer_tsv_and_jsonl(service, tmp_path):
    tsv = tmp_path / "kb.tsv"
    tsv.write_text("name\ttype\taliases\nKataeb Hezbollah\tORG\tBrigades du Hezbollah|Kataib Hezbollah\n", encoding="utf-8")
    jsonl = tmp_path / "kb.jsonl"
    jsonl.write_text(json.dumps({"name": "Kataeb Hezbollah", "type": "ORG", "aliases": ["KH"]}) + "\n", encoding="utf-8")
    assert service.entities.import_gazetteer(tsv) == (1, 0)
    assert service.entities.import_gazetteer(jsonl) == (0, 1)
    entity = service.entities.get("kataeb_hezbollah")
    assert {a.text for a in entity.aliases} == {"Kataeb Hezbollah", "Brigades du Hezbollah", "Kataib Hezbollah", "KH"}


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("kb.csv", "nom,type\nX,PER\n", "line 1: the header needs the columns name and type"),
        ("kb.csv", "name,type\nX,PERSON\n", "line 2: type 'PERSON' is not one of"),
        ("kb.csv", "name,type\nX,PER\n,ORG\n", "line 3: name is missing"),
        ("kb.jsonl", '{"name": "X", "type": "PER", "aliases": 3}\n', "line 1: aliases must be"),
        ("kb.jsonl", '{"name": "X", "type": "PER"}\n{oops\n', "line 2: invalid JSON"),
    ],
)
def test_bad_gazetteers_name_the_line_and_import_nothing(service, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        service.entities.import_gazetteer(path)
    assert str(path) in str(err.value) and message in str(err.value)
    assert service.entities.list() == []


def test_export_lists_live_entities_with_mentions(kb, tmp_path):
    kb.merge("iraq", ["baghdad"])
    out = tmp_path / "entities.jsonl"
    n = kb.export_gazetteer(out)
    rows = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert n == len(rows) == len(kb.list())
    iraq = next(r for r in rows if r["id"] == "iraq")
    assert "Baghdad" in iraq["aliases"] and iraq["mentions"] == kb.mention_counts()["iraq"]
    assert "baghdad" not in {r["id"] for r in rows}


def test_the_index_can_be_built_in_another_thread_and_adopted(kb):
    import threading

    result = {}
    job = kb.index_job()
    worker = threading.Thread(target=lambda: result.setdefault("built", job()))
    worker.start()
    worker.join(timeout=60)
    index, signature = result["built"]
    kb.adopt_index(index, signature)
    assert kb.index() is index  # nothing changed since: no rebuild
    assert kb.match("Soudani", "PER")[0].id == "mohammed_shia_al_sudani"
    kb.create("Hoshyar Zebari", "PER")
    assert kb.index() is not index  # a change since the build: rebuilt on use
    assert kb.entity_count() == len(kb.list())


def test_the_index_sees_entities_created_by_another_process(kb, service):
    from annotate.service import Service

    assert all("zebari" not in c.id for c in kb.match("Zebari", "PER"))
    other = Service.open(service.store.path, annotator="bob")  # another connection, as another process has
    other.entities.create("Hoshyar Zebari", "PER")
    other.close()
    assert kb.match("Zebari", "PER")[0].id == "hoshyar_zebari"

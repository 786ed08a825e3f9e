"""benchmarks/keys_to_gold.py on one small article: the oracle reaches the gold exactly, by keys only,
and reports the keys it pressed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.pilot import Pilot

from annotate.formats.jsonl import export_jsonl
from annotate.service import Service
from benchmarks import keys_to_gold as bench
from store.models import ENTITY, EVENT, DocSuggestions, SpanSuggestion

TEXT = "Le président Macron a rencontré Biden à Paris hier.\nMacron a salué la France."


def at(surface: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(surface, start + 1)
    return start, start + len(surface)


def span(surface: str, label: str, kb_id: str | None = None, occurrence: int = 0) -> dict:
    start, end = at(surface, occurrence)
    out = {"start": start, "end": end, "label": label, "text": surface}
    if kb_id:
        out["kb_id"] = kb_id
    return out


SMALL_GOLD = {
    "text": TEXT,
    "meta": {"source": "small.txt"},
    "spans": [span("Macron", "PER", "emmanuel_macron"), span("Biden", "PER"), span("Paris", "LOC"),
              span("Macron", "PER", "emmanuel_macron", 1), span("France", "LOC")],
    "events": [{**span("rencontré", "MEETING"), "args": [{"role": "participants", "span": 1}]}],
}


def suggest(svc: Service) -> None:
    """The suggester's view: Macron right, Biden mislabelled, "à Paris" too long, "Le" wrong, the trigger right."""
    aid = svc.data.articles()[0]["id"]
    spans = [SpanSuggestion(*at("Le"), "MISC", ENTITY), SpanSuggestion(*at("Macron"), "PER", ENTITY),
             SpanSuggestion(*at("rencontré"), "MEETING", EVENT), SpanSuggestion(*at("Biden"), "ORG", ENTITY),
             SpanSuggestion(*at("à Paris"), "LOC", ENTITY)]
    svc.store.replace_suggestions([(aid, DocSuggestions(spans=tuple(spans)))], "fp-test", "test")


def gold_sets(record: dict) -> tuple[set, set, set]:
    spans = [(s["start"], s["end"], s["label"], s.get("kb_id")) for s in record["spans"]]
    events = {(e["start"], e["end"], e["label"]) for e in record["events"]}
    args = {((e["start"], e["end"]), a["role"], spans[a["span"]][:2]) for e in record["events"] for a in e["args"]}
    return set(spans), events, args


@pytest.mark.parametrize("baseline", [False, True])
def test_the_oracle_reaches_the_gold_by_keys_and_counts_them(tmp_path: Path, monkeypatch, baseline: bool) -> None:
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text(json.dumps(SMALL_GOLD, ensure_ascii=False) + "\n", encoding="utf-8")
    pressed: list[str] = []
    press = Pilot.press

    async def counting(self, *keys: str) -> None:
        pressed.extend(keys)
        await press(self, *keys)

    monkeypatch.setattr(Pilot, "press", counting)
    db = tmp_path / "out" / "oracle.db"
    result = bench.run(gold_path, db, baseline=baseline, suggest=suggest)

    assert result["reached"], result
    assert result["gold_items"] == 5 + 1 + 1
    assert result["keys"] == len(pressed) == sum(result["by_action"].values())
    assert result["articles"][0]["keys"] == result["keys"] - result["by_action"]["open"]
    if not baseline:  # the oracle before `f`, accept-all and cheapest routes pressed 44
        assert result["keys"] < 44 and "find" in result["by_action"]
    assert "new_entity" in result["by_action"]  # emmanuel_macron did not exist: made from the app with that id
    svc = Service.open(db, annotator="checker")
    try:
        export_jsonl(svc.store, tmp_path / "back.jsonl", annotator=bench.ANNOTATOR)
        entity = svc.entities.get("emmanuel_macron")
    finally:
        svc.close()
    back = json.loads((tmp_path / "back.jsonl").read_text(encoding="utf-8"))
    assert gold_sets(back) == gold_sets(SMALL_GOLD)
    assert entity is not None and entity.type == "PER"


def test_main_exits_non_zero_when_the_gold_cannot_be_reached(tmp_path: Path, monkeypatch, capsys) -> None:
    record = {**SMALL_GOLD, "spans": [{"start": 14, "end": 17, "label": "PER", "text": "ré"}], "events": []}  # cuts a token
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    monkeypatch.setattr(bench, "suggest_with_model", suggest)
    assert bench.main(["--gold", str(gold_path), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["reached"] is False


def suggest_mostly_right(svc: Service) -> None:
    """Every gold span suggested right but one wrong "Le": after the fixes, accept-all takes the rest."""
    aid = svc.data.articles()[0]["id"]
    spans = [SpanSuggestion(*at("Le"), "MISC", ENTITY), SpanSuggestion(*at("Macron"), "PER", ENTITY),
             SpanSuggestion(*at("rencontré"), "MEETING", EVENT), SpanSuggestion(*at("Biden"), "PER", ENTITY),
             SpanSuggestion(*at("Paris"), "LOC", ENTITY), SpanSuggestion(*at("Macron", 1), "PER", ENTITY),
             SpanSuggestion(*at("France"), "LOC", ENTITY)]
    svc.store.replace_suggestions([(aid, DocSuggestions(spans=tuple(spans)))], "fp-test", "test")


def test_accept_all_makes_the_oracle_press_fewer_keys(tmp_path: Path) -> None:
    """The expert oracle fixes what is wrong (x on "Le", / on Macron and its twin), then one `A`
    takes the rest (no confirmation by default): fewer keys than one `a` per suggestion."""
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text(json.dumps(SMALL_GOLD, ensure_ascii=False) + "\n", encoding="utf-8")
    ours = bench.run(gold_path, suggest=suggest_mostly_right)
    one_by_one = bench.run(gold_path, suggest=suggest_mostly_right, accept_all=False)
    assert ours["reached"] and one_by_one["reached"]
    assert ours["by_action"].get("accept_all") == 1 and "accept" not in ours["by_action"]
    assert one_by_one["by_action"].get("accept", 0) >= 3 and "accept_all" not in one_by_one["by_action"]
    assert ours["keys"] < one_by_one["keys"]


def test_edits_reuse_a_common_prefix_or_type_over_the_selected_value() -> None:
    from benchmarks.keys_plan import edit_keys

    assert edit_keys("irak", "iraq") == ["end", "backspace", "q"]  # cheaper than typing "iraq" over it
    assert edit_keys("washington", "usa") == ["u", "s", "a"]  # typing replaces the selected value
    assert edit_keys("usa", "usa") == []
    # one letter inside a long id: Home and → over the short prefix, not ← over the long suffix
    assert edit_keys("kataeb_hezbollah", "kataib_hezbollah") == ["home", *["right"] * 4, "delete", "i"]
    assert edit_keys("nujaba", "al_nujaba") == ["home", "a", "l", "_"]  # a prefix added at Home


def test_routes_take_m_to_an_unlinked_mention_when_it_costs_fewer_keys_and_plan_only_typeable_finds() -> None:
    from annotate.config import DEFAULT_KEYS
    from annotate.review.session import ReviewSession
    from annotate.review.state import GOLD, PENDING, Item, ReviewState
    from annotate.review.unlinked import unlinked
    from benchmarks.keys_plan import route_to_item, typeable
    from store.models import Article

    text = " ".join(f"Ville{n}" for n in range(8)) + " «Ghaza»"
    words = text.split(" ")
    items, at = [], 0
    for n, word in enumerate(words):
        state = PENDING if n in (0, 7) else GOLD  # six linked gold mentions between two pending ones
        items.append(Item(at, at + len(word), "LOC", ENTITY, state, word, span_id=None if state == PENDING else n,
                          suggestion_id=n if state == PENDING else None, kb_id=None if state == PENDING else f"v{n}"))
        at += len(word) + 1
    state = ReviewState(Article(id="a", source="a.txt", title="", date=None, text=text), "alice", tuple(items))
    session = ReviewSession(state, start=items[0])
    keys = {name: value.split(",")[0] for name, value in DEFAULT_KEYS.items()}
    stops = unlinked(state.items, {})
    assert [i.text for i in stops] == ["Ville0", "Ville7"]
    assert route_to_item(session, items[7], keys, stops) == [("unlinked", "m")]
    without = route_to_item(session, items[7], keys)  # the j presses or a find, as before
    assert without is not None and len(without) > 1 and ("unlinked", "m") not in without
    assert route_to_item(session, items[8], keys, stops) == [("unlinked", "m"), ("navigate", "j")]
    assert typeable("é") and typeable("-") and not typeable("»") and not typeable("’")

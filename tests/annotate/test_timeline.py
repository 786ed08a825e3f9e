"""The events timeline: gold events of reviewed articles, by date, with canonical names."""

from tests.paths import GOLD


def attack_frame(service):
    """In seed 004 (dated 2023-12), give the first ATTACK an agent linked to an entity, and a target."""
    article = next(a for a in service.store.iter_articles() if a.source.startswith("004"))
    text = article.text
    spans = service.store.spans(article.id, "alice")
    attack = next(s for s in spans if s.label == "ATTACK")
    agent = next(s for s in spans if s.kind == "entity" and s.kb_id)
    start = text.index("2500 soldats")
    target = service.review.add_span(article.id, start, start + len("2500 soldats"), "QUANTITY")
    service.events.add_arg(attack.id, "target", target)
    service.events.add_arg(attack.id, "agent", agent.id)
    return article, attack, agent


def test_events_are_ordered_by_article_date_with_undated_last(service, gold_records):
    service.data.import_jsonl(GOLD)
    timeline = service.data.events_timeline()
    assert len(timeline) == sum(len(r["events"]) for r in gold_records)
    # seed dates: 002 2020-08, 004 2023-12, 000 2024-01-22, 001 and 003 undated (then by source)
    order = list(dict.fromkeys((e.date, e.source[:3]) for e in timeline))
    assert order == [("2020-08", "002"), ("2023-12", "004"), ("2024-01-22", "000"), (None, "001"), (None, "003")]
    first = [e for e in timeline if e.source.startswith("002")]
    assert [e.start for e in first] == sorted(e.start for e in first)
    record = next(r for r in gold_records if r["meta"]["source"].startswith("002"))
    assert [(e.label, e.trigger) for e in first] == [(e["label"], e["text"]) for e in record["events"]]


def test_arguments_come_with_text_and_canonical_name_in_role_order(service):
    service.data.import_jsonl(GOLD)
    article, attack, agent = attack_frame(service)
    event = next(e for e in service.data.events_timeline() if (e.article_id, e.start) == (article.id, attack.start))
    name = service.entities.get(agent.kb_id).name
    assert [(a.role, a.text, a.kb_id, a.name) for a in event.args] == [
        ("agent", article.text[agent.start:agent.end], agent.kb_id, name),  # agent before target, whatever order added
        ("target", "2500 soldats", None, None),
    ]
    rendered = service.data.render_timeline(service.data.events_timeline())
    assert f"agent: {article.text[agent.start:agent.end]}" in rendered and "target: 2500 soldats" in rendered
    assert rendered.splitlines()[0].startswith("2020-08     002_")


def test_merged_entities_show_the_entity_they_were_merged_into(service):
    service.data.import_jsonl(GOLD)
    article, attack, agent = attack_frame(service)
    keep = service.entities.create("Le référent gardé", agent.label)
    service.entities.merge(keep, [agent.kb_id])
    event = next(e for e in service.data.events_timeline() if (e.article_id, e.start) == (article.id, attack.start))
    assert (event.args[0].kb_id, event.args[0].name) == (keep, "Le référent gardé")


def test_only_reviewed_gold_is_listed(service):
    service.data.import_jsonl(GOLD)
    article, _, _ = attack_frame(service)
    service.review.set_status(article.id, "in_progress")
    assert all(e.article_id != article.id for e in service.data.events_timeline())
    assert service.data.events_timeline() and service.data.render_timeline([]).startswith("no gold events")


def test_json_form_is_plain_data(service):
    import json

    service.data.import_jsonl(GOLD)
    attack_frame(service)
    data = json.loads(json.dumps([e.as_dict() for e in service.data.events_timeline()], ensure_ascii=False))
    framed = next(d for d in data if d["args"])
    assert set(framed) >= {"date", "source", "title", "label", "trigger", "annotator", "args"}
    assert set(framed["args"][0]) == {"role", "text", "label", "start", "end", "kb_id", "name"}

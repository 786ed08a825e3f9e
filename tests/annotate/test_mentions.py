"""An entity's mentions in context, unlinked, relinked and split off (issue 14.4), through the service."""

import pytest

from annotate.service import ReviewError, Service
from annotate.service.mentions import in_sentence

TEXTS = ["Le Premier ministre irakien a parlé hier. Nouri Al Maliki a reçu Mme Romanowski à Bagdad. Puis il est parti.",
         "Maliki répond\nà ses critiques : « Maliki ne cédera pas », dit-il."]


@pytest.fixture
def linked(service: Service, tmp_path):
    for i, text in enumerate(TEXTS):
        (tmp_path / f"m{i}.txt").write_text(text, encoding="utf-8")
    service.data.ingest(sorted(tmp_path.glob("m*.txt")))
    ids = {service.data.article(a["id"]).text: a["id"] for a in service.data.articles()}
    spans = []
    for text in TEXTS:
        at = -1
        while (at := text.find("Maliki", at + 1)) != -1:
            start = text.rfind("Nouri Al ", 0, at + 1) if text[max(at - 9, 0):at] == "Nouri Al " else at
            spans.append(service.review.add_span(ids[text], start, at + 6, "PER"))
    entity = service.entities.create("Nouri al-Maliki", "PER")
    for span in spans:
        service.entities.link(span, entity)
    return entity, spans


def test_in_sentence_cuts_at_sentence_ends_and_at_a_limit():
    text = TEXTS[0]
    at = text.index("Nouri")
    assert in_sentence(text, 0, at, at + 15) == ("", " a reçu Mme Romanowski à Bagdad.", False, False)
    at = text.index("Bagdad")
    before, after, cut_before, cut_after = in_sentence(text, 0, at, at + 6, limit=10)
    assert (before, after, cut_before, cut_after) == ("anowski à ", ".", True, False)
    assert in_sentence("xx Maliki yy", 2, 5, 11) == ("xx ", " yy", True, True)  # the window started inside


def test_mentions_come_in_context_in_ingest_order(service, linked):
    entity, spans = linked
    found = service.mentions.in_context(entity)
    assert [m.span_id for m in found] == spans
    assert [m.text for m in found] == ["Nouri Al Maliki", "Maliki", "Maliki"]
    first = found[0]
    assert (first.before, first.after) == ("", " a reçu Mme Romanowski à Bagdad.")
    assert found[1].after == " répond"  # the line break ends it
    assert found[2].before == "à ses critiques : « " and found[2].after.startswith(" ne cédera pas »")
    assert service.mentions.count(entity) == 3


def test_unlink_relink_and_split_are_one_undoable_action_each(service, linked):
    entity, spans = linked
    other = service.entities.create("Maliki (ville)", "LOC")
    assert service.mentions.unlink([spans[1]], entity) == 1
    assert service.store.span(spans[1]).kb_id is None
    assert service.review.undo(None) == "mention_unlink"
    assert service.store.span(spans[1]).kb_id == entity
    assert service.mentions.relink([spans[1], spans[2]], other, entity) == 2
    assert [service.store.span(s).kb_id for s in spans] == [entity, other, other]
    assert service.review.undo(None) == "mention_relink"
    assert [service.store.span(s).kb_id for s in spans] == [entity] * 3
    new = service.mentions.split_off([spans[2]], "Maliki (citation)", entity)
    assert service.store.entity(new).type == "PER" and service.store.span(spans[2]).kb_id == new
    assert service.review.undo(None) == "mention_split"
    assert service.store.entity(new) is None and service.store.span(spans[2]).kb_id == entity
    assert service.review.redo(None) == "mention_split"
    assert service.store.span(spans[2]).kb_id == new


def test_a_mention_linked_elsewhere_since_is_refused(service, linked):
    entity, spans = linked
    other = service.entities.create("Autre", "PER")
    service.entities.link(spans[0], other)  # another screen moved it
    with pytest.raises(ReviewError):
        service.mentions.unlink([spans[0]], entity)
    assert service.store.span(spans[0]).kb_id == other
    with pytest.raises(ReviewError):
        service.mentions.split_off([spans[1]], "  ", entity)

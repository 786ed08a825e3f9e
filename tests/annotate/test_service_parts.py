"""The service is made of parts sharing one context: no flat API, no ``Any`` returns, one annotator."""

from __future__ import annotations

import inspect

from annotate.service import Service

PARTS = ("review", "events", "entities", "team", "data", "learn", "flags", "mentions", "corpuswide")


def test_the_service_is_its_parts_and_nothing_flat(service: Service):
    public = {name for name in dir(service) if not name.startswith("_")}
    assert public == {"open", "close", "store", "config", "annotator", "ctx", *PARTS}
    assert all(getattr(service, part).ctx is service.ctx for part in PARTS)


def test_no_part_method_returns_any(service: Service):
    for part in PARTS:
        for name, method in inspect.getmembers(type(getattr(service, part)), inspect.isfunction):
            returns = method.__annotations__.get("return")
            assert returns is not None, f"{part}.{name} has no return annotation"
            assert "Any" != returns and not str(returns).startswith("Any"), f"{part}.{name} returns Any"


def test_switching_the_annotator_switches_every_part(seeded: Service):
    service = seeded
    article_id = service.data.articles()[0]["id"]
    service.annotator = "bob"
    span_id = service.review.add_span(article_id, 0, 4, "LOC")
    entity_id = service.entities.create("Quelque part", "LOC")
    service.entities.link(span_id, entity_id)
    assert service.store.span(span_id).annotator == "bob"
    assert {a.annotator for a in service.store.history(None)} == {"bob"}
    assert service.review.status(article_id) == "in_progress" and service.review.undo(None) == "entity_create"


def test_parts_are_plain_classes_over_the_context(service: Service):
    for part in PARTS:
        cls = type(getattr(service, part))
        assert cls.__mro__ == (cls, object), f"{part} is built from mixins"

"""Link once, not per mention (issue 14 item 1): propagation to identical mentions, links on accept,
and the ``[review]`` switches, at the service."""

from __future__ import annotations

from dataclasses import replace

from annotate.service import Service
from tests.annotate.linking_support import first, links, places, suggest


def test_linking_a_mention_links_its_identical_mentions_gold_and_pending_in_one_undo(seeded: Service) -> None:
    svc, aid = seeded, first(seeded)
    text = svc.data.article(aid).text
    irak = places(text, "Irak")
    assert len(irak) >= 3
    one, two = (svc.review.add_span(aid, *irak[n], "LOC") for n in (0, 1))
    suggest(svc, aid, [(*irak[2], "LOC")])
    entity = svc.entities.link_new(one, "Irak", entity_id="iraq")
    assert entity == "iraq"
    got = links(svc, aid)
    assert got[irak[0]] == got[irak[1]] == got[irak[2]] == "iraq"  # the pending one accepted and linked
    assert svc.review.undo(aid) == "link_new"  # one action
    assert links(svc, aid) == {irak[0]: None, irak[1]: None}
    svc.review.redo(aid)
    other = svc.entities.create("Irak (pays)", "LOC")
    svc.entities.link(two, other)  # a relink of one mention leaves the others, already linked
    assert links(svc, aid) == {irak[0]: "iraq", irak[1]: other, irak[2]: "iraq"}


def test_a_mention_linked_to_another_entity_is_left(seeded: Service) -> None:
    svc, aid = seeded, first(seeded)
    irak = places(svc.data.article(aid).text, "Irak")
    one, _two = (svc.review.add_span(aid, *irak[n], "LOC") for n in (0, 1))
    svc.entities.link_new(one, "Irak", entity_id="iraq")
    three = svc.review.add_span(aid, *irak[2], "ORG")
    elsewhere = svc.entities.create("Irak (gouvernement)", "ORG")
    svc.entities.link(three, elsewhere)  # a deliberate other link: the mentions linked to iraq stay
    assert links(svc, aid) == {irak[0]: "iraq", irak[1]: "iraq", irak[2]: elsewhere}


def test_accepting_a_surface_already_linked_here_links_it(seeded: Service) -> None:
    svc, aid = seeded, first(seeded)
    irak = places(svc.data.article(aid).text, "Irak")
    span = svc.review.add_span(aid, *irak[0], "LOC")
    svc.entities.link_new(span, "Irak", entity_id="iraq")
    suggest(svc, aid, [(*irak[1], "LOC")])
    sug = svc.store.suggestions(aid)[0]
    assert svc.review.link_on_accept(aid, sug.id) == "iraq"
    svc.review.accept(aid, sug.id)
    assert links(svc, aid)[irak[1]] == "iraq"
    assert svc.review.undo(aid) == "accept_link"
    assert irak[1] not in links(svc, aid)


def test_accepting_a_mention_with_a_confident_top_candidate_links_it(seeded: Service) -> None:
    svc, aid = seeded, first(seeded)
    text = svc.data.article(aid).text
    maliki = places(text, "Nouri Al Maliki")[0]
    entity = svc.entities.create("Nouri al-Maliki", "PER")
    top = svc.entities.match("Nouri Al Maliki", "PER", 1)
    assert top and top[0].id == entity and top[0].confident  # the picker would pre-select it
    suggest(svc, aid, [(*maliki, "PER")])
    sug = svc.store.suggestions(aid)[0]
    svc.review.accept(aid, sug.id)
    assert links(svc, aid)[maliki] == entity


def test_the_review_switches_turn_both_off(seeded: Service) -> None:
    svc, aid = seeded, first(seeded)
    svc.config = replace(svc.config, propagate_links=False, confident_links=False)
    text = svc.data.article(aid).text
    irak = places(text, "Irak")
    span = svc.review.add_span(aid, *irak[0], "LOC")
    other = svc.review.add_span(aid, *irak[1], "LOC")
    svc.entities.link_new(span, "Irak", entity_id="iraq")
    assert links(svc, aid)[irak[1]] is None and other
    svc.entities.create("Nouri al-Maliki", "PER")
    suggest(svc, aid, [(*irak[2], "LOC"), (*places(text, "Nouri Al Maliki")[0], "PER")])
    for sug in svc.store.suggestions(aid):
        assert svc.review.link_on_accept(aid, sug.id) is None
        svc.review.accept(aid, sug.id)
    assert links(svc, aid)[irak[2]] is None


def test_the_config_file_switches(tmp_path) -> None:
    from annotate.config import ConfigError, load_config

    path = tmp_path / "glossator.toml"
    path.write_text("[review]\npropagate_links = false\n", encoding="utf-8")
    config = load_config(path, annotator="a")
    assert (config.propagate_links, config.confident_links) == (False, True)
    path.write_text("[review]\nconfident_links = \"no\"\n", encoding="utf-8")
    try:
        load_config(path, annotator="a")
    except ConfigError as exc:
        assert "line 2" in str(exc) and "true or false" in str(exc)
    else:
        raise AssertionError("a string is not a switch")

"""Accept-all links as `a` does (issue 14): a surface linked in the article, a confident top
candidate; the article's unlinked gold mentions that read the same too; all in one undoable action."""

from __future__ import annotations

from dataclasses import replace

from annotate.service import Service
from tests.annotate.linking_support import first, links, places, suggest


def setup(svc: Service) -> tuple[str, dict[str, list[tuple[int, int]]], str]:
    aid = first(svc)
    text = svc.data.article(aid).text
    at = {s: places(text, s) for s in ("Irak", "Nouri Al Maliki", "Alina Romanowski")}
    svc.entities.link_new(svc.review.add_span(aid, *at["Irak"][0], "LOC"), "Irak", entity_id="iraq")
    # gold, not linked: added after the link it is linked like its surface, so it is unlinked again
    svc.entities.link(svc.review.add_span(aid, *at["Irak"][1], "LOC"), None)
    maliki = svc.entities.create("Nouri al-Maliki", "PER")
    assert svc.entities.match("Nouri Al Maliki", "PER", 1)[0].confident
    suggest(svc, aid, [(*at["Irak"][2], "LOC"), (*at["Irak"][3], "LOC"), (*at["Nouri Al Maliki"][0], "PER"),
                       (*at["Alina Romanowski"][0], "PER")])
    return aid, at, maliki


def test_accept_all_links_known_and_confident_names_in_one_undoable_action(seeded: Service) -> None:
    svc = seeded
    aid, at, maliki = setup(svc)
    predicted = svc.review.accept_all_links(aid)
    by_place = {(s.start, s.end): s.id for s in svc.store.suggestions(aid)}
    assert predicted == {by_place[at["Irak"][2]]: "iraq", by_place[at["Irak"][3]]: "iraq",
                         by_place[at["Nouri Al Maliki"][0]]: maliki}
    assert svc.review.accept_all(aid) == 4
    got = links(svc, aid)
    assert [got[p] for p in at["Irak"][:4]] == ["iraq"] * 4  # the unlinked gold mention too
    assert got[at["Nouri Al Maliki"][0]] == maliki
    assert got[at["Alina Romanowski"][0]] is None  # no entity: accepted, not linked
    assert svc.review.undo(aid) == "accept_all"  # one action
    assert links(svc, aid) == {at["Irak"][0]: "iraq", at["Irak"][1]: None}


def test_accept_all_links_nothing_with_the_review_switches_off(seeded: Service) -> None:
    svc = seeded
    svc.config = replace(svc.config, propagate_links=False, confident_links=False)
    aid, at, _ = setup(svc)
    assert svc.review.accept_all_links(aid) == {}
    assert svc.review.accept_all(aid) == 4
    assert {p: k for p, k in links(svc, aid).items() if k} == {at["Irak"][0]: "iraq"}

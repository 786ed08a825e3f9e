"""Resize propagation (issue 14): widening or trimming a mention does the same to its pending twins
(same text, same label, the same characters beside them), in one action, never to gold, never into
an overlap, never across a line break; ``[review] resize_propagates`` switches it off."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from annotate.service import Service
from tests.annotate.linking_support import links, places, suggest

TEXT = ("Nouri al-Maliki est arrivé. Nouri al-Maliki a parlé. Le chef Maliki a ri. Nouri al-Maliki part. "
        "Nouri al-Maliki reste. Nouri al-Maliki revient. Nouri al-Maliki dort. SuperNouri al-Maliki rit.\n"
        "Le Hezbollah libanais frappe. Le Hezbollah libanais recule. Le Hezbollah libanais répond.\n"
        "Ali Ali Ali Ali Ali\n"
        "Le Hachd\nal-Chaabi, le Hachd\nal-Chaabi.")


@pytest.fixture
def article(service: Service, tmp_path: Path) -> tuple[Service, str]:
    path = tmp_path / "maliki.txt"
    path.write_text(TEXT, encoding="utf-8")
    service.data.ingest([path])
    return service, next(r["id"] for r in service.data.articles())


def maliki(n: int) -> tuple[int, int]:
    """The n-th "Maliki" of the text."""
    return places(TEXT, "Maliki")[n]


def widened(n: int) -> tuple[int, int]:
    """The n-th "Maliki" with its "Nouri al-" (the n-th of the first line's "Maliki"s)."""
    start, end = maliki(n)
    return start - len("Nouri al-"), end


def pending(svc: Service, aid: str) -> set[tuple[int, int, str]]:
    return {(i.start, i.end, i.label) for i in svc.review.state(aid).items if i.state == "pending"}


def sug_at(svc: Service, aid: str, bounds: tuple[int, int], label: str = "PER") -> int:
    return next(s.id for s in svc.store.suggestions(aid) if (s.start, s.end, s.label) == (*bounds, label))


def test_widening_a_pending_mention_widens_its_pending_twins_only_in_one_undo(article) -> None:
    svc, aid = article
    gold = svc.review.add_span(aid, *maliki(3), "PER")  # decided already: never touched
    svc.review.add_span(aid, *places(TEXT, "Nouri")[4], "PER")  # in the way of the 6th one's "Nouri al-"
    # 0, 1, 4 widen; 2 "chef Maliki" has no "Nouri al-" before it; 6 is labelled otherwise; 7 would cut a word
    suggest(svc, aid, [(*maliki(n), "PER") for n in (0, 1, 2, 4, 5, 7)] + [(*maliki(6), "ORG")])
    before = pending(svc, aid)
    done = svc.review.accept_resized(aid, sug_at(svc, aid, maliki(0)), *widened(0))
    assert done.others == 2
    got = links(svc, aid)
    assert set(got) == {widened(0), widened(1), widened(4), maliki(3), places(TEXT, "Nouri")[4]}
    assert svc.store.span(gold).start == maliki(3)[0]  # the gold twin keeps its bounds
    assert pending(svc, aid) == {(*maliki(n), "PER") for n in (2, 5, 7)} | {(*maliki(6), "ORG")}
    assert svc.review.undo(aid) == "accept_edited"  # one action, one undo
    assert set(links(svc, aid)) == {maliki(3), places(TEXT, "Nouri")[4]}
    assert pending(svc, aid) == before
    svc.review.redo(aid)
    assert set(links(svc, aid)) >= {widened(0), widened(1), widened(4)}


def test_trimming_a_linked_gold_span_trims_its_pending_twins_and_links_them(article) -> None:
    svc, aid = article
    first, second, third = places(TEXT, "Hezbollah libanais")
    span = svc.review.add_span(aid, *first, "ORG")
    entity = svc.entities.link_new(span, "Hezbollah", entity_id="hezbollah_lebanon")
    suggest(svc, aid, [(*second, "ORG"), (*third, "ORG")])
    trimmed = lambda at: (at[0], at[0] + len("Hezbollah"))  # noqa: E731
    done = svc.review.resize(span, *trimmed(first))
    assert (done.span_id, done.others) == (span, 2)
    assert links(svc, aid) == {trimmed(first): entity, trimmed(second): entity, trimmed(third): entity}
    assert not pending(svc, aid)
    assert svc.review.undo(aid) == "resize"
    assert links(svc, aid) == {first: entity}
    assert pending(svc, aid) == {(*second, "ORG"), (*third, "ORG")}


def test_twins_never_overlap_the_resized_span_nor_each_other(article) -> None:
    svc, aid = article
    start = TEXT.index("Ali Ali")
    suggest(svc, aid, [(start + 4 * n, start + 4 * n + 3, "PER") for n in range(5)])
    done = svc.review.accept_resized(aid, sug_at(svc, aid, (start, start + 3)), start, start + 7)  # "Ali Ali"
    # the 2nd "Ali" would overlap the resized span, the 4th the 3rd once resized, the 5th would cross
    # the line's end: only the 3rd
    assert done.others == 1
    assert set(links(svc, aid)) == {(start, start + 7), (start + 8, start + 15)}
    assert pending(svc, aid) == {(start + 16, start + 19, "PER")}


def test_nothing_propagates_across_a_line_break(article) -> None:
    svc, aid = article
    hachd = places(TEXT, "Hachd")
    suggest(svc, aid, [(s, e, "ORG") for s, e in hachd])
    end = TEXT.index("al-Chaabi", hachd[0][0]) + len("al-Chaabi")
    done = svc.review.accept_resized(aid, sug_at(svc, aid, hachd[0], "ORG"), hachd[0][0], end)
    assert done.others == 0
    assert pending(svc, aid) == {(*hachd[1], "ORG")}


def test_the_switch_turns_it_off(article) -> None:
    svc, aid = article
    svc.config = replace(svc.config, resize_propagates=False)
    suggest(svc, aid, [(*maliki(n), "PER") for n in (0, 1)])
    done = svc.review.accept_resized(aid, sug_at(svc, aid, maliki(0)), *widened(0))
    assert done.others == 0 and pending(svc, aid) == {(*maliki(1), "PER")}
    span = svc.review.add_span(aid, *places(TEXT, "Hezbollah libanais")[0], "ORG")
    suggest(svc, aid, [(*places(TEXT, "Hezbollah libanais")[1], "ORG")])
    assert svc.review.resize(span, places(TEXT, "Hezbollah")[0][0], places(TEXT, "Hezbollah")[0][1]).others == 0
    assert len(pending(svc, aid)) == 1


def test_accept_with_new_bounds_propagates_as_accept_resized(article) -> None:
    svc, aid = article
    suggest(svc, aid, [(*maliki(n), "PER") for n in (0, 1)])
    span_id = svc.review.accept(aid, sug_at(svc, aid, maliki(0)), bounds=widened(0))
    assert set(links(svc, aid)) == {widened(0), widened(1)} and svc.store.span(span_id).start == widened(0)[0]


def test_the_config_key(tmp_path: Path) -> None:
    from annotate.config import ConfigError, load_config

    path = tmp_path / "glossator.toml"
    assert load_config(path, annotator="a").resize_propagates is True
    path.write_text("[review]\nresize_propagates = false\n", encoding="utf-8")
    assert load_config(path, annotator="a").resize_propagates is False
    path.write_text("[review]\nresize_propagates = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 2.*true or false"):
        load_config(path, annotator="a")


CHAIN = "Le Hachd al Chaabi arrive. Le Hachd al Chaabi part. Le Hachd al Chaabi reste. Le Hachd al Chaabi dort."


def hachd_article(service: Service, tmp_path: Path) -> tuple[str, list[tuple[int, int]]]:
    """The CHAIN article ingested: its id and the places of its four "Hachd"."""
    path = tmp_path / "hachd.txt"
    path.write_text(CHAIN, encoding="utf-8")
    service.data.ingest([path])
    return service.data.articles()[0]["id"], places(CHAIN, "Hachd")


def test_a_widening_in_several_keys_carries_its_twins_all_the_way(service: Service, tmp_path: Path) -> None:
    svc, (aid, hachd) = service, hachd_article(service, tmp_path)
    decided = svc.review.add_span(aid, hachd[3][0], hachd[3][0] + len("Hachd al"), "ORG")  # by hand, before
    suggest(svc, aid, [(s, e, "ORG") for s, e in hachd[:3]])
    step = svc.review.accept_resized(aid, sug_at(svc, aid, hachd[0], "ORG"), hachd[0][0], hachd[0][1] + 3)
    assert step.others == 2  # "Hachd al" ×3
    whole = lambda at: (at[0], at[0] + len("Hachd al Chaabi"))  # noqa: E731
    step = svc.review.resize(step.span_id, *whole(hachd[0]))
    assert step.others == 2  # the twins of the key before, not the span decided by hand
    assert set(links(svc, aid)) == {whole(hachd[0]), whole(hachd[1]), whole(hachd[2]), (hachd[3][0], hachd[3][1] + 3)}
    assert svc.store.span(decided).end == hachd[3][1] + 3
    assert svc.review.undo(aid) == "resize"  # one key back: the three at "Hachd al" again
    assert set(links(svc, aid)) == {(s, e + 3) for s, e in hachd}
    # after another action (the undo), the chain is over: only pending twins, and there are none
    assert svc.review.resize(step.span_id, *whole(hachd[0])).others == 0
    assert (hachd[1][0], hachd[1][1] + 3) in links(svc, aid)


def test_resizing_a_twin_the_key_before_moved_carries_nothing_along(service: Service, tmp_path: Path) -> None:
    # the chain belongs to the span that key resized or accepted: a twin it moved, resized next, is a
    # key of its own (a hypothesis example: the twin's resize moved the span the key before had resized)
    svc, (aid, hachd) = service, hachd_article(service, tmp_path)
    suggest(svc, aid, [(s, e, "ORG") for s, e in hachd[:3]])
    step = svc.review.accept_resized(aid, sug_at(svc, aid, hachd[0], "ORG"), hachd[0][0], hachd[0][1] + 3)
    assert step.others == 2  # "Hachd al" ×3
    twin = next(s.id for s in svc.store.spans(aid, svc.ctx.annotator) if s.start == hachd[1][0])
    assert svc.review.resize(twin, hachd[1][0], hachd[1][0] + len("Hachd al Chaabi")).others == 0
    assert set(links(svc, aid)) == {(hachd[0][0], hachd[0][1] + 3), (hachd[1][0], hachd[1][0] + len("Hachd al Chaabi")),
                                    (hachd[2][0], hachd[2][1] + 3)}

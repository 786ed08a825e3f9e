"""All occurrences across the corpus (`o`) and the consistency queue (`C`), through the pilot
(issue 14, items 2 and 3): every assertion ends on the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.service import Service
from tests.paths import SIZE
from tests.tui.support import first_id, suggest
from tui.app import GlossatorApp
from tui.screens.article.screen import ArticleScreen
from tui.screens.consistency import ConsistencyScreen
from tui.screens.corpus import CorpusScreen
from tui.screens.occurrences import OccurrencesScreen
from tui.widgets.status_bar import StatusBar

pytestmark = pytest.mark.anyio


def gold(svc: Service, annotator: str = "alice") -> dict[tuple[str, int, int], tuple[str, str | None]]:
    """(article, start, end) -> (label, kb_id) of an annotator's gold, every article."""
    out = {}
    for aid in svc.store.article_ids():
        for s in svc.store.spans(aid, annotator):
            out[(aid, s.start, s.end)] = (s.label, s.kb_id)
    return out


def irak_linked(svc: Service) -> tuple[str, int]:
    """The first "Irak" of the first seed as gold LOC linked to `iraq`; returns (article, span id)."""
    aid = first_id(svc)
    start = svc.data.article(aid).text.index("Irak")
    span_id = svc.review.add_span(aid, start, start + 4, "LOC")
    svc.entities.link_new(span_id, "Irak", entity_id="iraq")
    return aid, span_id


def occurrences_of(svc: Service, surface: str, exclude: str) -> list[tuple[str, int, int]]:
    """Every whole-word, case-sensitive "Irak" in the other articles (the expected hits)."""
    import re

    out = []
    for aid in svc.store.article_ids():
        if aid != exclude:
            text = svc.data.article(aid).text
            out += [(aid, m.start(), m.end()) for m in re.finditer(rf"(?<!\w){surface}(?!\w)", text)]
    return out


async def settled(app: GlossatorApp, pilot) -> None:
    """After a key: its workers done (the queue is read in one) and their results shown."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_first(app: GlossatorApp, pilot) -> ArticleScreen:
    await pilot.press("enter")
    screen = app.screen
    assert isinstance(screen, ArticleScreen)
    return screen


async def occurrences_from(app: GlossatorApp, pilot, span_id: int) -> tuple[ArticleScreen, OccurrencesScreen]:
    """Open the first article, go to span ``span_id``, press `o`: the article and the list."""
    screen = await open_first(app, pilot)
    screen.session.go(screen.state.find(f"s{span_id}"))
    await pilot.press("o")
    await pilot.pause()
    occ = app.screen
    assert isinstance(occ, OccurrencesScreen)
    return screen, occ


async def test_o_then_A_then_enter_labels_and_links_every_occurrence_and_one_u_reverts_all(svc: Service) -> None:
    aid, span_id = irak_linked(svc)
    before = gold(svc)
    expected = occurrences_of(svc, "Irak", aid)
    assert len(expected) > 20
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        screen, occ = await occurrences_from(app, pilot, span_id)
        assert {o.key for o in occ.occurrences.items} == set(expected)
        assert {o.state for o in occ.occurrences.items} == {"unlabelled"}
        await pilot.press("A", "enter")
        await pilot.pause()
        assert app.screen is screen
        after = gold(svc)
        assert {k: after[k] for k in expected} == {k: ("LOC", "iraq") for k in expected}
        assert len(after) == len(before) + len(expected)
        await pilot.press("u")  # in the article: the one action, every article at once
        await pilot.pause()
    assert gold(svc) == before
    assert [a.kind for a in svc.store.history(aid, annotator="alice")][:2] == ["undo", "apply_occurrences"]


async def test_a_and_x_choose_occurrences_one_by_one_and_esc_applies_nothing(svc: Service) -> None:
    aid, span_id = irak_linked(svc)
    expected = occurrences_of(svc, "Irak", aid)
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(app, pilot)
        screen.session.go(screen.state.find(f"s{span_id}"))
        await pilot.press("o", "x", "a", "a")
        await pilot.pause()
        occ = app.screen
        assert isinstance(occ, OccurrencesScreen)
        assert [o.key for o in occ.occurrences.marked()] == [tuple(k) for k in expected[1:3]]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert len(gold(svc)) == 1
        await pilot.press("o", "x", "a", "a", "y")
        await pilot.pause()
    after = gold(svc)
    assert {k for k in after if k[0] != aid} == set(expected[1:3])


async def test_occurrences_are_classified_and_others_gold_is_never_touched(svc: Service) -> None:
    aid, span_id = irak_linked(svc)
    hits = occurrences_of(svc, "Irak", aid)
    texts = {a: svc.data.article(a).text for a, _, _ in hits}
    elided = [h for h in hits if texts[h[0]][h[1] - 2:h[1]] == "l'"]
    a3, s3, e3 = elided[-1]
    (a1, s1, e1), (a2, s2, e2), (a4, s4, e4) = [h for h in hits if h != elided[-1]][:3]
    svc.review.add_span(a1, s1, e1, "ORG")  # labelled otherwise
    svc.review.add_span(a3, s3 - 2, e3, "MISC")  # "l'Irak": overlaps with other bounds
    suggest(svc, a2, [("Irak", nth_of(texts[a2], "Irak", s2), "LOC", "entity")])
    bob = Service(svc.store, svc.config)
    bob.annotator = "bob"
    bob.review.add_span(a4, s4, e4, "PER")
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        screen, occ = await occurrences_from(app, pilot, span_id)
        states = {o.key: o.state for o in occ.occurrences.items}
        assert states[(a1, s1, e1)] == "other"
        assert states[(a2, s2, e2)] == "pending"
        assert states[(a3, s3, e3)] == "overlap"
        assert states[(a4, s4, e4)] == "unlabelled"  # bob's gold is bob's
        await pilot.press("A")
        marked = {o.key for o in occ.occurrences.marked()}
        assert (a1, s1, e1) not in marked and (a3, s3, e3) not in marked and (a2, s2, e2) in marked
        occ.table.move_cursor(row=[o.key for o in occ.occurrences.items].index((a1, s1, e1)))
        await pilot.press("a")  # the relabel happens only when marked explicitly
        await pilot.press("enter")
        await pilot.pause()
    after = gold(svc)
    assert after[(a1, s1, e1)] == ("LOC", "iraq")
    assert after[(a2, s2, e2)] == ("LOC", "iraq")
    assert after[(a3, s3 - 2, e3)] == ("MISC", None) and (a3, s3, e3) not in after
    assert [(s.start, s.end, s.label, s.kb_id) for s in svc.store.spans(a4, "bob")] == [(s4, e4, "PER", None)]


def nth_of(text: str, surface: str, start: int) -> int:
    """Which occurrence of ``surface`` in ``text`` starts at ``start`` (0 for the first)."""
    return text[:start].count(surface)


async def test_C_lists_disagreements_enter_jumps_and_a_fixes_in_one_undoable_action(svc: Service) -> None:
    hits = occurrences_of(svc, "Irak", "")
    a1, a2, (a3, s3, e3) = hits[0][0], hits[1][0], hits[-1]
    for aid, start, end in (hits[0], hits[1]):
        svc.review.add_span(aid, start, end, "LOC")
    svc.review.add_span(a3, s3, e3, "ORG")  # the minority
    before = gold(svc)
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        await settled(app, pilot)
        queue = app.screen
        assert isinstance(queue, ConsistencyScreen)
        row = next(r for r in queue.rows if r.surface == "Irak")
        assert dict(row.labels) == {"LOC": 2, "ORG": 1} and row.majority_label == "LOC"
        queue.table.move_cursor(row=queue.rows.index(row))
        await pilot.press("enter")
        await pilot.pause()
        article = app.screen
        assert isinstance(article, ArticleScreen) and article.article_id == row.first_disagreeing().article_id
        assert article.item is not None and article.item.label == "ORG" and article.item.start == s3
        await pilot.press("C")  # back to the queue, not a second one
        await pilot.pause()
        assert app.screen is queue
        await pilot.press("a")
        await settled(app, pilot)
        fixed = gold(svc)
        assert fixed[(a3, s3, e3)] == ("LOC", None)
        untouched_in_worked = [k for k in hits if k[0] in {a1, a2, a3} and k not in before]
        assert all(fixed[k] == ("LOC", None) for k in untouched_in_worked)
        assert not any(r.surface == "Irak" for r in queue.rows)
        await pilot.press("u")
        await settled(app, pilot)
        assert any(r.surface == "Irak" for r in queue.rows)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CorpusScreen)
    assert gold(svc) == before


async def test_occurrence_rows_show_data_literally(tmp_path: Path) -> None:
    from store.models import Article

    svc = Service.open(tmp_path / "lit.db", annotator="alice")
    texts = ["Le [bold]Hachd[/] ici.", "Avant [red]x[/red] \x1b[31m Hachd\x07 après [link=https://e.x]y[/link]"]
    svc.store.add_articles([Article(id=f"a{n}", source=f"{n}.txt", title=f"[i]t{n}[/i]\x1b", date=None, text=t)
                            for n, t in enumerate(texts)])
    start = texts[0].index("Hachd")
    svc.review.add_span("a0", start, start + 5, "ORG")
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        occ = app.screen
        assert isinstance(occ, OccurrencesScreen)
        cells = [occ.table.get_cell("0", column).plain for column in ("article", "kwic")]
        assert cells[0] == "[i]t1[/i]␛"
        assert cells[1].strip() == "Avant [red]x[/red] ␛[31m Hachd␇ après [link=https://e.x]y[/link]"
        await pilot.press("a", "y")
        await pilot.pause()
    assert [(s.start, s.label) for s in svc.store.spans("a1", "alice")] == [(texts[1].index("Hachd"), "ORG")]
    svc.close()


async def test_the_next_page_loads_when_the_cursor_reaches_the_last_row(svc: Service, monkeypatch) -> None:
    import annotate.service.corpuswide as corpuswide

    monkeypatch.setattr(corpuswide, "PAGE", 5)
    aid, span_id = irak_linked(svc)
    expected = occurrences_of(svc, "Irak", aid)
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        screen, occ = await occurrences_from(app, pilot, span_id)
        first = len(occ.occurrences.items)
        assert 5 <= first < len(expected) and occ.occurrences.after is not None
        for _ in range(len(expected)):
            await pilot.press("j")
        await pilot.pause()
        assert [o.key for o in occ.occurrences.items] == expected and occ.occurrences.after is None
        await pilot.press("A", "y")
        await pilot.pause()
    assert len(gold(svc)) == len(expected) + 1


async def test_enter_on_an_unlabelled_mention_selects_it_and_a_label_key_makes_it_gold(svc: Service) -> None:
    from annotate.corpuswide.surface import find_all

    aid = first_id(svc)
    text = svc.data.article(aid).text
    hits = list(find_all(text, "Al Maliki"))  # case, accents, spaces folded: more than text.count finds
    (first, end), (second, _) = hits[0], hits[1]
    svc.review.add_span(aid, first, end, "PER")
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        await settled(app, pilot)
        queue = app.screen
        row = next(r for r in queue.rows if r.surface == "Al Maliki")
        assert row.variants() == [("PER", 1), ("unlabelled", len(hits) - 1)]
        queue.table.move_cursor(row=queue.rows.index(row))
        await pilot.press("enter")
        await pilot.pause()
        article = app.screen
        assert isinstance(article, ArticleScreen) and article.selection == (second, second + len("Al Maliki"))
        await pilot.press("1")
        await pilot.pause()
    assert (aid, second, second + len("Al Maliki")) in gold(svc)
    assert gold(svc)[(aid, second, second + len("Al Maliki"))] == ("PER", None)


async def test_C_from_the_article_opens_the_queue_over_it_and_o_without_a_span_is_refused(svc: Service) -> None:
    aid = first_id(svc)
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        article = await open_first(app, pilot)
        assert article.item is None  # nothing suggested: no span
        await pilot.press("o")
        await pilot.pause()
        refusal = str(article.query_one(StatusBar).render())
        assert app.screen is article and "refused: o lists the occurrences" in refusal
        await pilot.press("C")
        await settled(app, pilot)
        assert isinstance(app.screen, ConsistencyScreen) and app.screen.rows == []
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is article
    assert svc.store.history(aid) == []


async def test_the_queue_is_read_in_a_worker_on_its_own_connection(svc: Service, monkeypatch) -> None:
    """The queue reads every gold span of the annotator: never on the UI thread, nor on the
    connection the UI thread writes with."""
    import threading

    from annotate.service.corpuswide import CorpusWideOps

    hits = occurrences_of(svc, "Irak", "")
    svc.review.add_span(hits[0][0], hits[0][1], hits[0][2], "LOC")
    svc.review.add_span(hits[-1][0], hits[-1][1], hits[-1][2], "ORG")
    reads = []
    real = CorpusWideOps.consistency

    def consistency(self):
        reads.append((threading.current_thread() is threading.main_thread(), self.store is svc.store))
        return real(self)

    monkeypatch.setattr(CorpusWideOps, "consistency", consistency)
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        await settled(app, pilot)
        assert any(r.surface == "Irak" for r in app.screen.rows)
        await pilot.press("r")
        await settled(app, pilot)
    assert reads == [(False, False), (False, False)]


async def test_a_waits_for_the_queue_being_read_again(svc: Service, notices) -> None:
    """While the queue is read again (after a fix or an undo), its rows may be stale: a refuses."""
    hits = occurrences_of(svc, "Irak", "")
    for aid, start, end in hits[:2]:
        svc.review.add_span(aid, start, end, "LOC")
    svc.review.add_span(hits[-1][0], hits[-1][1], hits[-1][2], "ORG")
    before = gold(svc)
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        await settled(app, pilot)
        queue = app.screen
        assert isinstance(queue, ConsistencyScreen) and queue.rows
        queue.reading = True
        await pilot.press("a")
        await pilot.pause()
        assert notices.any("being read again", "warning")
    assert gold(svc) == before

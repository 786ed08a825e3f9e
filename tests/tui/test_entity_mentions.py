"""Entity-centric review (issue 14.4): an entity's mentions in context on the entities screen, unlinked,
relinked, split off and opened by key, checked in the database and the export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import OptionList

from annotate.service import Service
from tests.paths import GOLD, SEEDS, SIZE
from tui.app import GlossatorApp
from tui.modals.entity import NameModal
from tui.modals.link import LinkPicker
from tui.screens.article.screen import ArticleScreen
from tui.screens.corpus import CorpusScreen
from tui.screens.entities import EntitiesScreen
from tui.screens.entity_mentions import MentionList, MentionsPane

pytestmark = pytest.mark.anyio
PMF = "pmf"  # 13 mentions in the seeds' gold, written four ways


@pytest.fixture
def kb_svc(tmp_path: Path):
    svc = Service.open(tmp_path / "g.db", annotator="alice")
    svc.data.ingest([SEEDS])
    svc.data.import_jsonl(GOLD)
    yield svc
    svc.close()


async def on_pmf(app: GlossatorApp, pilot) -> EntitiesScreen:
    await pilot.press("E")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, EntitiesScreen)
    screen.table.move_cursor(row=screen.table.get_row_index(PMF), animate=False)
    await pilot.pause()
    await pilot.press("enter")  # Enter in the table: to its mentions
    assert isinstance(app.focused, MentionList)
    return screen


def kb_of(svc: Service, span_ids: list[int]) -> list[str | None]:
    return [svc.store.span(s).kb_id for s in span_ids]


async def test_mentions_are_shown_in_their_sentence_with_the_title(kb_svc: Service) -> None:
    app = GlossatorApp(kb_svc)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_pmf(app, pilot)
        mentions = screen.query_one(MentionList)
        assert len(mentions.mentions) == 13
        first = mentions.mentions[0]
        prompt = mentions.prompt(first)
        assert first.text in prompt.plain and first.after.strip() in prompt.plain
        assert (first.title or "")[:20] in prompt.plain
        head = str(screen.query_one("#ment-head").render())
        assert "(13)" in head
        await pilot.press("down", "down", "space")  # the third marked
        assert mentions.highlighted == 3 and len(mentions.marked) == 1
        screen.table.move_cursor(row=screen.table.get_row_index("iraq"), animate=False)  # 65 mentions
        await pilot.pause()  # another entity: its mentions from the first, none marked
        assert len(mentions.mentions) > 3
        assert mentions.highlighted == 0 and not mentions.marked


async def test_unlink_split_and_relink_by_key_each_undone_by_u(kb_svc: Service, tmp_path: Path) -> None:
    svc = kb_svc
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_pmf(app, pilot)
        mentions = screen.query_one(MentionList)
        ids = [m.span_id for m in mentions.mentions]
        await pilot.press("down", "U")  # the second mention unlinked
        assert kb_of(svc, ids[:3]) == [PMF, None, PMF]
        assert svc.entities.mention_counts()[PMF] == 12
        assert len(mentions.mentions) == 12  # the list follows
        await pilot.press("u")
        assert kb_of(svc, ids[:3]) == [PMF] * 3

        mentions.highlighted = 0
        await pilot.press("space", "space", "S")  # two marked, split off
        assert isinstance(app.screen, NameModal)
        await pilot.press("ctrl+u", *"Hachd (2)", "enter")
        new = svc.store.span(ids[0]).kb_id
        assert new != PMF and kb_of(svc, ids[:3]) == [new, new, PMF]
        assert svc.store.entity(new).name == "Hachd (2)" and svc.store.entity(new).type == "ORG"
        await pilot.press("u")
        assert kb_of(svc, ids[:3]) == [PMF] * 3 and svc.store.entity(new) is None

        mentions.highlighted = 2
        await pilot.press("L")
        picker = app.screen
        assert isinstance(picker, LinkPicker)
        await pilot.press("ctrl+u", *"Etat islamique")
        choices = picker.query_one(OptionList)
        if choices.highlighted is None:  # no confident candidate: pick the first
            await pilot.press("down")
        target = picker.candidates[choices.highlighted].id
        assert target != PMF  # the entity itself is not offered
        await pilot.press("enter")
        assert kb_of(svc, ids[:3]) == [PMF, PMF, target]
        out = tmp_path / "out.jsonl"
        svc.data.export_data(out)
        linked = [(s["start"], s["end"], s.get("kb_id")) for line in out.read_text(encoding="utf-8").splitlines()
                  for s in json.loads(line)["spans"]]
        span = svc.store.span(ids[2])
        assert (span.start, span.end, target) in linked
        await pilot.press("u")
        assert kb_of(svc, ids[:3]) == [PMF] * 3


async def test_enter_opens_the_article_at_the_mention_and_esc_comes_back(kb_svc: Service) -> None:
    app = GlossatorApp(kb_svc)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_pmf(app, pilot)
        mentions = screen.query_one(MentionList)
        mentions.highlighted = 4
        wanted = mentions.mentions[4]
        await pilot.press("enter")
        article = app.screen
        assert isinstance(article, ArticleScreen) and article.article_id == wanted.article_id
        assert (article.item.start, article.item.end) == (wanted.start, wanted.end)
        await pilot.press("escape")
        assert app.screen is screen
        assert screen.query_one(MentionsPane).list.mentions[4].span_id == wanted.span_id
        await pilot.press("enter", "d")  # done there: on to the next article not done, over the corpus
        await pilot.app.workers.wait_for_complete()
        assert kb_svc.review.status(wanted.article_id) == "done"
        assert isinstance(app.screen, (ArticleScreen, CorpusScreen)) and app.screen.is_current


async def test_mention_keys_without_a_mention_refuse(kb_svc: Service, notices) -> None:
    kb_svc.entities.create("Personne", "PER")
    app = GlossatorApp(kb_svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("E")
        await pilot.pause()
        screen = app.screen
        screen.table.move_cursor(row=screen.table.get_row_index("personne"), animate=False)
        await pilot.pause()
        await pilot.press("U")
        assert any("no mention" in n.message for n in notices)


async def test_mentions_show_markup_and_control_characters_literally(tmp_path: Path) -> None:
    svc = Service.open(tmp_path / "n.db", annotator="alice")
    text = "[bold]Titre[/]\nLe [red]chef[/] de \x1b[31mBagdad\x07 a parlé. Autre phrase."
    (tmp_path / "n.txt").write_text(text, encoding="utf-8")
    svc.data.ingest([tmp_path / "n.txt"])
    aid = svc.data.articles()[0]["id"]
    at = text.index("Bagdad")
    span = svc.review.add_span(aid, at, at + 6, "LOC")
    entity = svc.entities.create("Bagdad", "LOC")
    svc.entities.link(span, entity)
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("E")
        await pilot.pause()
        screen = app.screen
        screen.table.move_cursor(row=screen.table.get_row_index(entity), animate=False)
        await pilot.pause()
        mentions = screen.query_one(MentionList)
        plain = mentions.prompt(mentions.mentions[0]).plain
        assert "Le [red]chef[/] de ␛[31mBagdad␇ a parlé." in plain  # markup as typed, controls visible
        assert "\x1b" not in plain and "\x07" not in plain
        lines = [mentions.render_line(y).text for y in range(mentions.size.height)]
        assert any("[red]chef[/]" in line for line in lines)
    svc.close()

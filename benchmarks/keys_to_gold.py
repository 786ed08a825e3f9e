"""Keys to gold (issue 14): an oracle annotator that reaches a known gold in the real app by
pressing keys of the keymap only, and counts them.

    python benchmarks/keys_to_gold.py --gold FILE.jsonl [--db OUT.db] [--json]
                                      [--articles ID_PREFIX ...] [--kb empty|starter|both]
                                      [--baseline | --no-baseline] [--no-unlinked-keys]

FILE is our JSONL export shape (spans with ``kb_id``, ``events`` with ``args``). Each article's
text is ingested, the app's own suggester (the project's spaCy model) suggests, then the app is
opened with ``run_test`` and the oracle looks at the article screen's session (and reads the
database, and the service's own predictions of what `a` and `A` link) to decide what to press.
It works as an expert would: first it fixes what is wrong (reject, or Ctrl+X when gold wants none
of the label's three or more suggestions left, relabel, resize, create, link
where the automatic link would be wrong; a ``kb_id`` that does not exist yet is created from the
link picker with Ctrl+N and that id, or by `N` when that id is the mention's own slug), going to each place by the cheapest keys it can compute
(``benchmarks/keys_plan.py``: `j` / `k` counts, `f` + a typed prefix + Enter, `g`, `w` / `b` /
`l` / `h`, `m` / `M` to the mentions accept-all would leave unlinked, then the others), the nearest
fix first; then one `A` (no confirmation by default) when every suggestion left is gold
as it is and would be linked right; then arguments, and ``d`` (done). It never writes to the
database. At the end the database's gold export is compared to FILE; the exit status is 1 when
it differs.

Each run is ours then the baseline (the same oracle with link propagation and confident links
switched off in ``[review]``), for each knowledge base asked: ``--kb starter`` imports the shipped
starter knowledge base first (what ``glossator entities import --builtin starter`` runs; note that
``glossator init`` writes only the config, it does not import it). Gold items = entity spans + event triggers + arguments.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from annotate.config import DEFAULT_KEYS  # noqa: E402
from annotate.review.frames import ATTACHED, SUGGESTED  # noqa: E402
from annotate.review.state import GOLD, PENDING, Item, layer_of  # noqa: E402
from annotate.service import Service  # noqa: E402
from benchmarks.keys_plan import Route, edit_keys, route_to_item, route_to_token, same  # noqa: E402
from store.models import ENTITY, EVENT  # noqa: E402

SIZE = (120, 40)
ANNOTATOR = "oracle"
MAX_STEPS = 3000  # decisions per article before the oracle gives up
TRACE = bool(os.environ.get("KEYS_TO_GOLD_TRACE"))  # each decision on stderr

Key = tuple[int, int, str]  # start, end, label


class Unreachable(RuntimeError):
    """The oracle found no key sequence to reach this gold."""


@dataclass
class GoldArticle:
    """One line of FILE: spans (with kb_id), events, arguments (event key, role, filler key)."""

    source: str
    text: str
    spans: dict[Key, str | None]
    events: set[Key]
    args: set[tuple[Key, str, Key]]

    @property
    def items(self) -> int:
        """Gold items: entity spans + event triggers + arguments."""
        return len(self.spans) + len(self.events) + len(self.args)


def read_gold(path: Path) -> list[GoldArticle]:
    """FILE's lines as :class:`GoldArticle` (spans include value spans, as in our export)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            out.append(gold_of(json.loads(line)))
    return out


def gold_of(record: dict[str, Any]) -> GoldArticle:
    """One JSONL record → :class:`GoldArticle`."""
    spans_list = [(s["start"], s["end"], s["label"]) for s in record.get("spans") or []]
    spans = {(s["start"], s["end"], s["label"]): s.get("kb_id") for s in record.get("spans") or []}
    events, args = set(), set()
    for ev in record.get("events") or []:
        key = (ev["start"], ev["end"], ev["label"])
        events.add(key)
        for arg in ev.get("args") or []:
            args.add((key, arg["role"], spans_list[arg["span"]]))
    meta = record.get("meta") or {}
    return GoldArticle(meta.get("source") or "article.txt", record["text"], spans, events, args)


@dataclass
class Tally:
    """Keys pressed, per article and per action."""

    by_action: Counter = field(default_factory=Counter)
    article: Counter = field(default_factory=Counter)

    def add(self, action: str, n: int = 1) -> None:
        self.by_action[action] += n
        self.article[action] += n


class Oracle:
    """Drives one app through the pilot; ``press`` is the only way it changes anything."""

    def __init__(self, app: Any, pilot: Any, svc: Service, tally: Tally, accept_all: bool = True,
                 unlinked: bool = True) -> None:
        self.app, self.pilot, self.svc, self.tally = app, pilot, svc, tally
        self.accept_all = accept_all  # end each article with one `A` once what is left is right as it is
        self.unlinked = unlinked  # `m` / `M` among the moves (off: the routes before them, to compare)
        keys = svc.config.keys
        self.k = {name: keys.get(name, DEFAULT_KEYS[name]).split(",")[0].strip() for name in DEFAULT_KEYS}
        self.label_keys = {lab.name: lab.key for lab in svc.config.labels}
        self.event_types = list(svc.config.event_roles)

    # -- pressing -------------------------------------------------------------

    async def press(self, action: str, *keys: str) -> None:
        for key in keys:
            self.tally.add(action)
            if TRACE:
                print(f" {key}", end="", file=sys.stderr, flush=True)
            await self.pilot.press(key)
        await self.app.workers.wait_for_complete()
        await self.pilot.pause()

    async def act(self, action: str, name: str) -> None:
        await self.press(action, self.k[name])

    async def type_text(self, action: str, text: str) -> None:
        await self.press(action, *text)  # the pilot names a character's key itself

    @property
    def screen(self) -> Any:
        return self.app.screen

    @property
    def article(self) -> Any:
        from tui.screens.article.screen import ArticleScreen

        screen = self.screen
        if not isinstance(screen, ArticleScreen):
            raise Unreachable(f"expected the article screen, not {type(screen).__name__}")
        return screen

    @property
    def session(self) -> Any:
        return self.article.session

    def stops(self) -> list[Item]:
        """Where `m` / `M` go: the screen's own list of the mentions accept-all leaves unlinked (the
        same call its key makes, read once per state); none when the oracle does not use them."""
        return self.article.finder.unlinked() if self.unlinked else []

    # -- labels -----------------------------------------------------------------

    async def label(self, label: str) -> None:
        """Apply ``label`` to the selection / current span, with the keys the app offers for it."""
        if label in self.label_keys:
            await self.press("label", self.label_keys[label])
        elif label in self.event_types:
            await self.act("event", "event_mode")
            await self.pick_in_picker("event", self.event_types, label)
        else:
            await self.act("label", "label_picker")
            await self.type_text("label", label)
            await self.press("label", "enter")

    async def pick_in_picker(self, action: str, names: Sequence[str], name: str) -> None:
        index = list(names).index(name)
        if index < 9:
            await self.press(action, str(index + 1))
        else:
            await self.type_text(action, name)
            await self.press(action, "enter")

    # -- moving -------------------------------------------------------------------

    async def go_to_item(self, target: Item) -> None:
        """The cheapest of j / k, `f` + typed text + Enter, `g` until ``target`` is current."""
        for _ in range(3):
            route = route_to_item(self.session, target, self.k, self.stops())
            if route is None:
                raise Unreachable(f"{target.text!r} is not a span j / k visit")
            await self.follow(route)
            if _same(self.session.item, target):
                return
        raise Unreachable(f"could not reach {target.text!r}")

    async def go_to_token(self, token: int, selecting: bool = False) -> None:
        """Move the cursor to ``token``: token and span moves, or a find, whichever costs fewer keys."""
        for _ in range(3):
            route = route_to_token(self.session, token, selecting, self.k, self.stops())
            if route is None:
                break
            await self.follow(route)
            if self.session.cursor == token:
                return
        for _ in range(10_000):  # the plan did not land: token by token, which always does
            here = self.session.cursor
            if here == token:
                return
            await self.act("navigate", "cursor_right" if token > here else "cursor_left")
            if self.session.cursor == here:
                break
        raise Unreachable("cursor did not reach its token")

    async def follow(self, route: Route) -> None:
        for action, key in route:
            await self.press(action, key)

    # -- linking ----------------------------------------------------------------------

    async def link(self, kb_id: str, item: Item) -> None:
        """On the current entity span: `N` when the entity `N` links it to (created or existing, as
        the service's ``new_id_for`` predicts) is ``kb_id``; else `/`, then the candidate (the query
        edited to the cheapest one that lists it), or Ctrl+N with the id ``kb_id`` (the proposed id
        edited into it)."""
        from textual.widgets import Input

        from tui.modals.entity import NewEntityModal
        from tui.modals.link import LinkPicker

        planned = self.svc.entities.new_id_for(item.text, item.label, self.screen.article_id, (item.start, item.end))
        if planned == kb_id:
            # `N`: the catalog's id, the article's fuller mention's, or the mention's slug is the one wanted
            action = "link" if self.svc.entities.get(kb_id) is not None else "new_entity"
            await self.act(action, "link_new_slug")
            if self.linked(item) != kb_id:  # (the cursor has moved on to the next unlinked mention)
                raise Unreachable(f"N did not link {item.text!r} to {kb_id!r}")
            return
        await self.act("link", "link")
        picker = self.screen
        if not isinstance(picker, LinkPicker):
            raise Unreachable("the link picker did not open")
        query = picker.query_one(Input).value
        plan = self.choose_plan(query, kb_id, item.label)  # an entity, or a starter-KB entry not imported
        if plan is not None:
            typed, pick = plan
            await self.press("link_type", *edit_keys(query, typed))
            if picker.query_one(Input).value != typed:
                raise Unreachable(f"the link query reads {picker.query_one(Input).value!r}, not {typed!r}")
            await self.press("link", pick)
            if self.screen is picker or self.linked(item) != kb_id:
                raise Unreachable(f"the link picker did not take {kb_id!r}")
            return
        await self.press("new_entity", "ctrl+n")
        dialog = self.screen
        if not isinstance(dialog, NewEntityModal):
            raise Unreachable("Ctrl+N did not open the new-entity dialog")
        await self.press("new_entity", *edit_keys(dialog.query_one(Input).value, kb_id))
        if dialog.query_one(Input).value != kb_id:
            raise Unreachable(f"the new id reads {dialog.query_one(Input).value!r}, not {kb_id!r}")
        await self.press("new_entity", "enter")
        if self.screen is dialog:
            raise Unreachable(f"the id {kb_id!r} was refused")

    def linked(self, item: Item) -> str | None:
        """The entity the span at ``item``'s bounds is linked to now (a link moves the cursor on)."""
        found = next((i for i in self.session.state.items
                      if (i.start, i.end, i.kind) == (item.start, item.end, item.kind)), None)
        return None if found is None else found.kb_id

    def choose_plan(self, query: str, kb_id: str, label: str) -> tuple[str, str] | None:
        """The query to type (from ``query``) and the key that links ``kb_id`` (Enter on the
        pre-selected candidate, else Alt and its row number), fewest keys in all; the picker's
        candidates are read from the same matcher call the app makes."""
        from annotate.entities import catalog
        from tui.modals.link import LINK_ROWS, MIN_SCORE, PICK_ROWS

        entity = self.svc.entities.get(kb_id)
        entry = catalog.entry_by_id(kb_id) if entity is None else None
        if entity is None and (entry is None or self.svc.store.entity_id_issued(kb_id)):
            return None
        names = (entity.name, *[a.text for a in entity.aliases]) if entity is not None else (entry.name, *entry.aliases)

        def plan(typed: str) -> tuple[int, str, str] | None:
            found = [c for c in self.svc.entities.link_candidates(typed, label, LINK_ROWS) if c.score >= MIN_SCORE]
            ids = [c.id for c in found][:PICK_ROWS]
            if kb_id not in ids:
                return None
            want = ids.index(kb_id)
            return len(edit_keys(query, typed)) + 1, typed, "enter" if want == 0 and found[0].confident \
                else f"alt+{want + 1}"

        best = plan(query)
        tried = {query}
        for text in (names[0], kb_id, *names[1:7]):
            text = " ".join(text.split())
            for n in range(1, len(text) + 1):
                typed = text[:n]
                if typed in tried or (best is not None and len(edit_keys(query, typed)) + 1 >= best[0]):
                    continue
                tried.add(typed)
                found = plan(typed)
                if found is not None and (best is None or found[0] < best[0]):
                    best = found
        return None if best is None else (best[1], best[2])


# -- one article ---------------------------------------------------------------------


def _same(a: Item | None, b: Item) -> bool:
    return same(a, b)


def _wanted(gold: GoldArticle) -> dict[tuple[int, int, str], tuple[str, str | None]]:
    """(start, end, layer) → (label, kb_id) of every gold span and trigger."""
    out: dict[tuple[int, int, str], tuple[str, str | None]] = {}
    for (s, e, label), kb in gold.spans.items():
        out[(s, e, ENTITY)] = (label, kb)
    for s, e, label in gold.events:
        out[(s, e, EVENT)] = (label, None)
    return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass(frozen=True)
class Prediction:
    """What the app would link: `a` on one suggestion, and `A` (by suggestion id; and the gold
    mentions it links, by surface)."""

    one: Callable[[Item], str | None]
    accept_all: bool = False
    all: dict[int | None, str] = field(default_factory=dict)
    surfaces: dict[str, str] = field(default_factory=dict)
    stops: tuple[Item, ...] = ()  # where `m` / `M` go


def predict(oracle: Oracle, article_id: str) -> Prediction:
    """Read the app's rules (the service's own prediction calls); nothing is written."""
    from annotate.service.linking import surface_key

    review = oracle.svc.review

    def one(item: Item) -> str | None:
        return review.link_on_accept(article_id, item.suggestion_id) if item.state == PENDING else None

    links = review.accept_all_links(article_id) if oracle.accept_all else {}
    surfaces: dict[str, str] = {}
    if oracle.svc.config.propagate_links:
        for item in oracle.session.state.items:
            if item.suggestion_id in links:
                surfaces.setdefault(surface_key(item.text), links[item.suggestion_id])
    return Prediction(one, oracle.accept_all, links, surfaces, tuple(oracle.stops()))


async def review_article(oracle: Oracle, gold: GoldArticle, article_id: str) -> None:
    """Reach ``gold`` in the open article, then press done."""
    wanted = _wanted(gold)
    last, repeats, times = None, 0, Counter()
    for _ in range(MAX_STEPS):
        todo = next_todo(oracle.session, wanted, predict(oracle, article_id), oracle.k,
                         frozenset(event for event, _, _ in gold.args))
        if todo is None:
            break
        seen = (todo, oracle.session.state.items)
        repeats = repeats + 1 if seen == last else 0
        if repeats >= 2:  # the same decision on the same state: the keys do not do what the oracle expects
            raise Unreachable(f"no progress on {todo.what} {todo.item.text if todo.item else todo.target!r}")
        last = seen
        times[(todo.what, todo.item.start if todo.item else todo.target, todo.label, todo.kb)] += 1
        if max(times.values()) > 4:  # going round in circles (one decision undoing another)
            raise Unreachable(f"the same decision again and again: {todo.what} {todo.kb or todo.label}")
        if TRACE:
            where = f"{todo.item.start}-{todo.item.end} {todo.item.label} {todo.item.state}" if todo.item else ""
            print(f"  {todo.what} {todo.item.text if todo.item else todo.target} [{where}] → {todo.target or ''}"
                  f" {todo.label} {todo.kb or ''}"
                  f" [{sum(oracle.tally.article.values())} keys]", file=sys.stderr, flush=True)
        await do(oracle, todo, gold)
    else:
        raise Unreachable("too many steps")
    await args_phase(oracle, gold)
    await oracle.act("done", "done")
    from tui.modals.dialogs import ConfirmModal

    if isinstance(oracle.screen, ConfirmModal):  # suggestions left that gold does not contain: none should be
        await oracle.press("done", "y")


@dataclass(frozen=True)
class Todo:
    what: str  # accept, label, link, reject, delete, resize, create
    item: Item | None
    target: tuple[int, int, str] | None = None  # start, end, layer
    label: str = ""
    kb: str | None = None


def minority(item: Item, kb: str, items: Sequence[Item], wanted: dict, predicted: str | None) -> bool:
    """Whether more of the pending mentions that read as ``item`` want another entity than ``kb``
    (linking ``item`` first would drag them all to ``kb``, each to be relinked), or as many want
    the one `A` links them to (then `A` links those, and only the others are relinked)."""
    from annotate.service.linking import surface_key

    key = surface_key(item.text)
    counts: Counter = Counter()
    for other in items:
        if other.state == PENDING and other.kind == ENTITY and surface_key(other.text) == key:
            want = wanted.get((other.start, other.end, ENTITY))
            if want is not None and want[1]:
                counts[want[1]] += 1
    if predicted is not None and predicted != kb and counts[predicted] >= counts[kb]:
        return True
    return bool(counts) and counts.most_common(1)[0][0] != kb and counts.most_common(1)[0][1] > counts[kb]


def next_todo(session: Any, wanted: dict, prediction: Prediction,
              keys: dict[str, str] | None = None, arg_events: frozenset = frozenset()) -> Todo | None:
    """The decision to take next: on the current span if it needs one, else the first in text order
    after it; once only suggestions that accept-all takes right are left, accept-all."""
    from annotate.service.linking import surface_key

    items = session.state.items
    todos: list[tuple[tuple[int, int], Todo]] = []
    covered = {(i.start, i.end, layer_of(i.kind)) for i in items}
    deferred = 0  # pending suggestions `A` will accept (and link) as gold wants them
    for item in items:
        layer = layer_of(item.kind)
        want = wanted.get((item.start, item.end, layer))
        if item.state == GOLD:
            if want is None:
                missing = next((k for k in wanted if k[2] == layer and k not in covered
                                and _overlap((k[0], k[1]), (item.start, item.end))), None)
                if missing is not None:  # wrong bounds: resized, not deleted and made again
                    todos.append(((item.start, 1), Todo("resize", item, target=missing,
                                                        label=wanted[missing][0])))
                else:
                    todos.append(((item.start, 0), Todo("delete", item)))
            elif want[0] != item.label:
                todos.append(((item.start, 1), Todo("label", item, label=want[0])))
            elif layer == ENTITY and want[1] and item.kb_id != want[1]:
                if item.kb_id is None and prediction.surfaces.get(surface_key(item.text)) == want[1]:
                    continue  # `A` links it with the suggestions that read the same
                todos.append(((item.start, 1), Todo("link", item, kb=want[1])))
            continue
        if want is not None:
            what = "accept" if want[0] == item.label else "label"
            if what == "accept" and (item.start, item.end, item.label) in arg_events and item.kind == EVENT:
                continue  # its first argument makes it gold (r on a pending trigger)
            if what == "accept" and prediction.accept_all:
                if prediction.all.get(item.suggestion_id) == want[1]:
                    deferred += 1
                    continue
                if want[1] and minority(item, want[1], items, wanted, prediction.all.get(item.suggestion_id)):
                    deferred += 1  # linked with the others first (by `/` on one of them, or `A`), relinked after
                    continue
                if want[1]:
                    what = "link"  # `/` accepts and links in one action
            elif what == "accept" and want[1] and prediction.one(item) != want[1]:
                what = "link"
            todos.append(((item.start, 1), Todo(what, item, label=want[0], kb=want[1])))
            continue
        missing = next((k for k in wanted if k[2] == layer and k not in covered
                        and _overlap((k[0], k[1]), (item.start, item.end))), None)
        if missing is not None:
            todos.append(((item.start, 1), Todo("resize", item, target=missing, label=wanted[missing][0])))
        else:
            todos.append(((item.start, 0), Todo("reject", item)))
    for key, (label, kb) in wanted.items():
        if key in covered:
            continue
        if any(layer_of(i.kind) == key[2] and _overlap((i.start, i.end), (key[0], key[1])) for i in items):
            continue  # first the span in the way
        todos.append(((key[0], 2), Todo("create", None, target=key, label=label, kb=kb)))
    if not todos:
        return Todo("accept_all", None) if deferred else None
    current = session.item
    here = [t for _, t in todos if current is not None and t.item is not None and t.item.key == current.key]
    if here:
        return here[0]
    todos.sort(key=lambda t: t[0])
    offset = session.cursor_offset
    after = [t for pos, t in todos if pos[0] >= offset]
    ordered = after + [t for pos, t in todos if pos[0] < offset]
    if keys is None:
        return ordered[0]
    return min(ordered, key=lambda t: (travel(session, t, keys, prediction.stops), ordered.index(t)))


def unwanted_of_label(session: Any, wanted: dict, label: str) -> list[Item]:
    """The pending suggestions labelled ``label``, when gold wants none of them (neither as they are,
    nor relabelled, nor resized); else an empty list."""
    items = session.state.items
    covered = {(i.start, i.end, layer_of(i.kind)) for i in items}
    pending = [i for i in items if i.state == PENDING and i.label == label]
    for item in pending:
        layer = layer_of(item.kind)
        if (item.start, item.end, layer) in wanted:
            return []
        if any(k[2] == layer and k not in covered and _overlap((k[0], k[1]), (item.start, item.end)) for k in wanted):
            return []
    return pending


def travel(session: Any, todo: Todo, keys: dict[str, str], stops: Sequence[Item] = ()) -> int:
    """Keys to the place of ``todo`` (the nearest in keys goes first; ``stops``: where `m` / `M` go)."""
    if todo.item is not None:
        route = route_to_item(session, todo.item, keys, stops)
    elif todo.target is not None:
        route = route_to_token(session, session.tokens.at(todo.target[0]), False, keys, stops)
    else:
        return 0
    return 10_000 if route is None else len(route)


async def do(oracle: Oracle, todo: Todo, gold: GoldArticle) -> None:
    """Carry out one decision with keys."""
    session = oracle.session
    if todo.item is not None:
        await oracle.go_to_item(todo.item)
    item = todo.item
    if todo.what == "accept_all":
        from tui.modals.dialogs import ConfirmModal

        await oracle.act("accept_all", "accept_all")
        if isinstance(oracle.screen, ConfirmModal):  # `[review] confirm_bulk = true`
            await oracle.press("accept_all", "y")
    elif todo.what == "accept":
        await oracle.act("accept", "accept")
    elif todo.what == "reject":
        assert item is not None
        least = 3 if oracle.svc.config.confirm_bulk else 2  # Ctrl+X (and its `y`) cheaper than one `x` each
        if len(unwanted_of_label(session, _wanted(gold), item.label)) >= least:
            from tui.modals.dialogs import ConfirmModal

            await oracle.act("reject_label", "reject_label")
            if isinstance(oracle.screen, ConfirmModal):  # `[review] confirm_bulk = true`
                await oracle.press("reject_label", "y")
        else:
            await oracle.act("reject", "reject")
    elif todo.what == "delete":
        await oracle.act("delete", "delete_span")
    elif todo.what == "label":
        await oracle.label(todo.label)
    elif todo.what == "link":
        assert item is not None and todo.kb
        await oracle.link(todo.kb, item)
    elif todo.what == "resize":
        assert item is not None and todo.target is not None
        await resize(oracle, item, todo.target)
    elif todo.what == "create":
        assert todo.target is not None
        start, end, _layer = todo.target
        tokens = session.tokens
        first, last = tokens.at(start), tokens.at(end - 1)
        if tokens.spans[first][0] != start or tokens.spans[last][1] != end:
            raise Unreachable(f"{session.state.article.text[start:end]!r} does not start and end on tokens")
        await oracle.go_to_token(first)
        if first != last or oracle.session.item is not None:  # a bare token takes any label, `e` and `t` too
            await oracle.act("select", "select")
            await oracle.go_to_token(last, selecting=True)
        await oracle.label(todo.label)


async def resize(oracle: Oracle, item: Item, target: tuple[int, int, str]) -> None:
    """Grow / shrink the current span token by token to ``target``'s bounds."""
    for _ in range(200):
        current = oracle.session.item
        if current is None:
            raise Unreachable("lost the span being resized")
        start, end = current.start, current.end
        if (start, end) == target[:2]:
            return
        if start > target[0]:
            name = "grow_left"
        elif start < target[0]:
            name = "shrink_left"
        elif end < target[1]:
            name = "grow_right"
        else:
            name = "shrink_right"
        await oracle.act("resize", name)
        after = oracle.session.item
        if after is not None and (after.start, after.end) == (start, end):
            raise Unreachable(f"cannot resize {current.text!r} to the gold")
    raise Unreachable("resize did not converge")


# -- arguments --------------------------------------------------------------------------


def _current_args(session: Any) -> set[tuple[Key, str, Key]]:
    state = session.state
    by_id = {i.span_id: i for i in state.items if i.state == GOLD}
    out = set()
    for arg in state.args:
        ev, filler = by_id.get(arg.event_id), by_id.get(arg.span_id)
        if ev is not None and filler is not None:
            out.add(((ev.start, ev.end, ev.label), arg.role, (filler.start, filler.end, filler.label)))
    return out


async def args_phase(oracle: Oracle, gold: GoldArticle) -> None:
    """Attach every gold argument ([ / ] + y on a suggested one, else r, the role, j / k, Enter);
    remove (X) the attached ones gold does not have."""
    for _ in range(MAX_STEPS):
        session = oracle.session
        have = _current_args(session)
        extra = sorted(have - gold.args)
        missing = sorted(gold.args - have)
        if not extra and not missing:
            return
        event_key, role, filler = (extra or missing)[0]
        events = [i for i in session.state.items if i.kind == EVENT and (i.start, i.end, i.label) == event_key]
        event = next((i for i in events if i.state == GOLD), events[0] if events and not extra else None)
        if event is None:
            raise Unreachable(f"no gold trigger for an argument at {event_key}")
        await oracle.go_to_item(event)
        frame = oracle.session.frame()
        rows = list(frame.choices) if frame else []
        state_wanted = ATTACHED if extra else SUGGESTED

        def matches(row: Any) -> bool:
            if row.role != role or row.state != state_wanted:
                return False
            if row.state == SUGGESTED:
                return (row.hint.start, row.hint.end, row.hint.label) == filler
            item = oracle.session.state.find(row.filler_key) if row.filler_key else None
            return item is not None and (item.start, item.end, item.label) == filler

        index = next((n for n, row in enumerate(rows) if matches(row)), None)
        if extra:
            if index is None:
                raise Unreachable("an attached argument is not in the frame")
            await select_row(oracle, index, len(rows))
            await oracle.act("arg", "remove_arg")
            continue
        if index is not None:
            await select_row(oracle, index, len(rows))
            await oracle.act("arg", "accept_arg")
            continue
        await oracle.act("arg", "add_arg")
        await oracle.pick_in_picker("arg", list(oracle.svc.config.event_roles.get(event.label, ())), role)
        target = next((i for i in oracle.session.navigable() if (i.start, i.end, i.label) == filler), None)
        if target is None:
            raise Unreachable(f"no span for the filler {filler}")
        await oracle.go_to_item(target)
        await oracle.act("arg", "attach_arg")
    raise Unreachable("arguments did not converge")


async def select_row(oracle: Oracle, index: int, count: int) -> None:
    row = oracle.session.frame_row
    forward = (index - row) % count
    backward = (row - index) % count
    if forward <= backward:
        await oracle.press("arg", *[oracle.k["arg_next"]] * forward)
    else:
        await oracle.press("arg", *[oracle.k["arg_prev"]] * backward)


# -- the run ---------------------------------------------------------------------------------


def prepare(db: Path, golds: Sequence[GoldArticle], baseline: bool,
            suggest: Callable[[Service], None] | None = None, kb: str = "empty") -> None:
    """A database with the articles' texts (and the app's suggestions), configured for the run;
    ``kb`` "starter": the shipped starter knowledge base imported first (before suggesting: the
    suggester reads the known names)."""
    folder = Path(tempfile.mkdtemp(prefix="keys_to_gold_"))
    try:
        for g in golds:
            (folder / Path(g.source).name).write_text(g.text, encoding="utf-8", newline="")
        if baseline:
            (db.parent / "glossator.toml").write_text(
                "[review]\npropagate_links = false\nconfident_links = false\nresize_propagates = false\n", encoding="utf-8")
        svc = Service.open(db, annotator=ANNOTATOR)
        try:
            if kb == "starter":
                svc.entities.import_builtin("starter")  # what `glossator entities import --builtin starter` runs
            svc.data.ingest(sorted(folder.iterdir()))
            (suggest or suggest_with_model)(svc)
        finally:
            svc.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def suggest_with_model(svc: Service) -> None:
    """The app's own suggestions: the project's suggester (spaCy model and event lexicon)."""
    from annotate.suggest.run import compute

    plan = svc.learn.suggest_plan()
    for batch in compute(plan):
        svc.learn.save_suggestions(plan, batch)


async def run_app(svc: Service, golds: Sequence[GoldArticle], tally: Tally,
                  accept_all: bool = True, unlinked: bool = True) -> list[dict[str, Any]]:
    """Open the app, review every article by keys; returns the per-article figures."""
    from tui.app import GlossatorApp
    from tui.screens.article.screen import ArticleScreen

    by_text = {g.text: g for g in golds}
    rows: list[dict[str, Any]] = []
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        oracle = Oracle(app, pilot, svc, tally, accept_all, unlinked)
        await pilot.pause()
        await oracle.press("open", "enter")
        seen: set[str] = set()
        while isinstance(app.screen, ArticleScreen) and app.screen.article_id not in seen:
            screen = app.screen
            seen.add(screen.article_id)
            gold = by_text[screen.state.article.text]
            tally.article = Counter()

            error = None
            try:
                await review_article(oracle, gold, screen.article_id)
            except Unreachable as exc:
                error = str(exc)
            keys = sum(tally.article.values())
            print(f"{gold.source}: {keys} keys / {gold.items} items{' FAILED: ' + error if error else ''}",
                  file=sys.stderr, flush=True)
            rows.append({"article": gold.source, "keys": keys, "gold_items": gold.items,
                         "keys_per_item": round(keys / max(gold.items, 1), 3), "error": error})
            if error:
                break
            await pilot.pause()
    return rows


def exported(svc: Service) -> dict[str, GoldArticle]:
    """The database's gold export (JSONL, this annotator), by text."""
    from annotate.formats.jsonl import export_jsonl

    out = Path(tempfile.mkdtemp(prefix="keys_export_")) / "gold.jsonl"
    try:
        export_jsonl(svc.store, out, annotator=ANNOTATOR)
        return {g.text: g for g in read_gold(out)}
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)


def differences(golds: Sequence[GoldArticle], got: dict[str, GoldArticle]) -> list[str]:
    """What the export lacks or has in excess, per article (empty: the gold was reached)."""
    problems = []
    for g in golds:
        e = got.get(g.text)
        if e is None:
            problems.append(f"{g.source}: not exported (not done?)")
            continue
        for name in ("spans", "events", "args"):
            want, have = getattr(g, name), getattr(e, name)
            want_set = set(want.items()) if isinstance(want, dict) else set(want)
            have_set = set(have.items()) if isinstance(have, dict) else set(have)
            if want_set != have_set:
                problems.append(f"{g.source}: {name} missing {sorted(want_set - have_set)[:3]} "
                                f"extra {sorted(have_set - want_set)[:3]}")
    return problems


def run(gold_path: Path, db: Path | None = None, prefixes: Sequence[str] = (), baseline: bool = False,
        suggest: Callable[[Service], None] | None = None, kb: str = "empty",
        accept_all: bool = True, unlinked: bool = True) -> dict[str, Any]:
    """The whole measurement; returns the figures (``reached``: the export equals the gold)."""
    golds = [g for g in read_gold(gold_path) if not prefixes or any(g.source.startswith(p) for p in prefixes)]
    work = Path(tempfile.mkdtemp(prefix="keys_db_"))
    path = work / "oracle.db"
    try:
        prepare(path, golds, baseline, suggest, kb)
        svc = Service.open(path, annotator=ANNOTATOR)
        tally = Tally()
        try:
            rows = asyncio.run(run_app(svc, golds, tally, accept_all, unlinked))
            problems = differences(golds, exported(svc))
        finally:
            svc.close()
        if db is not None:
            db.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, db)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    keys = sum(tally.by_action.values())
    items = sum(g.items for g in golds)
    return {"keys": keys, "gold_items": items, "keys_per_item": round(keys / max(items, 1), 3),
            "baseline": baseline, "kb": kb, "accept_all": accept_all, "unlinked_keys": unlinked, "articles": rows, "by_action": dict(tally.by_action.most_common()),
            "reached": not problems and all(r["error"] is None for r in rows), "problems": problems}


def configurations(kb: str, baseline_only: bool, with_baseline: bool) -> list[tuple[str, bool]]:
    """(knowledge base, baseline) pairs to run: ours for each knowledge base, then the baseline."""
    kbs = ["empty", "starter"] if kb == "both" else [kb]
    if baseline_only:
        return [(k, True) for k in kbs]
    return [(k, False) for k in kbs] + ([(k, True) for k in kbs] if with_baseline else [])


def describe(result: dict[str, Any]) -> str:
    mode = "baseline (propagation and confident links off)" if result["baseline"] else "ours"
    kb = "the starter knowledge base" if result["kb"] == "starter" else "an empty knowledge base"
    return f"{mode}, {kb}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, required=True, help="gold in our JSONL export shape")
    parser.add_argument("--db", type=Path, help="write the resulting database here (of the first run)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--articles", nargs="*", default=[], help="only articles whose source starts so")
    parser.add_argument("--baseline", action="store_true", help="only the baseline: propagation and confident links off")
    parser.add_argument("--no-baseline", action="store_true", help="ours only")
    parser.add_argument("--no-unlinked-keys", action="store_true",
                        help="the oracle without `m` / `M` (the next mention accept-all leaves unlinked), to compare")
    parser.add_argument("--kb", choices=["empty", "starter", "both"], default="empty",
                        help="start from an empty knowledge base, the shipped starter one, or run both")
    args = parser.parse_args(argv)
    results = []
    for n, (kb, baseline) in enumerate(configurations(args.kb, args.baseline, not args.no_baseline)):
        results.append(run(args.gold, args.db if n == 0 else None, args.articles, baseline, kb=kb,
                           unlinked=not args.no_unlinked_keys))
    reached = all(r["reached"] for r in results)
    if args.json:
        print(json.dumps({**results[0], "runs": results}, ensure_ascii=False))
        return 0 if reached else 1
    for result in results:
        print(f"keys to gold, {describe(result)}")
        for row in result["articles"]:
            print(f"  {row['article']:<32} {row['keys']:>5} keys / {row['gold_items']:>4} items = "
                  f"{row['keys_per_item']:.2f}" + (f"  FAILED: {row['error']}" if row["error"] else ""))
        print(f"  {'overall':<32} {result['keys']:>5} keys / {result['gold_items']:>4} items = "
              f"{result['keys_per_item']:.2f} keys per gold item")
        print("  by action: " + ", ".join(f"{k} {v}" for k, v in result["by_action"].items()))
        for problem in result["problems"]:
            print(f"  differs: {problem}")
    if len(results) > 1:
        print("summary: " + "; ".join(f"{describe(r)} {r['keys_per_item']:.2f}" for r in results))
    return 0 if reached else 1


if __name__ == "__main__":
    raise SystemExit(main())

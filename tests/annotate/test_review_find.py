"""Find in the article (issue 14.5): the matching, textual-free, and the session's jump."""

from __future__ import annotations

from annotate.review.find import find_hits, fold, next_hit
from annotate.review.session import ReviewSession
from annotate.review.state import ReviewState
from store.models import Article

TEXT = "L’Irak et les États-Unis.\nÉtats   unis ; l'irak, Œuvre, IRAK."


def test_case_accents_apostrophes_and_ligatures_are_ignored() -> None:
    assert fold("L’Œuvre ÉTÉ") == "l'oeuvre ete"
    assert find_hits(TEXT, "irak") == [2, TEXT.index("irak"), TEXT.index("IRAK")]
    assert find_hits(TEXT, "etats-unis") == [TEXT.index("États-Unis")]
    assert find_hits(TEXT, "l'irak") == [0, TEXT.index("l'irak")]  # ’ typed as '
    assert find_hits(TEXT, "oeuvre") == [TEXT.index("Œuvre")]


def test_offsets_are_into_the_verbatim_text_and_blank_finds_nothing() -> None:
    text = "ﬁn de l’ﬁn"  # a ligature that folds to two characters shifts nothing after it
    assert [text[h:h + 1] for h in find_hits(text, "l'")] == ["l"]
    assert find_hits(TEXT, "") == [] and find_hits(TEXT, "   ") == []
    assert find_hits(TEXT, "absent") == []


def test_next_hit_wraps_round_both_ways() -> None:
    hits = [3, 10, 20]
    assert next_hit(hits, 4) == (10, False)
    assert next_hit(hits, 10) == (10, False)
    assert next_hit(hits, 21) == (3, True)
    assert next_hit(hits, 10, -1) == (3, False)
    assert next_hit(hits, 3, -1) == (20, True)
    assert next_hit([], 0) == (None, False)


def session(text: str) -> ReviewSession:
    article = Article(id="a", source="a.txt", title="", date=None, text=text)
    return ReviewSession(ReviewState(article=article, annotator="alice", items=()))


def test_the_session_jumps_after_the_cursor_token_and_remembers_the_query() -> None:
    s = session(TEXT)
    assert s.find("irak") == (1, 3, False)  # the cursor is on "L’": its "Irak" is the next token
    assert s.cursor_offset == 2 and s.last_find == "irak"
    assert s.find("irak") == (2, 3, False)
    assert s.cursor_offset == TEXT.index("irak")
    assert s.find("irak") == (3, 3, False)
    assert s.find("irak") == (1, 3, True)  # round to the top
    assert s.find("irak", -1) == (3, 3, True)
    before = s.cursor
    assert s.find("absent") == (0, 0, False) and s.cursor == before


def test_while_selecting_a_find_grows_the_selection_to_the_hit() -> None:
    s = session(TEXT)
    s.find("etats")
    s.toggle_selection()
    s.find("unis")
    assert s.selection == (TEXT.index("États"), TEXT.index("unis") + 4)

"""The dashboard shows the project's own learning curve, read from the newest model (issue 16.4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Static

from annotate.service import Service
from tests.paths import SIZE
from tui.app import GlossatorApp
from tui.screens.dashboard import DashboardScreen, curve_plot

pytestmark = pytest.mark.anyio

CURVE = [{"k": 0, "gold_spans": 0, "held_out": 3, "f1": 0.25}, {"k": 1, "gold_spans": 57, "held_out": 2, "f1": 0.5},
         {"k": 2, "gold_spans": 130, "held_out": 1, "f1": 1.0}]


def curve_shown(app: GlossatorApp) -> str:
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    return str(screen.query_one("#dash-curve", Static).content)


def test_the_plot_has_one_bar_per_point_as_high_as_its_f1_on_an_axis_in_tenths() -> None:
    lines = curve_plot(CURVE, rows=4).plain.splitlines()
    bars = lines[1:5]  # the values line, then 4 rows top down
    assert "0.25" in lines[0] and "1.00" in lines[0]
    width = 6
    tops = []
    for n in range(len(CURVE)):
        cells = [row[7 + n * width] for row in bars]
        tops.append(sum(1 for c in cells if c == "█"))
    # The axis runs from 0.1 (a tenth under the lowest value) to 1.0: 0.25, 0.5 and 1.0 fill 0.67,
    # 1.8 and 4 of its 4 rows.
    assert tops == [0, 1, 4]
    assert bars[0].startswith("F1 1.0┤") and bars[-1].startswith("   0.1┤")
    assert bars[-1][7] == "▅"  # 0.67 of a row: 5 eighths
    assert lines[5].split() == ["0", "57", "130"]


async def test_dashboard_says_no_model_then_shows_the_newest_curve(svc: Service, tmp_path: Path) -> None:
    app = GlossatorApp(svc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("D")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "no model trained yet" in curve_shown(app)
        for n, curve in ((1, CURVE[:1]), (2, CURVE)):
            folder = tmp_path / "g.models" / f"v{n}"
            folder.mkdir(parents=True)
            (folder / "meta.json").write_text(json.dumps({"version": f"v{n}", "documents": 3, "entity_spans": 130,
                                                           "event_spans": 9, "curve": curve, "seconds": 2.0}))
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = curve_shown(app)
        assert "model v2" in shown and "trained on 3 done articles" in shown
        assert "0.50" in shown and "130" in shown and "█" in shown

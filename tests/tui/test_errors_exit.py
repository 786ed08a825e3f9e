"""An unhandled error while a screen is drawn ends the app with the error, never a frozen screen."""

from __future__ import annotations

from dataclasses import replace

import pytest
from rich.color import ColorParseError

from annotate.config import Label
from tests.tui.support import first_id
from tui.app import GlossatorApp

pytestmark = pytest.mark.anyio


@pytest.mark.timeout(60)
async def test_an_error_while_painting_exits_with_the_error(review_svc) -> None:
    """A colour Rich cannot parse raises inside ``Style.__init__``; Textual's traceback of it (with
    locals, one being the half-built Style) raised too, and the app froze: no exit, keys dead."""
    svc = review_svc
    # The config check refuses such a colour now (test_config_colors); here it slips past it.
    svc.config = replace(svc.config, labels=tuple(Label(lab.name, lab.key, "notacolor") for lab in svc.config.labels))
    app = GlossatorApp(svc)
    with pytest.raises(ColorParseError):
        async with app.run_test(size=(120, 40)) as pilot:
            app.jump_to_article(first_id(svc))
            await pilot.pause()
            await pilot.pause()
            assert not app.is_running  # it exits instead of waiting with every key dead
            assert app.return_code == 1  # exiting, with the traceback as its message

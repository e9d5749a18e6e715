"""The library screen, driven by Pilot over the real bundled sessions."""

from __future__ import annotations

import shutil
from pathlib import Path

from coach.core.places import find_places
from coach.ui.screens.editor import EditorScreen
from coach.ui.screens.library import LibraryScreen
from coach.ui.widgets.session_details import SessionDetails
from coach.ui.widgets.session_preview import SessionPreview
from tests.conftest import ROOT
from tests.helpers import ManualClock, make_app


async def test_every_session_shows_its_details(coach_home: Path) -> None:
    async with make_app(ManualClock()).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        library = pilot.app.screen
        assert isinstance(library, LibraryScreen)
        details = {}
        for _ in library.shown:
            entry = library.highlighted_entry()
            details[entry.id] = str(library.query_one(SessionDetails).render())
            assert entry.session.title in details[entry.id]
            await pilot.press("down")
            await pilot.pause()
        assert len(details) == len(library.shown)
        assert "Open silence  (as long as you like)" in details["open-sitting"]


async def test_the_editor_previews_an_open_ended_session(coach_home: Path) -> None:
    places = find_places()
    places.sessions.mkdir(parents=True)
    mine = places.sessions / "sitting.toml"
    shutil.copy(ROOT / "sessions" / "open-sitting.toml", mine)
    app = make_app(ManualClock())
    app.edit = mine
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, EditorScreen)
        preview = str(pilot.app.screen.query_one(SessionPreview).render())
        assert "as long as you like" in preview

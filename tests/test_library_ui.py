"""The library screen, driven by Pilot over the real bundled sessions."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from textual.geometry import Region
from textual.widgets import OptionList
from textual.widgets._footer import FooterKey

from coach.core.library import load_library
from coach.core.places import find_places
from coach.core.safety import SOON, URGENT
from coach.core.settings import Settings
from coach.ui.app import CoachApp
from coach.ui.screens.editor import EditorScreen
from coach.ui.screens.library import LibraryScreen
from coach.ui.screens.notice import NoticeScreen
from coach.ui.widgets.session_details import SessionDetails
from coach.ui.widgets.session_preview import SessionPreview
from tests.conftest import ROOT
from tests.helpers import ManualClock, make_app


def test_the_app_loads_no_practice_screens_or_store_before_the_library_is_drawn() -> None:
    """They are loaded when first needed: the library's first frame waits for none of them."""
    later = ("coach.ui.screens.player", "coach.ui.screens.rating", "coach.ui.screens.summary",
             "coach.core.store", "sqlite3", "coach.audio")
    code = ("import sys, coach.cli, coach.ui.app; "
            f"sys.stderr.write(' '.join(m for m in {later!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and done.stderr == ""


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


async def test_a_short_untagged_session_of_your_own_reads_right(coach_home: Path) -> None:
    places = find_places()
    places.sessions.mkdir(parents=True)
    (places.sessions / "short.toml").write_text(
        'format = 1\ntitle = "A short pause"\nsummary = "Just a moment."\n\n'
        '[[steps]]\nkind = "guide"\nseconds = 47\ntext = "Rest."\n', "utf-8")
    async with make_app(ManualClock()).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        sessions = pilot.app.screen.query_one("#sessions", OptionList)
        prompts = [str(sessions.get_option_at_index(i).prompt)
                   for i in range(sessions.option_count)]
        assert "A short pause\n47 s · yours" in prompts


async def test_the_panes_stack_when_the_terminal_is_narrow(coach_home: Path) -> None:
    async with make_app(ManualClock()).run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        sessions, details = screen.query_one("#sessions"), screen.query_one("#details-pane")
        assert details.region.y >= sessions.region.bottom  # one above the other
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert details.region.x >= sessions.region.right  # side by side
        assert sessions.region.y == details.region.y


async def test_a_small_terminal_keeps_the_chosen_session_in_sight(coach_home: Path) -> None:
    async with make_app(ManualClock()).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        library = pilot.app.screen
        sessions = library.query_one("#sessions", OptionList)
        details = library.query_one("#details-pane")
        for chosen in (len(library.shown) - 2, 0):
            sessions.highlighted = chosen
            await pilot.pause()
            await pilot.resize_terminal(40, 12)
            await pilot.pause()
            await pilot.pause()  # the scroll comes after the refresh that follows the resize
            assert not details.display  # the list alone, rather than a line of each
            shown = "".join(strip.text for strip in sessions.render_lines(
                Region(0, 0, *sessions.size)))
            assert library.highlighted_entry().session.title in shown
            await pilot.resize_terminal(80, 24)
            await pilot.pause()
            assert details.display


async def test_the_safety_notes_can_be_read_again_from_the_command_palette() -> None:
    async with make_app(ManualClock()).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"safety")
        await pilot.pause(0.3)  # the palette searches off the key handler
        await pilot.press("enter")
        await pilot.pause()
        notice = pilot.app.screen
        assert isinstance(notice, NoticeScreen)
        text = " ".join(str(s.render()) for s in notice.query("Static"))
        assert URGENT in text and SOON in text
        await pilot.press("escape")  # closes it, as its one button does
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)


def footer_keys(screen) -> list[str]:  # type: ignore[no-untyped-def]
    return [key.description for key in screen.query(FooterKey)
            if not key.has_class("-command-palette")]


async def test_notices_show_their_keys_in_the_footer_and_the_first_must_be_read() -> None:
    """In a small terminal a notice's buttons are below its first view: its footer says
    which keys go on and back. The first-run notice has no way back."""
    places = find_places()
    app = CoachApp(load_library(places), places, Settings(notice_seen=False, sound=False),
                   clock=ManualClock(), sound=False)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        notice = pilot.app.screen
        assert isinstance(notice, NoticeScreen)
        assert footer_keys(notice) == ["Go on"]
        await pilot.press("down", "escape")  # the arrows scroll; escape doesn't skip it
        await pilot.pause()
        assert pilot.app.screen is notice and notice.query_one(".dialog").scroll_y > 0
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"box", "enter")  # box has a caution
        await pilot.pause()
        caution = pilot.app.screen
        assert isinstance(caution, NoticeScreen) and caution is not notice
        assert footer_keys(caution) == ["Go on", "Back"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)


async def test_after_the_first_run_notice_no_option_loses_a_wrapped_line() -> None:
    places = find_places()
    app = CoachApp(load_library(places), places, Settings(notice_seen=False, sound=False),
                   clock=ManualClock(), sound=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # "I understand"
        await pilot.pause()
        sessions = app.screen.query_one("#sessions", OptionList)
        shown = " ".join(sessions.render_line(y).text.strip()
                         for y in range(sessions.size.height))
        # Its tags wrap to a third line once the list's scrollbar takes two columns.
        assert "Calm breathing 5 min · breathing, stress, beginner" in shown


async def test_a_filter_that_matches_nothing_says_so_in_the_list() -> None:
    async with make_app(ManualClock()).run_test(size=(40, 14)) as pilot:  # no details pane
        await pilot.pause()
        library = pilot.app.screen
        await pilot.press(*"zzzz")
        await pilot.pause()
        sessions = library.query_one("#sessions", OptionList)
        shown = " ".join(sessions.render_line(y).text.strip()
                         for y in range(sessions.size.height))
        assert "No session matches" in shown
        await pilot.press("enter", "down")  # nothing to start or move to
        await pilot.pause()
        assert pilot.app.screen is library and library.highlighted_entry() is None
        await pilot.press("escape")
        await pilot.pause()
        assert library.highlighted_entry() is not None

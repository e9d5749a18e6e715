"""Every key in sight in the footers, from 80 columns down to 40 (coach/ui/keys.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.screen import Screen
from textual.widgets._footer import FooterKey

from coach.ui.screens.editor import EditorScreen
from coach.ui.screens.library import LibraryScreen
from coach.ui.screens.player import PlayerScreen
from coach.ui.screens.review import ReviewScreen
from tests.helpers import ManualClock, make_app, player_of
from tests.test_editor import editor_app, write_session
from tests.test_player import start_session

SIZES = [(40, 12), (53, 14), (54, 14), (60, 20), (75, 24), (76, 24), (80, 24), (120, 40)]


def keys_in_sight(screen: Screen) -> tuple[list[str], list[str]]:
    """The footer's keys wholly on screen, and those cut or hidden (the palette's key, at
    the right, is drawn over what runs under it), by description."""
    keys = list(screen.query(FooterKey))
    over = [key.region for key in keys if key.has_class("-command-palette") and key.display]
    whole, cut = [], []
    for key in keys:
        if key.has_class("-command-palette"):
            continue
        seen = key.display and screen.region.contains_region(key.region) and \
            key.region.width >= key.get_content_width(screen.size, screen.size) and \
            not any(key.region.overlaps(palette) for palette in over)
        (whole if seen else cut).append(key.description)
    return whole, cut


@pytest.mark.parametrize("size", SIZES)
async def test_the_players_keys_are_all_in_sight_paused_and_muted(
        size: tuple[int, int]) -> None:
    clock = ManualClock()
    async with make_app(clock, start="box").run_test(size=size) as pilot:
        await start_session(pilot, clock)
        await pilot.press("space", "m")  # the longest words: Resume, Sound on
        await pilot.pause()
        whole, cut = keys_in_sight(player_of(pilot.app))
        assert whole == ["Resume", "Next step", "End", "Sound on", "Help"] and not cut


async def test_the_players_guidance_leaves_room_for_two_rows_of_keys() -> None:
    clock = ManualClock()
    async with make_app(clock, start="box").run_test(size=(40, 12)) as pilot:
        player = await start_session(pilot, clock)
        assert isinstance(player, PlayerScreen)
        footer = player.query_one("KeysFooter")
        assert footer.region.height == 2
        assert player.query_one("#guidance").region.bottom < footer.region.y  # the margin
        assert player.query_one("#stage").region.height >= 3  # the pacer keeps its minimum


@pytest.mark.parametrize("size", SIZES)
async def test_the_librarys_keys_are_all_in_sight(size: tuple[int, int]) -> None:
    async with make_app(ManualClock()).run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)
        whole, cut = keys_in_sight(pilot.app.screen)
        assert {"Start", "Review", "Edit", "Settings", "Quit"} <= set(whole) and not cut


@pytest.mark.parametrize("size", SIZES)
async def test_the_reviews_keys_are_all_in_sight(coach_home: Path,
                                                 size: tuple[int, int]) -> None:
    async with make_app(ManualClock()).run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("t")  # the runs: two keys more, to sort them
        await pilot.pause()
        assert isinstance(pilot.app.screen, ReviewScreen)
        whole, cut = keys_in_sight(pilot.app.screen)
        assert {"Back", "Overview", "Runs", "Sort", "Reverse", "Filter"} <= set(whole)
        assert not cut


@pytest.mark.parametrize("size", SIZES)
async def test_the_editors_keys_are_all_in_sight(coach_home: Path,
                                                 size: tuple[int, int]) -> None:
    async with editor_app(write_session(coach_home)).run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, EditorScreen)
        whole, cut = keys_in_sight(pilot.app.screen)
        assert {"Save", "Try it", "Next problem", "Close"} <= set(whole) and not cut


async def test_a_resize_back_to_80_columns_gives_the_palette_its_key_again() -> None:
    async with make_app(ManualClock()).run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        palette = pilot.app.screen.query_one("FooterKey.-command-palette")
        assert not palette.display  # ctrl+p still opens it
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert pilot.app.screen.query_one("FooterKey.-command-palette").display


async def test_a_dialog_covers_both_rows_of_the_footer_beneath() -> None:
    clock = ManualClock()
    async with make_app(clock, start="box").run_test(size=(50, 14)) as pilot:
        player = await start_session(pilot, clock)
        await pilot.press("escape")  # "End the session?"
        await pilot.pause()
        dialog = pilot.app.screen
        assert dialog is not player
        beneath = player.query_one("KeysFooter").region
        assert beneath.height == 2
        assert dialog.query_one("Footer").region.contains_region(beneath)

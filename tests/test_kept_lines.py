"""Lines kept by the player's widgets are always the lines Textual would draw for them now."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.selection import Selection
from textual.strip import Strip

from coach.core.model import PhaseKind
from coach.ui.kept_lines import MOST_KEPT, KeptLines
from coach.ui.screens.help import HelpScreen
from coach.ui.screens.player import PlayerScreen
from coach.ui.widgets.big_count import BigCount
from coach.ui.widgets.plain_text import PlainText
from tests.helpers import ManualClock, make_app, player_of
from tests.test_player import start_session, step_to


def drawn(lines: list[Strip]) -> list[list[tuple[str, object]]]:
    return [[(segment.text, segment.style) for segment in strip] for strip in lines]


def assert_kept_lines_fresh(player: PlayerScreen) -> int:
    """Each kept widget's lines, as the compositor gets them, against Textual's own drawing
    of it now (the class after KeptLines); returns how many widgets were compared."""
    compared = 0
    for widget in player.walk_children(with_self=True):
        if isinstance(widget, KeptLines) and widget.display and widget.outer_size.area:
            crop = Region(0, 0, *widget.outer_size)
            fresh = super(KeptLines, widget).render_lines(crop)
            assert drawn(widget.render_lines(crop)) == drawn(fresh), widget
            compared += 1
    return compared


@pytest.mark.parametrize("reduced_motion", [True, False])
async def test_kept_lines_follow_every_change_on_the_player(reduced_motion: bool) -> None:
    clock = ManualClock()
    app = make_app(clock, start="box", reduced_motion=reduced_motion)
    async with app.run_test(size=(80, 24)) as pilot:
        player = await start_session(pilot, clock)
        inhale = next(p for p in player.timeline.phases if p.kind is PhaseKind.INHALE)
        # Second by second through the first breaths: the count, the phase word and the
        # step's texts change, and the same values come back.
        for second in range(int(inhale.start) + 10):
            await step_to(pilot, clock, player, second + 0.5)
            assert assert_kept_lines_fresh(player) == (7 if reduced_motion else 6)
        await pilot.press("space")  # paused: another phase word, and the keys change
        await pilot.pause()
        assert_kept_lines_fresh(player)
        await pilot.press("space")
        for theme in ("coach-night", "textual-light", "monokai", "textual-dark"):
            app.theme = theme
            await pilot.pause()
            assert_kept_lines_fresh(player)
        # Values drawn before the new theme come back, each drawn in the theme shown.
        for _ in range(16):
            await step_to(pilot, clock, player, player.elapsed() + 1)
            assert_kept_lines_fresh(player)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert_kept_lines_fresh(player)
        await pilot.press("question_mark")  # the player beneath a dialog
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert_kept_lines_fresh(player)
        await pilot.press("x")
        await pilot.pause()
        # A selection is drawn into the lines: made, then kept while the values change.
        selected = player.query_one(BigCount if reduced_motion else PlainText)
        player.selections = {selected: Selection(None, None)}
        await pilot.pause()
        assert_kept_lines_fresh(player)
        for _ in range(3):
            await step_to(pilot, clock, player, player.elapsed() + 1)
            assert_kept_lines_fresh(player)
        player.selections = {}
        await pilot.pause()
        assert_kept_lines_fresh(player)
        assert player_of(app) is player


class AnsiText(App[None]):
    """Text whose own styles no theme changes, in an ANSI colour, which each theme draws
    in its own way."""

    CSS = "PlainText { color: ansi_bright_red; background: #000000; }"

    def compose(self) -> ComposeResult:
        yield PlainText(id="text")

    def on_mount(self) -> None:
        self.query_one(PlainText).show("Breathe in")


async def test_kept_lines_go_with_the_theme_that_drew_them() -> None:
    """Textual repaints every widget for a new theme, even one whose styles are the same."""
    app = AnsiText()
    async with app.run_test(size=(30, 3)) as pilot:
        text = app.query_one(PlainText)
        crop = Region(0, 0, *text.outer_size)
        dark = drawn(text.render_lines(crop))
        app.theme = "textual-light"
        await pilot.pause()
        assert drawn(text.render_lines(crop)) == drawn(super(KeptLines, text).render_lines(crop))
        assert drawn(text.render_lines(crop)) != dark


async def test_the_count_keeps_each_value_and_the_mouse_does_not_push_them_out() -> None:
    clock = ManualClock()
    async with make_app(clock, start="box", reduced_motion=True).run_test(
            size=(80, 24)) as pilot:
        player = await start_session(pilot, clock)
        count = player.query_one(BigCount)
        crop = Region(0, 0, *count.outer_size)
        inhale = next(p for p in player.timeline.phases if p.kind is PhaseKind.INHALE)
        await step_to(pilot, clock, player, inhale.start + 0.5)
        first = count.render_lines(crop)
        for second in range(1, 5):  # through the hold, to the same count of the out-breath
            await step_to(pilot, clock, player, inhale.start + 0.5 + second * 2)
        await step_to(pilot, clock, player, inhale.start + 8.5)
        assert count.value == "4" and count.render_lines(crop) is first
        # The mouse asks for single rows, here of a screen taller than the lines kept.
        await pilot.resize_terminal(80, MOST_KEPT + 10)
        await pilot.pause()
        whole = Region(0, 0, *player.outer_size)
        kept = player.render_lines(whole)
        for row in range(whole.height):
            player.render_lines(Region(0, row, whole.width, 1))
        assert player.render_lines(whole) is kept


class Texts(App[None]):
    def compose(self) -> ComposeResult:
        yield PlainText(id="text")


async def test_plain_text_keeps_lines_by_the_text_shown_however_it_came() -> None:
    async with Texts().run_test(size=(30, 3)) as pilot:
        text = pilot.app.query_one(PlainText)
        for shown in ("Hold", "Breathe in"):
            text.show(shown)
            await pilot.pause()
        text.update("Rest")  # past show(), as Static allows
        await pilot.pause()
        for shown in ("Breathe out", "Hold", "Breathe in", "Rest"):
            text.show(shown)
            await pilot.pause()
            crop = Region(0, 0, *text.outer_size)
            lines = text.render_lines(crop)
            assert lines[0].text.strip() == shown
            assert drawn(lines) == drawn(super(KeptLines, text).render_lines(crop))

"""The player driven by Pilot with a clock the test moves: whole sessions in milliseconds."""

from __future__ import annotations

import gc
import math
import textwrap
from pathlib import Path

import pytest
from rich.color import Color
from rich.console import Console
from textual.geometry import Region
from textual.renderables.digits import Digits as DigitsRenderable
from textual.widgets import Button, Static
from textual.widgets._footer import FooterKey

from coach.core.model import PhaseKind
from coach.core.store import Outcome
from coach.ui.screens.confirm import ConfirmScreen
from coach.ui.screens.help import HelpScreen
from coach.ui.screens.notice import NoticeScreen
from coach.ui.screens.player import PlayerScreen
from coach.ui.screens.rating import RatingScreen
from coach.ui.screens.too_small import TooSmallScreen
from coach.ui.widgets.big_count import BigCount
from coach.ui.widgets.pacer import Pacer
from tests.helpers import ManualClock, make_app, player_of


async def start_session(pilot, clock: ManualClock) -> PlayerScreen:
    await pilot.pause()
    assert isinstance(pilot.app.screen, NoticeScreen)  # the session's caution comes first
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, RatingScreen)  # then the pain before
    await pilot.press("5", "enter")
    await pilot.pause()
    return player_of(pilot.app)


async def step_to(pilot, clock: ManualClock, player: PlayerScreen, elapsed: float) -> None:
    clock.advance(elapsed - player.elapsed())
    player.sample()
    await pilot.pause()


async def test_a_whole_bundled_session_runs_to_the_end() -> None:
    clock = ManualClock()
    app = make_app(clock, start="box")
    async with app.run_test(size=(80, 24)) as pilot:
        player = await start_session(pilot, clock)
        kinds = []
        for phase in player.timeline.phases:
            await step_to(pilot, clock, player, phase.start + phase.seconds / 2)
            kinds.append(player.query_one("#phase-word").render().plain.split("  ")[0])
        assert kinds[:6] == ["Get ready", "Settle", "Breathe in", "Hold", "Breathe out", "Rest"]
        await step_to(pilot, clock, player, player.timeline.total)
    assert app.last_ending.outcome == Outcome.COMPLETED
    assert app.last_ending.practised_seconds == pytest.approx(player.timeline.total)


async def test_pause_resume_keeps_later_boundaries_exact() -> None:
    clock = ManualClock()
    async with make_app(clock, start="box").run_test(size=(80, 24)) as pilot:
        player = await start_session(pilot, clock)
        timeline = player.timeline
        first_inhale = next(p for p in timeline.phases if p.kind == PhaseKind.INHALE)
        await step_to(pilot, clock, player, first_inhale.start + 1.5)
        await pilot.press("space")
        clock.advance(300)  # five minutes on pause
        player.sample()
        await pilot.pause()
        assert player.elapsed() == pytest.approx(first_inhale.start + 1.5)
        assert "Paused" in str(player.query_one("#phase-word").render())
        await pilot.press("space")
        # The in-breath goes on where it stopped: 2.5 s left, then the hold.
        clock.advance(2.5 - 1e-6)
        player.sample()
        assert player.timeline.position_at(player.elapsed()).phase == first_inhale
        clock.advance(2e-6)
        player.sample()
        assert player.timeline.position_at(player.elapsed()).phase.kind == PhaseKind.HOLD


async def test_skip_moves_to_the_next_step_and_past_the_last_ends() -> None:
    clock = ManualClock()
    app = make_app(clock, start="box")
    async with app.run_test(size=(80, 24)) as pilot:
        player = await start_session(pilot, clock)
        await pilot.press("n")
        assert player.elapsed() == player.timeline.steps[0].start
        await pilot.press("right")
        assert player.elapsed() == player.timeline.steps[1].start
        clock.advance(3)  # three seconds of the breathing are practised, the rest skipped
        await pilot.press("n", "n")
        await pilot.pause()
    assert app.last_ending.outcome == Outcome.COMPLETED
    assert app.last_ending.practised_seconds == pytest.approx(3)


async def test_end_early_asks_first() -> None:
    clock = ManualClock()
    app = make_app(clock, start="box")
    async with app.run_test(size=(80, 24)) as pilot:
        player = await start_session(pilot, clock)
        await step_to(pilot, clock, player, 42)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        clock.advance(30)  # the session waits while the question is open
        await pilot.press("n")  # no: go on
        await pilot.pause()
        assert app.screen is player and player.paused_at is None
        assert player.elapsed() == pytest.approx(42)
        await pilot.press("space", "escape")  # paused before: still paused after going on
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert player.paused_at is not None
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.last_ending.outcome == Outcome.ENDED_EARLY
    assert app.last_ending.practised_seconds == pytest.approx(42)


async def test_resize_mid_session_keeps_the_timing() -> None:
    clock = ManualClock()
    async with make_app(clock, start="box").run_test(size=(80, 24)) as pilot:
        player = await start_session(pilot, clock)
        await step_to(pilot, clock, player, 30.3)
        steps_before = player.query_one(Pacer).steps
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert player.elapsed() == pytest.approx(30.3)
        assert player.query_one(Pacer).steps > steps_before
        await step_to(pilot, clock, player, 31)
        assert player.elapsed() == pytest.approx(31)


async def test_a_small_terminal_asks_politely_until_it_is_larger() -> None:
    clock = ManualClock()
    app = make_app(clock)
    async with app.run_test(size=(39, 12)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "make the window larger" in str(app.screen.query_one("#too-small").render())
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert not isinstance(app.screen, TooSmallScreen)


async def test_session_text_is_shown_literally(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.toml"
    hostile.write_text(
        'format = 1\n'
        'title = "[bold red]Loud[/] \\u001b]52;c;aGk=\\u0007 title"\n'
        'summary = "[link=https://x]click[/link] $var"\n'
        '[[steps]]\nkind = "guide"\nseconds = 10\n'
        'text = "[reverse]guide[/] \\u001b[2J cleared?"\n', "utf-8")
    clock = ManualClock()
    app = make_app(clock, start=str(hostile))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")  # skip the rating
        await pilot.pause()
        player = player_of(app)
        guidance = str(player.query_one("#guidance").render())
        progress = str(player.query_one("#progress").render())
        assert guidance == "[reverse]guide[/] [2J cleared?"
        assert progress.startswith("[bold red]Loud[/] ]52;c;aGk= ")  # the rest cut to fit
        assert "\x1b" not in guidance + progress


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_reduced_motion_shows_a_count_and_no_pacer(size: tuple[int, int]) -> None:
    clock = ManualClock()
    async with make_app(clock, start="box", reduced_motion=True).run_test(size=size) as pilot:
        player = await start_session(pilot, clock)
        assert not player.query_one(Pacer).display
        count = player.query_one("#count")
        assert count.display
        # Only the digits' own cells: a second's redraw touches 3 lines of a few columns.
        assert count.region.height == 3 and count.region.width < 10
        # All three rows in sight, at the smallest size too: box's guidance is long.
        assert player.query_one("#stage").content_region.contains_region(count.region)


def digits_lines(value: str) -> list[str]:
    """How Textual draws `value` in large figures."""
    lines = Console(width=40).render_lines(DigitsRenderable(value), pad=False)
    return ["".join(segment.text for segment in line).strip() for line in lines]


def shown(count: BigCount) -> tuple[list[str], Color | None]:
    """The count's lines as the screen gets them, and the colour of its figures."""
    strips = count.render_lines(Region(0, 0, *count.size))
    inked = [segment.style for strip in strips for segment in strip if segment.text.strip()]
    return [strip.text.strip() for strip in strips], inked[0].color


async def test_reduced_motion_count_is_each_value_in_the_theme_shown() -> None:
    """BigCount keeps each value's lines: the same value comes back every phase, drawn by
    the lines kept for it, and a new theme's colour is not drawn by an old one's lines."""
    clock = ManualClock()
    async with make_app(clock, start="box", reduced_motion=True).run_test(
            size=(80, 24)) as pilot:
        player = await start_session(pilot, clock)
        count = player.query_one(BigCount)
        inhale = next(p for p in player.timeline.phases if p.kind is PhaseKind.INHALE)
        # The first phases, from two figures to one (a narrower count), then breaths:
        # 4 3 2 1, the hold's 4 3 2 1, and so on, each drawn by the lines kept for it.
        for second in range(math.ceil(inhale.start) + 12):
            await step_to(pilot, clock, player, second + 0.5)
            value = str(math.ceil(player.timeline.position_at(second + 0.5).left))
            assert shown(count)[0] == digits_lines(value), value
        colour = shown(count)[1]
        pilot.app.theme = "coach-night"
        await pilot.pause()
        assert shown(count)[0] == digits_lines(value)
        assert shown(count)[1] != colour


async def test_the_end_dialogs_buttons_fit_whole_at_40x12() -> None:
    clock = ManualClock()
    async with make_app(clock, start="box").run_test(size=(40, 12)) as pilot:
        await start_session(pilot, clock)
        await pilot.press("escape")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmScreen)
        room = dialog.query_one(".dialog").content_region
        assert all(room.contains_region(b.region)  # side by side, neither cut, labels in sight
                   for b in dialog.query(Button))


async def test_help_scrolls_to_its_safety_notes_in_a_small_terminal() -> None:
    clock = ManualClock()
    async with make_app(clock, start="box").run_test(size=(40, 12)) as pilot:
        player = await start_session(pilot, clock)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        dialog = help_screen.query_one(".dialog")
        last = help_screen.query(Static).last()
        assert dialog.max_scroll_y > 0  # the safety notes are below the first view
        await pilot.press("end")
        await pilot.pause()
        assert pilot.app.screen is help_screen and dialog.scroll_y == dialog.max_scroll_y
        assert dialog.content_region.contains_region(last.region)
        await pilot.press("x")
        await pilot.pause()
        assert pilot.app.screen is player


def footer_words(player: PlayerScreen) -> list[str]:
    return [key.description for key in player.query(FooterKey)]


async def test_the_footer_says_resume_when_paused_and_sound_on_when_muted() -> None:
    clock = ManualClock()
    async with make_app(clock, start="calm-breathing").run_test(size=(100, 24)) as pilot:
        player = await start_session(pilot, clock)
        assert {"Pause", "Mute"} <= set(footer_words(player))
        await pilot.press("space", "m")
        await pilot.pause()
        words = footer_words(player)
        assert {"Resume", "Sound on"} <= set(words) and not {"Pause", "Mute"} & set(words)
        assert player.paused_at is not None and player.muted
        await pilot.press("space", "m")
        await pilot.pause()
        assert player.paused_at is None and not player.muted
        assert {"Pause", "Mute"} <= set(footer_words(player))


async def test_help_lists_each_action_once() -> None:
    clock = ManualClock()
    async with make_app(clock, start="calm-breathing").run_test(size=(100, 30)) as pilot:
        await start_session(pilot, clock)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        text = "\n".join(str(s.render()) for s in pilot.app.screen.query(Static))
        assert "space  Pause / Resume" in text and "m  Mute / Sound on" in text
        assert "n / →  Next step" in text


@pytest.mark.parametrize("key", ["n", "space", "escape", "m"])
async def test_the_key_that_closes_help_does_nothing_else(key: str) -> None:
    clock = ManualClock()
    async with make_app(clock, start="calm-breathing").run_test(size=(100, 30)) as pilot:
        player = await start_session(pilot, clock)
        step = player.timeline.position_at(player.elapsed()).step
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert pilot.app.screen is player
        assert player.paused_at is None and not player.muted
        assert player.timeline.position_at(player.elapsed()).step == step


async def test_an_open_ended_session_counts_down_to_its_silence_then_up() -> None:
    clock = ManualClock()
    async with make_app(clock, start="open-sitting").run_test(size=(120, 30)) as pilot:
        player = await start_session(pilot, clock)
        progress = player.query_one("#progress", Static)
        fixed = player.timeline.total
        await step_to(pilot, clock, player, 10)
        assert f"{round((fixed - 10) / 60)} min before the open silence" in str(
            progress.render())
        await step_to(pilot, clock, player, fixed + 3)
        assert "under a minute in silence" in str(progress.render())
        await step_to(pilot, clock, player, fixed + 150)
        assert "3 min in silence" in str(progress.render())


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (40, 12)])
async def test_guidance_is_as_tall_as_the_longest_text_allows(size: tuple[int, int]) -> None:
    clock = ManualClock()
    async with make_app(clock, start="back-scan").run_test(size=size) as pilot:
        player = await start_session(pilot, clock)
        guidance = player.query_one("#guidance")
        longest = max((p.text for p in player.timeline.phases), key=len)
        needed = len(textwrap.wrap(longest, size[0] - 4))
        assert player.query_one("#stage").region.height >= 3  # the pacer keeps its minimum
        beside = 6 + player.query_one("KeysFooter").region.height  # two rows at 40 columns
        assert guidance.region.height >= min(needed, size[1] - beside)  # all of it, if it fits
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert guidance.region.height >= len(textwrap.wrap(longest, 116))


async def test_guidance_cut_by_a_small_terminal_ends_in_an_ellipsis() -> None:
    clock = ManualClock()
    async with make_app(clock, start="box").run_test(size=(40, 12)) as pilot:
        player = await start_session(pilot, clock)
        longest = max(player.timeline.phases, key=lambda p: len(p.text))
        await step_to(pilot, clock, player, longest.start + 0.5)
        guidance = player.query_one("#guidance")
        shown = str(guidance.render())
        assert shown.endswith("…") and len(shown.splitlines()) <= guidance.region.height
        assert " ".join(shown[:-1].split()) in " ".join(longest.text.split())  # its start
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert str(guidance.render()) == longest.text  # all of it, where it fits


@pytest.mark.parametrize("start", [None, "box"])  # the library; `coach run`'s first question
async def test_the_collector_is_back_on_once_the_first_screen_is_drawn(start) -> None:
    gc.disable()  # as the command line starts the app
    try:
        async with make_app(ManualClock(), start=start).run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert pilot.app.screen.id != "_default"  # coach's, not Textual's blank one
            assert any(w.region.height for w in pilot.app.screen.query("*"))  # and drawn
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0  # start-up's objects are not scanned again
    finally:
        gc.unfreeze()
        gc.enable()


async def test_the_collector_leaves_the_app_alone_while_practising() -> None:
    clock = ManualClock()
    async with make_app(clock, start="calm-breathing").run_test(size=(80, 24)) as pilot:
        player = await start_session(pilot, clock)
        assert gc.get_freeze_count() > 0  # what was alive at the start is not scanned again
        await step_to(pilot, clock, player, player.timeline.total + 1)
        assert not isinstance(pilot.app.screen, PlayerScreen)
        assert gc.get_freeze_count() == 0  # and is handed back afterwards


async def test_the_progress_line_keeps_time_left_and_muted_in_sight() -> None:
    clock = ManualClock()
    async with make_app(clock, start="breathing-space").run_test(size=(60, 20)) as pilot:
        player = await start_session(pilot, clock)
        await pilot.press("m")
        await step_to(pilot, clock, player, player.timeline.total - 59.5)
        line = str(player.query_one("#progress", Static).render())
        # 59.5 s left counts as 60 in the phase's own count: one minute, not "under a minute".
        assert line.endswith("· step 4 of 4: Widening · 1 min left · muted")
        title = line.split(" · ")[0]
        assert "Breathing space for pain".startswith(title[:-1]) and title.endswith("…")
        assert len(line) <= 60 - 2  # the line's padding

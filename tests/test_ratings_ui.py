"""The rating screens and the summary, driven by keyboard and mouse, on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.geometry import Region
from textual.widgets._footer import FooterKey

from coach.core.places import find_places
from coach.core.store import Outcome, Store
from coach.ui.screens.library import LibraryScreen
from coach.ui.screens.player import PlayerScreen
from coach.ui.screens.rating import RatingScreen
from coach.ui.screens.summary import SummaryScreen
from coach.ui.widgets.pain_scale import PainScale
from tests.helpers import ManualClock, make_app, player_of

SESSION = "calm-breathing"


def stored_runs():
    with Store.open(find_places().database) as store:
        return store.runs()


async def past_caution(pilot) -> RatingScreen:
    await pilot.pause()
    await pilot.press("enter")  # calm breathing has a caution
    await pilot.pause()
    assert isinstance(pilot.app.screen, RatingScreen)
    return pilot.app.screen


async def end_early(pilot, clock: ManualClock, after_seconds: float) -> None:
    player = player_of(pilot.app)
    clock.advance(after_seconds)
    player.sample()
    await pilot.press("escape")
    await pilot.pause()
    await pilot.press("y")
    await pilot.pause()


async def test_keyboard_rating_is_stored_before_the_first_breath() -> None:
    clock = ManualClock()
    async with make_app(clock, start=SESSION).run_test(size=(80, 24)) as pilot:
        rating = await past_caution(pilot)
        scale = rating.query_one("#pain", PainScale)
        await pilot.press("4", "right", "right")
        assert scale.value == 6
        await pilot.press("1", "0")
        assert scale.value == 10
        await pilot.press("left", "left", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayerScreen)
        (run,) = stored_runs()
        assert run.pain_before == 8 and run.outcome == Outcome.RUNNING


async def test_mouse_rating() -> None:
    clock = ManualClock()
    async with make_app(clock, start=SESSION).run_test(size=(80, 24)) as pilot:
        rating = await past_caution(pilot)
        scale = rating.query_one("#pain", PainScale)
        await pilot.click(scale, offset=(scale.cell_width() * 3 + 1, 0))
        assert scale.value == 3
        await pilot.click("#save")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayerScreen)
    assert stored_runs()[0].pain_before == 3


async def test_enter_without_a_number_asks_for_one() -> None:
    clock = ManualClock()
    async with make_app(clock, start=SESSION).run_test(size=(80, 24)) as pilot:
        rating = await past_caution(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is rating
        assert "Choose a number" in str(rating.query_one("#rating-hint").render())


async def test_back_before_stores_nothing_and_skip_stores_an_unrated_run() -> None:
    clock = ManualClock()
    app = make_app(clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"calm", "enter")
        await past_caution(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert not find_places().database.exists() or not stored_runs()
        await pilot.press("enter")
        await past_caution(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen)
    (run,) = stored_runs()
    assert run.pain_before is None


async def test_ending_early_still_asks_after_and_the_summary_is_right() -> None:
    clock = ManualClock()
    app = make_app(clock, start=SESSION)
    async with app.run_test(size=(80, 24)) as pilot:
        await past_caution(pilot)
        await pilot.press("6", "enter")
        await pilot.pause()
        await end_early(pilot, clock, 95)
        rating = pilot.app.screen
        assert isinstance(rating, RatingScreen)
        assert str(rating.query_one("#before-reference").render()) == "Before: 6 (moderate)"
        await pilot.press("3", "enter")
        await pilot.pause()
        summary = pilot.app.screen
        assert isinstance(summary, SummaryScreen)
        text = " ".join(str(s.render()) for s in summary.query("Static"))
        assert "Ended early · 1 min 35 s practised" in text
        assert "6 → 3: 3 points less pain (50 %)" in text and "Substantial relief" in text
        assert "first rated run" in text
    (run,) = stored_runs()
    assert (run.outcome, run.pain_before, run.pain_after) == (Outcome.ENDED_EARLY, 6, 3)
    assert run.practised_seconds == 95


async def test_summary_compares_with_earlier_runs_of_the_same_practice() -> None:
    places = find_places()
    with Store.open(places.database) as store:
        for days, (before, after) in enumerate([(6, 4), (5, 2)], start=1):
            when = datetime.now(UTC) - timedelta(days=days)
            run = store.start_run(SESSION, "Calm breathing", None, [], 300, before, now=when)
            store.finish_run(run, Outcome.COMPLETED, 300)
            store.rate_after(run, after)
    clock = ManualClock()
    async with make_app(clock, start=SESSION).run_test(size=(80, 24)) as pilot:
        await past_caution(pilot)
        await pilot.press("5", "enter")
        await pilot.pause()
        await end_early(pilot, clock, 30)
        await pilot.press("5", "enter")
        await pilot.pause()
        text = " ".join(str(s.render()) for s in pilot.app.screen.query("Static"))
        assert "Your 2 earlier rated runs of it: on average 2.5 points less pain" in text


async def test_extra_dimensions_and_a_note_are_stored() -> None:
    clock = ManualClock()
    app = make_app(clock, start=SESSION, dimensions=("stress",), ask_note=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await past_caution(pilot)
        await pilot.press("6", "down", "8", "enter")
        await pilot.pause()
        await end_early(pilot, clock, 10)
        # Enter goes on to the next question, then to the note; s skips the rating, but not
        # while writing the note.
        await pilot.press("4", "enter", "5", "enter", *"less stiff", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SummaryScreen)
    (run,) = stored_runs()
    assert (run.pain_after, run.note, dict(run.extras_before), dict(run.extras_after)) == (
        4, "less stiff", {"stress": 8}, {"stress": 5})


async def test_enter_goes_to_the_next_question_and_saves_on_the_last() -> None:
    clock = ManualClock()
    app = make_app(clock, start=SESSION, dimensions=("unpleasantness", "stress"))
    async with app.run_test(size=(80, 30)) as pilot:
        screen = await past_caution(pilot)
        await pilot.press("6")
        await pilot.pause()
        assert "Pain: 6, moderate · Enter: next question" in str(
            screen.query_one("#rating-hint").render())
        await pilot.press("enter", "8", "enter")
        await pilot.pause()
        assert pilot.app.screen is screen  # one question left: nothing saved yet
        await pilot.press("3", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayerScreen)
    (run,) = stored_runs()
    assert (run.pain_before, dict(run.extras_before)) == (6, {"unpleasantness": 8, "stress": 3})


async def test_escape_after_the_session_skips_and_the_footer_says_so() -> None:
    clock = ManualClock()
    async with make_app(clock, start=SESSION).run_test(size=(80, 24)) as pilot:
        await past_caution(pilot)
        await pilot.press("5", "enter")
        await pilot.pause()
        await end_early(pilot, clock, 10)
        after = pilot.app.screen
        assert isinstance(after, RatingScreen)
        shown = {key.description for key in after.query(FooterKey)}
        assert "Back" not in shown and "Skip" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SummaryScreen)
    (run,) = stored_runs()
    assert (run.pain_before, run.pain_after) == (5, None)


async def test_a_damaged_database_is_left_alone_and_the_session_still_runs(
        coach_home: Path) -> None:
    coach_home.mkdir(parents=True, exist_ok=True)
    damaged = find_places().database
    damaged.write_bytes(b"this is not a database" * 100)
    clock = ManualClock()
    app = make_app(clock, start=SESSION)
    async with app.run_test(size=(80, 24)) as pilot:
        await past_caution(pilot)
        assert any("ratings can't be saved" in n.message for n in app._notifications)
        assert not any(n.markup for n in app._notifications)  # paths are shown literally
        await pilot.press("5", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen)
    assert damaged.read_bytes() == b"this is not a database" * 100


async def test_a_small_terminal_shows_the_question_above_the_scale() -> None:
    async with make_app(ManualClock(), start=SESSION).run_test(size=(40, 12)) as pilot:
        screen = await past_caution(pilot)
        await pilot.pause()
        assert screen.query_one("#pain", PainScale).has_focus
        assert screen.query_one("#rating-body").scroll_y == 0  # not scrolled past the question


async def test_the_scale_keeps_its_four_lines_whole_from_40_columns_up() -> None:
    async with make_app(ManualClock(), start=SESSION).run_test(size=(40, 12)) as pilot:
        screen = await past_caution(pilot)
        scale = screen.query_one("#pain", PainScale)
        for width in (40, 50, 60, 80):
            await pilot.resize_terminal(width, 14)
            await pilot.pause()
            lines = scale.render().split()
            assert len(lines) == 4 and scale.size.height == 4
            assert all(line.cell_len <= scale.content_region.width for line in lines)
            anchors, legend = lines[2].plain, lines[3].plain
            assert "no pain" in anchors and "worst pain imaginable" in anchors
            assert all(word in legend for word in ("mild", "moderate", "severe"))


async def test_a_title_too_long_for_the_terminal_is_seen_to_be_cut() -> None:
    async with make_app(ManualClock(), start=SESSION).run_test(size=(40, 12)) as pilot:
        screen = await past_caution(pilot)
        await pilot.pause()
        title = screen.query_one("#title-bar")
        line = title.render_lines(Region(0, 0, *title.outer_size))[0].text
        assert line.rstrip().endswith("…") and title.size.height == 1


async def test_s_on_a_later_question_skips_only_that_one() -> None:
    clock = ManualClock()
    app = make_app(clock, start=SESSION, dimensions=("unpleasantness", "stress"), ask_note=True)
    async with app.run_test(size=(80, 30)) as pilot:
        before = await past_caution(pilot)
        await pilot.press("6", "enter", "7")
        await pilot.pause()
        shown = {key.description for key in before.query(FooterKey)}
        assert "Skip question" in shown and "Skip" not in shown
        await pilot.press("s", "3", "enter")  # unpleasantness left out, stress 3, saved
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayerScreen)
        await end_early(pilot, clock, 10)
        await pilot.press("2", "enter", "s", "s")  # the last scale skipped: on to the note
        await pilot.pause()
        assert pilot.app.focused is pilot.app.screen.query_one("#note")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SummaryScreen)
    (run,) = stored_runs()
    assert (run.pain_before, dict(run.extras_before), run.pain_after, dict(run.extras_after)) == (
        6, {"stress": 3}, 2, {})


async def test_skip_after_pain_is_answered_keeps_what_was_given() -> None:
    clock = ManualClock()
    app = make_app(clock, start=SESSION, dimensions=("unpleasantness", "stress"))
    async with app.run_test(size=(80, 30)) as pilot:
        before = await past_caution(pilot)
        assert str(before.query_one("#skip").label) == "Skip"
        await pilot.press("6", "enter", "7", "enter")  # pain, unpleasantness; stress left
        await pilot.pause()
        assert str(before.query_one("#skip").label) == "Skip the rest"
        await pilot.click("#skip")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayerScreen)
        await end_early(pilot, clock, 10)
        await pilot.press("3", "enter", "escape")  # escape after: the rest skipped, 3 kept
        await pilot.pause()
        assert isinstance(pilot.app.screen, SummaryScreen)
    (run,) = stored_runs()
    assert (run.pain_before, dict(run.extras_before), run.pain_after, dict(run.extras_after)) == (
        6, {"unpleasantness": 7}, 3, {})


async def test_the_hint_speaks_of_the_question_in_focus() -> None:
    clock = ManualClock()
    app = make_app(clock, start=SESSION, dimensions=("stress",), ask_note=True)
    async with app.run_test(size=(80, 30)) as pilot:
        before = await past_caution(pilot)

        def hint() -> str:
            return str(pilot.app.screen.query_one("#rating-hint").render())

        await pilot.press("down")  # to stress with no pain given: Enter cannot save yet
        await pilot.pause()
        assert hint() == "Stress: not answered · choose your pain above to save"
        await pilot.press("up", "6")
        await pilot.pause()
        assert hint() == "Pain: 6, moderate · Enter: next question"
        await pilot.press("enter")  # on to stress, not yet answered: Enter would save
        await pilot.pause()
        assert hint() == "Stress: not answered · Enter saves"
        await pilot.press("4", "enter")
        await pilot.pause()
        assert pilot.app.screen is not before
        await end_early(pilot, clock, 10)
        assert str(pilot.app.screen.query_one("#before-reference").render()) == (
            "Before: 6 (moderate) · stress 4")
        await pilot.press("3", "enter", "5", "enter")
        await pilot.pause()
        assert hint() == "Note (optional) · Enter saves"

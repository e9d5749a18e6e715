"""The review screen through Pilot, on a real seeded database: filter, sort, open a run."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, TabbedContent
from textual.widgets._footer import FooterKey

from coach.core.seed import seed_store
from coach.core.store import Outcome, RunSort, Store
from coach.ui.screens.library import LibraryScreen
from coach.ui.screens.review import PAGE, ReviewScreen
from coach.ui.screens.run_detail import RunDetailScreen
from coach.ui.widgets.pain_chart import BAR_STEP_MAX, Y_LABEL_WIDTH, PainChart
from coach.ui.widgets.runs_table import RunsTable
from tests.helpers import ManualClock, make_app

END = datetime(2025, 3, 30, 20, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def seed(home: Path, count: int = 70) -> None:
    with Store.open(home / "coach.sqlite3") as store:
        seed_store(store, count, END, seed=3)


async def open_review(pilot) -> ReviewScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    assert isinstance(pilot.app.screen, LibraryScreen)
    await pilot.press("ctrl+r")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReviewScreen)
    return pilot.app.screen


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Let the store's threads answer and the screen show what they found."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def titles(screen: ReviewScreen) -> list[str]:
    return [run.session_title for run in screen.query_one(RunsTable).runs]


async def test_overview_ranks_practices_and_draws_the_chart(coach_home: Path) -> None:
    seed(coach_home)
    async with make_app(ManualClock()).run_test(size=(80, 24)) as pilot:
        review = await open_review(pilot)
        practices = review.query_one("#practices", DataTable)
        first = [str(c) for c in practices.get_row_at(0)]
        assert first[0] == "Release-only relaxation" and practices.row_count == 7
        assert [str(c) for c in practices.get_row_at(6)][4] == "too few"
        assert len(review.query_one(PainChart).bars()) == 29
        assert "Pain before practice, last 2 weeks" in str(review.query_one("#trend").render())
        assert "70 runs on 27 days" in str(review.query_one("#review-note").render())


async def test_choosing_a_practice_filters_everything(coach_home: Path) -> None:
    seed(coach_home)
    async with make_app(ManualClock()).run_test(size=(80, 24)) as pilot:
        review = await open_review(pilot)
        review.query_one("#practice-filter", Select).value = "box"
        await settle(pilot)
        assert set(titles(review)) == {"Box breathing"}
        with Store.open(coach_home / "coach.sqlite3") as store:
            assert review.query_one(RunsTable).total == store.count_runs(session_id="box")
        assert review.query_one("#practices", DataTable).row_count == 1
        review.query_one("#practice-filter", Select).clear()
        await settle(pilot)
        assert review.query_one(RunsTable).total == 70


async def test_enter_on_a_practice_shows_its_runs(coach_home: Path) -> None:
    seed(coach_home)
    async with make_app(ManualClock()).run_test(size=(80, 24)) as pilot:
        review = await open_review(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert review.query_one(TabbedContent).active == "runs"
        assert set(titles(review)) == {"Body scan for the back"}


async def test_tag_and_date_filters(coach_home: Path) -> None:
    seed(coach_home)
    async with make_app(ManualClock()).run_test(size=(80, 24)) as pilot:
        review = await open_review(pilot)
        review.query_one("#tag-filter", Select).value = "holds"
        await settle(pilot)
        assert set(titles(review)) == {"Box breathing"}
        review.query_one("#date-filter", Input).value = "2030-01-01"
        await settle(pilot)
        assert str(review.query_one("#runs-caption").render()) == "No runs match these filters."
        review.query_one("#date-filter", Input).value = ""
        review.query_one("#tag-filter", Select).clear()
        review.query_one("#date-filter", Input).focus()
        await pilot.press(*"2025-03-25..2025-03-26")
        await settle(pilot)
        days = {run.started_utc.date().day for run in review.query_one(RunsTable).runs}
        assert days == {25, 26}
        dates = review.query_one("#date-filter", Input)
        await pilot.press("backspace", "x")
        await settle(pilot)
        assert dates.has_class("-invalid") and review.filters.until is not None  # kept
        await pilot.press("enter")
        await pilot.pause()
        assert any("The table still shows 2025-03-25..2025-03-26" in n.message
                   for n in pilot.app._notifications)  # said at once, not only on leaving
        assert dates.value == "2025-03-25..2025-03-2x"
        await pilot.press("escape")  # leaves the filter, stays on the review
        await settle(pilot)
        await settle(pilot)  # focus moves once the table is shown, then the box hears of it
        assert isinstance(pilot.app.screen, ReviewScreen)
        assert sum("still shows" in n.message for n in pilot.app._notifications) == 1  # once
        # The box shows again the dates the table is filtered by, not the unreadable text.
        assert dates.value == "2025-03-25..2025-03-26" and not dates.has_class("-invalid")


async def test_sort_by_key_and_by_header(coach_home: Path) -> None:
    seed(coach_home)
    async with make_app(ManualClock()).run_test(size=(80, 24)) as pilot:
        review = await open_review(pilot)
        await pilot.press("t", "s")
        await settle(pilot)
        assert "by practice, A to Z" in str(review.query_one("#runs-caption").render())
        for _ in range(5):  # from practice on: minutes, outcome, before, after, change
            await pilot.press("s")
        await settle(pilot)
        assert review.sort is RunSort.CHANGE and review.descending
        changes = [r.relief.points for r in review.query_one(RunsTable).runs]
        rated = [c for c in changes if c is not None]
        assert rated == sorted(rated, reverse=True) and changes[-1] is None
        caption = str(review.query_one("#runs-caption").render())
        assert "by change, most relief first" in caption
        await pilot.press("r")
        await settle(pilot)
        assert "least relief first" in str(review.query_one("#runs-caption").render())
        rated = [c for c in (r.relief.points for r in review.query_one(RunsTable).runs)
                 if c is not None]
        assert rated == sorted(rated)
        table = review.query_one(RunsTable)
        table.post_message(DataTable.HeaderSelected(table, table.ordered_columns[2].key, 2,
                                                    table.ordered_columns[2].label))
        await settle(pilot)
        assert review.sort is RunSort.BEFORE
        befores = [r.pain_before for r in table.runs if r.pain_before is not None]
        assert befores == sorted(befores, reverse=True)
        assert "by pain before, high to low" in str(review.query_one("#runs-caption").render())


async def test_one_run_is_one_run_and_other_years_show_their_year(coach_home: Path) -> None:
    seed(coach_home, count=1)
    async with make_app(ManualClock()).run_test(size=(80, 24)) as pilot:
        review = await open_review(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert str(review.query_one("#runs-caption").render()).startswith("1 run ·")
        (run,) = review.query_one(RunsTable).runs
        date_cell = str(review.query_one(RunsTable).get_row_at(0)[0])
        assert str(run.started_utc.year) in date_cell  # END is in an earlier year than now


async def test_enter_opens_a_run_and_escape_closes_it(coach_home: Path) -> None:
    seed(coach_home)
    async with make_app(ManualClock()).run_test(size=(80, 24)) as pilot:
        review = await open_review(pilot)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        detail = pilot.app.screen
        assert isinstance(detail, RunDetailScreen)
        assert detail.run == review.query_one(RunsTable).runs[1]
        text = " ".join(str(s.render()) for s in detail.query("Static"))
        assert detail.run.session_title in text and "reference points" in text
        await pilot.press("escape")
        assert pilot.app.screen is review
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, LibraryScreen)


async def test_the_table_loads_a_page_at_a_time(coach_home: Path) -> None:
    seed(coach_home, count=PAGE * 2 + 50)
    async with make_app(ManualClock()).run_test(size=(80, 24)) as pilot:
        review = await open_review(pilot)
        table = review.query_one(RunsTable)
        assert len(table.runs) == PAGE and table.total == PAGE * 2 + 50
        await pilot.press("t")
        await pilot.pause()
        table.move_cursor(row=PAGE - 1)
        await settle(pilot)
        assert len(table.runs) == PAGE * 2
        table.move_cursor(row=PAGE * 2 - 1)
        await settle(pilot)
        assert len(table.runs) == PAGE * 2 + 50 and table.complete
        assert len({r.id for r in table.runs}) == PAGE * 2 + 50


async def test_an_empty_history_says_so(coach_home: Path) -> None:
    app = make_app(ManualClock())
    app.first_screen = "review"  # as `coach review` builds it
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        review = pilot.app.screen
        assert isinstance(review, ReviewScreen)
        assert "No runs yet" in str(review.query_one("#trend").render())
        assert "No runs yet" in str(review.query_one("#runs-caption").render())
        assert review.query_one(PainChart).bars() == []


async def test_session_text_is_shown_literally(coach_home: Path) -> None:
    with Store.open(coach_home / "coach.sqlite3") as store:
        run_id = store.start_run("odd", "[b]Bold[/b] \x1b[2J", None, ["[red]x"], 60, 5)
        store.rate_after(run_id, 3, note="[link=x]click[/link]")
    async with make_app(ManualClock()).run_test(size=(80, 24)) as pilot:
        review = await open_review(pilot)
        first = [str(c) for c in review.query_one("#practices", DataTable).get_row_at(0)]
        assert first[0] == "[b]Bold[/b] [2J"  # the escape character is gone, the rest literal
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        text = " ".join(str(s.render()) for s in pilot.app.screen.query("Static"))
        assert "[link=x]click[/link]" in text and "[red]x" in text


def snapshot_app(home: Path):  # type: ignore[no-untyped-def]
    seed(home)
    app = make_app(ManualClock())
    app.first_screen = "review"
    return app


def test_snapshot_80x24(coach_home: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(snapshot_app(coach_home), terminal_size=(80, 24), run_before=settle)


def test_snapshot_120x40(coach_home: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(snapshot_app(coach_home), terminal_size=(120, 40), run_before=settle)


def test_snapshot_runs_80x24(coach_home: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def runs_tab(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()

    assert snap_compare(snapshot_app(coach_home), terminal_size=(80, 24), run_before=runs_tab)


async def test_a_long_title_leaves_the_figures_in_sight(coach_home: Path) -> None:
    seed(coach_home)
    title = "Gentle evening breathing for the lower back when the sciatica is flaring up"
    with Store.open(coach_home / "coach.sqlite3") as store:
        run_id = store.start_run("gentle", title, "/x.toml", ["breathing"], 120, 6, {})
        store.rate_after(run_id, 4, {}, None)
    async with make_app(ManualClock()).run_test(size=(80, 24)) as pilot:
        review = await open_review(pilot)
        practices = review.query_one("#practices", DataTable)
        assert practices.render_line(0).text.rstrip().endswith("Last used")
        shown = [practices.render_line(y).text for y in range(1, practices.size.height)]
        assert any("Gentle evening breathing…" in line and "−2.0" in line for line in shown)


async def test_sorting_is_offered_on_the_runs_tab_only(coach_home: Path) -> None:
    seed(coach_home)
    async with make_app(ManualClock()).run_test(size=(80, 24)) as pilot:
        review = await open_review(pilot)

        def offered() -> set[str]:
            return {key.description for key in review.query(FooterKey)}

        assert "Sort" not in offered() and "Reverse" not in offered()
        await pilot.press("s", "r")  # on the overview: nothing happens to the hidden runs
        await settle(pilot)
        assert (review.sort, review.descending) == (RunSort.STARTED, True)
        await pilot.press("t")
        await settle(pilot)
        assert {"Sort", "Reverse"} <= offered()
        await pilot.press("r")
        await settle(pilot)
        assert " · oldest first · " in str(review.query_one("#runs-caption").render())


async def test_at_80_columns_the_runs_show_how_they_ended(coach_home: Path) -> None:
    seed(coach_home)
    with Store.open(coach_home / "coach.sqlite3") as store:  # the widest band, newest
        run_id = store.start_run("box", "Box breathing", "/x.toml", ["breathing"], 120, 0, {})
        store.finish_run(run_id, Outcome.INTERRUPTED, 60)
        store.rate_after(run_id, 0, {}, None)
    async with make_app(ManualClock()).run_test(size=(80, 24)) as pilot:
        await open_review(pilot)
        await pilot.press("t")
        await settle(pilot)
        table = pilot.app.screen.query_one(RunsTable)
        assert "Outcome" in table.render_line(0).text
        rows = [table.render_line(y).text for y in range(1, table.size.height)]
        assert "no pain at start  interrupted" in rows[0]
        assert any(" completed " in row for row in rows)
        assert any(" ended early " in row for row in rows)


@pytest.mark.parametrize("runs", [70, 0])
async def test_no_color_draws_the_review_in_plain_shades(coach_home: Path, monkeypatch,
                                                          runs: int) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    if runs:
        seed(coach_home, runs)
    async with make_app(ManualClock()).run_test(size=(80, 24)) as pilot:
        review = await open_review(pilot)
        assert review.query_one(PainChart).region.height > 0
        assert len(review.query_one(PainChart).bars()) == (29 if runs else 0)
        pilot.app.export_screenshot()  # every line through the NO_COLOR filter: no crash
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReviewScreen)
        pilot.app.export_screenshot()


async def test_the_chart_tells_worse_from_eased_without_colour(coach_home: Path) -> None:
    seed(coach_home)
    async with make_app(ManualClock()).run_test(size=(120, 40)) as pilot:
        review = await open_review(pilot)
        chart = review.query_one(PainChart)
        lines = [chart.render_line(y).text for y in range(chart.size.height)]
        assert "█ eased  ▒ worse  ▄ same" in lines[0]
        bars = chart.bars()
        step = max(1, min(BAR_STEP_MAX, (chart.size.width - Y_LABEL_WIDTH - 1) // len(bars)))
        drawn = {"eased": set(), "worse": set()}
        for index, bar in enumerate(bars):
            if bar.before_mean is None or bar.after_mean is None:
                continue
            column = Y_LABEL_WIDTH + 1 + index * step
            cells = {line[column] for line in lines[1:-2]} - {" "}
            if bar.after_mean < bar.before_mean:
                drawn["eased"] |= cells
            elif bar.after_mean > bar.before_mean:
                drawn["worse"] |= cells
        assert "▒" in drawn["worse"] and "█" not in drawn["worse"]
        assert "█" in drawn["eased"] and "▒" not in drawn["eased"]

"""The review: is my pain easing, which practice helps most, and every run, filtered and sorted.

Everything shown is computed in SQL by the store (summaries, per-day sums, one page of runs)
in a thread, so the screen draws at once and a long history costs the same as a short one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import (
    DataTable,
    Input,
    Select,
    Static,
    TabbedContent,
    TabPane,
)
from textual.worker import get_current_worker

from coach.core import history
from coach.core.relief import TOO_FEW_RATED, PracticeSummary
from coach.core.store import DayTotals, Run, RunSort, Store, StoreError
from coach.core.text import clean_line, shortened
from coach.ui.screens.run_detail import RunDetailScreen
from coach.ui.widgets.keys_footer import KeysFooter
from coach.ui.widgets.pain_chart import PainChart
from coach.ui.widgets.runs_table import COLUMNS, RunsTable

PAGE = 200
"""Runs fetched at a time for the table."""
SORT_NAMES = {
    RunSort.STARTED: "date", RunSort.PRACTICE: "practice", RunSort.MINUTES: "minutes",
    RunSort.OUTCOME: "outcome", RunSort.BEFORE: "pain before", RunSort.AFTER: "pain after",
    RunSort.CHANGE: "change",
}
ORDER_WORDS = {RunSort.STARTED: ("newest first", "oldest first"),
               RunSort.PRACTICE: ("Z to A", "A to Z"), RunSort.OUTCOME: ("Z to A", "A to Z"),
               RunSort.CHANGE: ("most relief first", "least relief first")}
"""How a sort reads, descending and ascending, where "high to low" would not say it."""
ALPHABETICAL = {RunSort.PRACTICE, RunSort.OUTCOME}
"""Sorts that start A to Z; the others start with the newest, highest or most relief."""


@dataclass(frozen=True)
class Filters:
    """What the user has narrowed the review to; None means everything."""

    session_id: str | None = None
    tag: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def query(self) -> dict[str, object]:
        """The store's keyword arguments for these filters."""
        return {"session_id": self.session_id, "tag": self.tag, "since": self.since,
                "until": self.until}


@dataclass(frozen=True)
class Loaded:
    """One consistent answer from the store for one set of filters and one sort."""

    filters: Filters
    order: tuple[RunSort, bool]
    """The sort the first page was read in."""
    summaries: list[PracticeSummary]
    days: list[DayTotals]
    total: int
    first_page: list[Run]


PRACTICE_WIDTH = 26
"""A practice's title in the overview, so that its figures fit beside it at 80 columns."""


def _practice_cells(summary: PracticeSummary, zone: tzinfo) -> list[Text]:
    """Literal rich `Text` cells (titles are user text)."""
    share = "too few" if summary.too_few else history.share_text(summary.meaningful_share)
    return [
        Text(shortened(clean_line(summary.title), PRACTICE_WIDTH)),
        Text(str(summary.runs), justify="right"),
        Text(history.points_text(summary.mean_points), justify="right"),
        Text(history.percent_text(summary.mean_percent), justify="right"),
        Text(share, justify="right"),
        Text(history.day_text(summary.last_used.astimezone(zone).date())),
    ]


class ReviewScreen(Screen[None]):
    """The chart and what helps most on one tab, the runs on the other."""

    AUTO_FOCUS = "#practices"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("o", "show_tab('overview')", "Overview"),
        Binding("t", "show_tab('runs')", "Runs"),
        Binding("s", "next_sort", "Sort"),
        Binding("r", "reverse_sort", "Reverse"),
        Binding("f", "focus_filters", "Filter"),
    ]

    def __init__(self, store: Store | None, zone: tzinfo | None = None,
                 now: datetime | None = None) -> None:
        """`zone` and `now` default to the computer's; tests pin them."""
        super().__init__()
        self.store = store
        self.zone = zone or history.local_zone()
        self.now = now
        self.filters = Filters()
        self.sort = RunSort.STARTED
        self.descending = True
        self.loaded: Loaded | None = None
        self.dates_in_use = ""
        """The date box's last readable text: what the table is filtered by."""
        self._told_unreadable: str | None = None
        """Unreadable dates the user was last told about."""

    def compose(self) -> ComposeResult:
        yield Static("coach · review", id="title-bar")
        with Horizontal(id="review-filters"):
            yield Select[str]([], prompt="All practices", compact=True, id="practice-filter")
            yield Select[str]([], prompt="All tags", compact=True, id="tag-filter")
            yield Input(placeholder="Dates, e.g. 30d", compact=True, id="date-filter",
                        tooltip="30d, 4w, 2025-03-01.., 2025-03-01..2025-03-31, ..2025-03-31")
        with TabbedContent(id="review-tabs"):
            with TabPane("Overview", id="overview"), Vertical(id="overview-body"):
                yield PainChart(id="pain-chart")
                yield Static("Loading…", id="trend")
                yield DataTable[Text](id="practices", cursor_type="row")
                yield Static("", id="review-note")
            with TabPane("Runs", id="runs"), Vertical(id="runs-body"):
                yield Static("", id="runs-caption")
                yield RunsTable(id="runs-table")
        yield KeysFooter()

    def on_mount(self) -> None:
        practices = self.query_one("#practices", DataTable)
        for label, key in (("Practice", "practice"), ("Runs", "runs"), ("Change", "change"),
                           ("Percent", "percent"), ("Meaningful", "meaningful"),
                           ("Last used", "last")):
            practices.add_column(label, key=key)
        if self.store is None:
            self.query_one("#trend", Static).update(
                "The ratings database could not be opened, so there is nothing to review.")
            return
        self.load()

    # -- loading, always off the event loop --

    @work(thread=True, exclusive=True, group="review-choices")
    def load_tags(self) -> None:
        """Fill the tag menu; asked for after the first answer, which matters more."""
        assert self.store is not None
        try:
            tags = self.store.tags()
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.app.call_from_thread(
            self.query_one("#tag-filter", Select).set_options,
            [(Text(clean_line(tag)), tag) for tag in tags])

    def _show_practices_menu(self, summaries: list[PracticeSummary]) -> None:
        """Every practice ever run, by title; from the first, unfiltered answer."""
        by_title = sorted(summaries, key=lambda s: clean_line(s.title).lower())
        self.query_one("#practice-filter", Select).set_options(
            [(Text(clean_line(s.title)), s.key) for s in by_title])

    @work(thread=True, exclusive=True, group="review-load")
    def load(self) -> None:
        """Summaries, per-day sums, the count and the first page, for the current filters."""
        assert self.store is not None
        worker = get_current_worker()
        filters, sort, descending = self.filters, self.sort, self.descending
        query = filters.query()
        try:
            loaded = Loaded(
                filters=filters,
                order=(sort, descending),
                summaries=self.store.summaries(**query),
                days=self.store.daily_totals(**query),
                total=self.store.count_runs(**query),
                first_page=self.store.sorted_runs(sort, descending, **query, limit=PAGE),
            )
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, loaded)

    @work(thread=True, exclusive=True, group="review-runs")
    def load_runs(self, offset: int) -> None:
        """A page of runs from `offset` (0 after a new sort), for the current filters and sort.

        Shown only if the filters and sort are still the ones it was read for.
        """
        assert self.store is not None
        worker = get_current_worker()
        wanted = (self.filters, self.sort, self.descending)
        try:
            runs = self.store.sorted_runs(self.sort, self.descending, **self.filters.query(),
                                          limit=PAGE, offset=offset)
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._page_loaded, wanted, offset, runs)

    # -- showing what was loaded --

    def _show(self, loaded: Loaded) -> None:
        if loaded.filters != self.filters:
            return  # an older answer; the newer one is on its way
        if self.loaded is None:  # the first answer is for no filters: it names every practice
            self._show_practices_menu(loaded.summaries)
            self.load_tags()
        self.loaded = loaded
        self.query_one(PainChart).show(loaded.days)
        trend = history.trend(loaded.days)
        if not loaded.total:
            trend_text = self._no_runs_text()
        elif trend is None:
            trend_text = (f"Too few rated runs to see a trend yet: it needs {TOO_FEW_RATED} in "
                          "each of the last two fortnights.")
        else:
            trend_text = trend.text()
        self.query_one("#trend", Static).update(Content(trend_text))
        practices = self.query_one("#practices", DataTable)
        practices.clear()
        for summary in loaded.summaries:
            practices.add_row(*_practice_cells(summary, self.zone), key=summary.key)
        facts = history.facts(loaded.days)
        self.query_one("#review-note", Static).update(Content(facts.text() if facts else ""))
        table = self.query_one(RunsTable)
        if loaded.order == (self.sort, self.descending):
            table.replace(loaded.first_page, loaded.total, self.zone)
            self._caption()
        else:  # the sort changed while this was loading
            table.total = loaded.total
            self.load_runs(0)

    def _page_loaded(self, wanted: tuple[object, ...], offset: int, runs: list[Run]) -> None:
        if wanted != (self.filters, self.sort, self.descending):
            return
        table = self.query_one(RunsTable)
        if offset == 0:
            table.replace(runs, table.total, self.zone)
        elif offset == len(table.runs):
            table.extend(runs, self.zone)
        self._caption()

    def _no_runs_text(self) -> str:
        return ("No runs yet: after a session, its ratings appear here."
                if self.filters == Filters() else "No runs match these filters.")

    def _caption(self) -> None:
        table = self.query_one(RunsTable)
        if not table.total:
            self.query_one("#runs-caption", Static).update(Content(self._no_runs_text()))
            return
        words = ORDER_WORDS.get(self.sort, ("high to low", "low to high"))
        way = words[0] if self.descending else words[1]
        order = way if self.sort is RunSort.STARTED else f"by {SORT_NAMES[self.sort]}, {way}"
        loaded = "" if table.complete else f" ({len(table.runs):,} loaded)"
        runs = "run" if table.total == 1 else "runs"
        self.query_one("#runs-caption", Static).update(Content(
            f"{table.total:,} {runs}{loaded} · {order} · enter opens a run · s sort · r reverse"))

    # -- the user's hands --

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_sort", "reverse_sort"):  # they sort the runs: on their tab only
            tabs = self.query(TabbedContent)
            return bool(tabs) and tabs.first().active == "runs"
        return True

    @on(TabbedContent.TabActivated)
    def _tab_shown(self) -> None:
        self.refresh_bindings()

    @on(RunsTable.NeedMore)
    def _need_more(self) -> None:
        table = self.query_one(RunsTable)
        if self.store is not None and not table.complete:
            self.load_runs(len(table.runs))

    @on(Select.Changed, "#practice-filter")
    def _practice_chosen(self, event: Select.Changed) -> None:
        value = event.value
        self._set_filters(session_id=value if isinstance(value, str) else None)

    @on(Select.Changed, "#tag-filter")
    def _tag_chosen(self, event: Select.Changed) -> None:
        value = event.value
        self._set_filters(tag=value if isinstance(value, str) else None)

    @on(Input.Changed, "#date-filter")
    def _dates_typed(self, event: Input.Changed) -> None:
        now = self.now or datetime.now(self.zone)
        try:
            since, until = history.parse_range(event.value, now)
        except history.DateError as error:
            event.input.add_class("-invalid")
            event.input.tooltip = str(error)
            return
        event.input.remove_class("-invalid")
        event.input.tooltip = None
        self.dates_in_use = event.value
        self._set_filters(since=since, until=until)

    @on(Input.Submitted, "#date-filter")
    def _dates_entered(self, event: Input.Submitted) -> None:
        self._said_unreadable(event.value)  # Enter on dates it cannot read: say so now

    @on(Input.Blurred, "#date-filter")
    def _dates_left(self, event: Input.Blurred) -> None:
        """Leaving unreadable dates in the box would belie the table: put back the dates used."""
        if self._said_unreadable(event.value):
            event.input.value = self.dates_in_use

    def _said_unreadable(self, dates: str) -> bool:
        """Whether `dates` cannot be read; if so, the user has been told why (once: Enter
        then leaving the box does not say it twice)."""
        try:
            history.parse_range(dates, self.now or datetime.now(self.zone))
        except history.DateError as error:
            if dates != self._told_unreadable:
                shown = self.dates_in_use if self.filters.since or self.filters.until \
                    else "all dates"
                self.notify(f"{error}. The table still shows {shown}.", severity="warning",
                            markup=False)
            self._told_unreadable = dates
            return True
        self._told_unreadable = None
        return False

    def _set_filters(self, **changes: object) -> None:
        filters = Filters(**{**self.filters.query(), **changes})  # type: ignore[arg-type]
        if filters != self.filters and self.store is not None:
            self.filters = filters
            self.load()

    @on(DataTable.RowSelected, "#practices")
    def _practice_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a practice shows its runs."""
        self.query_one("#practice-filter", Select).value = event.row_key.value
        self.action_show_tab("runs")

    @on(DataTable.RowSelected, "#runs-table")
    def _run_selected(self, event: DataTable.RowSelected) -> None:
        run = self.query_one(RunsTable).run_at(event.cursor_row)
        if run is not None:
            self.app.push_screen(RunDetailScreen(run, self.zone))

    @on(DataTable.HeaderSelected, "#runs-table")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        sort = dict((key, sort) for key, _, sort in COLUMNS)[str(event.column_key.value)]
        if sort is None:
            return
        self._sort_by(sort, not self.descending if sort is self.sort else
                      sort not in ALPHABETICAL)

    def _sort_by(self, sort: RunSort, descending: bool) -> None:
        self.sort, self.descending = sort, descending
        if self.store is not None:
            self.load_runs(0)

    def action_next_sort(self) -> None:
        order = list(SORT_NAMES)
        following = order[(order.index(self.sort) + 1) % len(order)]
        self._sort_by(following, following not in ALPHABETICAL)

    def action_reverse_sort(self) -> None:
        self._sort_by(self.sort, not self.descending)

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        target = self.query_one("#practices" if tab == "overview" else "#runs-table")
        self.call_after_refresh(target.focus)  # once the pane is shown, so it can take focus

    def action_focus_filters(self) -> None:
        self.query_one("#practice-filter").focus()

    def action_back(self) -> None:
        """Leave a filter for the table; leave the review from anywhere else."""
        if isinstance(self.focused, Input | Select):
            self.action_show_tab(self.query_one(TabbedContent).active)
        else:
            self.dismiss()

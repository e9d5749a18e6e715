"""The table of runs: one row per run, loaded a page at a time as the user scrolls."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from rich.text import Text
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable

from coach.core.history import pain_text
from coach.core.report import OUTCOME_WORDS
from coach.core.store import Run, RunSort
from coach.core.text import clean_line, shortened

COLUMNS: tuple[tuple[str, str, RunSort | None], ...] = (
    ("started", "Date", RunSort.STARTED),
    ("practice", "Practice", RunSort.PRACTICE),
    ("pain", "Pain", RunSort.BEFORE),
    ("band", "Band", RunSort.CHANGE),
    ("outcome", "Outcome", RunSort.OUTCOME),
    ("minutes", "Min", RunSort.MINUTES),
    ("note", "Note", None),
)
"""Column key, header, and the order that clicking the header asks for (the band sorts by
the change it comes from; `s` also sorts by pain after). Pain before and after share a
column, which shows the change too, so that everything up to the outcome fits at 80
columns, the widest band ("no pain at start") included."""

PRACTICE_WIDTH = 18
NOTE_WIDTH = 40
LOAD_AHEAD = 30
"""Ask for the next page when the cursor or the view comes this close to the last row."""


def _cells(run: Run, zone: tzinfo, this_year: int) -> list[Text]:
    """Rich `Text` cells: literal, never markup, and measured right by the table."""
    local = run.started_utc.astimezone(zone)
    # This year's runs by day and time; older ones by day and year, in the same width.
    when = local.strftime("%b %H:%M" if local.year == this_year else "%b %Y ")
    title = shortened(clean_line(run.session_title), PRACTICE_WIDTH)
    note = shortened(clean_line(run.note or ""), NOTE_WIDTH)
    return [
        Text(f"{local.day:>2} {when}"),
        Text(title),
        Text(f"{pain_text(run.pain_before):>2} → {pain_text(run.pain_after):<2}"),
        Text(run.relief.band.value),
        Text(OUTCOME_WORDS[run.outcome]),
        Text(f"{run.practised_seconds / 60:.0f}", justify="right"),
        Text(note),
    ]


class RunsTable(DataTable[Text]):
    """Rows keyed by run id. Posts `NeedMore` when the view nears the last loaded row."""

    class NeedMore(Message):
        """The table wants the page after the rows it has."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.total = 0
        """How many runs the current filters select; `row_count` is how many are loaded."""
        self.runs: list[Run] = []

    def on_mount(self) -> None:
        for key, label, _ in COLUMNS:
            self.add_column(label, key=key)

    def replace(self, runs: Sequence[Run], total: int, zone: tzinfo) -> None:
        """Show these runs as the first page of `total`."""
        self.clear()
        self.runs = []
        self.total = total
        self.extend(runs, zone)
        self.move_cursor(row=0, scroll=True)

    def extend(self, runs: Sequence[Run], zone: tzinfo) -> None:
        """Add the next page."""
        self.runs.extend(runs)
        this_year = datetime.now(zone).year
        self.add_rows(_cells(run, zone, this_year) for run in runs)

    @property
    def complete(self) -> bool:
        """True when every selected run is loaded."""
        return len(self.runs) >= self.total

    def run_at(self, row: int) -> Run | None:
        """The run shown in this row, if there is one."""
        return self.runs[row] if 0 <= row < len(self.runs) else None

    def _want_more(self, last_visible: float) -> None:
        if not self.complete and last_visible >= len(self.runs) - LOAD_AHEAD:
            self.post_message(self.NeedMore())

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        self._want_more(new.row)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._want_more(new + self.size.height)

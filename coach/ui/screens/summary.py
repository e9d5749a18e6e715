"""After the post-rating: what changed, its band, and how it compares with earlier runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from coach.core.durations import length_text
from coach.core.relief import PracticeSummary, Relief
from coach.core.report import OUTCOME_WORDS, report_lines

if TYPE_CHECKING:
    from coach.ui.screens.player import Ending


class SummaryScreen(Screen[None]):
    """Enter or escape goes back to the library."""

    BINDINGS = [Binding("enter,escape", "done", "Done")]

    def __init__(self, title: str, ending: Ending, relief: Relief,
                 earlier: PracticeSummary | None, saved: bool) -> None:
        super().__init__()
        self.session_title, self.ending, self.relief = title, ending, relief
        self.earlier, self.saved = earlier, saved

    def compose(self) -> ComposeResult:
        yield Static(Content(f"coach · {self.session_title} · summary"), id="title-bar")
        lines = report_lines(self.relief, self.earlier)
        outcome = (f"{OUTCOME_WORDS[self.ending.outcome].capitalize()} · "
                   f"{length_text(self.ending.practised_seconds)} practised")
        with VerticalScroll(id="summary-body"):
            yield Static(Content(outcome), classes="muted")
            yield Static(Content(lines[0]), id="change")
            for line in lines[1:]:
                yield Static(Content(line), classes="paragraph")
            if not self.saved:
                yield Static("This run could not be saved; see the message above.",
                             classes="warning-line")
        yield Footer()

    def action_done(self) -> None:
        self.dismiss()


"""One run in full: when, what, how long, the ratings, the change and its band, the note."""

from __future__ import annotations

from datetime import tzinfo

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from coach.core.durations import length_text
from coach.core.history import day_text
from coach.core.relief import THRESHOLDS_NOTE, severity
from coach.core.report import OUTCOME_WORDS, band_line, change_line
from coach.core.store import Run
from coach.core.text import clean_line, clean_text


def _rating(score: int | None) -> str:
    return "skipped" if score is None else f"{score} ({severity(score)})"


def _extras(run: Run) -> list[str]:
    names = sorted(set(run.extras_before) | set(run.extras_after))
    return [f"{clean_line(name).capitalize()}: {run.extras_before.get(name, '–')} → "
            f"{run.extras_after.get(name, '–')}" for name in names]


class RunDetailScreen(ModalScreen[None]):
    """Escape or enter closes it."""

    BINDINGS = [Binding("escape,enter", "close", "Close")]

    def __init__(self, run: Run, zone: tzinfo) -> None:
        super().__init__()
        self.run, self.zone = run, zone

    def compose(self) -> ComposeResult:
        run = self.run
        local = run.started_utc.astimezone(self.zone)
        relief = run.relief
        planned = length_text(run.planned_seconds)
        lines = [
            f"{day_text(local.date())}, {local:%H:%M} ({run.started_utc:%H:%M} UTC)",
            f"Outcome: {OUTCOME_WORDS[run.outcome]}; {length_text(run.practised_seconds)}"
            f" practised of {planned}",
            f"Pain before: {_rating(run.pain_before)} · after: {_rating(run.pain_after)}",
            change_line(relief),
        ]
        if relief.points is not None:
            lines.append(band_line(relief))
        lines += _extras(run)
        with VerticalScroll(classes="dialog", id="run-detail"):
            yield Static(Content(clean_line(run.session_title)), classes="dialog-title")
            for line in lines:
                yield Static(Content(line))
            if run.tags:
                yield Static(Content("Tags: " + ", ".join(clean_line(t) for t in run.tags)),
                             classes="muted")
            if run.note:
                yield Static(Content.from_markup("[b]Note:[/b] $note", note=clean_text(run.note)),
                             classes="muted")
            yield Static(Content(THRESHOLDS_NOTE), classes="muted")
        yield Footer()  # this dialog's keys, not those of the screen beneath

    def action_close(self) -> None:
        self.dismiss()

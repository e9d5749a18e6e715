"""Settings: everything a user may want coach to remember between sessions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Footer, Label, Select, Static, Switch

from coach.core.settings import DIMENSIONS, Settings

VOLUMES = [(f"{v} %", v / 100) for v in range(10, 101, 10)]
_FIELDS = {"sound": "sound", "volume": "volume", "phase-cues": "phase_cues", "theme": "theme",
           "reduced-motion": "reduced_motion", "ask-note": "ask_note"}
"""Widget id -> the setting it shows; the dimension checkboxes all show `dimensions`."""


def _on_off(value: bool) -> str:
    return "on" if value else "off"


def _switch(value: bool, switch_id: str) -> Iterator[Widget]:
    """A switch, and a word saying its state: Textual shows that by colour alone."""
    yield Switch(value, id=switch_id)
    yield Label(_on_off(value), classes="switch-state")


def _mark(box: Checkbox) -> None:
    """A cross only when ticked: Textual's checkbox draws one either way, told apart by colour."""
    box.BUTTON_INNER = "X" if box.value else " "
    box.refresh()


class SettingsScreen(Screen[Settings | None]):
    """Dismisses with the new Settings on save, None on cancel."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, settings: Settings, themes: list[str]) -> None:
        super().__init__()
        self.settings = settings
        self.themes = themes
        self._first: dict[str | None, object] = {}
        """What each control showed when the screen opened (filled on mount)."""
        self.touched: set[str] = set()
        """Settings the user changed here, even if back again: saved as shown, even when
        equal to this run's command-line option (`--reduced-motion`, say)."""

    def compose(self) -> ComposeResult:
        s = self.settings
        yield Static("coach · settings", id="title-bar")
        with VerticalScroll(id="settings-body"):
            with Horizontal(classes="setting"):
                yield Label("Chimes and cues")
                yield from _switch(s.sound, "sound")
            with Horizontal(classes="setting"):
                yield Label("Volume")
                volume = min(VOLUMES, key=lambda v: abs(v[1] - s.volume))[1]
                yield Select(VOLUMES, value=volume, allow_blank=False, id="volume")
            with Horizontal(classes="setting"):
                yield Label("A cue at each breath phase (for closed eyes)")
                yield from _switch(s.phase_cues, "phase-cues")
            with Horizontal(classes="setting"):
                yield Label("Theme (coach-night is dim, for night practice)")
                # A theme named in a hand-edited file may not exist: show the one in use.
                theme = s.theme if s.theme in self.themes else self.app.theme
                yield Select([(t, t) for t in self.themes], value=theme, allow_blank=False,
                             id="theme")
            with Horizontal(classes="setting"):
                yield Label("Reduced motion: a count instead of the moving pacer")
                yield from _switch(s.reduced_motion, "reduced-motion")
            yield Static("Also ask, before and after each session:", classes="question")
            for name in DIMENSIONS:
                yield Checkbox(name.capitalize(), name in s.dimensions, id=f"dimension-{name}")
            yield Checkbox("A short note after the session", s.ask_note, id="ask-note")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self._theme_before = self.app.theme
        self._first = {w.id: w.value for w in self.query("Switch, Select, Checkbox")}
        for box in self.query(Checkbox):
            _mark(box)

    @on(Switch.Changed)
    def _say_on_off(self, event: Switch.Changed) -> None:
        event.switch.parent.query_one(".switch-state", Label).update(_on_off(event.value))

    @on(Checkbox.Changed)
    def _mark_box(self, event: Checkbox.Changed) -> None:
        _mark(event.checkbox)

    @on(Select.Changed, "#theme")
    def _preview_theme(self, event: Select.Changed) -> None:
        self.app.theme = str(event.value)

    @on(Switch.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _touched(self, event: Switch.Changed | Select.Changed | Checkbox.Changed) -> None:
        # Selects also report their first value when shown: only a change counts.
        widget_id = str(event.control.id)
        name = _FIELDS.get(widget_id) or ("dimensions" if widget_id.startswith("dimension-")
                                          else None)
        if name is not None and event.value != self._first.get(widget_id, event.value):
            self.touched.add(name)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        dimensions = tuple(name for name in DIMENSIONS
                           if self.query_one(f"#dimension-{name}", Checkbox).value)
        self.dismiss(replace(
            self.settings,
            sound=self.query_one("#sound", Switch).value,
            volume=float(self.query_one("#volume", Select).value),
            phase_cues=self.query_one("#phase-cues", Switch).value,
            theme=str(self.query_one("#theme", Select).value),
            reduced_motion=self.query_one("#reduced-motion", Switch).value,
            dimensions=dimensions,
            ask_note=self.query_one("#ask-note", Checkbox).value,
        ))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.app.theme = self._theme_before  # undo the preview
        self.dismiss(None)

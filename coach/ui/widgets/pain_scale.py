"""The 0-10 scale: chosen with a digit, the arrows or the mouse; the same words every time."""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.events import Click, Key
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from coach.core.relief import severity

TEN_AFTER_ONE_SECONDS = 1.0
"""Typing 1 then 0 within this time chooses 10."""


class PainScale(Widget, can_focus=True):
    """Eleven numbers with the severity bands under them and anchor words at the ends."""

    BINDINGS = [
        Binding("left", "move(-1)", "Less", show=False),
        Binding("right", "move(1)", "More", show=False),
    ]
    COMPONENT_CLASSES = {"scale--chosen", "scale--mild", "scale--moderate", "scale--severe",
                         "scale--none"}
    DEFAULT_CSS = """
    PainScale {
        height: auto;
        width: 100%;
        & > .scale--chosen { background: $accent; color: $background; text-style: bold; }
        & > .scale--none { color: $success; }
        & > .scale--mild { color: $success-lighten-2; }
        & > .scale--moderate { color: $warning; }
        & > .scale--severe { color: $error-lighten-1; }
        &:focus { background: $boost; }
    }
    """

    value: reactive[int | None] = reactive(None)

    @dataclass
    class Changed(Message):
        scale: PainScale
        value: int

    def __init__(self, low_words: str, high_words: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self.low_words, self.high_words = low_words, high_words
        self._last_one = 0.0

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """Four lines at any width, known without drawing them (drawing while laid out
        would measure a size not yet settled, and lay the screen out again to find it)."""
        return 4

    def cell_width(self) -> int:
        return max(3, min(6, self.size.width // 11))

    def render(self) -> Text:
        width = self.cell_width()
        numbers, bands = Text(), Text()
        for score in range(11):
            kind = severity(score)
            style = self.get_component_rich_style(f"scale--{kind}")
            chosen = self.value == score
            cell = str(score).center(width)
            numbers.append(cell, self.get_component_rich_style("scale--chosen") if chosen
                           else style)
            bands.append(("━" * (width - 1)).ljust(width), style)
        return Text("\n").join([numbers, bands, self._anchors(width * 11),
                                 self._legend(width)])

    def _anchors(self, room: int) -> Text:
        """The words at the ends, with their numbers if there is room (the numbers are in
        sight above them anyway)."""
        for low, high in ((f"0 {self.low_words}", f"{self.high_words} 10"),
                          (self.low_words, self.high_words)):
            gap = room - len(low) - len(high)
            if gap >= 2:
                return Text(low + " " * gap + high, style="dim")
        return Text(f"{low} · {high}", style="dim")

    def _legend(self, width: int) -> Text:
        """The bands' words in one line; in a narrow terminal, each under its band."""
        legend = "0 none · 1-3 mild · 4-6 moderate · 7-10 severe"
        if len(legend) <= width * 11:
            return Text(legend, style="dim")
        under = Text()
        for kind, scores in (("none", 1), ("mild", 3), ("moderate", 3), ("severe", 4)):
            room = width * scores
            under.append((kind if len(kind) <= room else "").center(room),
                         self.get_component_rich_style(f"scale--{kind}"))
        return under

    def choose(self, value: int) -> None:
        self.value = max(0, min(10, value))
        self.post_message(self.Changed(self, self.value))

    def action_move(self, delta: int) -> None:
        start = self.value if self.value is not None else (-1 if delta > 0 else 11)
        self.choose(start + delta)

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit():
            digit = int(event.character)
            typed_ten = digit == 0 and self.value == 1 and \
                time.monotonic() - self._last_one < TEN_AFTER_ONE_SECONDS
            if digit == 1:
                self._last_one = time.monotonic()
            self.choose(10 if typed_ten else digit)
            event.stop()

    def on_click(self, event: Click) -> None:
        if event.y == 0 and 0 <= event.x < self.cell_width() * 11:
            self.choose(event.x // self.cell_width())

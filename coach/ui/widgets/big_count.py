"""The count of reduced motion: the seconds left in a phase, in large figures."""

from __future__ import annotations

from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import Digits

MOST_KEPT = 64
"""Values kept drawn; past this many (a long silence counts through more) all are let go."""


class BigCount(Digits):
    """Digits that keep the lines of each value they have shown.

    In reduced motion the count is the one thing on the player that changes every second,
    and phase after phase it goes through the same values: each is drawn once, not once a
    second. Drawing one was about a quarter of the CPU a second of reduced motion used."""

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(value, id=id)
        self._kept: dict[tuple[str, Size], list[Strip]] = {}
        """Lines by value and size: the count is narrower from 9 down than from 10 up."""
        self._kept_for: tuple[object, ...] = ()
        """The styles and selection the kept lines were drawn in."""

    def render_line(self, y: int) -> Strip:
        # rich_style besides visual_style: the figures take their colours from the ancestors.
        looks = (self.visual_style, self.rich_style, self.text_selection)
        if looks != self._kept_for or len(self._kept) >= MOST_KEPT:
            self._kept_for, self._kept = looks, {}
        key = (self.value, self.size)
        lines = self._kept.get(key)
        if lines is None:
            drawn = super().render_line
            lines = self._kept[key] = [drawn(row) for row in range(self.size.height)]
        return lines[y]

"""Widgets that keep the lines Textual drew for them until something about them changes.

When one widget changes, Textual's compositor asks every widget beside it for its lines
again, and each goes through its styles once more to give the same lines as before. On the
player, where one count changes each second, that was a third of the CPU it used.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from textual.geometry import Region
from textual.strip import Strip

if TYPE_CHECKING:
    from textual.widget import Widget

    _Base = Widget
else:
    _Base = object

MOST_KEPT = 64
"""Sets of lines kept; past this many (a silence counts through many values) all go."""


class KeptLines(_Base):
    """Mixin for a widget: `render_lines` serves lines already drawn.

    The whole widget's lines are kept, by `kept_key()`, what the widget shows.
    A change of what it shows made through `changing_value` keeps the lines of the other
    values, for the widget that comes back to them (a count, a phase word). Any other repaint
    (a new size, style or selection, and every widget when the theme changes) lets them all
    go: it goes through `_set_dirty`, where Textual lets its own cache of the widget's lines
    go too.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept_lines: dict[Hashable, list[Strip]] = {}
        self._value_change = False

    def kept_key(self) -> Hashable:
        """What the widget shows, for widgets that change it through `changing_value`."""
        return None

    def changing_value(self, change: Callable[[], None]) -> None:
        """Run `change`, which changes only what `kept_key` says: other values stay kept."""
        self._value_change = True
        try:
            change()
        finally:
            self._value_change = False

    def render_lines(self, crop: Region) -> list[Strip]:
        # Only the whole widget: not a row asked for by the mouse, or a part scrolled by. A
        # new size repaints it, so the crop need not be part of the key.
        if crop.size != self.outer_size:
            return super().render_lines(crop)
        if len(self._kept_lines) >= MOST_KEPT:
            self._kept_lines.clear()
        key = self.kept_key()
        lines = self._kept_lines.get(key)
        if lines is None:
            lines = self._kept_lines[key] = super().render_lines(crop)
        return lines

    def _set_dirty(self, *regions: Region) -> None:
        if not self._value_change:
            self._kept_lines.clear()
        super()._set_dirty(*regions)

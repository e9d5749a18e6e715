"""The count of reduced motion: the seconds left in a phase, in large figures."""

from __future__ import annotations

from collections.abc import Hashable

from textual.widgets import Digits

from coach.ui.kept_lines import KeptLines


class BigCount(KeptLines, Digits):
    """Digits that keep the lines of each value they have shown.

    In reduced motion the count is the one thing on the player that changes every second,
    and phase after phase it goes through the same values: each is drawn once, not once a
    second. Drawing one was about a quarter of the CPU a second of reduced motion used."""

    def kept_key(self) -> Hashable:
        return self.value

    def update(self, value: str) -> None:
        self.changing_value(lambda: super(BigCount, self).update(value))

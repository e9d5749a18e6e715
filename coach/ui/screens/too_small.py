"""Shown instead of everything else while the terminal is too small to practise in."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 40, 12


class TooSmallScreen(ModalScreen[None]):
    """The session underneath keeps its time; this only covers it."""

    def compose(self) -> ComposeResult:
        yield Static(
            f"Please make the window larger.\n\ncoach needs at least {MIN_WIDTH}×{MIN_HEIGHT}.",
            id="too-small",
        )

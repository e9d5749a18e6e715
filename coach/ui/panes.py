"""Screens with two panes side by side stack them when the terminal is narrow."""

from __future__ import annotations

from textual.screen import Screen

STACK_BELOW = 70
"""Columns under which the panes go one above the other (`.-narrow` in coach.tcss)."""


def fit_panes(screen: Screen, width: int) -> None:
    """Mark `screen` narrow or not. At usual widths no class changes, so the screen is styled
    once at start-up rather than again on its first resize, as a `-wide` class would cost."""
    screen.set_class(width < STACK_BELOW, "-narrow")

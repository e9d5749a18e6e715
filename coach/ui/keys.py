"""Footers at narrow widths: every key in sight, from 80 columns down to 40."""

from __future__ import annotations

from textual.screen import Screen

KEYS_CLOSE_BELOW = 76
"""Columns under which the footer's keys close up and the palette's key is left out (ctrl+p
still opens it): the widest footer, the review's runs, took 71 with the palette's key, and the
player's 68 paused and muted (`.-keys-close`)."""
KEYS_TWO_ROWS_BELOW = 54
"""Columns under which the footers with the most keys (KeysFooter) take two rows
(`.-keys-two-rows`)."""


def fit_keys(screen: Screen, width: int) -> None:
    """Mark `screen` for its footer. At usual widths no class changes, so the screen is not
    styled again on start-up."""
    screen.set_class(width < KEYS_CLOSE_BELOW, "-keys-close")
    screen.set_class(width < KEYS_TWO_ROWS_BELOW, "-keys-two-rows")

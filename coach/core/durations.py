"""Lengths of time as people read them."""

from __future__ import annotations

import math


def length_text(seconds: float, open_ended: bool = False) -> str:
    """`"5 min"`, `"3 min 30 s"`, `"45 s"`; `"+ open"` when it lasts as long as you like.

    An open step's own length is infinite: it reads "as long as you like".
    """
    if math.isinf(seconds):
        return "as long as you like"
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    if minutes and rest:
        text = f"{minutes} min {rest} s"
    elif minutes:
        text = f"{minutes} min"
    else:
        text = f"{rest} s"
    return f"{text} + open" if open_ended else text


def minutes_text(seconds: float) -> str:
    """`"5 min"` to the nearest minute, or `"under a minute"`: for a quiet progress line that
    changes at most once a minute, and rounds as the library's list does."""
    if seconds < 60:
        return "under a minute"
    return f"{math.floor(seconds / 60 + 0.5)} min"

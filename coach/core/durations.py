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


def hours_text(seconds: float) -> str:
    """`"4 h 0 min 45 s"`: a length beside a limit in hours, to the second, rounded up so that
    14400.3 s is past 4 h and says so."""
    hours, rest = divmod(math.ceil(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h", f"{minutes} min" if minutes or secs else "", f"{secs} s" if secs else ""]
    return " ".join(part for part in parts if part)

"""Lengths of time as people read them."""

import pytest

from coach.core.durations import length_text, minutes_text


@pytest.mark.parametrize(("seconds", "text"), [
    (45, "45 s"), (60, "1 min"), (298, "4 min 58 s"), (600.4, "10 min")])
def test_length_text(seconds: float, text: str) -> None:
    assert length_text(seconds) == text


def test_open_ended_length() -> None:
    assert length_text(185, open_ended=True) == "3 min 5 s + open"


def test_an_open_step_lasts_as_long_as_you_like() -> None:
    assert length_text(float("inf"), open_ended=True) == "as long as you like"


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "under a minute"), (59.9, "under a minute"), (60, "1 min"), (89.9, "1 min"),
    (90, "2 min"), (203, "3 min"), (299, "5 min")])
def test_minutes_to_the_nearest(seconds: float, text: str) -> None:
    assert minutes_text(seconds) == text

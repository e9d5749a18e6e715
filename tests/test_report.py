"""The words after a session, against hand-worked cases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coach.core.relief import PracticeSummary, relief
from coach.core.report import comparison_line, report_lines


def earlier_runs(rated: int, points_sum: int, percent_sum: float,
                 percent_runs: int) -> PracticeSummary:
    """A practice's summary of earlier runs, as the store sums them."""
    return PracticeSummary.from_totals("box", "Box", runs=rated, rated_runs=rated,
                                       points_sum=points_sum, percent_sum=percent_sum,
                                       percent_runs=percent_runs, meaningful_runs=0,
                                       last_used=datetime(2026, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(("before", "after", "first_two"), [
    (6, 3, ["6 → 3: 3 points less pain (50 %)", "Substantial relief"]),
    (7, 5, ["7 → 5: 2 points less pain (29 %)", "Meaningful relief"]),
    (8, 7, ["8 → 7: 1 point less pain (12 %)", "A small change"]),
    (5, 5, ["5 → 5: the same pain", "No change"]),
    (0, 0, ["0 → 0: the same pain", "No pain at start"]),
    (2, 1, ["2 → 1: 1 point less pain (50 %)",
            "Substantial relief (from a low start, the percent says less)"]),
])
def test_change_and_band(before: int, after: int, first_two: list[str]) -> None:
    assert report_lines(relief(before, after), None)[:2] == first_two


def test_a_rise_is_said_plainly_with_when_to_get_help() -> None:
    lines = report_lines(relief(3, 5), None)
    assert lines[0] == "3 → 5: 2 points more pain (67 %)"
    assert lines[1] == ("Worse than before. Pain goes up and down; if it keeps getting worse, "
                        "rest.")
    assert lines[2].startswith("Get urgent help for: numbness around the genitals")
    assert lines[3].startswith("See a doctor soon for: fever")
    assert not any("Get urgent help" in line for line in report_lines(relief(5, 3), None))


def test_a_skipped_rating_shows_no_change_and_no_band() -> None:
    lines = report_lines(relief(None, 4), None)
    assert lines[0] == "The rating before was skipped, so there is no change to show."
    assert lines[1:] == ["No run of this practice is rated yet."]  # no thresholds: no band
    both = report_lines(relief(None, None), None)
    assert both[:2] == ["Both ratings were skipped, so there is no change to show.",
                        "No run of this practice is rated yet."]


def test_comparison_with_earlier_runs() -> None:
    earlier = earlier_runs(4, points_sum=6, percent_sum=100.0, percent_runs=4)
    assert comparison_line(earlier) == (
        "Your 4 earlier rated runs of it: on average 1.5 points less pain (25 %).")
    assert comparison_line(None) == "This is your first rated run of this practice."


def test_a_percent_over_fewer_runs_than_the_points_says_so() -> None:
    # 0 -> 0 and 1 -> 0: 0.5 points on average, but only the second has a percent (100 %).
    earlier = earlier_runs(2, points_sum=1, percent_sum=100.0, percent_runs=1)
    assert comparison_line(earlier) == ("Your 2 earlier rated runs of it: on average 0.5 points "
                                        "less pain (100 % over the 1 that started above 0).")


def test_a_whole_average_reads_as_a_whole_number() -> None:
    earlier = earlier_runs(3, points_sum=3, percent_sum=60.0, percent_runs=3)
    assert comparison_line(earlier) == (
        "Your 3 earlier rated runs of it: on average 1 point less pain (20 %).")

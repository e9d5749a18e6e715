"""The words after a session: what changed, its band, and how it compares. Shared by the app's
summary screen and `coach --plain`."""

from __future__ import annotations

from coach.core.relief import THRESHOLDS_NOTE, Band, PracticeSummary, Relief
from coach.core.safety import SOON, URGENT
from coach.core.store import Outcome

OUTCOME_WORDS = {
    Outcome.COMPLETED: "completed",
    Outcome.ENDED_EARLY: "ended early",
    Outcome.INTERRUPTED: "interrupted",
    Outcome.RUNNING: "still running",
}
"""How a run ended, in words: the same in the summary, the review, the history and --plain."""

BAND_WORDS = {
    Band.SUBSTANTIAL: "Substantial relief",
    Band.MEANINGFUL: "Meaningful relief",
    Band.SMALL: "A small change",
    Band.NO_CHANGE: "No change",
    Band.WORSE: "Worse than before",
    Band.NO_PAIN_AT_START: "No pain at start",
    Band.UNRATED: "Not rated",
}


def _points(points: float) -> str:
    word = "point" if abs(points) == 1 else "points"
    if points > 0:
        return f"{points:g} {word} less pain"  # an average of 1.0 reads "1 point"
    if points < 0:
        return f"{-points:g} {word} more pain"
    return "the same pain"


def change_line(r: Relief) -> str:
    """`6 → 3: 3 points less pain (50 %)`, or why there is no change to show."""
    if r.before is None and r.after is None:
        return "Both ratings were skipped, so there is no change to show."
    if r.before is None or r.after is None:
        skipped = "before" if r.before is None else "after"
        return f"The rating {skipped} was skipped, so there is no change to show."
    line = f"{r.before} → {r.after}: {_points(r.points or 0)}"
    if r.percent is not None and r.points:
        line += f" ({abs(r.percent):.0f} %)"
    return line


def band_line(r: Relief) -> str:
    line = BAND_WORDS[r.band]
    if r.band == Band.WORSE:
        line += ". Pain goes up and down; if it keeps getting worse, rest."
    elif r.low_baseline and r.percent is not None and r.points:
        line += " (from a low start, the percent says less)"
    return line


def comparison_line(earlier: PracticeSummary | None, rated: bool = True) -> str:
    """How this practice went before; `rated` says whether this run has a change to count."""
    if earlier is None or earlier.mean_points is None:
        return ("This is your first rated run of this practice." if rated
                else "No run of this practice is rated yet.")
    runs = "run" if earlier.rated_runs == 1 else "runs"
    line = f"Your {earlier.rated_runs} earlier rated {runs} of it: on average "
    line += _points(round(earlier.mean_points, 1)) if earlier.mean_points != 0 else "no change"
    if earlier.mean_percent is not None and earlier.mean_points:
        line += f" ({abs(earlier.mean_percent):.0f} %"
        if earlier.percent_runs < earlier.rated_runs:  # a start at 0 has no percent
            line += f" over the {earlier.percent_runs} that started above 0"
        line += ")"
    return line + "."


def report_lines(r: Relief, earlier: PracticeSummary | None) -> list[str]:
    """Everything the summary says, in order: after a rise, when to get help too."""
    rated = r.band != Band.UNRATED
    lines = [change_line(r)]
    if rated:
        lines.append(band_line(r))
    if r.band == Band.WORSE:
        lines += [URGENT, SOON]
    lines.append(comparison_line(earlier, rated=rated))
    if rated:  # the thresholds are those of the band shown
        lines.append(THRESHOLDS_NOTE)
    return lines

"""Relief maths: how much a session changed the pain a user reported (DOMAIN.md section 1).

Pure functions over raw 0-10 ratings; nothing here touches the disk or the UI. The store keeps
the raw integers and everything is computed when it is shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

MEANINGFUL_POINTS = 2
"""A drop of at least this many points is meaningful (IMMPACT, Farrar 2001)."""
MEANINGFUL_PERCENT = 30
"""A drop of at least this percent of the starting pain is meaningful."""
SUBSTANTIAL_PERCENT = 50
"""A drop of at least this percent of the starting pain is substantial."""
LOW_BASELINE = 4
"""Starting pain below this makes percents less reliable (floor effects; IMMPACT's entry floor)."""
TOO_FEW_RATED = 3
"""A practice with fewer rated runs than this is listed, but not ranked among the others."""

PAIN_QUESTION = "How much pain do you feel right now?"
"""Asked before and after every session, in these words every time."""
ANCHORS = {0: "no pain", 10: "worst pain imaginable"}
"""The NRS-11 anchor words; show the same ones every time the user rates."""
QUESTIONS = {
    "unpleasantness": ("How unpleasant or distressing is the pain?", "not at all", "extremely"),
    "stress": ("How stressed do you feel?", "not at all", "extremely"),
}
"""The extra 0-10 questions a user may turn on (settings.DIMENSIONS): question, low, high."""
NOTE_MAX = 200
"""Characters in the optional note after a session."""

THRESHOLDS_NOTE = (
    "These thresholds come from multi-week clinical trials: treat them as reference points, "
    "not a verdict on a single session."
)
"""One sentence for the UI to show next to any band."""


class Band(StrEnum):
    """How a single before/after pair of ratings is described."""

    SUBSTANTIAL = "substantial"
    MEANINGFUL = "meaningful"
    SMALL = "small"
    NO_CHANGE = "no change"
    WORSE = "worse"
    NO_PAIN_AT_START = "no pain at start"
    UNRATED = "unrated"
    """The rating before or after was skipped."""


@dataclass(frozen=True)
class Relief:
    """The change between two pain ratings, with its band."""

    before: int | None
    """Pain before the session, 0-10, or None when skipped."""
    after: int | None
    """Pain after the session, 0-10, or None when skipped."""
    points: int | None
    """before - after: positive means less pain. None unless both ratings exist."""
    percent: float | None
    """100 x points / before; None unless both ratings exist and before >= 1."""
    band: Band
    """The label to show; see `relief` for the precedence."""
    low_baseline: bool
    """before < 4: a percent from such a low start is less reliable."""


def check_score(score: int | None, name: str) -> None:
    """Raise ValueError unless `score` is None or an integer from 0 to 10."""
    if score is None:
        return
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
        raise ValueError(f"{name} must be an integer from 0 to 10, got {score!r}")


def is_meaningful(before: int, after: int) -> bool:
    """True when the drop is meaningful or better: >= 2 points or >= 30 % of `before`.

    Compared in integers (points x 100 >= 30 x before) so that 3 of 10 is exactly 30 %.
    `meaningful_sql` states the same rule for SQL; keep the two side by side.
    """
    drop = before - after
    return drop > 0 and (drop >= MEANINGFUL_POINTS or drop * 100 >= MEANINGFUL_PERCENT * before)


def meaningful_sql(before: str, after: str) -> str:
    """`is_meaningful` as an SQL expression over two integer columns known to be non-NULL."""
    drop = f"({before} - {after})"
    return (
        f"({drop} > 0 AND ({drop} >= {MEANINGFUL_POINTS}"
        f" OR {drop} * 100 >= {MEANINGFUL_PERCENT} * {before}))"
    )


def relief(before: int | None, after: int | None) -> Relief:
    """Describe the change from `before` to `after` (each 0-10, or None when skipped).

    Bands, first match wins:

    1. either rating missing -> UNRATED (points and percent are None);
    2. before == after == 0 -> NO_PAIN_AT_START;
    3. after > before -> WORSE, whatever the size of the rise and also from a start of 0,
       so a rise is never hidden;
    4. after == before -> NO_CHANGE;
    5. a drop of >= 50 % -> SUBSTANTIAL (checked before "meaningful", which it implies);
    6. a drop of >= 2 points or >= 30 % -> MEANINGFUL;
    7. any other drop -> SMALL.

    Substantial is judged by percent only, so 10 -> 6 (4 points, 40 %) is meaningful, while
    1 -> 0 (100 %) is substantial but flagged `low_baseline`.
    """
    check_score(before, "before")
    check_score(after, "after")
    if before is None or after is None:
        return Relief(
            before, after, None, None, Band.UNRATED, before is not None and before < LOW_BASELINE
        )
    points = before - after
    percent = 100 * points / before if before >= 1 else None
    if before == 0 and after == 0:
        band = Band.NO_PAIN_AT_START
    elif points < 0:
        band = Band.WORSE
    elif points == 0:
        band = Band.NO_CHANGE
    elif points * 100 >= SUBSTANTIAL_PERCENT * before:
        band = Band.SUBSTANTIAL
    elif is_meaningful(before, after):
        band = Band.MEANINGFUL
    else:
        band = Band.SMALL
    return Relief(before, after, points, percent, band, before < LOW_BASELINE)


def severity(score: int) -> str:
    """The NRS-11 word for a score: 0 none, 1-3 mild, 4-6 moderate, 7-10 severe."""
    check_score(score, "score")
    if score == 0:
        return "none"
    if score <= 3:
        return "mild"
    if score <= 6:
        return "moderate"
    return "severe"


class RatedRun(Protocol):
    """What `summarise` needs from a run; the store's `Run` has these fields."""

    @property
    def session_id(self) -> str: ...
    @property
    def session_title(self) -> str: ...
    @property
    def started_utc(self) -> datetime: ...
    @property
    def pain_before(self) -> int | None: ...
    @property
    def pain_after(self) -> int | None: ...


@dataclass(frozen=True)
class PracticeSummary:
    """How one practice (session) has gone for the user across many runs."""

    key: str
    """The session id."""
    title: str
    """The title of the most recent run (titles can change between versions of a session)."""
    runs: int
    """Runs started, whatever their outcome."""
    rated_runs: int
    """Runs with both a before and an after rating."""
    mean_points: float | None
    """Mean of before - after over rated runs; None when there are none."""
    mean_percent: float | None
    """Mean percent over rated runs with before >= 1; None when there are none."""
    percent_runs: int
    """Rated runs with before >= 1: those `mean_percent` is over (a percent of 0 is none)."""
    meaningful_share: float | None
    """Share (0-1) of rated runs with meaningful or substantial relief; None without any."""
    last_used: datetime
    """When the most recent run started."""
    too_few: bool
    """Fewer than 3 rated runs: shown, but ranked after the others."""

    @classmethod
    def from_totals(
        cls,
        key: str,
        title: str,
        runs: int,
        rated_runs: int,
        points_sum: int,
        percent_sum: float,
        percent_runs: int,
        meaningful_runs: int,
        last_used: datetime,
    ) -> PracticeSummary:
        """Build a summary from sums; both `summarise` and the SQL store come through here."""
        return cls(
            key=key,
            title=title,
            runs=runs,
            rated_runs=rated_runs,
            mean_points=points_sum / rated_runs if rated_runs else None,
            mean_percent=percent_sum / percent_runs if percent_runs else None,
            percent_runs=percent_runs,
            meaningful_share=meaningful_runs / rated_runs if rated_runs else None,
            last_used=last_used,
            too_few=rated_runs < TOO_FEW_RATED,
        )


def ranked(summaries: Iterable[PracticeSummary]) -> list[PracticeSummary]:
    """Most helpful first: by mean points, then meaningful share; `too_few` ones after the rest.

    Practices without any rated run come last within their group; the key breaks ties.
    """

    def order(s: PracticeSummary) -> tuple[bool, bool, float, float, str]:
        return (
            s.too_few,
            s.mean_points is None,
            -(s.mean_points or 0.0),
            -(s.meaningful_share or 0.0),
            s.key,
        )

    return sorted(summaries, key=order)


def summarise(rows: Iterable[RatedRun]) -> list[PracticeSummary]:
    """Summarise runs in memory, per session id, ranked as `ranked` does."""
    groups: dict[str, list[RatedRun]] = {}
    for row in rows:
        groups.setdefault(row.session_id, []).append(row)
    summaries = []
    for key, group in groups.items():
        latest = max(group, key=lambda r: r.started_utc)
        rated = [
            (r.pain_before, r.pain_after)
            for r in group
            if r.pain_before is not None and r.pain_after is not None
        ]
        with_percent = [(b, a) for b, a in rated if b >= 1]
        summaries.append(
            PracticeSummary.from_totals(
                key=key,
                title=latest.session_title,
                runs=len(group),
                rated_runs=len(rated),
                points_sum=sum(b - a for b, a in rated),
                percent_sum=sum(100 * (b - a) / b for b, a in with_percent),
                percent_runs=len(with_percent),
                meaningful_runs=sum(is_meaningful(b, a) for b, a in rated),
                last_used=latest.started_utc,
            )
        )
    return ranked(summaries)

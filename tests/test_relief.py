"""Relief maths, on hand-worked cases (DOMAIN.md section 1)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from coach.core.relief import (
    ANCHORS,
    THRESHOLDS_NOTE,
    Band,
    PracticeSummary,
    is_meaningful,
    relief,
    severity,
    summarise,
)

CORE_DIR = Path(__file__).resolve().parent.parent / "coach" / "core"


@pytest.mark.parametrize(
    ("before", "after", "points", "percent", "band", "low"),
    [
        # Skipped ratings: nothing computed, the band says so.
        (None, 3, None, None, Band.UNRATED, False),
        (6, None, None, None, Band.UNRATED, False),
        (2, None, None, None, Band.UNRATED, True),
        (None, None, None, None, Band.UNRATED, False),
        # Baseline 0: no percent; a rise from 0 is still worse.
        (0, 0, 0, None, Band.NO_PAIN_AT_START, True),
        (0, 3, -3, None, Band.WORSE, True),
        # A rise is never hidden, however small.
        (5, 6, -1, -20.0, Band.WORSE, False),
        (9, 10, -1, pytest.approx(-100 / 9), Band.WORSE, False),
        (5, 5, 0, 0.0, Band.NO_CHANGE, False),
        # Small: 1 point and under 30 %.
        (8, 7, 1, 12.5, Band.SMALL, False),
        (4, 3, 1, 25.0, Band.SMALL, False),
        # Exactly 2 points (20 %) is meaningful; just under both thresholds is not.
        (10, 8, 2, 20.0, Band.MEANINGFUL, False),
        (10, 9, 1, 10.0, Band.SMALL, False),
        # Exactly 30 % is meaningful even with a 1-point drop (low baseline flagged).
        (3, 2, 1, pytest.approx(100 / 3), Band.MEANINGFUL, True),
        (10, 7, 3, 30.0, Band.MEANINGFUL, False),
        # 4 points but 40 %: meaningful, not substantial (substantial is by percent).
        (10, 6, 4, 40.0, Band.MEANINGFUL, False),
        # Exactly 50 % is substantial; 49 % is not.
        (10, 5, 5, 50.0, Band.SUBSTANTIAL, False),
        (4, 2, 2, 50.0, Band.SUBSTANTIAL, False),
        (1, 0, 1, 100.0, Band.SUBSTANTIAL, True),
        (7, 4, 3, pytest.approx(300 / 7), Band.MEANINGFUL, False),
    ],
)
def test_relief_bands(
    before: int | None,
    after: int | None,
    points: int | None,
    percent: float | None,
    band: Band,
    low: bool,
) -> None:
    r = relief(before, after)
    assert (r.before, r.after) == (before, after)
    assert r.points == points
    assert r.percent == percent
    assert r.band is band
    assert r.low_baseline is low


def test_meaningful_agrees_with_bands_everywhere() -> None:
    for before in range(11):
        for after in range(11):
            band = relief(before, after).band
            assert is_meaningful(before, after) == (band in {Band.MEANINGFUL, Band.SUBSTANTIAL})


@pytest.mark.parametrize("bad", [-1, 11, 2.5, True, "3"])
def test_relief_rejects_out_of_range(bad: object) -> None:
    with pytest.raises(ValueError, match="0 to 10"):
        relief(bad, 3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("score", "word"),
    [
        (0, "none"),
        (1, "mild"),
        (3, "mild"),
        (4, "moderate"),
        (6, "moderate"),
        (7, "severe"),
        (10, "severe"),
    ],
)
def test_severity(score: int, word: str) -> None:
    assert severity(score) == word


def test_anchor_words_and_note() -> None:
    assert ANCHORS == {0: "no pain", 10: "worst pain imaginable"}
    assert "trials" in THRESHOLDS_NOTE and "reference points" in THRESHOLDS_NOTE


@dataclass(frozen=True)
class Row:
    session_id: str
    session_title: str
    started_utc: datetime
    pain_before: int | None
    pain_after: int | None


T0 = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


def rows(key: str, pairs: list[tuple[int | None, int | None]], title: str = "") -> list[Row]:
    return [
        Row(key, title or key.title(), T0 + timedelta(days=i), b, a)
        for i, (b, a) in enumerate(pairs)
    ]


def test_summarise_hand_worked() -> None:
    box = rows("box", [(6, 3), (4, 4), (0, 0), (5, None), (8, 7)])
    ranked = summarise(box)
    assert ranked == [
        PracticeSummary(
            key="box",
            title="Box",
            runs=5,
            rated_runs=4,
            mean_points=(3 + 0 + 0 + 1) / 4,
            # (0, 0) has no percent: mean of 50 %, 0 %, 12.5 %.
            mean_percent=(50 + 0 + 12.5) / 3,
            percent_runs=3,
            meaningful_share=1 / 4,
            last_used=T0 + timedelta(days=4),
            too_few=False,
        )
    ]


def test_summarise_order_and_too_few() -> None:
    data = (
        rows("slow", [(6, 5), (6, 5), (6, 5)])  # 1 point mean, none meaningful
        + rows("fast", [(6, 2), (6, 4), (6, 6)])  # 2 points mean
        + rows("tied", [(6, 5), (6, 5), (3, 2)])  # 1 point mean, one meaningful (33 %)
        + rows("new", [(9, 0), (9, 0)])  # great, but only 2 rated runs
        + rows("skipped", [(None, None)] * 4)  # nothing rated at all
    )
    order = [s.key for s in summarise(data)]
    assert order == ["fast", "tied", "slow", "new", "skipped"]
    by_key = {s.key: s for s in summarise(data)}
    assert by_key["new"].too_few and not by_key["slow"].too_few
    assert by_key["skipped"].mean_points is None and by_key["skipped"].meaningful_share is None


def test_summarise_takes_the_latest_title() -> None:
    data = rows("box", [(5, 4)], title="Old") + [Row("box", "New", T0 + timedelta(days=9), 5, 4)]
    assert summarise(data)[0].title == "New"


def test_core_never_imports_ui() -> None:
    banned = {"textual", "rich", "simpleaudio"}
    for f in CORE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not {n.split(".")[0] for n in names} & banned, f

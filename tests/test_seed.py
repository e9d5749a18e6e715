"""The history generator: deterministic, realistic, and with a clear best practice."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from coach.core.relief import summarise
from coach.core.seed import NOTES, PRACTICES, generate_runs
from coach.core.store import Outcome

END = datetime(2025, 3, 30, 20, 0, tzinfo=UTC)


def test_same_seed_same_runs_other_seed_other_runs() -> None:
    assert list(generate_runs(200, END, seed=4)) == list(generate_runs(200, END, seed=4))
    assert list(generate_runs(200, END, seed=4)) != list(generate_runs(200, END, seed=5))


def test_exact_count_in_time_order_ending_on_the_end_day() -> None:
    runs = list(generate_runs(500, END, seed=1))
    assert len(runs) == 500
    starts = [r.started_utc for r in runs]
    assert starts == sorted(starts) and starts[-1].date() == END.date()
    days = {s.date() for s in starts}
    span = (starts[-1].date() - starts[0].date()).days + 1
    assert 0.7 < len(days) / span < 0.95  # most days, not every day


def test_it_looks_like_real_use() -> None:
    runs = list(generate_runs(2000, END, seed=9))
    outcomes = Counter(r.outcome for r in runs)
    assert set(outcomes) == {Outcome.COMPLETED, Outcome.ENDED_EARLY, Outcome.INTERRUPTED}
    assert outcomes[Outcome.COMPLETED] > 0.8 * len(runs)
    assert all(r.pain_after is None and r.ended_utc is None
               for r in runs if r.outcome is Outcome.INTERRUPTED)
    skipped_after = sum(r.pain_after is None for r in runs if r.outcome is not Outcome.INTERRUPTED)
    assert 0.02 * len(runs) < skipped_after < 0.12 * len(runs)
    assert any(r.pain_before is None for r in runs)
    assert 0.05 < sum(r.note is not None for r in runs) / len(runs) < 0.15
    assert {r.note for r in runs if r.note} <= set(NOTES)
    assert any(r.extras_before.get("stress") is not None for r in runs)
    assert all(r.practised_seconds <= r.planned_seconds for r in runs)
    evening = [r for r in runs if r.session_id == "night-cramps"]
    assert evening and all(r.started_utc.hour >= 21 for r in evening)


def test_the_strongest_practice_ranks_first_and_pain_eases() -> None:
    runs = list(generate_runs(120, END, seed=3))
    best = max(PRACTICES, key=lambda p: p.effect)
    assert summarise(runs)[0].key == best.id
    first, last = runs[:30], runs[-30:]

    def mean_before(group):  # type: ignore[no-untyped-def]
        rated = [r.pain_before for r in group if r.pain_before is not None]
        return sum(rated) / len(rated)

    assert mean_before(last) < mean_before(first)


def test_end_must_carry_a_zone() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next(generate_runs(1, END.replace(tzinfo=None)))
    assert next(generate_runs(1, END)).started_utc > END - timedelta(days=1)

"""A realistic, deterministic history of runs, for tests, benchmarks and trying the review.

The pain model, in short: a baseline that eases over the first weeks (practice helps a little
overall), flare-ups of a few days, noise from day to day, and a different typical effect per
practice, so that the review has a clear answer to "which practice helps most". Some ratings
are skipped, some runs end early or are interrupted, and a few carry notes, as in real use.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from coach.core.store import Outcome, Run, Store


@dataclass(frozen=True)
class SeedPractice:
    """A practice as the generator sees it; ids and titles mirror bundled sessions."""

    id: str
    title: str
    tags: tuple[str, ...]
    minutes: float
    effect: float
    """Typical drop in points for a full run from a moderate (6/10) start."""
    weight: float
    """How often the user picks it, relative to the others."""
    evening: bool = False
    """Practised at bedtime rather than at any time of day."""


PRACTICES: tuple[SeedPractice, ...] = (
    SeedPractice("release-only", "Release-only relaxation",
                 ("relaxation", "spasm", "cramp", "back"), 12, 2.6, 3),
    SeedPractice("back-scan", "Body scan for the back",
                 ("body-scan", "mindfulness", "back", "lying down", "nerve-pain"), 20, 2.0, 2),
    SeedPractice("night-cramps", "Bedtime for night cramps",
                 ("sleep", "cramp", "relaxation", "breathing", "stretching"), 15, 1.6, 2, True),
    SeedPractice("extended-exhale", "Longer out-breath", ("breathing", "stress", "sleep"),
                 8, 1.3, 3),
    SeedPractice("box", "Box breathing", ("breathing", "stress", "focus", "holds"), 6, 0.9, 3),
    SeedPractice("breathing-space", "Breathing space for pain",
                 ("mindfulness", "breathing", "short", "stress"), 3, 1.0, 2),
    SeedPractice("coherent", "Coherent breathing", ("breathing", "stress"), 10, 0.4, 1),
)

NOTES = (
    "Spasm eased about halfway through.",
    "Hard to settle; kept thinking about work.",
    "Sciatica flaring today.",
    "Slept better afterwards.",
    "Did it lying on the floor with knees bent.",
    "Calf cramp woke me, did this after.",
    "Felt light-headed on the holds, skipped them.",
    "Neighbour's drill in the background.",
    "Back tight after the drive.",
    "Lovely and calm — will repeat tomorrow.",
)

HOST = "seed"
"""The host recorded on generated runs, so they are easy to tell from real ones."""


def _clamp(value: float) -> int:
    return max(0, min(10, round(value)))


def generate_runs(count: int, end: datetime, seed: int = 0,
                  runs_per_day: float = 2.0) -> Iterator[Run]:
    """`count` finished runs, oldest first, the last on the day of `end` (timezone-aware).

    The same arguments always give the same runs. About one day in seven has no practice.
    """
    if end.tzinfo is None:
        raise ValueError("end must be timezone-aware")
    rng = random.Random(seed)
    per_day = [rng.choice(_day_sizes(runs_per_day)) for _ in range(count)]
    # Work out how many days the runs need, then walk forward from the first day.
    days, total = 0, 0
    while total < count:
        total += per_day[days]
        days += 1
    first_day = (end - timedelta(days=days - 1)).replace(hour=0, minute=0, second=0,
                                                         microsecond=0)
    weights = [p.weight for p in PRACTICES]
    flare_left = 0
    made = 0
    for day in range(days):
        if flare_left == 0 and rng.random() < 0.04:
            flare_left = rng.randint(2, 5)
        flare = 2.0 if flare_left else 0.0
        flare_left = max(0, flare_left - 1)
        # Eases from 6.5 to 4.8 over the first eight weeks, then holds.
        baseline = 6.5 - 1.7 * min(day, 56) / 56 + flare + rng.gauss(0, 0.6)
        chosen = rng.choices(PRACTICES, weights, k=per_day[day])
        slots = sorted((rng.uniform(21, 23) if p.evening else rng.uniform(7, 21), p.id, p)
                       for p in chosen)
        for hour, _, practice in slots:
            if made == count:
                return
            started = first_day + timedelta(days=day, hours=hour)
            yield _run(rng, practice, started, baseline, made + 1)
            made += 1


def _day_sizes(runs_per_day: float) -> list[int]:
    """Runs on one day, drawn from: a day off now and then, mostly close to the mean."""
    low = max(1, int(runs_per_day))
    return [0, low, low, low + 1, low + 1, max(1, low - 1), low + 2]


def _run(rng: random.Random, practice: SeedPractice, started: datetime, baseline: float,
         run_id: int) -> Run:
    planned = practice.minutes * 60
    roll = rng.random()
    if roll < 0.03:
        outcome, share = Outcome.INTERRUPTED, rng.uniform(0.1, 0.7)
    elif roll < 0.12:
        outcome, share = Outcome.ENDED_EARLY, rng.uniform(0.2, 0.85)
    else:
        outcome, share = Outcome.COMPLETED, 1.0
    practised = round(planned * share, 1)
    before = _clamp(baseline + rng.gauss(0, 1.0))
    # Larger drops from higher starts (Farrar 2001); a short run helps less.
    drop = practice.effect * (before / 6) * share + rng.gauss(0, 0.9)
    after = _clamp(before - drop) if before else _clamp(rng.gauss(0, 0.4))
    pain_before: int | None = None if rng.random() < 0.02 else before
    pain_after: int | None = after
    if outcome is Outcome.INTERRUPTED or rng.random() < 0.06:
        pain_after = None
    extras_before: dict[str, int] = {}
    extras_after: dict[str, int] = {}
    if rng.random() < 0.25:
        stress = _clamp(before + rng.gauss(0, 1.5))
        extras_before["stress"] = stress
        if pain_after is not None:
            extras_after["stress"] = _clamp(stress - drop * 1.2)
    note = rng.choice(NOTES) if rng.random() < 0.1 else None
    return Run(
        id=run_id,
        session_id=practice.id,
        session_title=practice.title,
        session_path=None,
        tags=practice.tags,
        started_utc=started,
        ended_utc=None if outcome is Outcome.INTERRUPTED
        else started + timedelta(seconds=practised + 30),
        planned_seconds=planned,
        practised_seconds=practised,
        outcome=outcome,
        pain_before=pain_before,
        pain_after=pain_after,
        note=note,
        pid=0,
        host=HOST,
        extras_before=extras_before,
        extras_after=extras_after,
    )


def seed_store(store: Store, count: int, end: datetime, seed: int = 0,
               runs_per_day: float = 2.0) -> int:
    """Fill `store` with `generate_runs(...)` in one transaction; returns how many were added."""
    return store.insert_runs(generate_runs(count, end, seed, runs_per_day))

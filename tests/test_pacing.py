"""next_change: the player wakes exactly when what it shows or sounds changes, and never early."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from coach.core.model import (
    BreatheStep,
    Cues,
    GuideStep,
    Pattern,
    PhaseKind,
    Prompt,
    Session,
    SilenceStep,
)
from coach.core.pacing import EPSILON, level_step, next_change
from coach.core.schedule import Position, Timeline

BOX = Pattern(inhale=4, hold=4, exhale=4, rest=4)
CUES = Cues(start="bowl", end="bowl", interval_every=25, interval_sound="bell",
            phases={PhaseKind.INHALE: "rise", PhaseKind.EXHALE: "fall"})
TIMELINE = Timeline(Session(
    "t", "T", "S",
    (GuideStep("Settle.", 10.5), BreatheStep(BOX, 3),
     BreatheStep(Pattern(inhale=3.3, exhale=5.7), 2),
     SilenceStep(40, "Sit.", (Prompt(12.25, "Still here?"),))),
    prepare=2.5, cues=CUES))
OPEN = Timeline(Session("o", "O", "S", (SilenceStep(None, "Sit."),)))


def shown(position: Position, steps: int) -> tuple[object, ...]:
    """Everything the player draws or sounds that can change with time (the remaining-time
    clock and the silence counter tick with the count, so the count stands for them)."""
    count = math.ceil(position.left - 1e-9) if not math.isinf(position.left) \
        else math.floor(position.into)
    return (position.phase_index, count, position.prompt,
            level_step(position.level, steps) if steps else 0)


def just_after(wake: float, moment: float) -> bool:
    """Woken within EPSILON after `moment` (and a float's rounding of it)."""
    return 0 < wake - moment <= 1.001 * EPSILON


def walk(timeline: Timeline, steps: int, until: float) -> list[float]:
    """The player's wake-ups from 0, as it would sleep between them."""
    wakes, now = [0.0], 0.0
    while now < until:
        now = next_change(timeline, timeline.position_at(now), steps)
        wakes.append(now)
    return wakes


@given(st.floats(0, TIMELINE.total - 1e-3), st.sampled_from([0, 1, 7, 20]))
def test_never_wakes_in_the_past_nor_later_than_a_second(elapsed: float, steps: int) -> None:
    wake = next_change(TIMELINE, TIMELINE.position_at(elapsed), steps)
    assert elapsed < wake <= elapsed + 1 + EPSILON


def test_wakes_just_after_every_phase_boundary() -> None:
    wakes = walk(TIMELINE, 20, TIMELINE.total)
    for phase in TIMELINE.phases[1:]:
        assert any(just_after(wake, phase.start) for wake in wakes), phase


@given(st.sampled_from([0, 5, 20]), st.data())
def test_nothing_shown_changes_between_two_wakes(steps: int, data: st.DataObject) -> None:
    wakes = walk(TIMELINE, steps, TIMELINE.total)
    k = data.draw(st.integers(0, len(wakes) - 3))
    wake, next_wake = wakes[k], wakes[k + 1]
    between = data.draw(st.floats(wake, next_wake - 2 * EPSILON))
    assert shown(TIMELINE.position_at(between), steps) == shown(TIMELINE.position_at(wake), steps)


def test_the_countdown_wakes_once_a_second_in_a_phase() -> None:
    inhale = next(p for p in TIMELINE.phases if p.kind == PhaseKind.INHALE)
    wakes = [w for w in walk(TIMELINE, 0, inhale.end + 1) if inhale.start < w <= inhale.end + 1]
    assert [round(w - inhale.start, 3) for w in wakes] == [0, 1, 2, 3, 4]
    counts = [shown(TIMELINE.position_at(w), 0)[1] for w in wakes]
    assert counts == [4, 3, 2, 1, 4]  # the hold's count starts again at 4


def test_the_pacer_steps_through_every_size_one_at_a_time() -> None:
    steps = 20
    inhale = next(p for p in TIMELINE.phases if p.kind == PhaseKind.INHALE)
    exhale = next(p for p in TIMELINE.phases if p.kind == PhaseKind.EXHALE)
    wakes = walk(TIMELINE, steps, exhale.end)
    for phase, expected in ((inhale, list(range(steps + 1))),
                            (exhale, list(range(steps, -1, -1)))):
        sizes = [level_step(TIMELINE.position_at(w).level, steps)
                 for w in wakes if phase.start < w < phase.end]
        sizes = [level_step(phase.level_from, steps), *sizes, level_step(phase.level_to, steps)]
        assert [s for i, s in enumerate(sizes) if i == 0 or s != sizes[i - 1]] == expected


def test_prompts_and_cues_get_their_own_wake() -> None:
    silence = TIMELINE.phases[-1]
    wakes = walk(TIMELINE, 0, TIMELINE.total)
    prompt_at = silence.start + 12.25
    assert any(just_after(w, prompt_at) for w in wakes)
    for cue in TIMELINE.cues_between(0, TIMELINE.total):
        assert any(just_after(w, cue.at) for w in wakes), cue


def test_an_open_ended_silence_wakes_each_whole_second() -> None:
    wakes = walk(OPEN, 0, 5)
    assert [round(w, 3) for w in wakes[1:6]] == [1, 2, 3, 4, 5]

"""When the player's screen next needs to change, so it wakes only then.

Waking at exactly the next visible change (a phase boundary, the countdown's next second, the
pacer's next size, a cue) keeps boundaries on time and the CPU idle in between.
"""

from __future__ import annotations

import math

from coach.core.schedule import Position, Timeline

EPSILON = 1e-4
"""Wake just past a change, so the sample lands on the new side of it."""


def level_step(level: float, steps: int) -> int:
    """The pacer size (0..steps) a lung level shows as."""
    return min(steps, max(0, math.floor(level * steps + 1e-9)))


def _time_of_level(position: Position, target: float) -> float | None:
    """When, within the current phase, the eased level reaches `target`."""
    phase = position.phase
    span = phase.level_to - phase.level_from
    if span == 0 or math.isinf(phase.seconds):
        return None
    eased = (target - phase.level_from) / span
    if not 0 <= eased <= 1:
        return None
    fraction = math.acos(1 - 2 * eased) / math.pi
    return phase.start + fraction * phase.seconds


def next_change(timeline: Timeline, position: Position, level_steps: int) -> float:
    """The elapsed time of the next change worth drawing or sounding after `position`.

    `level_steps` is how many sizes the pacer can show; 0 when it isn't animating.
    """
    now = position.elapsed
    candidates = [position.phase.end]
    if not math.isinf(position.left):
        # The countdown shows whole seconds rounded up: it changes as `left` crosses an integer.
        whole = math.ceil(position.left - 1e-9)
        candidates.append(position.phase.end - (whole - 1))
    else:
        candidates.append(math.floor(now - position.phase.start) + 1 + position.phase.start)
    for at, _ in timeline.prompts:
        if at > now:
            candidates.append(at)
            break
    if level_steps:
        step = level_step(position.level, level_steps)
        rising = position.phase.level_to > position.phase.level_from
        target = (step + 1) / level_steps if rising else step / level_steps
        if not rising and math.isclose(position.level * level_steps, step):
            target = (step - 1) / level_steps
        at = _time_of_level(position, target)
        if at is not None:
            candidates.append(at)
    upcoming = timeline.cues_between(now, min(c for c in candidates))
    if upcoming:
        candidates.append(upcoming[0].at)
    later = [c for c in candidates if c > now]
    return min(later) + EPSILON if later else now + 1.0

"""A Session as a timeline of timed events, and what is on screen at any instant.

Every time here is seconds from the session's start. The player asks `position_at(elapsed)`
with the elapsed time read from a monotonic clock; nothing here keeps time itself.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass

from coach.core.model import (
    BreatheStep,
    GuideStep,
    Pattern,
    PhaseKind,
    RelaxStep,
    ScanStep,
    Session,
    SilenceStep,
    Sound,
    Step,
)

PREPARE_TEXT = "Settle in and let your breathing find its own pace. The session begins shortly."
PHASE_WORDS = {
    PhaseKind.PREPARE: "Get ready", PhaseKind.GUIDE: "Settle", PhaseKind.INHALE: "Breathe in",
    PhaseKind.HOLD: "Hold", PhaseKind.TOPUP: "A little more in", PhaseKind.EXHALE: "Breathe out",
    PhaseKind.REST: "Rest", PhaseKind.SILENCE: "Silence", PhaseKind.FOCUS: "Notice",
    PhaseKind.TENSE: "Tense gently", PhaseKind.RELEASE: "Release",
}
"""The words shown (and printed in --plain) for each phase: the same every time."""
STEP_NAMES = {
    GuideStep: "Guidance", BreatheStep: "Breathing", SilenceStep: "Silence",
    ScanStep: "Body scan", RelaxStep: "Relaxation",
}


@dataclass(frozen=True)
class Phase:
    """One stretch of time with one kind: a breath phase, a region, a guidance text."""

    start: float
    seconds: float
    """`math.inf` for an open-ended silence."""
    kind: PhaseKind
    step: int
    """Index into the session's steps; -1 for the preparation."""
    text: str = ""
    cycle: int = 0
    """1-based breath number within its step; 0 outside breathing."""
    cycles: int = 0
    region: str = ""
    level_from: float = 0.0
    """How full the lungs are at the phase's start (0..1), for the pacer."""
    level_to: float = 0.0

    @property
    def end(self) -> float:
        return self.start + self.seconds


@dataclass(frozen=True)
class StepSpan:
    """Where a step lies on the timeline."""

    index: int
    start: float
    seconds: float
    title: str

    @property
    def end(self) -> float:
        return self.start + self.seconds


@dataclass(frozen=True)
class CueEvent:
    """A sound due at a time, and why."""

    at: float
    sound: Sound
    why: str
    """start, end, interval, or the phase kind."""


@dataclass(frozen=True)
class Position:
    """Everything the player shows at one instant."""

    elapsed: float
    phase: Phase
    phase_index: int
    into: float
    """Seconds into the phase."""
    step: StepSpan | None
    """None during the preparation."""
    prompt: str
    """The latest prompt of a silence, or ''."""
    remaining: float
    """Seconds left in the session; inf if it is open-ended."""
    finished: bool

    @property
    def left(self) -> float:
        """Seconds left in the phase."""
        return max(0.0, self.phase.seconds - self.into)

    @property
    def fraction(self) -> float:
        """How far through the phase, 0..1 (0 for an open-ended phase)."""
        if math.isinf(self.phase.seconds) or self.phase.seconds <= 0:
            return 0.0
        return min(1.0, self.into / self.phase.seconds)

    @property
    def level(self) -> float:
        """How full the lungs are now, eased so the pacer starts and ends each breath softly."""
        eased = (1 - math.cos(math.pi * self.fraction)) / 2
        return self.phase.level_from + (self.phase.level_to - self.phase.level_from) * eased


def breath_levels(pattern: Pattern) -> list[tuple[PhaseKind, float, float, float]]:
    """One breath as (phase, seconds, lung level at its start, at its end), levels 0..1.

    The in-breath fills the lungs; with a top-up it fills four fifths and the top-up the rest.
    """
    top = 0.8 if pattern.topup > 0 else 1.0
    targets = {PhaseKind.INHALE: top, PhaseKind.TOPUP: 1.0, PhaseKind.EXHALE: 0.0}
    levels = []
    level = 0.0
    for kind, seconds in pattern.phases():
        target = targets.get(kind, level)
        levels.append((kind, seconds, level, target))
        level = target
    return levels


def _breath_phases(step: BreatheStep, index: int, start: float) -> list[Phase]:
    phases = []
    t = start
    for c in range(step.cycles):
        for kind, seconds, level_from, level_to in breath_levels(step.pattern_of_cycle(c)):
            phases.append(Phase(t, seconds, kind, index, step.text, c + 1, step.cycles,
                                level_from=level_from, level_to=level_to))
            t += seconds
    return phases


def _region_text(template: str, region_text: str | None, name: str) -> str:
    return region_text or template.replace("{region}", name)


def _step_phases(step: Step, index: int, start: float) -> list[Phase]:
    match step:
        case GuideStep():
            return [Phase(start, step.seconds, PhaseKind.GUIDE, index, step.text)]
        case BreatheStep():
            return _breath_phases(step, index, start)
        case SilenceStep():
            seconds = math.inf if step.seconds is None else step.seconds
            return [Phase(start, seconds, PhaseKind.SILENCE, index, step.text)]
        case ScanStep():
            phases = []
            for region in step.regions:
                seconds = region.seconds or step.seconds_each
                text = _region_text(step.text, region.text, region.name)
                phases.append(Phase(start, seconds, PhaseKind.FOCUS, index, text,
                                    region=region.name))
                start += seconds
            return phases
        case RelaxStep():
            phases = []
            for region in step.regions:
                if step.tense > 0:
                    text = _region_text(step.tense_text, region.text, region.name)
                    phases.append(Phase(start, step.tense, PhaseKind.TENSE, index, text,
                                        region=region.name))
                    start += step.tense
                text = _region_text(step.release_text, region.text, region.name)
                phases.append(Phase(start, step.release, PhaseKind.RELEASE, index, text,
                                    region=region.name))
                start += step.release
            return phases
    raise TypeError(f"unknown step {step!r}")


class Timeline:
    """The session laid out in time."""

    def __init__(self, session: Session) -> None:
        self.session = session
        phases: list[Phase] = []
        spans: list[StepSpan] = []
        prompts: list[tuple[float, str]] = []
        t = 0.0
        if session.prepare > 0:
            phases.append(Phase(0.0, session.prepare, PhaseKind.PREPARE, -1, PREPARE_TEXT))
            t = session.prepare
        for index, step in enumerate(session.steps):
            step_phases = _step_phases(step, index, t)
            seconds = math.inf if step.seconds is None else step.seconds
            spans.append(StepSpan(index, t, seconds, step.title or STEP_NAMES[type(step)]))
            if isinstance(step, SilenceStep):
                prompts += [(t + p.at, p.text) for p in step.prompts]
            phases += step_phases
            t = step_phases[-1].end
        self.phases = tuple(phases)
        self.steps = tuple(spans)
        self.prompts = tuple(prompts)
        self.open_ended = session.open_ended
        self.total = session.seconds
        """The fixed length in seconds; an open-ended silence adds none."""
        self._starts = [p.start for p in self.phases]
        self._prompt_times = [at for at, _ in self.prompts]
        self._fixed_cues = self._collect_cues()
        self._cue_times = [e.at for e in self._fixed_cues]

    @property
    def first_step_start(self) -> float:
        return self.session.prepare

    def _collect_cues(self) -> list[CueEvent]:
        cues = self.session.cues
        events = []
        if cues.start:
            events.append(CueEvent(self.first_step_start, cues.start, "start"))
        for phase in self.phases:
            sound = cues.phases.get(phase.kind)
            if sound:
                events.append(CueEvent(phase.start, sound, phase.kind.value))
        if cues.end and not self.open_ended:
            events.append(CueEvent(self.total, cues.end, "end"))
        events.sort(key=lambda e: e.at)
        return events

    def cues_between(self, after: float, until: float) -> list[CueEvent]:
        """The cues due in (after, until], in order. `after` < 0 includes a cue at 0."""
        lo = bisect_right(self._cue_times, after)
        hi = bisect_right(self._cue_times, until)
        events = self._fixed_cues[lo:hi]
        cues = self.session.cues
        if cues.interval_every and cues.interval_sound:
            origin, every = self.first_step_start, cues.interval_every
            first = max(1, math.floor((after - origin) / every) + 1)
            last = math.floor((until - origin) / every)
            for k in range(first, last + 1):
                at = origin + k * every
                if self.open_ended or at < self.total:
                    events.append(CueEvent(at, cues.interval_sound, "interval"))
            events.sort(key=lambda e: e.at)
        return events

    def position_at(self, elapsed: float) -> Position:
        """What is on screen `elapsed` seconds after the start (clamped to the session)."""
        elapsed = max(0.0, elapsed)
        finished = not self.open_ended and elapsed >= self.total
        index = max(0, bisect_right(self._starts, elapsed) - 1)
        phase = self.phases[index]
        into = min(elapsed - phase.start, phase.seconds)
        step = self.steps[phase.step] if phase.step >= 0 else None
        prompt = ""
        if step is not None:
            k = bisect_right(self._prompt_times, elapsed) - 1
            if k >= 0 and self._prompt_times[k] >= step.start:
                prompt = self.prompts[k][1]
        remaining = math.inf if self.open_ended else max(0.0, self.total - elapsed)
        return Position(elapsed, phase, index, into, step, prompt, remaining, finished)

    def next_step_start(self, elapsed: float) -> float | None:
        """Where the step after the one at `elapsed` begins; None if this is the last."""
        for span in self.steps:
            if span.start > elapsed:
                return span.start
        return None


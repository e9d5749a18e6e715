"""What a session is, once read and checked: frozen values with no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class PhaseKind(StrEnum):
    """Every kind of stretch of time the player can show."""

    PREPARE = "prepare"
    GUIDE = "guide"
    INHALE = "inhale"
    HOLD = "hold"
    TOPUP = "topup"
    EXHALE = "exhale"
    REST = "rest"
    SILENCE = "silence"
    FOCUS = "focus"
    TENSE = "tense"
    RELEASE = "release"


BREATH_KINDS = (PhaseKind.INHALE, PhaseKind.HOLD, PhaseKind.TOPUP, PhaseKind.EXHALE, PhaseKind.REST)
"""The order of a breath's phases within one cycle."""

CUE_PHASES = (*BREATH_KINDS, PhaseKind.FOCUS, PhaseKind.TENSE, PhaseKind.RELEASE)
"""Phases that may carry a cue of their own, for practice with the eyes closed."""

BUNDLED_SOUNDS = ("bowl", "bell", "rise", "fall", "hold")
"""Cue names that ship with coach, as `sounds/NAME.wav`."""

Sound = str | Path
"""A bundled cue name, or the path of a session's own WAV file."""


@dataclass(frozen=True)
class Pattern:
    """One breath, in seconds. Hold, top-up and rest of 0 mean the phase is left out."""

    inhale: float
    exhale: float
    hold: float = 0.0
    topup: float = 0.0
    """A short second in-breath after the hold, as in the physiological sigh."""
    rest: float = 0.0

    def phases(self) -> list[tuple[PhaseKind, float]]:
        """The phases of one cycle in order, without the empty ones."""
        pairs = [(kind, getattr(self, kind.value)) for kind in BREATH_KINDS]
        return [(kind, seconds) for kind, seconds in pairs if seconds > 0]

    @property
    def cycle_seconds(self) -> float:
        return self.inhale + self.hold + self.topup + self.exhale + self.rest

    def toward(self, end: Pattern, fraction: float) -> Pattern:
        """The pattern `fraction` (0..1) of the way from this one to `end`."""

        def mix(a: float, b: float) -> float:
            return a + (b - a) * fraction

        return Pattern(
            inhale=mix(self.inhale, end.inhale),
            exhale=mix(self.exhale, end.exhale),
            hold=mix(self.hold, end.hold),
            topup=mix(self.topup, end.topup),
            rest=mix(self.rest, end.rest),
        )


@dataclass(frozen=True)
class Prompt:
    """A line shown during a silence, `at` seconds after the silence begins."""

    at: float
    text: str


@dataclass(frozen=True)
class Region:
    """One part of the body in a scan or a relaxation sequence."""

    name: str
    seconds: float | None = None
    """Overrides the step's time per region (scan only)."""
    text: str | None = None
    """Overrides the step's text for this region."""


@dataclass(frozen=True)
class GuideStep:
    """Guidance text shown for a while."""

    text: str
    seconds: float
    title: str = ""


@dataclass(frozen=True)
class BreatheStep:
    """Paced breathing: `cycles` breaths, ramping from `pattern` to `ramp_to` if given."""

    pattern: Pattern
    cycles: int
    ramp_to: Pattern | None = None
    text: str = ""
    title: str = ""

    def pattern_of_cycle(self, cycle: int) -> Pattern:
        """The pattern of cycle `cycle` (0-based); a ramp moves evenly from first to last."""
        if self.ramp_to is None or self.cycles < 2:
            return self.pattern
        return self.pattern.toward(self.ramp_to, cycle / (self.cycles - 1))

    @property
    def seconds(self) -> float:
        return sum(self.pattern_of_cycle(c).cycle_seconds for c in range(self.cycles))


@dataclass(frozen=True)
class SilenceStep:
    """Open practice with timed prompts. `seconds` is None for open-ended silence."""

    seconds: float | None
    text: str = ""
    prompts: tuple[Prompt, ...] = ()
    title: str = ""


@dataclass(frozen=True)
class ScanStep:
    """A body scan: attention rests on each region in turn."""

    regions: tuple[Region, ...]
    seconds_each: float
    text: str
    title: str = ""

    @property
    def seconds(self) -> float:
        return sum(r.seconds or self.seconds_each for r in self.regions)


@dataclass(frozen=True)
class RelaxStep:
    """Progressive muscle relaxation: tense then release each region; tense 0 is release-only."""

    regions: tuple[Region, ...]
    tense: float
    release: float
    tense_text: str
    release_text: str
    title: str = ""

    @property
    def seconds(self) -> float:
        return len(self.regions) * (self.tense + self.release)


Step = GuideStep | BreatheStep | SilenceStep | ScanStep | RelaxStep


@dataclass(frozen=True)
class Cues:
    """Which sound plays when. Every field may be empty: a session can be silent."""

    start: Sound | None = None
    end: Sound | None = None
    interval_every: float | None = None
    interval_sound: Sound | None = None
    phases: dict[PhaseKind, Sound] = field(default_factory=dict)


@dataclass(frozen=True)
class Session:
    """A whole practice, as read from one session file."""

    id: str
    """The file's name without `.toml`; what `coach run NAME` takes."""
    title: str
    summary: str
    steps: tuple[Step, ...]
    tags: tuple[str, ...] = ()
    caution: str = ""
    prepare: float = 0.0
    """Seconds to settle before the first step."""
    cues: Cues = field(default_factory=Cues)
    path: Path | None = None
    format: int = 1

    @property
    def open_ended(self) -> bool:
        return any(s.seconds is None for s in self.steps)

    @property
    def seconds(self) -> float:
        """The fixed length: preparation plus every step, an open-ended silence counting 0."""
        return self.prepare + sum(s.seconds or 0.0 for s in self.steps)

    @property
    def has_holds(self) -> bool:
        breaths = [s for s in self.steps if isinstance(s, BreatheStep)]
        return any(s.pattern.hold > 0 or (s.ramp_to and s.ramp_to.hold > 0) for s in breaths)

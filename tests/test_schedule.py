"""The timeline: boundaries, ramps, totals, cues, and what is shown at and around every boundary."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.core.model import (
    BreatheStep,
    Cues,
    GuideStep,
    Pattern,
    PhaseKind,
    Prompt,
    Region,
    RelaxStep,
    ScanStep,
    Session,
    SilenceStep,
)
from coach.core.schedule import Timeline

BOX = Pattern(inhale=4, hold=4, exhale=4, rest=4)


def session(*steps, prepare: float = 0.0, cues: Cues | None = None) -> Session:
    return Session("t", "T", "S", tuple(steps), prepare=prepare, cues=cues or Cues())


def test_box_boundaries_and_total() -> None:
    timeline = Timeline(session(GuideStep("Settle.", 10), BreatheStep(BOX, 2), prepare=5))
    starts = [(p.start, p.kind.value) for p in timeline.phases]
    assert starts == [
        (0, "prepare"), (5, "guide"),
        (15, "inhale"), (19, "hold"), (23, "exhale"), (27, "rest"),
        (31, "inhale"), (35, "hold"), (39, "exhale"), (43, "rest"),
    ]
    assert timeline.total == 47
    assert [(s.start, s.seconds) for s in timeline.steps] == [(5, 10), (15, 32)]


def test_position_at_and_around_every_boundary() -> None:
    timeline = Timeline(session(GuideStep("Settle.", 10), BreatheStep(BOX, 3), prepare=5))
    for i, phase in enumerate(timeline.phases):
        at = timeline.position_at(phase.start)
        assert at.phase == phase and at.into == 0 and at.left == phase.seconds
        if i:
            before = timeline.position_at(phase.start - 1e-6)
            assert before.phase == timeline.phases[i - 1]
            assert before.left == pytest.approx(0, abs=1e-5)
        inside = timeline.position_at(phase.start + phase.seconds / 2)
        assert inside.phase == phase and inside.fraction == pytest.approx(0.5)


def test_the_end_and_beyond() -> None:
    timeline = Timeline(session(BreatheStep(BOX, 1)))
    assert not timeline.position_at(15.999).finished
    end = timeline.position_at(16)
    assert end.finished and end.remaining == 0 and end.phase.kind == PhaseKind.REST
    assert timeline.position_at(99).finished
    assert timeline.position_at(-3).elapsed == 0


def test_a_ramp_moves_evenly_from_first_to_last() -> None:
    step = BreatheStep(Pattern(4, 4), cycles=5, ramp_to=Pattern(4, 8))
    exhales = [p.seconds for p in Timeline(session(step)).phases if p.kind == PhaseKind.EXHALE]
    assert exhales == [4, 5, 6, 7, 8]
    assert Timeline(session(step)).total == 5 * 4 + 30


def test_pacer_levels_fill_and_empty() -> None:
    sigh = Pattern(inhale=1, hold=0.5, topup=0.5, exhale=3)
    levels = [(p.kind.value, p.level_from, p.level_to)
              for p in Timeline(session(BreatheStep(sigh, 1))).phases]
    assert levels == [("inhale", 0, 0.8), ("hold", 0.8, 0.8), ("topup", 0.8, 1.0),
                      ("exhale", 1.0, 0.0)]
    timeline = Timeline(session(BreatheStep(BOX, 1)))
    assert timeline.position_at(0).level == 0
    assert timeline.position_at(2).level == pytest.approx(0.5)
    assert timeline.position_at(6).level == 1
    assert timeline.position_at(10).level == pytest.approx(0.5)
    assert timeline.position_at(14).level == 0


def test_scan_and_relax_sequences() -> None:
    scan = ScanStep((Region("feet"), Region("lower back", seconds=60, text="Breathe into it.")),
                    seconds_each=20, text="Notice your {region}.")
    relax = RelaxStep((Region("calves"),), tense=0, release=20, tense_text="t {region}",
                      release_text="Let your {region} go.")
    timeline = Timeline(session(scan, relax))
    shown = [(p.start, p.kind.value, p.region, p.text) for p in timeline.phases]
    assert shown == [
        (0, "focus", "feet", "Notice your feet."),
        (20, "focus", "lower back", "Breathe into it."),
        (80, "release", "calves", "Let your calves go."),
    ]
    tensed = RelaxStep((Region("hands"),), tense=5, release=15, tense_text="Squeeze {region}.",
                       release_text="Release.")
    assert [(p.kind.value, p.seconds) for p in Timeline(session(tensed)).phases] == [
        ("tense", 5), ("release", 15)]


def test_prompts_appear_at_their_moment_and_stay_within_their_step() -> None:
    silence = SilenceStep(120, "Sit.", (Prompt(30, "First."), Prompt(90, "Second.")))
    timeline = Timeline(session(silence, GuideStep("After.", 10), prepare=5))
    assert timeline.position_at(34.9).prompt == ""
    assert timeline.position_at(35).prompt == "First."
    assert timeline.position_at(95).prompt == "Second."
    assert timeline.position_at(125).prompt == ""


def test_open_ended_silence_lasts_until_skipped() -> None:
    cues = Cues(start="bowl", end="bowl", interval_every=60, interval_sound="bell")
    timeline = Timeline(session(GuideStep("Settle.", 30), SilenceStep(None), cues=cues))
    assert timeline.total == 30 and timeline.open_ended
    late = timeline.position_at(5000)
    assert not late.finished and late.phase.kind == PhaseKind.SILENCE
    assert math.isinf(late.left) and math.isinf(late.remaining)
    bells = [c.at for c in timeline.cues_between(4000, 4200) if c.why == "interval"]
    assert bells == [4020, 4080, 4140, 4200]
    assert not [c for c in timeline.cues_between(-1, 9999) if c.why == "end"]


def test_cues_start_phases_intervals_and_end() -> None:
    cues = Cues(start="bowl", end="bowl", interval_every=10, interval_sound="bell",
                phases={PhaseKind.INHALE: "rise", PhaseKind.EXHALE: "fall"})
    timeline = Timeline(session(BreatheStep(BOX, 2), prepare=5, cues=cues))
    got = [(c.at, c.sound, c.why) for c in timeline.cues_between(-1, timeline.total)]
    assert got == [
        (5, "bowl", "start"), (5, "rise", "inhale"), (13, "fall", "exhale"),
        (15, "bell", "interval"), (21, "rise", "inhale"), (25, "bell", "interval"),
        (29, "fall", "exhale"), (35, "bell", "interval"), (37, "bowl", "end"),
    ]


@given(cuts=st.lists(st.floats(0, 40), max_size=12))
def test_cues_in_adjacent_windows_add_up_to_the_whole(cuts: list[float]) -> None:
    cues = Cues(start="bowl", end="bowl", interval_every=10, interval_sound="bell",
                phases={PhaseKind.INHALE: "rise", PhaseKind.HOLD: "hold"})
    timeline = Timeline(session(BreatheStep(BOX, 2), prepare=5, cues=cues))
    edges = [-1.0, *sorted(cuts), 40.0]
    pieces = [c for a, b in zip(edges, edges[1:], strict=False)
              for c in timeline.cues_between(a, b)]
    assert pieces == timeline.cues_between(-1, 40)


def test_next_step_start_is_where_skip_lands() -> None:
    timeline = Timeline(session(GuideStep("a", 10), GuideStep("b", 10), prepare=5))
    assert timeline.next_step_start(0) == 5
    assert timeline.next_step_start(7) == 15
    assert timeline.next_step_start(16) is None


phase_seconds = st.floats(0.5, 20, allow_nan=False)


@given(inhale=phase_seconds, exhale=phase_seconds, hold=st.sampled_from([0, 1.5, 7]),
       cycles=st.integers(1, 30), end_exhale=phase_seconds, prepare=st.sampled_from([0, 5]))
def test_phases_are_contiguous_and_sum_to_the_total(inhale: float, exhale: float, hold: float,
                                                    cycles: int, end_exhale: float,
                                                    prepare: float) -> None:
    step = BreatheStep(Pattern(inhale, exhale, hold=hold), cycles,
                       ramp_to=Pattern(inhale, end_exhale, hold=hold))
    timeline = Timeline(session(GuideStep("x", 3), step, prepare=prepare))
    for a, b in zip(timeline.phases, timeline.phases[1:], strict=False):
        assert b.start == pytest.approx(a.end)
    assert timeline.phases[-1].end == pytest.approx(timeline.total)
    assert timeline.total == pytest.approx(prepare + 3 + step.seconds)

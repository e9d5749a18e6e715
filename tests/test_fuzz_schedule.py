"""Random valid sessions through the schedule: the timeline holds together at every instant."""

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
    Region,
    RelaxStep,
    ScanStep,
    Session,
    SilenceStep,
)
from coach.core.pacing import next_change
from coach.core.schedule import Timeline

seconds = st.floats(0.5, 600, allow_nan=False)
optional = st.just(0.0) | seconds
patterns = st.builds(Pattern, inhale=seconds, exhale=seconds, hold=optional, topup=optional,
                     rest=optional)
texts = st.text(max_size=20)
regions = st.lists(st.builds(Region, name=st.text(min_size=1, max_size=10),
                             seconds=st.none() | seconds, text=st.none() | texts),
                   min_size=1, max_size=4).map(tuple)


@st.composite
def silences(draw: st.DrawFn, last: bool) -> SilenceStep:
    length = None if last else draw(st.floats(1, 3600))
    ends = length if length is not None else 3600
    prompts = draw(st.lists(st.builds(Prompt, at=st.floats(0, ends, exclude_max=True),
                                      text=texts), max_size=4))
    return SilenceStep(length, draw(texts), tuple(sorted(prompts, key=lambda p: p.at)))


fixed_steps = st.one_of(
    st.builds(GuideStep, text=texts, seconds=st.floats(1, 3600)),
    st.builds(BreatheStep, pattern=patterns, cycles=st.integers(1, 12),
              ramp_to=st.none() | patterns),
    silences(last=False),
    st.builds(ScanStep, regions=regions, seconds_each=seconds, text=texts),
    st.builds(RelaxStep, regions=regions, tense=st.just(0.0) | st.floats(2, 15),
              release=st.floats(3, 120), tense_text=texts, release_text=texts),
)
sounds = st.none() | st.sampled_from(["bowl", "bell", "rise"])


@st.composite
def sessions(draw: st.DrawFn) -> Session:
    steps = draw(st.lists(fixed_steps, min_size=1, max_size=5))
    if draw(st.booleans()):
        steps.append(draw(silences(last=True)))
    every = draw(st.none() | st.floats(10, 3600))
    cues = Cues(start=draw(sounds), end=draw(sounds), interval_every=every,
                interval_sound="bell" if every else None,
                phases=draw(st.dictionaries(st.sampled_from(list(PhaseKind)), st.just("rise"))))
    return Session(id="fuzz", title="t", summary="s", steps=tuple(steps),
                   prepare=draw(st.just(0.0) | st.floats(1, 120)), cues=cues)


@given(sessions())
def test_phases_are_contiguous_and_add_up(session: Session) -> None:
    timeline = Timeline(session)
    assert timeline.phases[0].start == 0
    for before, after in zip(timeline.phases, timeline.phases[1:], strict=False):
        assert math.isclose(after.start, before.end, abs_tol=1e-6)
        assert before.seconds > 0
    for span, following in zip(timeline.steps, timeline.steps[1:], strict=False):
        assert math.isclose(following.start, span.end, abs_tol=1e-6)
    end = timeline.phases[-1].end
    if timeline.open_ended:
        assert math.isinf(end)
    else:
        assert math.isclose(end, timeline.total, rel_tol=1e-9, abs_tol=1e-6)
    assert math.isclose(timeline.total, session.seconds, rel_tol=1e-9)


@given(sessions(), st.lists(st.floats(-10, 2e5), min_size=1, max_size=8))
def test_position_at_any_time(session: Session, times: list[float]) -> None:
    timeline = Timeline(session)
    for elapsed in times:
        position = timeline.position_at(elapsed)
        phase = position.phase
        clamped = max(0.0, elapsed)
        assert phase.start <= clamped
        assert clamped < phase.end or position.finished or phase is timeline.phases[-1]
        assert 0 <= position.into <= phase.seconds
        assert 0 <= position.fraction <= 1 and -1e-9 <= position.level <= 1 + 1e-9
        assert position.finished == (not timeline.open_ended and clamped >= timeline.total)
        if position.step is not None:
            assert position.step.index == phase.step
        if not timeline.open_ended:
            assert math.isclose(position.remaining, max(0.0, timeline.total - clamped),
                                abs_tol=1e-6)


@given(sessions(), st.floats(-1, 2e4), st.floats(0, 600))
def test_cues_between_is_a_window(session: Session, after: float, width: float) -> None:
    timeline = Timeline(session)
    until = after + width
    cues = timeline.cues_between(after, until)
    assert all(after < cue.at <= until for cue in cues)
    assert [c.at for c in cues] == sorted(c.at for c in cues)
    # Two halves of a window hold exactly the cues of the whole.
    middle = after + width / 2
    halves = timeline.cues_between(after, middle) + timeline.cues_between(middle, until)
    assert sorted((c.at, c.why) for c in halves) == sorted((c.at, c.why) for c in cues)


@given(sessions(), st.floats(0, 2e4), st.sampled_from([0, 1, 7, 40]))
def test_next_change_is_always_after_now(session: Session, elapsed: float, steps: int) -> None:
    timeline = Timeline(session)
    position = timeline.position_at(elapsed)
    wake = next_change(timeline, position, steps)
    assert math.isfinite(wake) and wake > position.elapsed
    if not position.finished:  # nothing visible changes before the wake-up
        assert timeline.position_at(wake - 2e-4).phase == position.phase or \
            wake - 2e-4 <= position.elapsed

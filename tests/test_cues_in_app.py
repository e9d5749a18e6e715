"""Cues from a Pilot-driven session, played by the real simpleaudio into ALSA's file device."""

from __future__ import annotations

from coach.core.model import PhaseKind
from tests.helpers import ManualClock, make_app, player_of


async def play_through(app, clock: ManualClock, pilot, until: float) -> None:
    player = player_of(app)
    for phase in player.timeline.phases:
        if phase.start > until:
            break
        clock.advance(phase.start + 0.01 - player.elapsed())
        player.sample()
        await pilot.pause()


async def start(pilot, app) -> None:
    while app.cues is None:  # the sound device opens off the event loop
        await pilot.pause(0.05)
    await pilot.press("enter")  # the caution
    await pilot.pause()
    await pilot.press("5", "enter")
    await pilot.pause()


async def test_a_session_sounds_its_cues_in_order() -> None:
    played: list[str] = []
    clock = ManualClock()
    app = make_app(clock, start="box", sound=True,
                   on_cue_played=lambda cue, at: played.append(str(cue)))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, app)
        assert app.cues.mode == "sound", app.cues.notice
        timeline = player_of(app).timeline
        first = next(p for p in timeline.phases if p.kind == PhaseKind.INHALE)
        await play_through(app, clock, pilot, first.start + 16)
        assert app.cues.wait_idle(5)
    expected = [e.sound for e in timeline.cues_between(-1, first.start + 16.01)]
    assert expected[:6] == ["bowl", "rise", "hold", "fall", "hold", "rise"]
    assert played == expected


async def test_phase_cues_off_keeps_start_and_interval_bells() -> None:
    played: list[str] = []
    clock = ManualClock()
    app = make_app(clock, start="box", sound=True, phase_cues=False,
                   on_cue_played=lambda cue, at: played.append(str(cue)))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, app)
        timeline = player_of(app).timeline
        await play_through(app, clock, pilot, timeline.steps[1].start + 8)
        assert app.cues.wait_idle(5)
    assert played == ["bowl"]


async def test_m_mutes_the_cues() -> None:
    played: list[str] = []
    clock = ManualClock()
    app = make_app(clock, start="box", sound=True,
                   on_cue_played=lambda cue, at: played.append(str(cue)))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, app)
        await pilot.press("m")
        timeline = player_of(app).timeline
        await play_through(app, clock, pilot, timeline.steps[1].start + 8)
        assert "muted" in str(player_of(app).query_one("#progress").render())
        assert app.cues.wait_idle(5)
    assert played == []

"""How the screens look: SVG snapshots of the library, the player, the ratings and the summary.

Update the pictures with `pytest tests/test_snapshots.py --snapshot-update`, then look at them.
"""

from __future__ import annotations

import pytest

from coach.core.model import PhaseKind
from tests.helpers import ManualClock, make_app, player_of


def library_app():
    return make_app(ManualClock())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_library(snap_compare, size) -> None:
    assert snap_compare(library_app(), terminal_size=size)


def test_library_filtered(snap_compare) -> None:
    assert snap_compare(library_app(), press=list("sleep"), terminal_size=(80, 24))


def at_phase(kind: PhaseKind | None, reduced_motion: bool = False, into: float = 0.5,
             start: str = "box"):
    clock = ManualClock()

    async def run_before(pilot) -> None:
        await pilot.press("enter")  # caution
        await pilot.pause()
        await pilot.press("5", "enter")
        await pilot.pause()
        player = player_of(pilot.app)
        if kind is not None:
            phase = next(p for p in player.timeline.phases if p.kind == kind)
            clock.advance(phase.start + phase.seconds * into - player.elapsed())
        player.sample()
        await pilot.pause()

    return make_app(clock, start=start, reduced_motion=reduced_motion), run_before


@pytest.mark.parametrize("kind", [PhaseKind.PREPARE, PhaseKind.INHALE, PhaseKind.HOLD,
                                  PhaseKind.EXHALE, PhaseKind.REST])
def test_player_in_each_phase(snap_compare, kind) -> None:
    app, run_before = at_phase(kind)
    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_player_at_40x12(snap_compare) -> None:
    app, run_before = at_phase(PhaseKind.INHALE, into=0.75)
    assert snap_compare(app, run_before=run_before, terminal_size=(40, 12))


def test_player_at_120x40(snap_compare) -> None:
    app, run_before = at_phase(PhaseKind.EXHALE, into=0.3)
    assert snap_compare(app, run_before=run_before, terminal_size=(120, 40))


def test_player_reduced_motion(snap_compare) -> None:
    app, run_before = at_phase(PhaseKind.INHALE, reduced_motion=True)
    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_player_body_scan_region(snap_compare) -> None:
    app, run_before = at_phase(PhaseKind.FOCUS, start="back-scan")
    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_rating_before(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("6")

    app = make_app(ManualClock(), start="box")
    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def after_session(post: str):
    clock = ManualClock()

    async def run_before(pilot) -> None:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("6", "enter")
        await pilot.pause()
        player = player_of(pilot.app)
        clock.advance(player.timeline.total)
        player.sample()
        await pilot.pause()
        await pilot.press(*post)
        await pilot.pause()

    return make_app(clock, start="box"), run_before


def test_rating_after_shows_before(snap_compare) -> None:
    app, run_before = after_session("3")
    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_summary(snap_compare) -> None:
    app, run_before = after_session(["3", "enter"])
    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))

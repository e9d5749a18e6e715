"""Pacing from inside the app: every phase boundary against the schedule, in real time.

Runs the real CoachApp headless (no terminal, so rendering is computed but not written) with
the real monotonic clock, plays a session from its first phase, and stamps each
`PlayerScreen.PhaseStarted` message as the app receives it. A boundary's error is that stamp
minus where the schedule puts it (the player's origin + the phase's start). Drift is the
least-squares slope of the errors against time.

    .venv/bin/python bench/bench_player.py                 # 10 minutes of 4-4-4-4 breathing
    .venv/bin/python bench/bench_player.py --minutes 1     # a quick look
    .venv/bin/python bench/bench_player.py --session box   # a bundled session, by name

The end-to-end view (what a terminal shows, read through tmux) is bench_screen.py.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ["COACH_HOME"] = tempfile.mkdtemp(prefix="coach-bench-player-")

from textual import on  # noqa: E402

from coach.core.library import load_library  # noqa: E402
from coach.core.places import find_places  # noqa: E402
from coach.core.settings import Settings  # noqa: E402
from coach.ui.app import CoachApp  # noqa: E402
from coach.ui.screens.player import PlayerScreen  # noqa: E402

BENCH_SESSION = Path(__file__).parent / "sessions" / "box-10min.toml"


class StampingApp(CoachApp):
    """The real app, noting when each phase start reaches it."""

    CSS_PATH = Path(sys.modules[CoachApp.__module__].__file__).parent / CoachApp.CSS_PATH

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.stamps: list[tuple[float, float, float]] = []
        """(scheduled, posted, received) monotonic times of each phase start."""

    @on(PlayerScreen.PhaseStarted)
    def _stamp(self, event: PlayerScreen.PhaseStarted) -> None:
        received = time.monotonic()
        assert self.player is not None
        # A message's time is Textual's clock: time.monotonic, except on Windows.
        self.stamps.append((self.player.origin + event.phase.start, event.time, received))


def slope_ms_per_minute(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, error ms) points, in ms per minute."""
    xs, ys = zip(*points, strict=True)
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return 60 * sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0


async def play(session_name: str, seconds: float, reduced_motion: bool) -> StampingApp:
    places = find_places()
    library = load_library(places)
    entry = library.find(session_name)
    if entry is None or entry.session is None:
        sys.exit(f"bench_player: no valid session {session_name!r}")
    app = StampingApp(library, places,
                      Settings(notice_seen=True, sound=False, reduced_motion=reduced_motion),
                      clock=time.monotonic, sound=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.player = PlayerScreen(entry.session, time.monotonic, reduced_motion=reduced_motion)
        await app.push_screen(app.player)
        await asyncio.sleep(min(seconds, app.player.timeline.total))
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--session", default=str(BENCH_SESSION),
                        help="a session name or file (default: 10 minutes of box breathing)")
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to play")
    parser.add_argument("--reduced-motion", action="store_true")
    args = parser.parse_args()
    app = asyncio.run(play(args.session, args.minutes * 60, args.reduced_motion))
    if len(app.stamps) < 3:
        sys.exit("bench_player: too few boundaries to score; play longer")
    first = app.stamps[0][0]
    for label, index in (("shown (widgets updated)", 1), ("received by the app", 2)):
        errors = [(stamp[0] - first, (stamp[index] - stamp[0]) * 1000) for stamp in app.stamps]
        late = [error for _, error in errors]
        print(f"{label}: {len(errors)} boundaries over {errors[-1][0] / 60:.1f} min, error "
              f"median {statistics.median(late):.2f} ms, worst {max(late, key=abs):.2f} ms "
              f"(target 20), drift {slope_ms_per_minute(errors):+.3f} ms/min (target under 1)")

if __name__ == "__main__":
    main()

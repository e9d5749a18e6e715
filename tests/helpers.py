"""Small real parts for tests: a clock the test moves, and an app built like the CLI builds it."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from coach.core.library import load_library
from coach.core.places import find_places
from coach.core.settings import Settings
from coach.core.store import Run, Store
from coach.ui.app import CoachApp
from coach.ui.screens.player import PlayerScreen

COACH = shutil.which("coach", path=str(Path(sys.executable).parent))
"""The installed console script, beside this Python."""


class ManualClock:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_app(clock: ManualClock, start: str | None = None, data_dir: Path | None = None,
             sound: bool = False, on_cue_played=None, **settings: object) -> CoachApp:
    places = find_places(data_dir)
    library = load_library(places)
    entry = library.find(start) if start else None
    return CoachApp(library, places, Settings(notice_seen=True, sound=sound, **settings),
                    clock=clock, start=entry, sound=sound, on_cue_played=on_cue_played)


def stored_runs(home: Path) -> list[Run]:
    """Every run, oldest first, read as any reader would (no recovery)."""
    with Store.open(home / "coach.sqlite3") as store:
        return sorted(store.runs(), key=lambda r: r.id)


def player_of(app: CoachApp) -> PlayerScreen:
    assert isinstance(app.screen, PlayerScreen), app.screen
    return app.screen

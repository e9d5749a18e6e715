"""Make the README's pictures with the app itself (Textual's SVG screenshots).

    .venv/bin/python docs/screens/make_screens.py

Runs the real app headless with a clock it moves by hand and a seeded six-week history, and
writes one SVG per screen beside this script.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
os.environ["COACH_HOME"] = tempfile.mkdtemp(prefix="coach-screens-")

from coach.core.library import load_library  # noqa: E402
from coach.core.places import find_places  # noqa: E402
from coach.core.seed import seed_store  # noqa: E402
from coach.core.settings import Settings  # noqa: E402
from coach.core.store import Store  # noqa: E402
from coach.ui.app import CoachApp  # noqa: E402
from coach.ui.screens.player import PlayerScreen  # noqa: E402


class HandClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def shoot(app: CoachApp, name: str, pilot) -> None:
    await pilot.pause()
    app.save_screenshot(f"{name}.svg", str(HERE))
    print(f"wrote {HERE / name}.svg")


async def main() -> None:
    places = find_places()
    with Store.open(places.database) as store:
        seed_store(store, 70, datetime(2026, 11, 20, 21, tzinfo=UTC), seed=3)
    clock = HandClock()
    app = CoachApp(load_library(places), places, Settings(notice_seen=True, sound=False),
                   clock=clock, sound=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"box")
        await shoot(app, "library", pilot)
        await pilot.press("enter", "enter")  # start, then past the caution
        await pilot.pause()
        await pilot.press("6")
        await shoot(app, "rating", pilot)
        await pilot.press("enter")
        await pilot.pause()
        player = app.screen
        assert isinstance(player, PlayerScreen)
        inhale = next(p for p in player.timeline.phases if p.kind.value == "inhale")
        clock.now += inhale.start + inhale.seconds * 0.7 - player.elapsed()
        player.sample()
        await shoot(app, "player", pilot)
        clock.now += player.timeline.total
        player.sample()
        await pilot.pause()
        await pilot.press("3", "enter")
        await shoot(app, "summary", pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause(1.0)
        await shoot(app, "review", pilot)


if __name__ == "__main__":
    asyncio.run(main())

"""Cue latency: from a phase boundary on the schedule to the cue's PCM handed to ALSA.

Runs the real app headless, in real time, with the real cue player playing into ALSA's `file`
plugin over a `null` device (no sound card needed), and prints one line of figures.

    .venv/bin/python bench/bench_cues.py              # a 60-second session of its own
    .venv/bin/python bench/bench_cues.py --session box  # a whole bundled session, in real time
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

WORK = Path(tempfile.mkdtemp(prefix="coach-bench-cues-"))
# Before anything loads libasound: the default device writes to a file, in real time.
(WORK / "asound.conf").write_text(
    f'pcm.!default {{ type file; slave.pcm "null"; file "{WORK / "pcm.raw"}"; format "raw" }}\n'
    "pcm.null { type null }\n", encoding="utf-8")
os.environ["ALSA_CONFIG_PATH"] = str(WORK / "asound.conf")
os.environ["COACH_HOME"] = str(WORK / "home")

from coach.core.library import load_library  # noqa: E402
from coach.core.places import find_places  # noqa: E402
from coach.core.sessionfile import read_session  # noqa: E402
from coach.core.settings import Settings  # noqa: E402
from coach.ui.app import CoachApp  # noqa: E402
from coach.ui.screens.player import PlayerScreen  # noqa: E402

OWN_SESSION = """format = 1
title = "Cue latency"
summary = "Breathing with a cue at every phase."
[cues]
start = "bowl"
end = "bowl"
interval = { every = 15, sound = "bell" }
phases = { inhale = "rise", hold = "hold", exhale = "fall", rest = "hold" }
[[steps]]
kind = "breathe"
pattern = { inhale = 4, hold = 2, exhale = 4, rest = 2 }
cycles = 5
"""


async def measure(entry) -> tuple[list[float], int]:
    played: list[tuple[str, float]] = []
    places = find_places()
    app = CoachApp(load_library(places), places, Settings(notice_seen=True), start=entry,
                   on_cue_played=lambda cue, at: played.append((str(cue), at)))
    async with app.run_test(size=(100, 30)) as pilot:
        while app.cues is None:
            await pilot.pause(0.05)
        if app.cues.mode != "sound":
            sys.exit(f"no sound device: {app.cues.notice}")
        if entry.session.caution:
            await pilot.press("enter")
        await pilot.pause()
        await pilot.press("5", "enter")
        while not isinstance(app.screen, PlayerScreen):
            await pilot.pause(0.01)
        player = app.screen
        deadline = time.monotonic() + player.timeline.total + 2
        while isinstance(app.screen, PlayerScreen) and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        app.cues.wait_idle(5)
        expected = player.timeline.cues_between(-1, player.timeline.total)
        origin = player.origin
    # Each cue heard is matched with the nearest unmatched cue of the same sound on the schedule.
    waiting = [(origin + cue.at, str(cue.sound)) for cue in expected]
    latencies = []
    for sound, at in played:
        candidates = [w for w in waiting if w[1] == sound]
        if candidates:
            due = min(candidates, key=lambda w: abs(w[0] - at))
            waiting.remove(due)
            latencies.append((at - due[0]) * 1000)
    for due, sound in waiting:
        print(f"  never heard: {sound} due at {due - origin:.2f} s")
    return latencies, len(waiting)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--session", help="a bundled session to play in real time")
    args = parser.parse_args()
    if args.session:
        entry = load_library(find_places()).find(args.session)
    else:
        path = WORK / "cue-latency.toml"
        path.write_text(OWN_SESSION, encoding="utf-8")
        from coach.core.library import Entry, Origin

        entry = Entry(path.stem, path, Origin.YOURS, read_session(path))
    latencies, missing = asyncio.run(measure(entry))
    latencies.sort()
    print(f"cue latency over {len(latencies)} cues ({entry.session.title}): "
          f"median {statistics.median(latencies):.1f} ms, "
          f"p95 {latencies[int(0.95 * (len(latencies) - 1))]:.1f} ms, "
          f"max {latencies[-1]:.1f} ms, never heard {missing} "
          f"(target: every cue within 30 ms)")


if __name__ == "__main__":
    main()

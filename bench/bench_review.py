"""Time the review at scale: fill a database with 100,000 generated runs, then time
`coach history` (the installed script, a fresh process each time) and the review screen's
first frame and first data (a fresh process running the app headless at 80x24).

    .venv/bin/python bench/bench_review.py [--runs 100000] [--repeat 3]

Prints medians in milliseconds; nothing is asserted. The database is kept in a temporary
folder between the runs of one invocation only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

COACH = Path(sys.executable).parent / "coach"
END = datetime(2025, 3, 30, 20, 0, tzinfo=UTC)


def fill(home: Path, runs: int) -> float:
    from coach.core.seed import seed_store
    from coach.core.store import Store

    started = time.perf_counter()
    with Store.open(home / "coach.sqlite3") as store:
        seed_store(store, runs, END, seed=1, runs_per_day=3)
    (home / "settings.toml").write_text("notice_seen = true\nsound = false\n")
    return time.perf_counter() - started


def time_command(home: Path, *args: str) -> float:
    env = {**os.environ, "COACH_HOME": str(home)}
    started = time.perf_counter()
    done = subprocess.run([str(COACH), *args], env=env, capture_output=True, text=True,
                          check=True)
    assert done.stdout, "no output"
    return time.perf_counter() - started


def time_summary(home: Path) -> tuple[float, float]:
    """`coach history`: seconds until the per-practice summary is out, and until it ends."""
    env = {**os.environ, "COACH_HOME": str(home)}
    started = time.perf_counter()
    with subprocess.Popen([str(COACH), "history"], env=env, stdout=subprocess.PIPE,
                          text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if not line.strip():  # the blank line after the summary table
                break
        summary = time.perf_counter() - started
        process.stdout.read()
    return summary, time.perf_counter() - started


async def _child(home: Path, spawned: float) -> None:
    """In a fresh process: open the app on the review and report when it drew and filled."""
    from coach.core.library import load_library
    from coach.core.places import find_places
    from coach.core.settings import Settings
    from coach.ui.app import CoachApp
    from coach.ui.screens.review import ReviewScreen
    from coach.ui.widgets.runs_table import RunsTable

    places = find_places(home)
    app = CoachApp(load_library(places), places, Settings(notice_seen=True, sound=False),
                   sound=False, screen="review")
    async with app.run_test(size=(80, 24)):
        while not isinstance(app.screen, ReviewScreen):
            await asyncio.sleep(0.002)
        drawn = asyncio.get_running_loop().create_future()
        app.screen.call_after_refresh(lambda: drawn.set_result(time.time()))
        frame = await drawn - spawned  # the screen has been laid out and painted once
        table = app.screen.query_one(RunsTable)
        while not table.row_count:
            await asyncio.sleep(0.002)
        filled = asyncio.get_running_loop().create_future()
        app.screen.call_after_refresh(lambda: filled.set_result(time.time()))
        data = await filled - spawned
    print(f"{frame:.4f} {data:.4f}")


def time_review(home: Path) -> tuple[float, float]:
    spawned = time.time()
    done = subprocess.run([sys.executable, __file__, "--child", str(home), str(spawned)],
                          capture_output=True, text=True, check=True)
    frame, data = map(float, done.stdout.split()[-2:])
    return frame, data


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        asyncio.run(_child(Path(sys.argv[2]), float(sys.argv[3])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="coach-bench-"))
    try:
        print(f"filling {args.runs:,} runs: {fill(home, args.runs):.1f} s")
        results: dict[str, list[float]] = {}
        for _ in range(args.repeat):
            summary, whole = time_summary(home)
            for name, seconds in (
                ("coach history: summary printed", summary),
                ("coach history: summary, 20 runs and totals", whole),
                ("coach history --format csv (every run)",
                 time_command(home, "history", "--format", "csv")),
            ):
                results.setdefault(name, []).append(seconds)
            frame, data = time_review(home)
            results.setdefault("review: first frame (from process start)", []).append(frame)
            results.setdefault("review: chart, ranking and first page shown", []).append(data)
        for name, values in results.items():
            print(f"{name:48} {statistics.median(values) * 1000:8.0f} ms  "
                  f"(median of {len(values)})")
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
